"""Lists of muscles: the lines and runs of names a procedure's words reach as one.

Pure functions over a doc's mentions, for ``structure.py``: whether a line is a list of
muscles, whether a bare line goes on with the list above it, and which run of names an
anaphor ("so those are what I needled") points at.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from scribe.nlp.extensions import doc_text, sentences
from scribe.nlp.mentions import Mention
from scribe.nlp.procedure_event import BILLABLE
from scribe.nlp.sections import indent
from scribe.nlp.templates import is_list_item

if TYPE_CHECKING:
    from scribe.nlp.procedure_event import ProcedureEvent


# words a list line of muscles may carry besides names and sides
_LIST_WORDS = frozenset(
    """x needles needle with and the to of in ltr ltrs twitch twitches trp trps tp tps sites site
    units unit ml cc mg each bilateral bilat right left r l b both side sides taut band bands
    jump sign referral refers trigger point points active latent""".split()
)


def list_like(sent: Span, mentions: list[Mention]) -> bool:
    """A line that is a list of muscles ("R QL x5, R piriformis x2 - LTR"): at most two words
    besides names, sides, counts and finding words."""
    inside = {i for m in mentions for i in range(m.span.start, m.span.end)}
    words = [t for t in sent if t.is_alpha and t.i not in inside and t.lower_ not in _LIST_WORDS]
    return len(words) <= 2


# the words a bare line of needled muscles carries besides names: sides, counts, twitches
_BARE_LIST_WORDS = frozenset(
    "x needles needle and the r l b bilat bilateral bilaterally right left both side sides on "
    "each ltr ltrs twitch twitches".split()
    # the count said with the list: "the supraspinatus and also the teres minor, three
    # muscles total"
    + "also plus then muscle muscles total in all one two three four five six seven eight "
    "nine ten".split()
    # the part of the body the list is in, said first: "Left side of the neck, the splenius
    # capitis, ...", "Down at the right calf, the soleus"
    + "of over mid low upper back neck hip hips shoulder shoulders thigh calf leg arm forearm "
    "foot jaw".split()
)


def continued_list(
    doc: Doc,
    i: int,
    mentions: list[Mention],
    effective: list[ProcedureEvent],
    sections: list[str | None],
) -> ProcedureEvent | None:
    """ "UT R/L (R x2 needles, L x2 needles)\nLS R/L (R x1, L x1)\nR infra x2, R pec min x1":
    a line that only names muscles, sides and counts goes on with the list of the lines right
    above it (same paragraph), up to the line whose procedure they continue: done today, or on
    another day ("after DN on 07/12\n(R glute med, R piriformis)"), whose time they share."""
    sents = sentences(doc)
    text = doc_text(doc)

    def own_line(j: int) -> bool:
        before = text[text.rfind("\n", 0, sents[j].start_char) + 1 : sents[j].start_char]
        return not before.strip()

    inside = {k for m in mentions for k in range(m.span.start, m.span.end)}

    def bare(j: int) -> bool:
        words = [
            t
            for t in sents[j]
            if t.is_alpha and t.i not in inside and t.lower_ not in _BARE_LIST_WORDS
        ]
        return len(words) <= 1

    if not own_line(i) or not bare(i):
        return None
    j = i - 1
    while j >= 0 and sections[j] == sections[i]:
        if text[sents[j].end_char : sents[j + 1].start_char].count("\n") >= 2:
            return None
        named = [e for e in effective if e.sentence == j and e.kind in BILLABLE and e.muscles]
        if named:
            return next((e for e in named if e.billable_today), named[0])
        if not (own_line(j) and bare(j)):
            return None
        j -= 1
    return None


def _only_names(
    sent: Span, i: int, mentions: list[Mention], allowed: frozenset[str] = _BARE_LIST_WORDS
) -> bool:
    """Sentence ``i`` names a muscle and holds no word but names and ``allowed`` ones."""
    inside = {k for m in mentions for k in range(m.span.start, m.span.end)}
    return any(m.sentence == i for m in mentions) and all(
        t.lower_ in allowed for t in sent if t.is_alpha and t.i not in inside
    )


_SEQUENCE_WORDS = frozenset({"then", "next"})


def then_the_next_list(
    doc: Doc, i: int, mentions: list[Mention], effective: list[ProcedureEvent]
) -> ProcedureEvent | None:
    """ "Hip first, right glute min and right piriformis, twitches in both. Then the calf,
    right soleus.": a sentence that opens with "then" and holds nothing but names,
    sides and the part of the body goes on with the procedure of the sentence right before it
    (same paragraph), when that one's muscles were done today."""
    if i == 0:
        return None
    sents = sentences(doc)
    text = doc_text(doc)
    if "\n\n" in text[sents[i - 1].end_char : sents[i].start_char]:
        return None
    words = [t for t in sents[i] if t.is_alpha]
    if not words or words[0].lower_ not in _SEQUENCE_WORDS:
        return None
    if not _only_names(sents[i], i, mentions):
        return None
    before = [
        e for e in effective if e.sentence == i - 1 and e.kind in BILLABLE and e.billable_today
    ]
    return next((e for e in before if e.muscles), None)


def listed_after_its_procedure(
    doc: Doc,
    i: int,
    mentions: list[Mention],
    effective: list[ProcedureEvent],
    about: re.Pattern[str],
) -> ProcedureEvent | None:
    """ "Dry needling note, neck pain about a month. Right upper trapezius and levator
    scapula.": a sentence of nothing but names and sides, right after the sentence on its line
    that names a procedure with no muscles of its own, is its list (of today's procedure, or
    of one on another day, whose time it shares); not after a
    sentence about the procedure (``about``: "Dry needling discussed today.")."""
    if i == 0:
        return None
    sents = sentences(doc)
    text = doc_text(doc)
    # a side said alone between them opens the list: "Dry needling. Left side. Glute med,
    # piriformis."
    k = i - 1
    while k > 0 and _only_a_side(sents[k]) and not any(m.sentence == k for m in mentions):
        k -= 1
    words_end = max((t.idx + len(t.text) for t in sents[k] if not t.is_space), default=0)
    if "\n" in text[words_end : sents[i].start_char]:
        # prose only: a chart's header line ("Muscle  Side  DN") states nothing; but a line
        # indented under the procedure's own line is its detail ("Rx) Dry needling. Consent
        # gained. No injectate.\n  L infraspinatus, L teres major")
        above = _procedure_line_above(text, sents, i, mentions, effective)
        if above is None:
            return None
        k = above
    if about.search(sents[k].text):
        return None
    if not _only_names(sents[i], i, mentions):
        return None
    before = [e for e in effective if e.sentence == k and e.kind in BILLABLE]
    own = range(sents[i].start, sents[i].end)
    if not before or any(s.start not in own for e in before for s in e.muscles):
        return None
    before = [e for e in before if e.billable_today] or before
    return next((e for e in before if e.strength == "strong"), before[0])


def _line_of(text: str, char: int) -> tuple[int, int]:
    """The start and end of the line that holds character ``char``."""
    start = text.rfind("\n", 0, char) + 1
    end = text.find("\n", char)
    return start, len(text) if end == -1 else end


def _procedure_line_above(
    text: str, sents: list[Span], i: int, mentions: list[Mention], effective: list[ProcedureEvent]
) -> int | None:
    """The sentence naming a procedure done today, with no muscles of its own, on the line right
    above sentence ``i``'s line when that line is indented deeper; the other sentences of that
    line name no muscle."""
    own_start, own_end = _line_of(text, sents[i].start_char)
    if own_start == 0:
        return None
    above_start, above_end = _line_of(text, own_start - 1)
    if indent(text[own_start:own_end]) <= indent(text[above_start:above_end]):
        return None
    on_line = [
        k for k, sent in enumerate(sents) if above_start <= sent.start_char < above_end and k < i
    ]
    if not on_line or any(m.sentence in on_line for m in mentions):
        return None
    named = [
        k for k in on_line if any(e.sentence == k and e.billable_today and e.strength == "strong"
                                  for e in effective)
    ]  # fmt: skip
    return named[0] if len(named) == 1 else None


_SIDE_WORDS = frozenset(
    "left right side sides both bilateral bilaterally on the r l b rt lt only".split()
)


# the words of a side taken back as it is said: "Sorry, I mean the left side."
CORRECTION_WORDS = frozenset("sorry i mean meant actually no correction rather".split())


def _only_a_side(sent: Span) -> bool:
    """ "Left side.", "Bilaterally.": a sentence of nothing but a side; or of a side said
    again in place of the one before it ("Sorry, I mean the left side.")."""
    words = [t.lower_ for t in sent if t.is_alpha]
    sides = [w for w in words if w not in CORRECTION_WORDS]
    corrected = len(sides) < len(words) and any(w in ("left", "right") for w in sides)
    return (
        bool(sides)
        and len(sides) <= 3
        and (len(sides) == len(words) or corrected)
        and all(w in _SIDE_WORDS for w in sides)
    )


# what a spoken list said right after "today" carries between its names: "right side today
# the lumbar multifidus at L four and L five, the quadratus lumborum, and then on the left the
# gluteus minimus"
_TODAY_LIST_WORDS = frozenset(
    "the and then also on at in of left right side sides both bilateral bilaterally r l b so um "
    "uh a levels level one two three four five six seven".split()
)


def today_list(
    doc: Doc,
    mention: Mention,
    mentions: list[Mention],
    modifiers: list[Any],
    effective: list[ProcedureEvent],
) -> ProcedureEvent | None:
    """ "okay so today right quadratus lumborum and the right gluteus medius": a list of names
    right after "today", with no verb, in a note that proves a procedure done today, is that
    procedure's list (the nearest such procedure)."""
    today = [
        m for m in modifiers if m.category == "CURRENT" and m.modifier_span[1] <= mention.span.start
    ]
    if not today:
        return None
    cue_end = max(m.modifier_span[1] for m in today)
    inside = {k for m in mentions for k in range(m.span.start, m.span.end)}
    for token in doc[cue_end : mention.span.start]:
        if token.i in inside or token.is_punct or token.is_space:
            continue
        if token.lower_ not in _TODAY_LIST_WORDS and not _LEVEL_TOKEN.match(token.lower_):
            return None
    done = [e for e in effective if e.billable_today]
    return min(done, key=lambda e: abs(e.start - mention.span.start), default=None)


def after_a_semicolon(
    mention: Mention, mentions: list[Mention], effective: list[ProcedureEvent]
) -> ProcedureEvent | None:
    """ "Tx: R UFT, LS, rhomb maj/min; L UFT": a name after a semicolon, with nothing but sides
    and list words before it, goes on with the list the name right before the semicolon
    belongs to, when that name was needled or injected today."""
    doc = mention.span.doc
    before = [
        m for m in mentions if m.sentence == mention.sentence and m.span.end <= mention.span.start
    ]
    if not before:
        return None
    gap = doc[before[-1].span.end : mention.span.start]
    if sum(t.text == ";" for t in gap) != 1 or any(
        t.is_alpha and t.lower_ not in _BARE_LIST_WORDS for t in gap
    ):
        return None
    previous = before[-1].span
    return next(
        (e for e in effective if e.billable_today and any(s is previous for s in e.muscles)),
        None,
    )


_LEVEL_TOKEN = re.compile(r"^(?:[ctls]\d{1,2}|\d{1,2})$")


def on_list_line(doc: Doc, span: Span) -> bool:
    text = doc_text(doc)
    start = text.rfind("\n", 0, span.start_char) + 1
    return is_list_item(text[start : span.end_char])


_LIST_GAP = frozenset(
    "and & + plus then also the both left right side sides bilaterally bilateral on in of um "
    "uh".split()
)


def last_list(own: list[Mention]) -> list[Mention]:
    """The mentions of the list that ends last in a sentence ("he thinks it is his R piriformis
    ... the trigger points were in the R gluteus medius and minimus, so those are what I
    needled"): muscles joined only by list words, sides and commas."""
    chosen = [own[-1]]
    for mention in reversed(own[:-1]):
        doc = mention.span.doc
        gap = doc[mention.span.end : chosen[0].span.start]
        if any(t.lower_ not in _LIST_GAP and not t.is_punct and not t.is_space for t in gap):
            break
        chosen.insert(0, mention)
    return chosen


def last_run(before: list[Mention]) -> list[Mention]:
    """The mentions of the run of consecutive sentences with muscles that ends last."""
    if not before:
        return []
    run = [before[-1]]
    for mention in reversed(before[:-1]):
        if run[-1].sentence - mention.sentence > 1:
            break
        run.append(mention)
    return run[::-1]


_POINTS_BACK = re.compile(r"\b(?:both|these|those|them|each|all)\b", re.IGNORECASE)
# sections whose lists are never today's procedure's
_NOT_TODAY_SECTIONS = frozenset({"exam", "history", "plan", "assessment", "medications"})


def sole_list_of_a_bare_procedure(
    doc: Doc,
    i: int,
    mentions: list[Mention],
    effective: list[ProcedureEvent],
    sections: list[str | None],
) -> ProcedureEvent | None:
    """ "right leg. medial gastroc, lateral gastroc and the soleus, all right side. ... dry
    needling, no injectate": a sentence of nothing but names and sides, before the one
    procedure done today, which names no muscle, in a note that ties no muscle to any
    procedure, is that procedure's list."""
    if sections[i] in _NOT_TODAY_SECTIONS:
        return None
    # (the names of this list tied already do not count)
    sent = sentences(doc)[i]
    if any(m.span._.status == "treated" and m.sentence != i for m in mentions):
        return None
    done = [e for e in effective if e.billable_today and e.kind in BILLABLE]
    strong = [e for e in done if e.strength == "strong"]
    if len(strong) != 1 or any(
        not sent.start <= s.start < sent.end for e in done for s in e.muscles
    ):
        return None
    event = strong[0]
    if event.sentence <= i or _POINTS_BACK.search(sentences(doc)[event.sentence].text):
        return None  # "Both dry needled today": the words that point back tie them
    if not _only_names(sent, i, mentions, _BARE_LIST_WORDS | {"all", "on"}):
        return None
    return event
