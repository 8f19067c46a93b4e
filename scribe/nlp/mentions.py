"""A muscle or group mention on its way to a status, and how a status is written on it.

``binding.py`` decides statuses from a mention's own words; ``structure.py`` from the note's
structure. Both write through :func:`tie` (the mention is tied to a procedure) and
:func:`decide` (its words decided another status), so the span attributes are set in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Span

if TYPE_CHECKING:
    from scribe.nlp.procedure_event import ProcedureEvent

MUSCLE_LIKE = ("MUSCLE", "GROUP")
BILLABLE = ("dry_needling", "trigger_point_injection")
NOT_BILLED = ("chemodenervation", "acupuncture")
# how firmly the words decided a mention's status: structural ties lift only the last two
FIRM, OTHER_TREATMENT, WEAK, UNDECIDED = "firm", "other_treatment", "weak", "undecided"
_STATUS_OF_TIME = {
    "today": "treated",
    "planned": "planned",
    "past": "historical",
    "not_done": "negated",
    "asked": "mentioned",
    "mentioned": "mentioned",
}


@dataclass
class Mention:
    span: Span
    sentence: int
    strength: str = UNDECIDED
    # the procedures (token spans) whose words reached the mention but were kept from it by
    # the words between (``reach.cut_off``): no later tie of the sentence gives it to them
    cut_from: set[tuple[int, int]] = field(default_factory=set)


def decide(mention: Mention, status: str, strength: str, cue: tuple[int, int] | None) -> None:
    """Write a status (and the words that decided it, token offsets) on a mention."""
    span = mention.span
    span._.status = status
    mention.strength = strength
    if cue is not None:
        words = span.doc[cue[0] : cue[1]]
        span._.status_cue = (words.start_char, words.end_char)


def tie(
    mention: Mention,
    event: ProcedureEvent,
    how: str,
    cue: tuple[int, int] | None,
    technique: str | None,
) -> None:
    """Tie a mention to a procedure: treated (with its technique) when the procedure was done
    today to the patient, else the status of the procedure's time; a chemodenervation or an
    acupuncture keeps its muscles as mentions."""
    span = mention.span
    event.bind(span, how)
    if event.kind in NOT_BILLED:
        decide(mention, "mentioned", FIRM, cue)
        return
    status = _STATUS_OF_TIME[event.time] if event.experiencer == "patient" else "mentioned"
    decide(mention, status, FIRM, cue or (event.start, event.end))
    if status == "treated":
        span._.technique = technique
        span._.binding = how
        span._.event = event


def untie(mention: Mention) -> None:
    """Take a mention back from the procedure it was tied to (a box on it says it was not)."""
    span = mention.span
    event = span._.event
    if event is not None:
        index = next((k for k, s in enumerate(event.muscles) if s is span), None)
        if index is not None:
            del event.muscles[index]
            del event.bindings[index]
    span._.technique = None
    span._.binding = None
    span._.event = None
