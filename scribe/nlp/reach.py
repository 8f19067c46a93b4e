"""Where a procedure's words stop reaching a muscle, in run-on speech above all.

ConText scopes reach to the end of a sentence, and a recogniser's sentence may be the whole
dictation. These rules cut a procedure's reach where the speech itself turns: a return to today,
the clinician's next exam clause, a subject that takes its own objects, a list that ends before
the procedure's own muscle, a muscle that an earlier procedure names as its object, or a plan
said long after "today".

Reads: ConText modifiers, target spans. Pure functions; ``binding.py`` calls them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from scribe.nlp.extensions import doc_lower, sentence_index, sentences, target_spans
from scribe.nlp.mentions import MUSCLE_LIKE
from scribe.nlp.scopes import enclosing_brackets
from scribe.nlp.subject_clauses import (
    FIRST_PERSON,
    PAST_CATEGORIES,
    SUBJECT_ADVERBS,
    object_of_a_later_procedure,
    subject_of_a_finding,
    subject_of_another_time,
)

if TYPE_CHECKING:
    from scribe.nlp.procedure_event import ProcedureEvent

_LIST_WORDS = frozenset(
    {"and", "&", ",", "/", "+", "the", "both", "left", "right", "r", "l", "b", "bil", "bilat",
     "lt", "rt", "then", "plus", "also", "on", "side", "sides", "bilaterally", "bilateral", "um",
     "uh", "ipsilateral", "contralateral", "ipsi", "contra"}
)  # fmt: skip
_SUBJECT_GAP = 2  # tokens between a procedure's words and the muscle right before them
_LEVEL = re.compile(r"^(?:[ctls]\d{1,2}|-|to|through|levels?|at)$")  # "L4-S1", "at L5"
_OWN_OBJECT_REACH = 8  # tokens after a procedure's words where its own muscles are named
# words between a procedure and the muscles it names: "dry needling to the left levator", "I
# did the needling myself, the upper trap and ..."
_OBJECT_WORDS = _LIST_WORDS | frozenset(
    {"to", "into", "in", "of", "at", "for", "myself", "ourselves", "today"}
)
_PROCEDURE_WORDS = frozenset({"TREATED", "NEEDLED", "NEEDLE_WORD", "INJECTED", "INJECTION_WORD"})
# the procedure named, not a word that implies it ("a twitch response in the glute med")
_PROCEDURE_NAMES = _PROCEDURE_WORDS - {"NEEDLE_WORD"}


def _muscles(doc: Doc) -> list[Span]:
    """The doc's muscle and group mentions (built once per doc; binding reads them often)."""
    cached: list[Span] | None = doc.user_data.get("scribe_reach_muscles")
    if cached is None:
        cached = [s for s in target_spans(doc) if s.label_ in MUSCLE_LIKE]
        doc.user_data["scribe_reach_muscles"] = cached
    return cached


def name_tokens(doc: Doc) -> frozenset[int]:
    """The tokens of the doc's muscle and group names (built once per doc)."""
    cached: frozenset[int] | None = doc.user_data.get("scribe_reach_name_tokens")
    if cached is None:
        cached = frozenset(i for s in _muscles(doc) for i in range(s.start, s.end))
        doc.user_data["scribe_reach_name_tokens"] = cached
    return cached


def distance(modifier: Any, span: Span) -> int:
    """Tokens between a modifier and a span (0 when they touch)."""
    start, end = modifier.modifier_span
    return int(span.start - end if end <= span.start else start - span.end)


def cut_off(
    event: ProcedureEvent,
    m: Any,
    span: Span,
    modifiers: list[Any],
    examiner: re.Pattern[str],
    events: list[ProcedureEvent],
) -> bool:
    """The procedure named by ``m`` does not reach the muscle ``span``."""
    return (
        _time_changes_between(event, m, span, modifiers)
        or _back_over_today(m, span, modifiers)
        or _exam_clause_between(examiner, m, span)
        or _not_its_fronted_object(m, span)
        or _beyond_the_list_before(m, span)
        or _another_names_singular_predicate(m, span)
        or _object_of_the_procedure_before(m, span, modifiers)
        or _subject_of_a_later_predicate(m, span, modifiers)
        or subject_of_a_finding(m, span)
        or subject_of_another_time(m, span, modifiers)
        or object_of_a_later_procedure(m, span, modifiers)
        or _names_its_own_muscles(m, span)
        or _aside_in_brackets(event, m, span, events)
        or _does_something_else(m, span)
    )


def said_apart(
    m: Any, span: Span, examiner: re.Pattern[str], modifiers: list[Any] | None = None
) -> bool:
    """The words between the procedure named by ``m`` and the muscle ``span`` make the muscle
    part of another clause (the clinician's next clause of the exam, the subject of what was
    found): no tie of the sentence may give it to that procedure either."""
    return (
        _exam_clause_between(examiner, m, span)
        or subject_of_a_finding(m, span)
        or (modifiers is not None and subject_of_another_time(m, span, modifiers))
    )


def _time_changes_between(event: ProcedureEvent, m: Any, span: Span, modifiers: list[Any]) -> bool:
    """ "last week we needled the R soleus, this week I went into the foot, the R
    quadratus plantae ...": a procedure of another time does not reach across the words
    that bring the clause back to today."""
    if event.time == "today":
        return False
    if m.modifier_span[1] <= span.start:
        low, high = m.modifier_span[1], span.start
    else:
        low, high = span.end, m.modifier_span[0]
    return any(
        c.category == "CURRENT" and low <= c.modifier_span[0] and c.modifier_span[1] <= high
        for c in modifiers
    )


def _back_over_today(m: Any, span: Span, modifiers: list[Any]) -> bool:
    """ "two weeks ago the R soleus and the R gastroc, ..., so today I went into the R soleus
    and the R tibialis posterior, ..., needled dry": a name said in an earlier time's
    clause is not reached by a procedure word said after "today" and today's own procedure."""
    start = m.modifier_span[0]
    if start < span.end:
        return False
    graph = getattr(span.doc._, "context_graph", None)
    every = list(graph.modifiers) if graph is not None else modifiers
    sentence = span.doc[span.start].sent
    before = [
        o
        for o in every
        if o.category in (*PAST_CATEGORIES, "CURRENT")
        and sentence.start <= o.modifier_span[0]
        and o.modifier_span[1] <= span.start
    ]
    last = max(before, key=lambda o: o.modifier_span[0], default=None)
    if last is None or last.category not in PAST_CATEGORIES:
        return False  # the name is not said in an earlier time's clause
    today = [
        o.modifier_span[1]
        for o in every
        if o.category == "CURRENT"
        and span.end <= o.modifier_span[0]
        and o.modifier_span[1] <= start
    ]
    return bool(today) and any(
        o is not m and o.category in _PROCEDURE_WORDS and min(today) <= o.modifier_span[0] < start
        for o in every
    )


def _exam_clause_between(pattern: re.Pattern[str], m: Any, span: Span) -> bool:
    """ "I needled the R TA, I also palpated trigger points in the R EDL": the procedure
    said before the clinician's next clause of the exam does not reach past it."""
    end = m.modifier_span[1]
    if end > span.start:
        return False
    doc = span.doc
    between = doc[end : span.start]
    return bool(between.text and pattern.search(between.text))


def _not_its_fronted_object(m: Any, span: Span) -> bool:
    """ "I found trigger points in the R UT, levator and infraspinatus I injected lidocaine into
    the UT and levator": a procedure said after its subject ("I injected") reaches back only
    to a list that ends right before that subject ("the infraspinatus I dry needled"), and not
    at all when it names its own muscles after it."""
    start, end = m.modifier_span
    if start < span.end:
        return False
    doc = span.doc
    lower = doc_lower(doc)
    subject = start - 1
    while subject > span.end and lower[subject] in SUBJECT_ADVERBS:
        subject -= 1
    if subject < span.end or lower[subject] not in FIRST_PERSON:
        return False
    sentence_end = sentences(doc)[sentence_index(doc)[start]].end
    muscles = _muscles(doc)
    if any(
        end <= s.start <= end + _OWN_OBJECT_REACH
        and s.start < sentence_end
        and not any(lower[i] in (",", ";") for i in range(end, s.start))
        for s in muscles
    ):
        # "I injected lidocaine into the UT and levator": its own objects (not "... I dry
        # needled only, no injectate into the levator", a clause of its own)
        return True
    in_list = {i for s in muscles for i in range(s.start, s.end)}
    return any(lower[i] not in _LIST_WORDS and i not in in_list for i in range(span.end, subject))


# words after "we did" that leave its object to be said before it ("the R UT we did today")
_NO_OBJECT = _LIST_WORDS | frozenset(
    {"it", "them", "that", "those", "these", "this", "today", "too", "also", "as", "so", "all",
     "both", "here", "there", "again", "well", "now", "first", "next", "a", "an", "with", "in",
     "to", "into", "on", "at", "for", "of", "after", "before", "while", "without", "but", "she",
     "he", "i", "we", "they", "was", "were", "is", "are", "uh", "um", "just", "only", "then"}
)  # fmt: skip


# a number of muscles as the object of "we did": the muscles it counts
_COUNT_OF_MUSCLES = re.compile(
    r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|all|both|"
    r"several|a\s+few|a\s+couple(?:\s+of)?)\s+(?:\w+\s+)?muscles?\b",
    re.IGNORECASE,
)


def _does_something_else(m: Any, span: Span) -> bool:
    """ "then I did intraoral release to the right medial pterygoid and we did jaw control
    exercises": a bare "I did" with an object of its own right after it, not a muscle, is
    said of that object and reaches no muscle."""
    start, end = m.modifier_span
    if m.category != "PROCEDURE" or end >= len(span.doc) or end - start != 2:
        return False
    if span.doc[start].lower_ not in FIRST_PERSON or span.doc[start + 1].lower_ != "did":
        return False
    following = span.doc[end]
    if _COUNT_OF_MUSCLES.match(span.doc.text, following.idx):
        return False  # "we did seven muscles today, ... upper traps bilaterally, ...": them
    return (
        following.is_alpha
        and following.lower_ not in _NO_OBJECT
        and end not in name_tokens(span.doc)
    )


def _beyond_the_list_before(m: Any, span: Span) -> bool:
    """ "... in the R glute med, glute min and piriformis, each QL got a trigger point
    injection": procedure words after their muscles reach back through the list that ends
    right before them, not past it to an earlier one."""
    start = m.modifier_span[0]
    if start < span.end:
        return False
    doc = span.doc
    muscles = _muscles(doc)
    between = [s for s in muscles if s.start >= span.end and s.end <= start]
    if not between or start - between[-1].end > _SUBJECT_GAP:
        return False  # only where the nearest muscle is the procedure's own ("each QL got")
    lower = doc_lower(doc)
    in_list = {i for s in muscles for i in range(s.start, s.end)}
    # walk back from the nearest muscle through list words and names to where the list began
    i = between[-1].start - 1
    while i >= span.end and (lower[i] in _LIST_WORDS or i in in_list or _LEVEL.match(lower[i])):
        i -= 1
    return i >= span.end


_PASSIVE_AUXILIARIES = frozenset({"was", "were", "is", "are", "been", "also"})
_JOINS = frozenset({"and", "&", ",", "/", "+", "plus"})
# words between a passive auxiliary and its predicate: "the R TFL and R VL were then dry needled"
_AFTER_AUXILIARY = _PASSIVE_AUXILIARIES | frozenset({"then", "all", "both", "each", "next"})


def _another_names_singular_predicate(m: Any, span: Span) -> bool:
    """ "... into the left upper trap, levator and rhomboid major, the left infraspinatus was
    dry needled only" (a run-on): a predicate in the singular ("was dry needled") is said of
    the one name right before it, not of the names before that one."""
    start = m.modifier_span[0]
    if start < span.end or start == 0:
        return False
    doc = span.doc
    if doc[start - 1].lower_ not in ("was", "is"):
        return False
    between = [s for s in _muscles(doc) if s.start >= span.end and s.end <= start - 1]
    # the name is the subject only where it stands right before the verb ("this was dry
    # needling only" is said of the session)
    return bool(between) and between[-1].end == start - 1


def _object_of_the_procedure_before(m: Any, span: Span, modifiers: list[Any]) -> bool:
    """ "Dry needling to the left levator scapulae, then trigger point injection to the R UT":
    a procedure said after a muscle does not reach back to a muscle that a procedure said
    right before it names as its object (only a side, "to the", or a list between)."""
    if m.modifier_span[0] < span.end:
        return False
    doc = span.doc
    lower = doc_lower(doc)
    # "TPI to the L QL, then the L glute med was dry needled only": the muscle is the subject
    # of the procedure said right after it, whatever came before
    between = [lower[i] for i in range(span.end, m.modifier_span[0])]
    if between and all(w in _PASSIVE_AUXILIARIES for w in between):
        return False
    if _predicate_of_its_list(span) == m.modifier_span[0]:
        return False  # "..., then the R piriformis, R QL and R TFL were dry needled"
    in_list = {i for s in _muscles(doc) for i in range(s.start, s.end)}
    sentence = sentence_index(doc)
    for before in modifiers:
        end = before.modifier_span[1]
        if before is m or before.category not in _PROCEDURE_WORDS or end > span.start:
            continue
        if sentence[end - 1] != sentence[span.start]:
            continue
        # (what it gave goes between: "I injected 1% lidocaine, 1 cc each, into the R glute
        # med and R glute min, then dry needled the R piriformis")
        given = given_before_its_object(doc, end, span.start)
        if all(lower[i] in _OBJECT_WORDS or i in in_list for i in range(given, span.start)):
            return True
    return False


def given_before_its_object(doc: Doc, end: int, limit: int) -> int:
    """Where the substance a procedure gave, said right after its words ending at ``end``
    ("injected 1% lidocaine, 1 cc each, into"), stops; ``end`` when no substance is named, or
    the one named was not given ("I did not inject any lidocaine into the E C R B")."""
    drugs = {
        i
        for s in target_spans(doc)
        if s.label_ == "SUBSTANCE" and s._.status != "negated"
        for i in range(s.start, s.end)
    }
    i, named = end, False
    while i < limit and (
        i in drugs or doc[i].lower_ in _GIVEN_WORDS or doc[i].like_num or doc[i].text == ","
    ):
        named = named or i in drugs
        i += 1
    return i if named else end


def _subject_of_a_later_predicate(m: Any, span: Span, modifiers: list[Any]) -> bool:
    """ "Lidocaine was injected into the R glute med and R glute min, then the R piriformis,
    R QL and R TFL were dry needled": a procedure said before the muscle does not reach a
    muscle of a list that is another procedure's passive subject."""
    if m.modifier_span[1] > span.start:
        return False
    predicate = _predicate_of_its_list(span)
    if predicate is not None and doc_lower(span.doc)[predicate] == "dry":
        return True  # "... switched to an injection for that one, so the other two were dry"
    return predicate is not None and any(
        o is not m and o.category in _PROCEDURE_NAMES and o.modifier_span[0] == predicate
        for o in modifiers
    )


def _predicate_of_its_list(span: Span) -> int | None:
    """Where the passive predicate begins that the list holding ``span`` runs up to, with no
    "then" in it ("the R piriformis, R QL and R TFL were | dry needled", "... were then | dry
    needled"); None when none."""
    doc = span.doc
    lower = doc_lower(doc)
    in_list = {i for s in _muscles(doc) for i in range(s.start, s.end)}
    starts = {s.start for s in _muscles(doc)}
    back = span.start - 1
    while back >= 0 and lower[back] in _LIST_WORDS and lower[back] not in _JOINS:
        back -= 1
    # the name after a list's "and" closes that list
    closed, joined = back >= 0 and lower[back] in _JOINS and lower[back] != ",", False
    i = span.end
    while i < len(doc) and (i in in_list or (lower[i] in _LIST_WORDS and lower[i] != "then")):
        if i in starts:
            if closed:
                # "injected into the R rhomboid and the R levator the R infraspinatus and the R
                # teres minor were then dry needled": a list closed by its "and" is over; the
                # next name, with no word to join it, opens another list, the predicate's subject
                return None
            closed, joined = joined, False
        elif lower[i] in _JOINS:
            joined, closed = True, False
        i += 1
    auxiliaries = i
    if i < len(doc) and lower[i] in _PASSIVE_AUXILIARIES:
        while i < len(doc) and lower[i] in _AFTER_AUXILIARY:
            i += 1
    return None if i == auxiliaries or i == len(doc) else i


def _names_its_own_muscles(m: Any, span: Span) -> bool:
    """ "... trigger points in the upper trapezius on both sides and in the right levator
    scapulae, each with a palpable taut band, consent verbal and written, trigger point
    injections into the upper trapezius bilaterally": a procedure followed by its own muscles
    does not reach back past other words to the muscles named before it (a list that runs
    right up to it is its own: "R UT and levator, dry needling")."""
    start, end = m.modifier_span
    if start < span.end or m.category not in _PROCEDURE_NAMES:
        return False
    doc = span.doc
    lower = doc_lower(doc)
    muscles = _muscles(doc)
    sentence = sentence_index(doc)
    # what was given goes between the procedure and its objects: "trigger point injections
    # with 0.5% bupivacaine into the R QL", "dry needling with no injectate into the R piriformis"
    given = _what_was_given(doc, end)
    reach = end + _OWN_OBJECT_REACH + (given - end)
    own = next((s for s in muscles if given <= s.start < reach), None)
    if own is None or sentence[own.start] != sentence[start]:
        return False
    if any(lower[i] not in _OBJECT_WORDS for i in range(given, own.start)):
        return False  # "dry needling was well tolerated by the UT": not its object
    in_list = {i for s in muscles for i in range(s.start, s.end)}
    return any(lower[i] not in _LIST_WORDS and i not in in_list for i in range(span.end, start))


# (a dose said aloud: "lidocaine, a quarter c c into each of the ...")
_GIVEN_WORDS = frozenset(
    {"with", "without", "no", "any", "of", "percent", "%", "point", "ml", "cc", "mg", "units",
     "plain", "and", "each", "c", "half", "a", "quarter", "mil", "mils", "milliliter",
     "milliliters", "millilitre", "millilitres"}
)  # fmt: skip


def _what_was_given(doc: Doc, end: int) -> int:
    """Where the words after a procedure's name ending at ``end`` that say what it gave ("with
    1% lidocaine 1 mL", "with no injectate") stop: ``end`` when they do not begin with
    "with"/"without" and name a substance."""
    if end >= len(doc) or doc[end].lower_ not in ("with", "without"):
        return end
    drugs = {i for s in target_spans(doc) if s.label_ == "SUBSTANCE" for i in range(s.start, s.end)}
    i, named = end, False
    while i < len(doc) and (i in drugs or doc[i].lower_ in _GIVEN_WORDS or doc[i].like_num):
        named = named or i in drugs
        i += 1
    return i if named else end


def _aside_in_brackets(
    event: ProcedureEvent, m: Any, span: Span, events: list[ProcedureEvent]
) -> bool:
    """ "Dry needling (no injectate; different muscles from the TPI): R levator scapulae": a
    procedure named in brackets that close before the muscle is an aside when another
    procedure, done today, is named before the brackets in the same sentence."""
    start, end = m.modifier_span
    if end > span.start:
        return False
    doc = span.doc
    sentence = sentences(doc)[sentence_index(doc)[span.start]]
    brackets = enclosing_brackets(doc, start, end, (sentence.start, sentence.end))
    if brackets is None or brackets[1] >= span.start:
        return False
    opened = brackets[0]
    return any(
        other.kind != event.kind
        and other.billable_today
        and other.sentence == event.sentence
        and sentence.start <= other.start
        and other.end <= opened
        for other in events
    )
