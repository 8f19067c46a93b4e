"""Where a ConText modifier's scope ends, apart from its rule's own bounds: at the brackets
it is said in, over the whole list of names it is said of, at a finding after a drug, and
where the modifiers of one sentence limit each other (terminators, asides in brackets, words
taken back, inline headings matched apart).

Functions of the doc's tokens, target spans and modifiers; ``context.py`` calls them while it
builds each sentence's modifiers.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from medspacy.context import ConTextRule
from spacy.tokens import Doc, Span

from scribe.nlp.normalize import TAKEN_BACK
from scribe.nlp.spinal_levels import is_level_word

_BRACKET_REACH = 30  # tokens looked at each way for the brackets around a modifier


def enclosing_brackets(
    doc: Doc, start: int, end: int, sentence: tuple[int, int]
) -> tuple[int, int] | None:
    """The open and close bracket tokens around the words [start, end) within their
    ``sentence`` (token range), looked for ``_BRACKET_REACH`` tokens each way; None when the
    words are not inside brackets."""
    opened = None
    for i in range(start - 1, max(sentence[0], start - _BRACKET_REACH) - 1, -1):
        text = doc[i].text
        if ")" in text:
            return None
        if "(" in text:
            opened = i
            break
    if opened is None:
        return None
    for i in range(end, min(end + _BRACKET_REACH, sentence[1])):
        text = doc[i].text
        if "(" in text:
            return None
        if ")" in text:  # "):" is one token
            return opened, i
    return None


def within_brackets(doc: Doc, start: int, end: int, high: int, sentence: tuple[int, int]) -> int:
    """A modifier said inside brackets does not reach past them: "Dry needling (consent
    reviewed and signed): L masseter" plans nothing. The forward end ``high`` of the scope of
    [start, end), clipped at the closing bracket when the modifier is inside brackets in its
    ``sentence`` (token range). What comes before is left alone: "L levator (deferred)"."""
    brackets = enclosing_brackets(doc, start, end, sentence)
    return high if brackets is None else min(high, brackets[1])


# words that join the names of a list: "L UT, L levator scapulae and L rhomboid major"
_LIST_JOINS = frozenset({",", "and", "&", "/", "+", "or", "nor", "l", "r", "b", "left", "right",
                         "lt", "rt", "bilateral", "bilat", "the", "both"})  # fmt: skip


# (a list whose items repeat their preposition: "last week, in the left S C M and in the left
# upper trapezius")
_ONWARD_JOINS = _LIST_JOINS | frozenset({"in", "into", "to"})


# a verb that says the words before it are several: "A, B and C were not needled"
_PLURAL = frozenset({"were", "are", "weren't", "aren't", "have"})


def through_the_list(doc: Doc, start: int, low: int, first: int, names: set[int]) -> int:
    """The start of the backward scope ``low`` of a modifier at ``start``, moved back to the
    first name of the list of names that runs right up to the modifier (within its sentence,
    from ``first``) when the modifier says they are several: "L UT, L levator scapulae and L
    rhomboid major were not needled". A modifier with other words before it keeps its scope."""
    if doc[start].lower_ not in _PLURAL:
        # "I needled the R UT and the R SCM was palpated only": the SCM alone
        return max(low, _subject_after_a_clause(doc, start, first, names))
    i = start
    while i > first and (i - 1 in names or doc[i - 1].lower_ in _LIST_JOINS):
        i -= 1
    while i < start and i not in names:
        i += 1  # the list begins at a name, not at the "and" or side word before it
    return min(low, i)


def onward_through_the_list(
    doc: Doc, end: int, high: int, sentence_end: int, names: set[int]
) -> int:
    """The forward end ``high`` of the scope of a modifier ending at ``end``, moved on to the
    end of the list of names it reaches when the scope ends inside that list: a time said
    before a list is said of all of it ("he had dry needling in clinic on tuesday to the left
    levator scapula and the left rhomboid major"), however long the list."""
    reached = [i for i in range(end, high) if i in names]
    if not reached or not all(
        k in names or doc[k].lower_ in _ONWARD_JOINS for k in range(reached[-1], high)
    ):
        return high
    j = high
    while j < sentence_end and (
        j in names or doc[j].lower_ in _ONWARD_JOINS or is_level_word(doc[j].lower_)
    ):
        j += 1
    return j


_DISTRIBUTIVE = frozenset({"each", "every"})


def from_a_distributive_subject(doc: Doc, start: int, low: int, names: set[int]) -> int:
    """The start of the backward scope ``low`` of a modifier at ``start``, moved up to "each"
    or "every" said right before a name between them: "... gluteus medius, gluteus minimus,
    each quadratus lumborum got a trigger point injection" speaks of the quadratus lumborum
    alone (a recogniser's run-on lost the full stop before "each")."""
    for k in range(start - 2, low - 1, -1):
        if doc[k].lower_ in _DISTRIBUTIVE and k + 1 in names:
            return k
    return low


def _subject_after_a_clause(doc: Doc, start: int, first: int, names: set[int]) -> int:
    """Where the subject of a singular modifier at ``start`` begins when a comma parts it from
    a clause said before it in its sentence (from ``first``): in "I dry needled the R
    supraspinatus and R infraspinatus, the R teres minor was not needled" only the teres minor
    was not needled. A sentence of nothing but names ("L UT, L levator was not needled") is a
    list said of together, and ``first`` is returned."""
    i = start
    while i > first and (i - 1 in names or doc[i - 1].lower_ in _LIST_JOINS - {","}):
        i -= 1
    if i in (start, first) or doc[i - 1].text not in (",", ";"):
        return first
    if all(j in names or doc[j].lower_ in _LIST_JOINS for j in range(first, i - 1)):
        return first
    return i


def object_in_its_brackets(
    doc: Doc,
    rule: ConTextRule,
    span: tuple[int, int, int],
    sent: Span,
    targets: list[Span],
    starts: list[int],
) -> int:
    """A modifier said inside brackets with its own object after it there ("0.9% saline 1 mL
    (pt declined anesthetic; ...)") is a clause of the aside: it does not reach back out of the
    brackets. One with no object speaks of the words before them: of the name they follow
    alone when they open right after it ("DN to the R UT and R levator (deferred)": the levator
    only), else as far as its scope goes. ``span`` is the modifier's start, end and the low
    end of its scope; ``targets`` are the doc's targets in order, ``starts`` their first
    tokens."""
    start, end, low = span
    brackets = enclosing_brackets(doc, start, end, (sent.start, sent.end))
    if brackets is None:
        return low
    opened, closed = brackets
    inside = targets[bisect_left(starts, end) : bisect_left(starts, closed)]
    if any(t.end <= closed for t in inside):
        return max(low, opened + 1)  # its object, whatever the rule modifies
    allowed = {t.upper() for t in rule.allowed_types or ()}
    before = targets[bisect_left(starts, low) : bisect_left(starts, opened)]
    said_of = next(
        (t for t in before if t.end == opened and (not allowed or t.label_ in allowed)), None
    )
    return said_of.start if said_of is not None else low


_DRUG_REACH = 3  # tokens between a negation and the drug it denies: "no medication", "without any"


def before_a_finding(
    doc: Doc, end: int, high: int, spans: list[Span], span_starts: list[int]
) -> int:
    """The end of the forward scope ``high`` of a negation ending at ``end``: when the first
    target it reaches is a drug ("no injectate into those, good twitch responses"), the scope
    ends at the first comma or semicolon after which a finding is the next target. ``spans``
    are the doc's targets in order, ``span_starts`` their first tokens."""
    k = bisect_left(span_starts, end)
    if (
        k == len(spans)
        or spans[k].start >= high
        or spans[k].label_ != "SUBSTANCE"
        or spans[k].start - end > _DRUG_REACH
    ):
        return high
    after = k + 1  # the next target after token i
    for i in range(spans[k].end, high):
        while after < len(spans) and spans[after].start <= i:
            after += 1
        if doc[i].text in (",", ";"):
            nxt = spans[after] if after < len(spans) else None
            if nxt is not None and nxt.start < high and nxt.label_ == "FINDING":
                return i
    return high


# the words of a procedure done, which an "only" said right after them restricts, not ends
_DONE_CATEGORIES = frozenset({"TREATED", "NEEDLED"})


def end_scopes_before(doc: Doc, modifiers: list[Any], boundaries: list[Any]) -> None:
    """A boundary matched apart (an inline heading) ends the scope of the modifiers before it
    that it terminates; it is no modifier itself, so it never cuts one that comes after it
    ("Local Twitch Response: none" keeps its negation)."""
    for modifier in modifiers:
        terminated_by = modifier.rule.terminated_by or set()
        start, end = modifier.scope_span
        for boundary in boundaries:
            at = boundary.modifier_span[0]
            if boundary.category in terminated_by and modifier.modifier_span[1] <= at < end:
                end = at
        if end != modifier.scope_span[1]:
            modifier.update_scope(doc[start:end])


class Asides:
    """Which modifier may end another's scope. One said inside brackets is an aside: it ends
    no scope outside them by being a terminator or a word of the same kind. "Procedure: IMS
    (intramuscular stimulation = dry needling; nothing injected), after verbal consent: R
    gluteus medius, piriformis" needles the muscles. Words taken back as they are said ("dry
    needling to the left upper trap sorry no scratch that the right upper trap") end no
    scope of the procedure said before them: the words said anew are its own."""

    def __init__(
        self,
        doc: Doc,
        modifiers: list[Any],
        sentence: tuple[int, int],
        said_of_a_name: frozenset[str],
    ) -> None:
        self._said_of_a_name = said_of_a_name
        self._brackets = {
            id(m): enclosing_brackets(doc, m.modifier_span[0], m.modifier_span[1], sentence)
            for m in modifiers
        }
        self._taken_back = {
            id(m)
            for m in modifiers
            if m.category == "NOT_TREATED"
            and m.direction.upper() == "BACKWARD"
            and TAKEN_BACK.match(doc[m.modifier_span[0] : m.modifier_span[1]].text)
        }

    def __call__(self, modifier: Any, other: Any) -> bool:
        """Whether ``other`` may limit the scope of ``modifier``."""
        if (
            id(other) in self._taken_back
            and modifier.category in _DONE_CATEGORIES
            and modifier.modifier_span[1] <= other.modifier_span[0]
        ):
            return False  # "dry needling to the left UT, scratch that, the right UT"
        if (
            other.direction.upper() == "TERMINATE"
            and modifier.category in _DONE_CATEGORIES
            and other.modifier_span[0] == modifier.modifier_span[1]
            and other.rule.literal.lower() in self._said_of_a_name
        ):
            return False  # "dry needling only no medication into the left levator": its own
        brackets = self._brackets[id(other)]
        if brackets is None or self._brackets[id(modifier)] == brackets:
            return True
        return not (
            other.direction.upper() == "TERMINATE"
            or other.category.upper() == modifier.category.upper()
        )


def in_words(
    doc: Doc, rule: Any, said: tuple[int, int], scope: tuple[int, int], sent: Span
) -> tuple[int, int]:
    """A recogniser writes a comma at each pause ("so last week, if you remember, we did the
    left upper trap"): in its text the reach of a time (``list_onward``) counts words, not its
    marks."""
    start, end = said
    low, high = scope
    if high > end:
        words, high = 0, end
        while high < sent.end and words < rule.max_scope:
            words += not doc[high].is_punct
            high += 1
    if low < start:
        words, low = 0, start
        while low > sent.start and words < rule.max_scope:
            low -= 1
            words += not doc[low].is_punct
    return low, high


def update_scopes(modifiers: list[Any], limits: Asides) -> None:
    """medspaCy's ``ConTextGraph.update_scopes``, each pair asked first whether it may."""
    for i, first in enumerate(modifiers):
        for second in modifiers[i + 1 :]:
            if limits(first, second):
                first.limit_scope(second)
            if limits(second, first):
                second.limit_scope(first)


def terminate_inside(doc: Doc, modifiers: list[Any], limits: Asides) -> None:
    """A terminating word ends every scope that reaches across it. medspaCy compares scopes
    for overlap, and a scope wholly inside the terminator's (a backward "was not needled" of
    ``max_scope`` words in "DN to R UT but L UT was not needled") is missed by its test, so the
    negation reached back past "but" to the R UT. A modifier said right after the terminator
    ("...; not needled") opens no clause of its own and keeps its reach."""
    stops = [m for m in modifiers if m.direction.upper() == "TERMINATE"]
    if not stops:
        return
    for modifier in modifiers:
        if modifier.direction.upper() == "TERMINATE":
            continue
        start, end = modifier.scope_span
        first, last = modifier.modifier_span
        for stop in stops:
            if not limits(modifier, stop):
                continue
            at, after = stop.modifier_span
            # "L lateral pterygoid: suspected involvement; not needled": a clause with no
            # subject of its own, the modifier right after the terminator, is about the one
            # before it
            elliptical = all(t.is_space or t.is_punct for t in doc[after:first])
            if after <= first and after > start and not elliptical:
                start = after
            if at >= last and at < end:
                end = at
        if (start, end) != modifier.scope_span:
            modifier.update_scope(doc[start:end])


def nearest_name_start(ordered: list[Span], starts: list[int], before: int, low: int) -> int:
    """Where the last muscle or group name ending before token ``before`` begins (``low`` when
    none is at or after it)."""
    for span in reversed(ordered[: bisect_right(starts, before - 1)]):
        if span.label_ in ("MUSCLE", "GROUP") and span.end <= before:
            return max(low, span.start)
    return low
