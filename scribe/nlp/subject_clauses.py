"""A muscle named as the subject of a clause of its own, which a procedure said before it does
not reach: what was found in it ("..., the right rectus femoris, is tight too"), or another
time ("..., the right splenius capitis was the one we did last week").

Reads: ConText modifiers, the text after the name. Pure functions; ``reach.py`` calls them.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span

# the name may carry its side or place before its predicate ("the scalene on that side is ...")
_ITS_SIDE = r"(?:\s*,?\s*(?:on\s+(?:that|this|the\s+(?:other|left|right))(?:\s+side)?|there))?"
_STATE_VERB = r"(?:is|was|are|were|feels|felt|looks|looked|seems|seemed)"
# "..., just the needles, the right rectus femoris, is tight too, but ...": a name that is the
# subject of what the exam found is not the object of a procedure said before it
_FINDING_PREDICATE = re.compile(
    _ITS_SIDE + r"\s*,?\s*(?:" + _STATE_VERB + r"\s+(?:also\s+|still\s+|pretty\s+|"
    r"really\s+|very\s+|quite\s+|much\s+|a\s+(?:little|bit)\s+(?:bit\s+)?)*(?:tight|tender|sore|"
    r"angry|irritable|guarded|ropy|ropey|taut|involved|painful|stiff|tense|better)\b"
    # a state said by degree ("is a bit <word>", "was really <word>", "feels kind of <word>"):
    # a degree word before it makes it a description, never a procedure done to the muscle
    r"|"
    + _STATE_VERB
    + r"\s+(?:(?:also|still)\s+)?(?:a\s+(?:little|bit)(?:\s+bit)?|pretty|really|very|quite|"
    r"kind\s+of|sort\s+of|somewhat|super|so|extra|rather|fairly)\s+(?!dry\b|needled\b|injected\b|"
    r"done\b|treated\b)[a-z]+"
    # or how it has done since: "he said the glute med really settled down, so today ..."
    r"|(?:(?:really|has|had|have|kind\s+of|pretty\s+much|totally)\s+)*(?:settled|calmed|"
    r"loosened|eased|quieted)\s+(?:down|up|off)\b"
    # or what was found in it: "..., the right rhomboid minor also had a trigger point on
    # palpation, but only ..."
    r"|(?:(?:also|too|still)\s+)*(?:had|has|have|showed|shows)\s+(?:[a-z]+\s+){0,3}?"
    r"(?:trigger\s+points?|trps?|taut\s+bands?|tenderness|knots?|jump\s+signs?)\b)",
    re.IGNORECASE,
)


def subject_of_a_finding(m: Any, span: Span) -> bool:
    if m.modifier_span[1] > span.start:
        return _STRENGTH_TESTED.match(span.doc.text, span.end_char) is not None
    return bool(_FINDING_PREDICATE.match(span.doc.text, span.end_char))


# a muscle whose strength the exam graded ("the left supraspinatus tests around three out
# of five", "R glute min tested 4+/5"): the exam's, whichever side the procedure is said on
_GRADE = r"(?:about\s+|around\s+|roughly\s+)?(?:\d|one|two|three|four|five)"
_STRENGTH_TESTED = re.compile(
    r"\s*,?\s*(?:(?:strength|mmt)\s+)?(?:(?:tests?|tested|grades?|graded)\s+(?:at\s+)?"
    + _GRADE
    + r"\b|(?:is|was)\s+"
    + _GRADE
    + r"(?:\s*(?:-|\+|minus|plus))?\s*(?:/\s*5|out\s+of\s+(?:5|five)|over\s+five)\b)",
    re.IGNORECASE,
)


# a copula right after the name opens its own clause: "the R splenius was the one we did last
# week", "the L QL is for next time", "the L subscapularis will be needled at his next appointment"
_COPULA = frozenset({"was", "were", "is", "are", "will"})
# the ConText categories of a time before today (procedures.yaml, ``time.past``): words of the
# past, and another visit that no plan word reaches (shared with time_reach.py and reach.py)
PAST_CATEGORIES = frozenset({"HISTORICAL", "OTHER_VISIT"})
_OTHER_TIMES = PAST_CATEGORIES | {"PLANNED"}
_OWN_CLAUSE_REACH = 8  # tokens after the copula where the clause says its time


def own_clause_time(span: Span, modifiers: list[Any]) -> Any | None:
    """The time word (the past, another visit, a plan) of the clause the name is the subject
    of, said right after it with a copula; None when there is none."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].lower_ not in _COPULA:
        return None
    low, high = span.end + 1, span.end + 1 + _OWN_CLAUSE_REACH
    return next(
        (o for o in modifiers if o.category in _OTHER_TIMES and low <= o.modifier_span[0] < high),
        None,
    )


def subject_of_another_time(m: Any, span: Span, modifiers: list[Any]) -> bool:
    """The name, after a procedure said earlier in a run-on, is the subject of a clause that
    says another time, so that procedure does not reach it: a time word in its own clause, or
    the future said right after it ("... with no injectate, the left subscapularis will be
    injected under guidance at his next appointment"), whose plan word may not reach back over
    the name."""
    if m.modifier_span[1] > span.start:
        return False
    if own_clause_time(span, modifiers) is not None:
        return True
    doc = span.doc
    graph = getattr(doc._, "context_graph", None)
    return (
        graph is not None
        and span.end < len(doc)
        and doc[span.end].lower_ == "will"
        and any(o.category == "PLANNED" and o.modifier_span[0] == span.end for o in graph.modifiers)
    )


# the clinician and a word or two between them and their verb: "the glute med I just dry
# needled", "the L QL we also needled" (shared with reach.py and context.py)
FIRST_PERSON = frozenset({"i", "we"})
SUBJECT_ADVERBS = frozenset({"also", "then", "just", "only", "actually", "again"})
_PROCEDURE_VERBS = frozenset({"TREATED", "NEEDLED", "INJECTED"})


def object_of_a_later_procedure(m: Any, span: Span, modifiers: list[Any]) -> bool:
    """ "I injected the rhomboid and levator with lidocaine, and then the teres minor I only
    dry needled": a name right before the clinician and their own verb is that verb's object, put
    first, so a procedure said before the name does not reach it."""
    if m.modifier_span[1] > span.start:
        return False
    doc = span.doc
    k = span.end
    if k >= len(doc) or doc[k].lower_ not in FIRST_PERSON:
        return False
    k += 1
    while k < len(doc) and doc[k].lower_ in SUBJECT_ADVERBS:
        k += 1
    return any(
        o is not m and o.category in _PROCEDURE_VERBS and o.modifier_span[0] in (k, span.end)
        for o in modifiers
    )
