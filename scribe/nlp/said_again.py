"""A procedure named again with "the" points back at the one just told of.

"Over the first four sessions I used dry needling to the left masseter and left temporalis.
He tolerated the needling well.": "the needling" is the procedure the paragraph has just
dated, not one done today. A procedure word with no muscle of its own, no time of its own and
no "today" in its sentence, said with a definite article after a procedure of another time in
the same paragraph, takes that procedure's time.

Reads the events of ``scribe_events`` (after binding) and the sentences' ConText modifiers.
Writes ``ProcedureEvent.time`` and ``time_cue``.
"""

from typing import Any

from spacy.tokens import Doc

from scribe.nlp.extensions import sentences
from scribe.nlp.procedure_event import ProcedureEvent
from scribe.nlp.structure import paragraphs

_POINTING = frozenset({"the", "that", "this"})


def said_again(doc: Doc, events: list[ProcedureEvent], modifiers: list[list[Any]]) -> None:
    """Each procedure of today named again with "the" takes the time of the procedure of
    another time told of just before it in its paragraph (with none there, of the last one of
    its kind named before it)."""
    sents = sentences(doc)
    paragraph = paragraphs(doc, sents)
    for event in events:
        if (
            not event.billable_today
            or event.muscles
            or event.source != "words"
            or event.start == 0
            or doc[event.start - 1].lower_ not in _POINTING
            or any(m.category == "CURRENT" for m in modifiers[event.sentence])
        ):
            continue
        earlier = [
            e
            for e in events
            if e.sentence < event.sentence
            and paragraph[e.sentence] == paragraph[event.sentence]
            and e.source == "words"
            and e.strength == "strong"
        ]
        if not earlier:
            # "Interval: ~50% relief x 2 wks after the TPI" below a block that told of an
            # earlier visit's TPI: the last one of its kind named before, in any paragraph
            earlier = [
                e
                for e in events
                if e.sentence < event.sentence
                and e.kind == event.kind
                and e.source == "words"
                and e.strength == "strong"
            ][-1:]
        if earlier and earlier[-1].time in ("past", "planned"):
            event.time = earlier[-1].time
            event.time_cue = earlier[-1].time_cue
