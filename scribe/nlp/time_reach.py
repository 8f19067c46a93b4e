"""Whether a time or denial word speaks of a procedure word of its sentence.

ConText scopes end at a procedure word that another rule matched, so the words said right
after a procedure ("needling deferred", "the injection was not given", "Dry needling: HELD")
and the time said before it decide here whether they are its own.

Pure functions over ConText modifiers and token offsets; ``events.py`` calls them.
"""

from typing import Any

from medspacy.util import tuple_overlaps
from spacy.tokens import Doc, Span

from scribe.nlp.fusions import scope_in_sentence
from scribe.nlp.reach import distance
from scribe.nlp.subject_clauses import PAST_CATEGORIES, own_clause_time

_DENIAL_GAP = frozenset(
    "consented consent agreed agree wanted want wish wished to for any the further more yet "
    "receive have undergo proceed with a an".split()
)


# words that may stand between a procedure and the time word after it: "needling was
# deferred", "DN held today", "needling at the next visit"
_LINKS = frozenset("was were is are has have had been be being today then also at the to".split())


def reaches(modifier: Any, span: tuple[int, int], sent: Span, named: set[int]) -> bool:
    """Whether a time word ("deferred", "next visit") speaks of a procedure word. Its ConText
    scope covers it; or it comes right after it ("needling deferred", "needling was held",
    "needling at the next visit"), where ConText cut its scope at the procedure word; or it
    closes the procedure's own clause, with no muscle named between ("dry needling of the
    lumbopelvic region is contraindicated")."""
    if tuple_overlaps(modifier.scope_span, span):
        return True
    start, end = modifier.modifier_span
    if end <= span[0]:
        # right before it: "candidate for dry needling", "candidacy for needling"; not a word
        # that speaks of what was said before it ("... so I held it today twitch responses")
        if modifier.rule.direction.upper() == "BACKWARD":
            return False
        return span[0] - end <= 1 and all(t.lower_ in _LINKS for t in sent.doc[end : span[0]])
    if start < span[1]:
        return False
    low, _high = scope_in_sentence(
        modifier.rule, start, modifier.modifier_span[1], sent.start, sent.end
    )
    if low >= span[1]:
        return False
    gap = sent.doc[span[1] : start]
    if all(t.lower_ in _LINKS for t in gap):
        return True
    return (
        modifier.category in ("NOT_TREATED", "PLANNED")
        and len(gap) <= 6
        and not any(t.is_punct or t.i in named for t in gap)
    )


_FIELD_MARKS = frozenset({":", "-", "–", "—", "="})


_PASSIVE = frozenset({"was", "were", "is", "are"})
# the words of a procedure's object: "to the left QL", "into the R UT and R levator"
_OBJECT_PREPOSITIONS = frozenset({"to", "into", "in", "of", "on"})
_OBJECT_WORDS = _OBJECT_PREPOSITIONS | frozenset(
    "the a an and left right l r lt rt bilateral bilat b/l both sides side x1 x2 x3".split()
)
_OBJECT_LENGTH = 12


def negates(doc: Doc, negation: Any, span: tuple[int, int], named: set[int]) -> bool:
    """The negation denies the procedure: said just before it, as its field's value, or as
    its own predicate. ``named`` are the token offsets of the sentence's muscle names."""
    if negation.modifier_span[0] >= span[1]:
        # "Dry needling: HELD", "TDN - deferred": the refusal is the field's value
        after = doc[span[1] : negation.modifier_span[0]]
        end = negation.modifier_span[1]
        whole = end >= len(doc) or doc[end].is_punct or doc[end].is_space  # not "no injectate"
        after = _without_the_plan_before(after)
        if doc[negation.modifier_span[0]].lower_ in _PASSIVE and (
            not after
            or (
                # the procedure named as a noun with its object: not "I dry needled the R
                # supraspinatus, the R teres minor was not needled"
                after[0].lower_ in _OBJECT_PREPOSITIONS
                and len(after) <= _OBJECT_LENGTH
                and all(t.i in named or t.lower_ in _OBJECT_WORDS for t in after)
            )
        ):
            # "the injection was not given", "Trigger point injection to the L QL was not
            # given": the procedure's own predicate, said after its object
            return True
        return 0 < len(after) <= 2 and all(t.text in _FIELD_MARKS for t in after) and whole
    if negation.rule.direction.upper() == "BACKWARD":
        # a predicate of what was said before it ("the left upper trap was tender so I held it
        # today twitch responses in ..."): the procedure after it is not its object
        return False
    apart = span[0] - negation.modifier_span[1]
    if not 0 <= apart <= 3:
        return False
    if apart == 0:
        return True
    return all(t.lower_ in _DENIAL_GAP for t in doc[negation.modifier_span[1] : span[0]])


_PLAN_WORDS = frozenset({"scheduled", "planned", "booked"})
_PLAN_PREDICATE = (
    _PASSIVE
    | _PLAN_WORDS
    | frozenset("originally initially for today this visit session to be and but , then".split())
)
_PLAN_PREDICATE_LENGTH = 7


def _without_the_plan_before(after: Span) -> Span:
    """The words between a procedure and its denial, less a plan said of the procedure first
    and joined to the denial: "Dry needling of the R UT and R SCM *was scheduled for today and*
    was NOT performed"."""
    first = next((t.i for t in after if t.lower_ in _PASSIVE), None)
    if first is None:
        return after
    plan = after.doc[first : after.end]
    if (
        len(plan) <= _PLAN_PREDICATE_LENGTH
        and plan[-1].lower_ in ("and", "but", ",")
        and any(t.lower_ in _PLAN_WORDS for t in plan)
        and all(t.lower_ in _PLAN_PREDICATE for t in plan)
    ):
        return after.doc[after.start : first]
    return after


def gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens between two token ranges (0 when they touch or overlap)."""
    return max(b[0] - a[1], a[0] - b[1], 0)


def said_before(modifier: Any, span: tuple[int, int]) -> bool:
    """The modifier's words end before the procedure's begin."""
    return bool(modifier.modifier_span[1] <= span[0])


def said_of_another_visit(doc: Doc, char: int) -> bool:
    """Whether the words at character ``char`` are said of another visit: a time before today
    (``PAST_CATEGORIES``) said before them whose scope reaches them, with no "today" between
    ("last session we needled four muscles"; not "... on that day we needled the R
    supraspinatus as well, and bill it as three muscles")."""
    token = doc.char_span(char, char + 1, alignment_mode="expand")
    if token is None:
        return False
    at = token.start
    sent = doc[at].sent
    modifiers = [
        m
        for m in doc._.context_graph.modifiers
        if sent.start <= m.modifier_span[0] < at and m.category in (*PAST_CATEGORIES, "CURRENT")
    ]
    last = max(modifiers, key=lambda m: m.modifier_span[0], default=None)
    return (
        last is not None
        and last.category in PAST_CATEGORIES
        and last.scope_span[0] <= at < last.scope_span[1]
    )


def today_is_its_time(modifiers: list[Any], span: Span) -> bool:
    """A "today" reaches the mention, and a past time said before it does not stand between
    them: "on the fourteenth we did the L SCM ... today I needled the L splenius" keeps the
    SCM in the past (in run-on speech "today" reaches back over the whole sentence), while
    "today, as last week, DN to the R UT" is today's. A past time said after it, nearer
    than any "today", keeps it in the past too."""
    today = [m for m in modifiers if m.category == "CURRENT"]
    if not today:
        return False
    own = own_clause_time(span, modifiers)
    if own is not None and own.category in PAST_CATEGORIES:
        return False  # "..., the R splenius was the one we did last week"
    past = [m for m in modifiers if m.category in PAST_CATEGORIES]
    past_before = [m for m in past if m.modifier_span[1] <= span.start]
    if past_before and not any(m.modifier_span[1] <= span.start for m in today):
        return False
    # a past time said right after it, nearer than any "today": "... when Jenna needled her
    # left gluteus medius on Tuesday"
    nearest_today = min(abs(distance(m, span)) for m in today)
    return not any(
        m.modifier_span[0] >= span.end and distance(m, span) < nearest_today for m in past
    )
