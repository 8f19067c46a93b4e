"""Modifiers said as one: a planning or not-done word and the procedure's name after it
("declined DN", "consider needling"), procedures joined to it ("declined injections and
needling"), what the sentence says of a denied procedure ("no needling *was performed to*"), and
a plan word with its time to come ("will be next session"). Each becomes one ConText modifier,
so the procedure's own name cannot make the muscle after it treated.

Pure functions over one sentence's modifiers, for ``context.py``; the fusions are read from
``lexicons/context_rules.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from medspacy.context import ConTextModifier, ConTextRule
from spacy.tokens import Doc

from scribe.schemas.lexicon import ContextFusion, ContextLexicon


def scope_in_sentence(
    rule: ConTextRule, start: int, end: int, first: int, last: int
) -> tuple[int, int]:
    """A modifier's scope inside its sentence [first, last): medspaCy's directions and
    ``max_scope``, without looking beyond the sentence."""
    direction = rule.direction.upper()
    limit = rule.max_scope
    if direction == "FORWARD":
        return end, min(last, end + limit) if limit else last
    if direction == "BACKWARD":
        return (max(first, start - limit) if limit else first), start
    low = max(first, start - limit) if limit else first
    high = min(last, end + limit) if limit else last
    return low, high


_FUSED = " + needling>"


def is_fused(modifier: Any) -> bool:
    """A planning or not-done word merged with the procedure's name ("declined TPI",
    "scheduled for trigger point injections")."""
    return bool(modifier.rule.literal.endswith(_FUSED))


def _predicate(doc: Doc, fusion: Fusion, following: list[Any], end: int) -> Any | None:
    """The modifier right after the merged words that says what happened to the procedure
    they name ("no needling *was performed to* the L UT"): it belongs to them, so it neither
    ends their scope nor makes the muscle after it treated."""
    if not following or following[0].category not in fusion.predicates:
        return None
    gap = doc[end : following[0].modifier_span[0]]
    return following[0] if all(t.lower_ in fusion.predicate_fillers for t in gap) else None


_JOIN_GAP = 3  # words between a plan word and the time to come said with it


def join_plan_and_time(
    doc: Doc, modifiers: list[Any], names: set[int], first: int, last: int
) -> list[Any]:
    """ "the right upper trap will be next session": a plan word and a time to come said a few
    words after it, with no name between them, are one plan; medspaCy would end the scope of
    each at the other (same category), so the name before "will" would not be planned by
    "next session"."""
    out: list[Any] = []
    for modifier in modifiers:
        # "the R APB I'll | consider needling | next visit": each plan word before the time
        # joins it in turn
        while out and _plan_then_time(out[-1], modifier, names):
            before = out.pop()
            rule = modifier.rule
            start, end = before.modifier_span[0], modifier.modifier_span[1]
            low, high = scope_in_sentence(rule, start, end, first, last)
            modifier = ConTextModifier(rule, start, end, doc, scope_start=low, scope_end=high)
        out.append(modifier)
    return out


def _plan_then_time(before: Any, modifier: Any, names: set[int]) -> bool:
    return bool(
        before.category == modifier.category == "PLANNED"
        and before.rule.direction.upper() == "FORWARD"
        and modifier.rule.direction.upper() != "FORWARD"
        and before.rule.allowed_types == modifier.rule.allowed_types
        and 0 <= modifier.modifier_span[0] - before.modifier_span[1] <= _JOIN_GAP
        and not any(i in names for i in range(before.modifier_span[1], modifier.modifier_span[0]))
    )


_AND = frozenset({"and", "or", ",", "/", "&", "and/or"})


def _joined(doc: Doc, fusion: Fusion, following: list[Any], end: int) -> Any | None:
    """Another procedure name joined to the merged one by "and" or "or"."""
    if not following or _text(doc, following[0]) not in fusion.nouns:
        return None
    gap = doc[end : following[0].modifier_span[0]]
    joined = len(gap) > 0 and all(t.lower_ in _AND | fusion.fillers for t in gap)
    return following[0] if joined and any(t.lower_ in _AND for t in gap) else None


class Fusion:
    """A :class:`ContextFusion` ready to apply: word sets and the merged modifier's rule."""

    def __init__(self, spec: ContextFusion, lexicon: ContextLexicon) -> None:
        self.heads = {h.lower() for h in spec.heads}
        self.fillers = {f.lower() for f in spec.fillers}
        self.nouns = {n.lower() for n in spec.nouns}
        self._noun_endings = tuple(f" {noun}" for noun in self.nouns)
        self.max_gap = spec.max_gap
        self.free_words = spec.free_words
        self.free_word_heads = {h.lower() for h in spec.free_word_heads}
        self.category = spec.category
        self.predicates = set(spec.predicates)
        self.predicate_fillers = {f.lower() for f in spec.predicate_fillers}
        self.rule = ConTextRule(
            literal=f"<{spec.category.lower()}{_FUSED}",
            category=spec.category,
            direction=spec.direction,
            allowed_types=set(spec.allowed_types),
            max_scope=spec.max_scope,
            terminated_by=set(lexicon.terminated_by.get(spec.category, [])) or None,
        )

    def names_procedure(self, doc: Doc, modifier: Any) -> bool:
        """A modifier of this category whose own words end with the procedure's name."""
        return modifier.category == self.category and _text(doc, modifier).endswith(
            self._noun_endings
        )


def _text(doc: Doc, modifier: Any) -> str:
    start, end = modifier.modifier_span
    return doc[start:end].text.lower()


def fuse(
    doc: Doc, fusions: Sequence[Fusion], modifiers: list[Any], first: int, last: int
) -> list[Any]:
    """Merge "declined" + "DN", "consider" + "needling" into one modifier, and a denied
    procedure with what the sentence says of it ("no needling" + "was performed to")."""
    modifiers.sort(key=lambda m: m.modifier_span[0])
    out: list[Any] = []
    i = 0
    while i < len(modifiers):
        head = modifiers[i]
        rule, end, taken = head.rule, head.modifier_span[1], 1
        following = modifiers[i + 1 : i + 2]
        for fusion in fusions:
            merged = bool(following) and _merges(doc, fusion, head, following[0])
            if merged:
                rule, end, taken = fusion.rule, following[0].modifier_span[1], 2
                # "declined injections and needling of the R UT": the procedures it joins
                while (also := _joined(doc, fusion, modifiers[i + taken :], end)) is not None:
                    end, taken = also.modifier_span[1], taken + 1
            # "no needling" is one literal: what it is said of still belongs to it
            elif not (fusion.predicates and fusion.names_procedure(doc, head)):
                continue
            verb = _predicate(doc, fusion, modifiers[i + taken : i + taken + 1], end)
            if verb is not None:
                end, taken = verb.modifier_span[1], taken + 1
            if merged or verb is not None:
                break
        if taken == 1:
            out.append(head)
        else:
            start = head.modifier_span[0]
            low, high = scope_in_sentence(rule, start, end, first, last)
            out.append(ConTextModifier(rule, start, end, doc, scope_start=low, scope_end=high))
        i += taken
    return out


def _merges(doc: Doc, fusion: Fusion, head: Any, noun: Any) -> bool:
    gap = doc[head.modifier_span[1] : noun.modifier_span[0]]
    free = [t for t in gap if t.lower_ not in fusion.fillers]
    allowed = fusion.free_words if _text(doc, head) in fusion.free_word_heads else 0
    return (
        len(gap) <= fusion.max_gap
        and len(free) <= allowed
        and all(t.is_alpha for t in free)
        and _text(doc, head) in fusion.heads
        and _text(doc, noun) in fusion.nouns
    )
