"""Counts a note states: needles used and muscles treated (DOMAIN.md section 8).

"24 needles in 3 muscles", "QL x5 needles, glute med x2", "two needles in each": each count keeps
its character offsets; a count per muscle is multiplied out by the treated muscles of its
sentence, and a total said again is marked as the total. Needle sizes ("0.25 x 40 mm") are not
counts.

Reads: the note's lower-case text, sentences and treated muscle spans. Writes nothing: pure
functions for ``rationale.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from scribe.nlp.extensions import sentences, target_spans
from scribe.nlp.numbers import NUMBER, expand_number_placeholder, parse_number

CharSpan = tuple[int, int]

_SYNTAX = re.compile(r"\\.|\(\?P[<=]\w+>?|\{NUM\}")


def compile_lowercase(source: str) -> re.Pattern[str]:
    """A pattern searched in lower-case text (``doc_lower_text``): several times cheaper than
    an IGNORECASE search. It may name no capital letter outside escapes and group names."""
    if any(ch.isupper() for ch in _SYNTAX.sub("", source)):
        raise ValueError("a pattern searched in lower-case text names a capital letter")
    return re.compile(expand_number_placeholder(source))


# searched in the lower-case text
STATED_COUNT = compile_lowercase(
    rf"\b(?:x\s*)?(?P<n>{NUMBER})\s+(?:separate\s+|different\s+|distinct\s+|total\s+|individual\s+|"
    rf"named\s+)?(?:muscles?|muscle\s+groups)\b"
)
NEEDLE_COUNT = compile_lowercase(
    rf"\b(?:x\s*)?(?P<n>{NUMBER})\s+(?:total\s+)?(?:needles?|needle\s+insertions?|insertions?)\b"
    rf"|(?<=needles)[^.\n]{{0,30}}?\b(?P<t>\d+)\s+(?:total|in\s+total)\b"
    rf"|\bneedles?\s*(?:used|placed|inserted|count)?\s*[:=]\s*(?P<m>\d+)\b"
    rf"|\bx\s*(?P<x>\d+)\s+needles?\b"
)
CLAUSE_END = re.compile(r"[.;]|\n|$")
# "two needles in each", "one needle each", "three apiece": a count per muscle
_EACH = re.compile(r"\s*(?:(?:in|into|to|at|for)\s+(?:each|every)\b|each\b|apiece\b)")
_NOT_NEEDLES_BEFORE = re.compile(
    r"\b(?:ltrs?|twitch(?:es)?|responses?|reps?|sets?|repeated|times)\s*$", re.IGNORECASE
)
# a count after the next name of a list that began with "N needles" ("R QL x5 needles,
# glute med x2"): that item's needles
LIST_ITEM_COUNT = re.compile(
    r"\bx\s*(?P<n>\d{1,2})\b(?!\s*(?:wks?|weeks?|days?|months?|years?|mins?|minutes?|sessions?|"
    r"visits?|reps?|sets?|per|each|/))",
    re.IGNORECASE,
)


# a needle's size, gauge by length ("0.25 x 40", "0.30x60 mm"): no count of needles
NEEDLE_SIZE = re.compile(r"\d*\.\d+\s*(?:mm\s*)?[x×]\s*\d+(?:\s*mm)?\b")


def without_sizes(text: str) -> str:
    """``text`` with its needle sizes blanked out, offsets kept."""
    return NEEDLE_SIZE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass
class CountItem:
    span: CharSpan
    value: int
    total: bool = False
    each: bool = False  # "two needles in each": per muscle, not yet multiplied


def read_counts(
    pattern: re.Pattern[str],
    text: str,
    offset: int,
    *,
    per_item: re.Pattern[str] | None = None,
) -> list[CountItem]:
    """Counts in ``text``. With ``per_item``, a count goes on through the rest of its clause:
    "QL x5 needles, glute med x2, piriformis x3" is 5 + 2 + 3."""
    items: list[CountItem] = []
    matches: list[re.Match[str]] = list(pattern.finditer(text))
    if per_item is not None:
        taken = [(m.start(), m.end()) for m in matches]
        for match in list(matches):
            clause_end = CLAUSE_END.search(text, match.end())
            stop = clause_end.start() if clause_end else len(text)
            for item in per_item.finditer(text, match.end(), stop):
                if _NOT_NEEDLES_BEFORE.search(text, max(0, item.start() - 16), item.start()):
                    continue  # "LTR x2": twitches, not needles
                if not any(s < item.end() and item.start() < e for s, e in taken):
                    matches.append(item)
                    taken.append((item.start(), item.end()))
    for match in matches:
        raw = next(g for g in match.groups() if g is not None)
        number = parse_number(raw)
        if number is not None and number == int(number) and 0 < number < 200:
            start, end = offset + match.start(), offset + match.end()
            line_start = text.rfind("\n", 0, start) + 1
            before = text[max(line_start, start - 30) : start].lower()
            after = text[end : end + 14].lower()
            if re.match(r"\s*(?:per|each|/)\s*(?:muscle|site|trp|trigger)", after):
                continue  # "2 needles per muscle" is not a count of needles used
            total = bool(
                re.search(r"(?:total(?!,)|=|sum)", before)
                or re.match(r"\s*(?:total|in\s+all)", after)
                or match.group(0).rstrip().endswith("total")
            )
            each = bool(_EACH.match(after)) and not total
            items.append(CountItem((start, end), int(number), total, each))
    return items


def per_muscle(doc: Doc, count: CountItem) -> CountItem:
    """ "I needled the R ECRB and the supinator, two needles in each": a count per muscle
    times the treated muscles (one per side) of its sentence, or of the one before."""
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
        if here:
            return CountItem(count.span, count.value * len(here), count.total)
    return count


def restated_totals(doc: Doc, counts: list[CountItem], said: list[CountItem]) -> list[CountItem]:
    """ "two needles in each, so eight needles": a count that equals a per-muscle count
    multiplied out in its sentence is the session total said again."""
    sents = sentences(doc)

    def sentence(item: CountItem) -> int:
        at = item.span[0]
        return next((i for i, s in enumerate(sents) if s.start_char <= at < s.end_char), -1)

    products = {(sentence(c), c.value) for c, was in zip(counts, said, strict=True) if was.each}
    return [
        CountItem(c.span, c.value, True)
        if not c.total and not was.each and (sentence(c), c.value) in products
        else c
        for c, was in zip(counts, said, strict=True)
    ]
