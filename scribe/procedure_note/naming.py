"""Where the dictation names a muscle: the words a muscle fact rests on.

A mention's own words usually name its muscle ("right upper trapezius", "R UT"). Some do not
alone: a name shared by a list ("upper and middle trapezius" gives "upper"), a head written
after ("gastrocnemius, medial head"), or a word pointing back ("the same on the left"). Then
the fact rests on the nearest words that do: another mention of the muscle, the phrase around
the mention, or the words from the muscle's earlier mention to the one pointing back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from scribe.nlp.spinal_levels import region_after
from scribe.schemas.common import Evidence
from scribe.schemas.note import Muscle

_WORD = re.compile(r"[a-z]+")
# a line break ends a clause, unless the line goes on in lower case (prose wrapped by an
# editor: "I needled the medial\nand lateral gastroc heads")
_CLAUSE_END = re.compile(r"[.;]|\n(?![ \t]*[a-z])")
#: Shortest common start of two words that count as the same word ("trap", "gastroc").
_STEM: Final = 4
#: Part words written short, which count as the word they begin ("med", "lat", "ant").
_PART_ABBREVIATIONS: Final = frozenset({"med", "lat", "ant", "post", "sup", "inf", "mid"})
#: How far around a mention its name may be completed, and back to an earlier mention.
_AROUND: Final = 60
_BACK: Final = 200


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _same_word(a: str, b: str) -> bool:
    """Equal, one the start of the other ("trap", "gastroc"), or long words with one stem
    ("lumbar", "lumborum")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    # (a plural short form: "traps" for "trapezius", "gastrocs"; a three-letter part word:
    # "med gastroc", "lat head")
    stem = short[:-1] if short.endswith("s") and len(short) > _STEM else short
    if len(stem) >= _STEM and long_.startswith(stem):
        return True
    if short in _PART_ABBREVIATIONS and long_.startswith(short):
        return True
    return len(short) >= 6 and a[:_STEM] == b[:_STEM]


def names_all_words(text: str, name: str) -> bool:
    """Whether every word of ``name`` is in ``text`` (a word or its first letters)."""
    words = _words(text)
    return all(any(_same_word(w, n) for w in words) for n in _words(name))


def _shares_a_word(text: str, name: str) -> bool:
    return any(_same_word(w, n) for w in _words(text) for n in _words(name))


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(start - _AROUND, 0)
    right = min(end + _AROUND, len(text))
    before = [m.end() for m in _CLAUSE_END.finditer(text, left, start)]
    after = _CLAUSE_END.search(text, end, right)
    return (before[-1] if before else left, after.start() if after else right)


def _window(text: str, item: Evidence, name: str) -> Evidence | None:
    """The smallest stretch of the mention's clause around it that holds every name word."""
    low, high = _clause_bounds(text, item.start, item.end)
    before = [m.start() + low for m in _WORD.finditer(text[low : item.start].lower())]
    after = [m.end() + item.end for m in _WORD.finditer(text[item.end : high].lower())]
    starts = [item.start, *reversed(before)]
    ends = [item.end, *after]
    best: tuple[int, int] | None = None
    for start in starts:
        for end in ends:
            if best is not None and end - start >= best[1] - best[0]:
                break
            if names_all_words(text[start:end], name):
                best = (start, end)
                break
    if best is None:
        return None
    return Evidence(start=best[0], end=best[1], text=text[best[0] : best[1]])


def _span(item: Evidence) -> Evidence:
    return Evidence(start=item.start, end=item.end, text=item.text)


def naming_span(
    muscle: Muscle, *, others: Iterable[Muscle] = (), text: str | None = None
) -> Evidence:
    """The words that name ``muscle`` (its deciding mention's, unless they do not name it
    alone). ``others`` are the note's other muscles (the same muscle on another side may be
    named where this one is pointed back to); ``text`` is the dictation, when known."""
    own = _span(muscle)
    # a mention copied to the side its words point to ("..., and then the same on the right"):
    # its words are the side's, and the name is where the copied mention said it
    pointed_back = any(
        m.side_cue is not None
        and (m.start, m.end) == (own.start, own.end) == (m.side_cue.start, m.side_cue.end)
        for m in muscle.mentions
    )
    if not pointed_back and (muscle.match == "fuzzy" or names_all_words(own.text, muscle.name)):
        return own
    for mention in muscle.mentions:
        if mention.text and names_all_words(mention.text, muscle.name):
            return _span(mention)
    if text is None or text[own.start : own.end] != own.text:
        return own
    for mention in muscle.mentions:
        # "multifidus at L four L five": the level after the words names the part
        region = region_after(text, mention.end) if mention.text else None
        if region is not None and names_all_words(f"{region} {mention.text}", muscle.name):
            return _span(mention)
    around = _window(text, own, muscle.name)
    if around is not None:
        return around
    if " " in own.text.strip() and not _shares_a_word(own.text, muscle.name):
        earlier = [
            m
            for other in others
            if other.id == muscle.id
            for m in other.mentions
            if m.text and m.end <= own.start and own.end - m.start <= _BACK
        ]
        if earlier:
            first = max(earlier, key=lambda m: m.start)
            return Evidence(start=first.start, end=own.end, text=text[first.start : own.end])
    return own
