"""What a mention's modifiers leave out when they are said of another name or another
treatment: a plan said farther on for a name after it, an earlier plan of another name, a
later palpation of another name, a new item that opens after a list of needled muscles, and a
muscle that names an exercise ("piriformis stretch").

Reads: ConText modifiers, target spans. Pure functions; ``binding.py`` calls them.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

from scribe.nlp.extensions import SUBJECT_PRONOUNS
from scribe.nlp.reach import distance, name_tokens

_DONE_CATEGORIES = frozenset({"NEEDLED", "INJECTED"})


# words that open a new item after a list of needled muscles: "..., brachioradialis and
# supinator, plus manual therapy", "R QL, alongside soft tissue work", "then STM"
_NEW_ITEM = frozenset({",", "plus", "alongside", "then", "and", "&", "+", "followed", "along",
                       "well", "addition"})  # fmt: skip
_NEW_ITEM_FILLERS = frozenset({"as", "with", "by", "in", "to", "also"})


def opens_a_new_item(other: Any, span: Span) -> bool:
    """Another treatment said after the mention, opened by words that start a new item ("...
    and supinator, plus manual therapy"), is no treatment of that mention: it does not take
    the mention out of the procedure before it. Said right after the name ("L UT stretched",
    "R levator: STM"), it is the mention's own."""
    start = other.modifier_span[0]
    if start < span.end:
        return False
    doc = span.doc
    k = start - 1
    opened = False
    while k >= span.end and doc[k].lower_ in _NEW_ITEM | _NEW_ITEM_FILLERS:
        opened = opened or doc[k].lower_ in _NEW_ITEM
        k -= 1
    return opened and k >= span.start


def without_a_later_farther_plan(modifiers: list[Any], span: Span) -> list[Any]:
    """ "today I needled the R levator ... her mom is coming in next week": in run-on speech a
    plan said after the muscle, farther from it than the "today" that also reaches it, is
    another sentence's."""
    today = [m for m in modifiers if m.category == "CURRENT"]
    if not today:
        return modifiers
    nearest = min(abs(distance(m, span)) for m in today)
    return [
        m
        for m in modifiers
        if not (
            m.category == "PLANNED"
            and m.modifier_span[0] >= span.end
            and distance(m, span) > nearest
        )
    ]


# how many tokens before a plan word its own object may stand ("the right subscapularis I
# want to save for next visit")
_PLAN_OBJECT_REACH = 6


def without_an_earlier_plan_of_another_name(modifiers: list[Any], span: Span) -> list[Any]:
    """ "the right subscapularis I want to save for next visit and then the posterior deltoid,
    that one got needled too": a plan said right after another name is that name's; a muscle
    named after it, which a needling word after it reaches first (or as soon), is not planned
    by it."""
    done = [
        m for m in modifiers if m.category in _DONE_CATEGORIES and m.modifier_span[0] >= span.end
    ]
    if not done:
        return modifiers
    nearest = min(distance(m, span) for m in done)
    names = name_tokens(span.doc)

    def of_another_name(m: Any) -> bool:
        start, end = m.modifier_span
        return (
            m.category == "PLANNED"
            and end <= span.start
            and distance(m, span) >= nearest
            and any(i in names for i in range(max(0, start - _PLAN_OBJECT_REACH), start))
        )

    return [m for m in modifiers if not of_another_name(m)]


def without_a_later_palpation_of_another_name(modifiers: list[Any], span: Span) -> list[Any]:
    """ "I needled the infraspinatus today, the deltoid I just palpated", "..., the deltoid I
    didn't go into": a needling word before the mention reaches it, and a palpation or a
    denial said, with its own subject, after another name that follows it is that name's (its
    object, put first), not the mention's. ("DN to the L gastroc and soleus was deferred"
    denies both: no subject of its own.)"""
    if not any(
        m.category in _DONE_CATEGORIES | {"TREATED"} and m.modifier_span[1] <= span.start
        for m in modifiers
    ):
        return modifiers
    names = name_tokens(span.doc)

    def of_another_name(m: Any) -> bool:
        start = m.modifier_span[0]
        return (
            m.category in ("PALPATED_ONLY", "NOT_TREATED")
            and start > span.end
            and span.doc[start - 1].lower_ in SUBJECT_PRONOUNS
            and any(i in names for i in range(span.end, start))
        )

    return [m for m in modifiers if not of_another_name(m)]


# what may stand between a list of names and the exercise they name: "SCM and scalene
# self-stretches", "R and L piriformis stretch"
_EXERCISE_GAP = frozenset(
    {"and", "&", "/", "self", "-", "left", "right", "r", "l", "b", "bilateral"}
)


def names_another_treatment(modifiers: list[Any], span: Span) -> bool:
    """The mention is the name of another treatment said right after it, with at most more
    names between ("Reviewed HEP: SCM and scalene self-stretches", "piriformis stretch"): the
    muscle names the exercise, and a plan word before it plans no needling of the muscle."""
    doc = span.doc
    names = name_tokens(doc)
    for m in modifiers:
        start = m.modifier_span[0]
        if m.category != "OTHER_TREATMENT" or start < span.end:
            continue
        gap = range(span.end, start)
        if all(i in names or doc[i].lower_ in _EXERCISE_GAP for i in gap) and (
            start == span.end or doc[start - 1].lower_ not in ("and", "&", "/")
        ):
            return True
    return False
