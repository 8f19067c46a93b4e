"""A procedure the note speaks of: what, when, to whom, by which words, and which muscles
are tied to it (written by ``events.py``, ``binding.py`` and ``structure.py``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Span

EventTime = Literal["today", "planned", "past", "not_done", "asked", "mentioned"]
Experiencer = Literal["patient", "other"]
BILLABLE = ("dry_needling", "trigger_point_injection")
# the kinds that inject: a trigger point injection, or an injection the note does not yet place
INJECTION_KINDS = ("injection", "trigger_point_injection")


@dataclass
class ProcedureEvent:
    """One procedure the note speaks of; ``muscles`` are the mentions tied to it."""

    kind: str
    strength: str  # "strong" | "weak"
    start: int  # token offsets of the words that name it
    end: int
    sentence: int
    section: str | None
    time: EventTime = "today"
    experiencer: Experiencer = "patient"
    time_cue: tuple[int, int] | None = None  # token offsets of the words that set the time
    source: str = "words"  # "words" | "section" | "substance"
    category: str = ""  # the ConText category of the words
    # strong words prove a procedure; weak ones only when the note proved it otherwise
    proven: bool = False
    muscles: list[Span] = field(default_factory=list)
    bindings: list[str] = field(default_factory=list)  # how each muscle was tied to it
    # the kind the note's words name when it shows the procedure was another ("trigger point
    # injection ... nothing injected" is dry needling named as an injection)
    named_as: str | None = None

    @property
    def done_today(self) -> bool:
        return self.time == "today" and self.experiencer == "patient"

    @property
    def billable_today(self) -> bool:
        return self.done_today and self.kind in BILLABLE

    def bind(self, span: Span, how: str) -> None:
        if all(s is not span for s in self.muscles):
            self.muscles.append(span)
            self.bindings.append(how)


_NEEDLING_WORDS = re.compile(r"\b(?:needl\w*|dn|tdn)\b", re.IGNORECASE)
_INJECTION_WORDS = re.compile(r"\b(?:inject\w*|tpis?)\b", re.IGNORECASE)
NEEDLING_KINDS = frozenset({"dry_needling"})
INJECTED_KINDS = frozenset(INJECTION_KINDS)


def kinds_named(text: str) -> frozenset[str]:
    """The procedure kinds ``text`` names in words: needling, injection, both or neither."""
    kinds: frozenset[str] = frozenset()
    if _NEEDLING_WORDS.search(text):
        kinds |= NEEDLING_KINDS
    if _INJECTION_WORDS.search(text):
        kinds |= INJECTED_KINDS
    return kinds


def said_done_today(events: list[ProcedureEvent], kind: str) -> bool:
    """The note names a procedure of ``kind`` done today in words that prove it."""
    return any(e.kind == kind and e.strength == "strong" and e.done_today for e in events)


def is_question(sent: Span) -> bool:
    """The sentence asks (it ends with a question mark)."""
    doc = sent.doc
    for i in range(sent.end - 1, sent.start - 1, -1):
        if not doc[i].is_space:
            return doc[i].text == "?"
    return False
