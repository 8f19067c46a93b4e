"""A note that says nothing was injected and "worked on" its muscles: "We worked on the right
gluteus medius ... nothing was injected today". The generic verb, with that statement, documents
dry needling; the statement's words become the procedure's event.

Pure functions over sentences and ConText modifiers; ``binding.py`` calls them. Reads:
sentences, sections, paragraphs, modifiers. Writes nothing (returns the event).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from spacy.tokens import Doc

from scribe.nlp.extensions import sentences
from scribe.nlp.procedure_event import ProcedureEvent
from scribe.nlp.sections import sentence_sections
from scribe.nlp.structure import paragraphs


def generic_treatment(
    modifiers: list[list[Any]], doc: Doc, statement: tuple[int, int], quiet: Collection[str]
) -> bool:
    """ "We worked on the right gluteus medius ... nothing was injected today", "this week I
    went into the foot ... nothing was injected": a generic procedure verb outside the history
    and the plan (``quiet`` sections), in the paragraph of a statement that says nothing was
    injected, where the statement, the verb's own sentence or the one before it says it was
    today."""
    sents = sentences(doc)
    sections = sentence_sections(doc)
    paragraph = paragraphs(doc, sents)
    where = next(i for i, s in enumerate(sents) if s.start_char <= statement[0] < s.end_char)
    today = [any(m.category == "CURRENT" for m in row) for row in modifiers]

    def today_before(i: int) -> bool:
        """ "Two muscles today. I did the right upper trap ...": the sentence right before the
        verb's, in its paragraph, may say the day (a recogniser ends sentences at pauses)."""
        return i > 0 and today[i - 1] and paragraph[i - 1] == paragraph[i]

    return any(
        m.category == "PROCEDURE"
        and sections[i] not in quiet
        and paragraph[i] == paragraph[where]
        and (today[where] or today[i] or today_before(i))
        for i, row in enumerate(modifiers)
        for m in row
    )


def statement_event(doc: Doc, chars: tuple[int, int]) -> ProcedureEvent:
    """The dry needling the statement at ``chars`` documents, as an event of its words."""
    words = doc.char_span(*chars, alignment_mode="expand")
    assert words is not None  # the statement was found in the doc's own text
    index = sentences(doc)
    number = next(i for i, s in enumerate(index) if s.start <= words.start < s.end)
    event = ProcedureEvent(
        "dry_needling", "strong", words.start, words.end, number, sentence_sections(doc)[number]
    )
    event.source = "statement"
    return event
