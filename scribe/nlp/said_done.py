"""Muscles a generic verb says something was done to, with no procedure named.

"I started with the right upper trapezius ...", "so we did the left upper trapezius and the
left splenius capitis", "I injected the left upper trapezius." (no drug, no trigger point):
when no procedure the note names (dry needling, an injection) reaches
such a muscle, the mention stays "mentioned" and nothing is billed. The verb is kept on the
mention (``done_cue``) so that the claim says the procedure could not be coded instead of
saying nothing (prompt ``procedure-unnamed``).

Only a verb said right before its objects counts: the muscle follows it with nothing but
sides, articles and other names of the same list between ("we did the left UT and the left
splenius"). A verb of a clause about something else ("the A1 pulley was released, ... fraying of
the flexor digitorum profundus", "what we did was approximate the pectoralis major") is not
said of the muscle.

Reads: ConText modifiers of the mention (category ``PROCEDURE``) and the doc's muscle
mentions. Writes: ``span._.done_cue`` (character offsets of the verb).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

from scribe.nlp.extensions import doc_lower, target_spans
from scribe.nlp.mentions import MUSCLE_LIKE

# words that may stand between the verb and its object, or between the names of its list
_OBJECT_WORDS = frozenset(
    {"the", "a", "his", "her", "their", "both", "left", "right", "r", "l", "b", "bil", "bilat",
     "lt", "rt", "bilateral", "bilaterally", "side", "sides", "and", "&", ",", "/", "+", "plus",
     "also", "um", "uh"}
)  # fmt: skip


# between a needle's insertion and the muscle it went into: "needles were inserted into
# trigger points of the left temporalis"
_INTO_WORDS = _OBJECT_WORDS | frozenset(
    {"into", "in", "within", "to", "of", "trigger", "point", "points", "trp", "trps", "tender",
     "active", "latent", "myofascial", "taut", "band", "bands"}
)  # fmt: skip


# a generic verb; or an injection with no trigger point and no drug said ("I injected the left
# upper trapezius."), which may have been a trigger point injection or a drug given IM
_DONE_WORDS = frozenset({"PROCEDURE", "INJECTION_WORD"})


def _object_of(m: Any, span: Span, between: frozenset[str] = _OBJECT_WORDS) -> bool:
    """Whether the muscle is the verb's object or in the list it opens."""
    end = m.modifier_span[1]
    if end > span.start:
        return False
    doc = span.doc
    lower = doc_lower(doc)
    names = {
        i
        for s in target_spans(doc)
        if s.label_ in MUSCLE_LIKE and s.start >= end and s.end <= span.start
        for i in range(s.start, s.end)
    }
    return all(lower[i] in between or i in names for i in range(end, span.start))


def mark_said_done(span: Span, modifiers: list[Any]) -> None:
    """Keep on a "mentioned" muscle the generic verb it is the object of, if any."""
    verbs = [m for m in modifiers if m.category in _DONE_WORDS and _object_of(m, span)]
    if verbs:
        keep_done_cue(span, max(verbs, key=lambda m: m.modifier_span[1]))


def needle_inserted_into(span: Span, modifiers: list[Any]) -> Any | None:
    """The words of a needle's insertion the muscle is the object of ("Needles were inserted
    into trigger points of the left temporalis"), or None. Needles in a muscle name no
    procedure (dry needling, an injection, acupuncture alike): the note must say which."""
    inserted = [
        m
        for m in modifiers
        if m.category == "NEEDLE_WORD"
        and "insert" in span.doc[m.modifier_span[0] : m.modifier_span[1]].text.lower()
        and _object_of(m, span, _INTO_WORDS)
    ]
    return max(inserted, key=lambda m: m.modifier_span[1]) if inserted else None


def keep_done_cue(span: Span, modifier: Any) -> None:
    """Keep on the mention the words that say something was done to it (a generic verb, a
    needle's insertion)."""
    words = span.doc[modifier.modifier_span[0] : modifier.modifier_span[1]]
    span._.done_cue = (words.start_char, words.end_char)
