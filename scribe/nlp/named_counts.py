"""Counts read against the muscles a note names: needles written after each name ("R UFT x3,
R LFT x1"), a per-muscle count multiplied out by its sentence's treated muscles, the number of
a list said at its end ("... and the left levator, that's three"), and which of several totals
is the session's (one said again, one that corrects another).

Reads: the note's lower-case text, sentences and treated muscle spans. Writes nothing: pure
functions for ``rationale.py``; the counts themselves are ``counts.py``'s.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from scribe.nlp.counts import CountItem, compile_lowercase
from scribe.nlp.extensions import doc_text, sentences, target_spans
from scribe.nlp.numbers import NUMBER, parse_number

# not a count of needles: "x3 weeks", "x2 per day", "x 2/7", "x1.5"
_NOT_NEEDLES = (
    r"(?!\s*(?:wks?|weeks?|days?|mins?|minutes?|sessions?|visits?|reps?|sets?|per|each|/|\d|\.\d))"
)
# a count written right after a muscle's name: "R UFT x3", "L QL (4)", "R ECRL (x2)"
_AFTER_NAME = re.compile(
    r"\s*(?:x\s*(?P<x>\d{1,2})|\(\s*(?:x\s*)?(?P<b>\d{1,2})\s*\))" + _NOT_NEEDLES
)
# counts written per spinal level after a name: "L multifidus L4-5 x2 and L5-S1 x2"
_LEVEL_COUNT = re.compile(
    r"\s*(?:(?:,|and|&)\s*)?(?:at\s+)?[ctls]\d{1,2}(?:\s*-\s*[ctls]?\d{1,2})?\s*x\s*(?P<x>\d{1,2})"
    + _NOT_NEEDLES
)


# what may stand between one counted name and the next of its list: "R UFT x3, R LFT x1",
# and a list laid out one name a line ("- R VL x3 needles\n- R rectus femoris x2")
_LIST_GAP = re.compile(
    r"(?:[\s,&/+]|\band\b|\bthe\b|\bplus\b|\b(?:r|l|b|rt|lt|right|left|bilat\w*)\b"
    r"|\bneedles?\b|(?<=\n)[ \t]*[-*\u2022\u25b8\u25aa\u00b7>](?=[ \t]))*"
)
# a list of twitches, not of needles: "LTR in upper trapezius x2 and lower trapezius x1"
_TWITCH_BEFORE = re.compile(r"\b(?:ltrs?|twitch\w*|responses?|jump\s+signs?)\b[^.;:\n]*$")


# the number of a list said at its end, as speakers do: "upper traps both sides and the left
# levator, that's three", "... and the right QL, so four in all" (not "that's two needles")
_LIST_TALLY = compile_lowercase(
    rf"[\s,.]*(?:so\s+)?(?:that'?s|that\s+is|that\s+makes|which\s+makes|so|"
    # "..., and those are the four I needled"
    rf"(?:and\s+)?(?:those|these)\s+(?:are|were)(?:\s+the)?)\s+(?P<n>{NUMBER})"
    rf"(?:\s+(?:in\s+all|in\s+total|total|altogether|all\s+together))?"
    rf"(?=\s*(?:[,.;:]|$)|\s+(?:muscles?|dry|and|then|today)\b|"
    rf"\s+(?:i|we)\s+(?:dry\s+)?(?:needled|did|treated|injected)\b)"
)


def counts_closing_lists(doc: Doc, text: str) -> list[CountItem]:
    """The muscles counted at the end of a list of treated ones, right after its last name
    ("the left levator scapula that's three"): a count the clinician states."""
    found: list[CountItem] = []
    for span in target_spans(doc):
        if span.label_ != "MUSCLE" or span._.status != "treated":
            continue
        match = _LIST_TALLY.match(text, span.end_char)
        number = parse_number(match.group("n")) if match else None
        if match and number is not None and number == int(number) and 0 < number < 50:
            found.append(CountItem((match.start("n"), match.end("n")), int(number)))
    return found


def counts_after_names(doc: Doc, text: str) -> list[CountItem]:
    """ "R UFT x3, R LFT x1, R levator scapulae x2": a list of two treated muscles or more,
    each with a count written right after its name, lists each muscle's needles (not when
    twitches are what the list counts, nor the sites of injected muscles)."""
    treated = sorted(
        (
            s
            for s in target_spans(doc)
            if s.label_ == "MUSCLE" and s._.status == "treated" and s._.technique != "injection"
        ),
        key=lambda s: s.start_char,
    )
    runs: list[list[re.Match[str]]] = []
    previous_end: int | None = None
    for span in treated:
        written = _written_after(text, span.end_char)
        if not written:
            previous_end = None
            continue
        joined = previous_end is not None and _LIST_GAP.fullmatch(
            text, previous_end, span.start_char
        )
        clause = max(text.rfind(c, 0, span.start_char) for c in ".;:\n") + 1
        if joined:
            runs[-1].extend(written)
        elif _TWITCH_BEFORE.search(text, clause, span.start_char):
            previous_end = None  # a list of twitches
            continue
        else:
            runs.append(written)
        previous_end = written[-1].end()
    items: list[CountItem] = []
    for run in runs:
        if len(run) < 2:  # one name with one count may count something else
            continue
        for match in run:
            group = "x" if match.group("x") else "b"
            items.append(CountItem((match.start(group), match.end(group)), int(match.group(group))))
    return items


def _written_after(text: str, end: int) -> list[re.Match[str]]:
    """The counts written right after a name ending at ``end``: one ("x3"), or one per
    spinal level ("L4-5 x2 and L5-S1 x2"); none when no count follows."""
    if match := _AFTER_NAME.match(text, end):
        return [match]
    levels: list[re.Match[str]] = []
    while level := _LEVEL_COUNT.match(text, levels[-1].end() if levels else end):
        levels.append(level)
    return levels


def per_muscle(doc: Doc, count: CountItem) -> CountItem:
    """ "I needled the R ECRB and the supinator, two needles in each": a count per muscle
    times the treated muscles (one per side) of its sentence, or of the one before; a count
    per side ("levator scapulae bilaterally, 2 needles per side") times their sides."""
    sents = sentences(doc)
    at = next((i for i, s in enumerate(sents) if s.start_char <= count.span[0] < s.end_char), 0)
    treated = [s for s in target_spans(doc) if s.label_ == "MUSCLE" and s._.status == "treated"]
    for number in (at, at - 1):
        if number < 0:
            break
        sent = sents[number]
        here = {
            (s._.entry_id, side)
            for s in treated
            if sent.start <= s.start < sent.end
            for side in (("left", "right") if s._.laterality == "bilateral" else (s._.laterality,))
        }
        # a name said again with no side ("twitches in the biceps femoris") is one already
        sided = {entry for entry, side in here if side != "unspecified"}
        here = {
            (entry, side) for entry, side in here if side != "unspecified" or entry not in sided
        }
        if here:
            times = len({side for _, side in here}) if count.per_side else len(here)
            return CountItem(count.span, count.value * times, count.total)
    return count


# a total said again to correct the one before: "Corrected needle total: 12", "revised total"
_CORRECTED_TOTAL = re.compile(r"\b(?:correct(?:ed|ion)|revised|amended|updated)\b[^\n.;]{0,30}$")


def corrected_totals(text: str, counts: list[CountItem]) -> list[CountItem]:
    """The counts, where a total said to correct another ("Corrected needle total: 12" in an
    addendum) is the only total left: the totals before it were the ones it corrects."""
    corrected = [
        c
        for c in counts
        if c.total and _CORRECTED_TOTAL.search(text, text.rfind("\n", 0, c.span[0]) + 1, c.span[0])
    ]
    if not corrected:
        return counts
    last = corrected[-1]
    return [c if c is last or not c.total else CountItem(c.span, c.value) for c in counts]


def restated_totals(doc: Doc, counts: list[CountItem], said: list[CountItem]) -> list[CountItem]:
    """ "two needles in each, so eight needles": a count that equals a per-muscle count
    multiplied out in its sentence, or the sum of the counts said before it there, is the
    session total said again."""
    sents = sentences(doc)
    text = doc_text(doc)
    names = [span.start_char for span in target_spans(doc) if span.label_ == "MUSCLE"]

    def sentence(item: CountItem) -> int:
        at = item.span[0]
        return next((i for i, s in enumerate(sents) if s.start_char <= at < s.end_char), -1)

    where = [sentence(c) for c in counts]
    products = {
        (here, c.value)
        for here, c, was in zip(where, counts, said, strict=True)
        if was.each or was.per_side
    }
    out: list[CountItem] = []
    for k, (c, was) in enumerate(zip(counts, said, strict=True)):
        here = where[k]
        # "four needles in the infraspinatus, one in the teres minor and two in the deltoid,
        # seven needles": two counts or more before it in its sentence, and it is their sum
        parts = [p for p, at in zip(counts[:k], where, strict=False) if at == here and not p.total]
        summed = (
            len(parts) >= 2
            and sum(p.value for p in parts) == c.value
            and not _OWN_SITE.match(text, c.span[1])
            and not any(parts[-1].span[1] <= a < c.span[0] for a in names)
        )
        again = (here, c.value) in products or summed
        total = not c.total and not (was.each or was.per_side) and again
        out.append(CountItem(c.span, c.value, True) if total else c)
    return out


# a count that goes on to its own site: "5 needles in the QL" (a part, not the sum)
_OWN_SITE = re.compile(r"(?:\s+needles?)?\s*(?:in|into|to|for|at|on)\b", re.IGNORECASE)


# a stated count corrected as it is said: "three muscles, actually make that four"
_SAID_AGAIN = re.compile(
    rf"[\s,]*(?:(?:um|uh|no|sorry|wait)[\s,]+)*(?:actually[\s,]+)?(?:make\s+that|i\s+mean|"
    rf"correction)[\s,]+(?P<n>{NUMBER})\b(?!\s*(?:needles?|minutes?|mins?|degrees?|cc|ml|mg|"
    rf"percent|%|weeks?|days?|visits?|sessions?))"
)


def corrected_stated(text: str, counts: list[CountItem]) -> list[CountItem]:
    """The stated counts, each replaced by the number said right after it to correct it
    ("I dry needled three muscles, actually make that four": four)."""
    out = []
    for count in counts:
        again = _SAID_AGAIN.match(text, count.span[1])
        number = parse_number(again.group("n")) if again else None
        if again is not None and number is not None and number == int(number) and number > 0:
            out.append(CountItem((count.span[0], again.end()), int(number)))
        else:
            out.append(count)
    return out
