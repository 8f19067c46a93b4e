"""Facts of the procedure note: a quote, muscle, side or number, each with the words it rests on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scribe.procedure_note.naming import naming_span
from scribe.schemas.common import Evidence
from scribe.schemas.note import Laterality, Measure, Muscle, Note
from scribe.schemas.procedure_note import Fact


def span(item: Evidence) -> Evidence:
    return Evidence(start=item.start, end=item.end, text=item.text)


def quote(item: Evidence) -> Fact:
    """The item's own words, to be shown verbatim."""
    return Fact(kind="quote", value=item.text, evidence=span(item))


def quotes(items: Iterable[Evidence]) -> list[Fact]:
    """Quotes of the items, the same wording once."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = " ".join(item.text.lower().split())
        if item.text and key not in seen:
            seen.add(key)
            out.append(quote(item))
    return out


def number_fact(value: float, item: Evidence) -> Fact:
    return Fact(kind="number", value=f"{value:g}", evidence=span(item))


def show_measure(measure: Measure) -> str:
    value = f"{measure.value:g}"
    return f"{value}/{measure.scale_max:g}" if measure.scale_max else value


def describe_side(laterality: Laterality) -> str:
    """ "right " / "left " / "bilateral " / "" (unspecified: the side is said as a gap)."""
    return "" if laterality == "unspecified" else f"{laterality} "


def side_cue(muscle: Muscle) -> Evidence | None:
    """The words that give the muscle its side: the deciding mention's cue, else the cue of
    another mention on the same side."""
    mentions = sorted(
        (
            m
            for m in muscle.mentions
            if m.side_cue is not None and m.laterality == muscle.laterality
        ),
        key=lambda m: (m.start, m.end) != (muscle.start, muscle.end),
    )
    return mentions[0].side_cue if mentions else None


def reviewer_side(muscle: Muscle) -> bool:
    """The side was set by a reviewer's correction, not by the dictation's words."""
    return muscle.laterality_source == "reviewer" and muscle.laterality != "unspecified"


def reviewer_status(muscle: Muscle) -> bool:
    """Dictated, yet treated only by a reviewer's correction (no mention says treated)."""
    return muscle.origin == "dictation" and not any(m.status == "treated" for m in muscle.mentions)


def muscle_facts(muscle: Muscle, note: Note, text: str | None) -> list[Fact]:
    """The muscle named by the words that name it, and its side by the words that give it
    (when any). ``text`` is the dictation, when known (see :func:`naming_span`). A muscle a
    reviewer added has no words, hence no facts."""
    if muscle.origin == "reviewer":
        return []
    named = naming_span(muscle, others=note.muscles, text=text)
    facts = [Fact(kind="muscle", value=muscle.name, evidence=named, laterality=muscle.laterality)]
    cue = side_cue(muscle)
    if muscle.laterality != "unspecified" and cue is not None and not reviewer_side(muscle):
        facts.append(Fact(kind="side", value=muscle.laterality, evidence=span(cue)))
    return facts


def _shown(muscle: Muscle, facts: Sequence[Fact]) -> str:
    """How a muscle reads: its side only when ``facts`` hold the words that give it, and what
    a reviewer set said so."""
    if muscle.origin == "reviewer":
        return f"{describe_side(muscle.laterality)}{muscle.name} (added by a reviewer)"
    if reviewer_side(muscle):
        return f"{muscle.name} ({muscle.laterality} side set by a reviewer)"
    cue = side_cue(muscle)
    supported = any(
        f.kind == "side" and f.value == muscle.laterality and f.evidence == cue for f in facts
    )
    return f"{describe_side(muscle.laterality) if supported else ''}{muscle.name}"


def join_names(muscles: Sequence[Muscle], facts: Sequence[Fact]) -> str:
    """ "right upper trapezius, left levator scapulae and teres major"."""
    names = [_shown(m, facts) for m in muscles]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
