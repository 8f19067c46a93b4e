"""The procedure note: an audit-ready account of one session, sentence by sentence, each sentence
carrying the words of the dictation it rests on."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from scribe.schemas.common import Evidence, Frozen
from scribe.schemas.note import Laterality

# quote: the dictation's own words, shown verbatim; muscle: a muscle the words name; side: the
# side the words give; number: a value the words state (a pain score, degrees).
FactKind = Literal["quote", "muscle", "side", "number"]
Element = Literal[
    "muscle",
    "contradiction",
    "muscle_count",
    "stated_count",
    "diagnosis",
    "limitation",
    "finding",
    "technique",
    "needles",
    "injectate",
    "pain_before",
    "pain_after",
    "rom",
    "tolerance",
    "consent",
    "code",
]
SentenceOrigin = Literal["dictation", "reviewer", "unquoted", "gap"]


class Fact(Frozen):
    """One thing a sentence says, and the words of the dictation that say it."""

    kind: FactKind
    value: str = Field(description="What the sentence says: the quote, name, side or number.")
    evidence: Evidence
    laterality: Laterality | None = Field(default=None, description="For a muscle: its side.")


class Sentence(Frozen):
    """A sentence of the note. ``origin`` is ``dictation`` (every fact has its words), ``gap``
    (an element the dictation does not document, shown as such), ``reviewer`` (added by a QA
    reviewer's correction: no dictated words) or ``unquoted`` (the structured note records it
    without the words it came from, so the sentence says so)."""

    element: Element
    text: str
    origin: SentenceOrigin = "dictation"
    facts: list[Fact] = Field(default_factory=list)

    @property
    def evidence(self) -> list[Evidence]:
        """The spans the sentence rests on, in text order, without repeats."""
        unique = {(f.evidence.start, f.evidence.end): f.evidence for f in self.facts}
        return [unique[key] for key in sorted(unique)]


class Section(Frozen):
    title: str
    sentences: list[Sentence] = Field(default_factory=list)


class ProcedureNote(Frozen):
    """Sections of sentences; ``gaps`` lists the elements shown as not documented."""

    schema_version: Literal["1"] = "1"
    title: str
    date_of_service: dt.date | None = None
    sections: list[Section]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for section in self.sections for s in section.sentences]

    @property
    def gaps(self) -> list[Element]:
        return [s.element for s in self.sentences if s.origin == "gap"]
