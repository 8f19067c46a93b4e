"""Mentions that point back at a muscle named before, and so take their side from it rather
than from the side words around them: a finding's place ("twitch responses in the QL"), a name
described again ("the glute min referred down his thigh"), a needle tally ("Needles:
multifidus 4 each side, QL 3"), a name said again at once to correct its side ("left upper trap
sorry right upper trap"). Also the spinal levels and numbers that are never sides.

Pure functions over a doc's spans, for ``laterality.py``.
"""

import re
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from scribe.nlp.extensions import span_text
from scribe.nlp.normalize import TAKEN_BACK

LIST_GAP = frozenset({",", "and", "&", "/", "or", "plus", "as", "well", "the", "also", ";"})
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve".split())
_RUN_GAP = LIST_GAP | {
    "bilat", "bilaterally", "bilateral", "b", "/", "l", "r", "left", "right", "ipsilateral",
    "contralateral",
}  # fmt: skip
_REFERRING_PREPOSITIONS = frozenset({"in", "of", "at", "within", "from", "into"})
_FINDING_GAP = _REFERRING_PREPOSITIONS | {
    "on", "and", "the", ",", "both", "side", "sides", "bilaterally", "bilateral", "bilat",
}  # fmt: skip


_LEVEL_LETTERS = frozenset("ctls")
_LEVEL = re.compile(
    r"^(?:[CTLS][1-9][0-2]?|[1-9]|-|–|/|and|&|at|through|to|levels?)$", re.IGNORECASE
)


def is_level(token: Token) -> bool:
    """Spinal levels between a name and its side: "multifidi at L4-5 and L5-S1 bilat", and
    as said aloud, a letter and a number ("at L four L five on both sides")."""
    if _LEVEL.match(token.text):
        return True
    doc, i = token.doc, token.i
    if token.lower_ in _LEVEL_LETTERS:
        return i + 1 < len(doc) and is_number(doc[i + 1])
    return is_number(token) and i > 0 and doc[i - 1].lower_ in _LEVEL_LETTERS


def is_number(token: Token) -> bool:
    """A cardinal ("4", "four"); spaCy's like_num also takes ordinals ("first")."""
    return token.is_digit or token.lower_ in _NUMBER_WORDS


def back_references(
    doc: Doc,
    spans: list[Span],
    first_named: dict[str, int],
    findings: list[Span],
    every: list[Span],
) -> set[int]:
    """Mentions that point back at a muscle already named: "twitch responses in the QL
    and the piriformis" after both were listed with their sides."""
    back: set[int] = set()
    for i, span in enumerate(spans):
        if _tallied_again(doc, span, every):
            back.add(i)
            continue
        if first_named[span._.entry_id] >= span.start:
            continue
        gap = doc[max(0, span.start - 3) : span.start]
        words = [t.lower_ for t in gap]
        # "twitch in the QL"; "LTR at L5-S1 on both sides and in QL" (the finding's
        # places, levels and sides, between)
        after_finding = any(
            f.end <= span.start
            and (
                span.start - f.end <= 3
                or all(is_level(t) or t.lower_ in _FINDING_GAP for t in doc[f.end : span.start])
            )
            for f in findings
        ) and any(w in _REFERRING_PREPOSITIONS for w in words)
        in_run = i - 1 in back and all(
            t.lower_ in _RUN_GAP for t in doc[spans[i - 1].end : span.start]
        )
        if after_finding or in_run or _described_again(doc, span, findings, every):
            back.add(i)
    return back


_CLAUSE_JOINS = frozenset({",", "and", ";"})
_FINDING_SIDE_REACH = 6  # tokens from a finding to its side: "at L4 and L5 on the left"
# and a verb: "twitch responses were on the left", "twitch response is at L5 on the left"
_FINDING_SIDE_GAP = _FINDING_GAP | {"is", "are", "was", "were"}


def is_a_findings_side(doc: Doc, start: int, end: int, findings: list[Span]) -> bool:
    """ "twitch responses at L5 on the left, and the psoas reproduced his ache": a side said
    after a finding, with only its places and levels between, and followed by a conjunction,
    is the finding's own side, not the side of the names after it (a recogniser writes the
    whole visit as one sentence, so the names before and after share it)."""
    if end >= len(doc) or doc[end].lower_ not in _CLAUSE_JOINS:
        return False
    return any(
        f.end <= start
        and start - f.end <= _FINDING_SIDE_REACH
        and all(is_level(t) or t.lower_ in _FINDING_SIDE_GAP for t in doc[f.end : start])
        for f in findings
    )


def said_again_with_its_side(doc: Doc, spans: list[Span]) -> None:
    """ "I also needled the left levator scapula, the right upper trapezius was tender too,
    ... twitch responses in the upper trap and the levator": "the" name of a muscle named
    before with one side of its own, which took the side another name has as its own from
    the list around it (a recogniser writes the visit as one sentence), is the muscle named
    before: it takes that side back."""
    for k, span in enumerate(spans):
        if span._.laterality_source != "list" or span.label_ != "MUSCLE":
            continue
        if span.start == 0 or doc[span.start - 1].lower_ not in ("the", "that", "this"):
            continue
        earlier = [s for s in spans[:k] if s._.entry_id == span._.entry_id]
        if not earlier or any(s._.laterality_source != "explicit" for s in earlier):
            continue
        sides = {s._.laterality for s in earlier}
        if len(sides) != 1 or sides == {"bilateral"} or span._.laterality in sides:
            continue
        # only a side that is another name's own ("the right upper trapezius"); a side said
        # for this one ("and on the right side just the masseter") stays
        cue = span._.side_cue  # (start, end) characters of the side words
        if cue is None or not any(
            o._.entry_id != span._.entry_id
            and o._.laterality_source == "explicit"
            and o._.side_cue == cue
            for o in spans
        ):
            continue
        span._.laterality = earlier[-1]._.laterality
        span._.side_cue = earlier[-1]._.side_cue
        span._.laterality_source = "context"


def _tallied_again(doc: Doc, span: Span, every: list[Span]) -> bool:
    """ "PROCEDURE: B lumbar multifidus L3-L5; L QL; L iliocostalis lumborum. Needles:
    multifidus 4 each side, QL 3, iliocostalis 2.": a name said again with its needle count,
    in a sentence that counts needles, points back at the muscle named before it (by its
    whole name or a shorter one), and takes no side from the tally's words."""
    after = doc[span.end : span.end + 2]
    counted = bool(after) and (
        is_number(after[0]) or (after[0].lower_ == "x" and len(after) > 1 and is_number(after[1]))
    )
    if not counted or not any(t.lower_.startswith("needle") for t in span.sent):
        return False
    said = span_text(span).lower()
    return any(
        s.end <= span.sent.start
        and s.label_ == "MUSCLE"
        and (s._.entry_id == span._.entry_id or said in span_text(s).lower())
        for s in every
    )


def _described_again(doc: Doc, span: Span, findings: list[Span], every: list[Span]) -> bool:
    """ "I needled the right glute min ... Got a twitch on the left piriformis, and the glute
    min referred down his thigh": "the" name of a muscle named before with one side, said
    with no side of its own in a sentence that reports findings, points back at it."""
    if span.start == 0 or doc[span.start - 1].lower_ not in ("the", "that", "this"):
        return False
    if not any(f.sent.start == span.sent.start for f in findings):
        return False
    earlier = {
        s._.laterality
        for s in every  # the note's muscle and group mentions, sides set up to this sentence
        if s._.entry_id == span._.entry_id
        and s.end <= span.sent.start
        and s._.laterality_source == "explicit"
    }
    return len(earlier) == 1 and earlier != {"bilateral"}


# "the left upper trap sorry right upper trap", "R levator, I mean L levator", "the right
# infraspinatus, no wait, sorry, it's his left shoulder, the left infraspinatus"
# (and as a recogniser writes it: "the left upper trap, sorry no scratch, but the right upper
# trap", "sorry low scratch, that's the right upper trap")
_RESTATED = re.compile(
    r"[\s,.-]*(?:no|sorry|i\s+mean|i\s+meant|correction|make\s+that|rather|wait|or\s+rather|"
    r"scratch(?:\s+that)?)"
    r"(?:[\s,.-]+(?:no|low|sorry|i\s+mean|i\s+meant|wait|make\s+that|scratch(?:\s+that)?|"
    r"that'?s|it'?s|it\s+was|but|actually))*[\s,.-]+"
    # the side said first of the body part: "no wait, sorry, it's his left shoulder, the left"
    r"(?:(?:it'?s|it\s+was|that'?s|this\s+is)\s+(?:his|her|their|the)\s+(?:left|right)"
    r"(?:\s+[a-z]+){1,2}[\s,.-]+)?(?:the\s+)?"
    r"(?:left|right|l|r|lt|rt|both|bilateral)\s*",
    re.IGNORECASE,
)


def restated_at_once(doc: Doc, spans: list[Span]) -> None:
    """A name said again right after a word that corrects it, with another side ("trigger
    points in the left upper trap sorry right upper trap"), takes back the side said first:
    both mentions are of the second side."""
    for first, second in pairwise(spans):
        if first._.entry_id != second._.entry_id or first._.laterality == second._.laterality:
            continue
        gap = doc.text[first.end_char : second.start_char]
        if TAKEN_BACK.search(gap):
            continue  # "scratch that": the first is taken back (context rules), not re-sided
        if _RESTATED.fullmatch(doc.text, first.end_char, second.start_char):
            first._.laterality = second._.laterality
            first._.side_cue = second._.side_cue
