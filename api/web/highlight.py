"""The dictation or transcript as HTML, every extracted fact marked at its evidence span.

Facts may overlap (a muscle inside a procedure sentence, a finding inside a muscle's clause):
the text is cut at every boundary of a fact, a recognised word and a prompt, and each piece
carries the classes of all the facts over it (its colour is that of the most specific one).
Recognised words keep their timestamps (``data-s``/``data-e``) for playback, and words the
recogniser was unsure of are marked. A prompt's pin follows the words it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape

from scribe.schemas.coding import CodingResult
from scribe.schemas.common import Evidence
from scribe.schemas.note import Note
from scribe.schemas.transcript import Transcript, Word

# Most specific first: a piece under several facts takes the first one's colour.
PRIORITY = ("m", "sub", "inj", "find", "limit", "pain", "rom", "doc", "count", "proc", "grp")
KIND_NAMES = {
    "m": "muscle",
    "sub": "substance",
    "inj": "injectate statement",
    "find": "finding",
    "limit": "functional limitation",
    "pain": "pain",
    "rom": "range of motion",
    "doc": "consent or tolerance",
    "count": "stated count",
    "proc": "procedure",
    "grp": "group or vague term",
}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # one of PRIORITY
    css: str  # extra class (a muscle's status)
    label: str
    anchor: str | None = None  # an id for the facts table to link to


@dataclass(frozen=True)
class Pin:
    at: int  # the offset the pin follows
    number: int  # the prompt's number in the list
    severity: str
    message: str


@dataclass
class Highlighted:
    html: Markup
    marks: int
    pins: dict[int, list[str]] = field(default_factory=dict)  # prompt number -> pin ids


def _side(laterality: str) -> str:
    return "" if laterality == "unspecified" else f", {laterality}"


def marks_of(note: Note) -> list[Mark]:
    """Every fact of the note that has words in the text."""
    found: list[Mark] = []

    def add(
        ev: Evidence | None, kind: str, label: str, css: str = "", anchor: str | None = None
    ) -> None:
        if ev is not None and ev.end > ev.start:
            found.append(Mark(ev.start, ev.end, kind, css, label, anchor))

    for index, muscle in enumerate(note.muscles):
        for number, mention in enumerate(muscle.mentions):
            status = mention.status.replace("_", " ")
            add(
                mention,
                "m",
                f"{muscle.name}{_side(mention.laterality)}: {status}",
                f"st-{mention.status}",
                f"mu-{index}" if number == 0 else None,
            )
    for other in note.other_mentions:
        add(other, "m", f"{other.name}{_side(other.laterality)}: mentioned", "st-mentioned")
    for group in note.groups:
        add(group, "grp", f"{group.kind} term, not counted: {group.name}")
    for statement in note.injectate.statements:
        add(statement, "inj", "states nothing was injected")
    for substance in note.injectate.substances:
        add(substance, "sub", f"substance {substance.name}: {substance.status}")
        add(substance.dose, "sub", f"dose of {substance.name}")
    r = note.rationale
    for finding in r.findings:
        words = finding.kind.replace("_", " ")
        add(
            finding,
            "find",
            f"finding{' (denied)' if finding.negated else ''}: {words}",
            "neg" if finding.negated else "",
        )
        add(finding.referral_target, "find", "referral target")
    for limitation in r.functional_limitations:
        add(limitation, "limit", "functional limitation")
    for when, measure in (("before", r.pain.before), ("after", r.pain.after)):
        if measure is not None:
            add(measure, "pain", f"pain {when}: {measure.value:g}")
    for rom in r.rom:
        add(rom, "rom", f"range of motion{f' ({rom.motion})' if rom.motion else ''}")
    add(r.consent, "doc", "consent")
    add(r.tolerance, "doc", "tolerance")
    for count in r.needle_counts:
        add(count, "count", f"needles: {count.count} (never used for the code)")
    for stated in note.stated_muscle_counts:
        add(stated, "count", f"stated muscle count: {stated.value}")
    for procedure in note.procedures:
        who = "" if procedure.experiencer == "patient" else ", someone else"
        add(
            procedure,
            "proc",
            f"procedure: {procedure.kind.replace('_', ' ')} "
            f"({procedure.time.replace('_', ' ')}{who})",
        )
    return found


def pins_of(coding: CodingResult) -> list[Pin]:
    pins = []
    for number, prompt in enumerate(coding.prompts, start=1):
        for ev in prompt.evidence:
            if ev.end > ev.start:
                pins.append(Pin(ev.end, number, prompt.severity, prompt.message))
    return pins


def words_of(transcript: Transcript | None) -> list[Word]:
    if transcript is None:
        return []
    return [
        w for segment in transcript.segments for w in segment.words if w.char_end > w.char_start
    ]


def highlight(
    text: str,
    note: Note | None,
    coding: CodingResult | None,
    transcript: Transcript | None = None,
    *,
    low_confidence: float = 0.5,
) -> Highlighted:
    """The text as HTML with its facts, words and prompt pins."""
    size = len(text)
    marks = [m for m in (marks_of(note) if note else []) if m.end <= size]
    pins = [p for p in (pins_of(coding) if coding else []) if p.at <= size]
    words = [w for w in words_of(transcript) if w.char_end <= size]
    cuts = {0, size}
    for mark in marks:
        cuts.update((mark.start, mark.end))
    for w in words:
        cuts.update((w.char_start, w.char_end))
    cuts.update(p.at for p in pins)
    bounds = sorted(cuts)

    starting: dict[int, list[int]] = {}
    for index, mark in enumerate(marks):
        starting.setdefault(mark.start, []).append(index)
    pins_at: dict[int, list[Pin]] = {}
    for pin in pins:
        pins_at.setdefault(pin.at, []).append(pin)
    result = Highlighted(Markup(""), len(marks))
    active: set[int] = set()
    used_anchors: set[str] = set()
    parts: list[str] = []
    word_index = 0
    for a, b in pairwise(bounds):
        active.update(starting.get(a, ()))
        active = {i for i in active if marks[i].end > a}
        while word_index < len(words) and words[word_index].char_end <= a:
            word_index += 1
        word: Word | None = None
        if word_index < len(words) and words[word_index].char_start <= a:
            word = words[word_index]
        parts.append(
            _piece(
                text[a:b],
                [marks[i] for i in sorted(active)],
                word,
                word_index,
                low_confidence,
                used_anchors,
            )
        )
        for pin in pins_at.get(b, ()):
            ids = result.pins.setdefault(pin.number, [])
            pin_id = f"pin-{pin.number}-{len(ids) + 1}"
            ids.append(pin_id)
            parts.append(
                f'<a class="pin sev-{escape(pin.severity)}" id="{pin_id}" '
                f'href="#prompt-{pin.number}" title="{escape(pin.message)}">'
                f'<span class="visually-hidden">prompt </span>{pin.number}</a>'
            )
    result.html = Markup("".join(parts))
    return result


def _piece(
    chunk: str,
    over: list[Mark],
    word: Word | None,
    word_index: int,
    low_confidence: float,
    used_anchors: set[str],
) -> str:
    if not over and word is None:
        return str(escape(chunk))
    classes: list[str] = []
    attributes: list[str] = []
    titles: list[str] = []
    if over:
        # the most specific fact shows: the shortest mark, then by kind ("7 out of 10" inside a
        # run-on sentence that is also the evidence of consent or a limitation)
        primary = min(over, key=lambda m: (m.end - m.start, PRIORITY.index(m.kind)))
        classes += ["hl", f"k-{primary.kind}"] + ([primary.css] if primary.css else [])
        classes += sorted({f"also-{m.kind}" for m in over if m is not primary})
        titles += [m.label for m in over]
        anchor = next((m.anchor for m in over if m.anchor and m.anchor not in used_anchors), None)
        if anchor:
            used_anchors.add(anchor)
            attributes.append(f'id="{anchor}"')
    if word is not None:
        classes.append("w")
        attributes.append(
            f'data-w="{word_index}" data-s="{word.start:.2f}" data-e="{word.end:.2f}"'
        )
        if word.probability < low_confidence:
            classes.append("lc")
            titles.append(f"recognition unsure ({word.probability:.0%})")
    if titles:
        attributes.append(f'title="{escape("; ".join(titles))}"')
    return f'<span class="{" ".join(classes)}" {" ".join(attributes)}>{escape(chunk)}</span>'
