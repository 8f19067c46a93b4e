"""Where a ConText modifier's scope ends, apart from its rule's own bounds: at the brackets
it is said in, over the whole list of names it is said of, and at a finding after a drug.

Pure functions of the doc's tokens and target spans; ``context.py`` calls them while it builds
each sentence's modifiers.
"""

from __future__ import annotations

from bisect import bisect_left

from medspacy.context import ConTextRule
from spacy.tokens import Doc, Span

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
        k in names or doc[k].lower_ in _LIST_JOINS for k in range(reached[-1], high)
    ):
        return high
    j = high
    while j < sentence_end and (
        j in names or doc[j].lower_ in _LIST_JOINS or is_level_word(doc[j].lower_)
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
