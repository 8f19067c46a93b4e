"""Two recognisers' readings of one recording, combined word by word.

Two Whisper models mishear different words: where tiny.en hears "millimeters scapular", base
may hear "levator scapulae", and the other way round elsewhere. The readings are aligned on
their words (``difflib``, case and punctuation ignored). Where they agree, the first reading
stands. Where they differ, the second reading's words replace the first's when

- the model that heard them was surer of them by ``margin`` (geometric mean of the word
  probabilities, each side scored by its own model), or
- they name a muscle, bilateral word or substance that the first's words there do not, and were
  heard with a sureness of at least ``floor``: a name two independent models put in the same
  place is read, one that the second heard only weakly (a hotword loop) is not.

Words one model heard and the other did not are left as the first reading has them: a model
that hears nothing there is no evidence either way; unless the first reading stepped over that
speech, which its timing shows: one of its words is stamped as lasting seconds across the time
the second reading's words were said ("hand," from 0.4 s to 21.3 s, and then the words said
after 21 s), and the second heard a run of words there; then the run is read. What the guards
would take out of the second reading (silence, impossibly fast speech, loops: ``guards.heard``)
is no reading at all. Where the guards would leave less than half as many words of the first
reading as of the second, the first lost the recording, and the second is read instead.

The result keeps the first reading's segments (their times, log probabilities and no-speech
probabilities, which the guards read), with the chosen words in them; it is pure and never
touches the audio."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from scribe.asr.guards import RawSegment, RawWord, heard

_NOT_WORD = re.compile(r"[^a-z0-9']+")


@dataclass(frozen=True)
class _Placed:
    segment: int  # index of the first reading's segment the word goes into
    word: RawWord


def _key(word: RawWord) -> str:
    return _NOT_WORD.sub("", word.text.lower())


def sureness(words: list[RawWord]) -> float:
    """The geometric mean of the words' probabilities (0 for no words)."""
    if not words:
        return 0.0
    logs = [math.log(max(w.probability, 1e-6)) for w in words]
    return math.exp(sum(logs) / len(logs))


def _placed(segments: list[RawSegment]) -> list[_Placed]:
    return [_Placed(i, w) for i, s in enumerate(segments) for w in s.words]


class KeyTerms:
    """What decides the claim, found in a stretch of words: ``names`` (muscles, bilateral
    words, substances: ``checking.lexicon_names``) as whole phrases, and ``words`` (the words of
    the dictation terms and the sides) as written: "needleed" is not "needled"."""

    def __init__(self, names: Iterable[str], words: Iterable[str] = ()) -> None:
        alternatives = sorted(set(names), key=len, reverse=True)
        self._pattern = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b")
            if alternatives
            else None
        )
        self._words = {_plain_word(w) for w in words} - {""}

    def found(self, words: list[RawWord]) -> set[str]:
        """The names said in ``words``."""
        if self._pattern is None:
            return set()
        return set(self._pattern.findall(_plain(words)))

    def key_words(self, words: list[RawWord]) -> set[str]:
        """The key words among ``words``."""
        return set(_plain(words).split()) & self._words


def _plain(words: list[RawWord]) -> str:
    return " ".join(_NOT_WORD.sub(" ", " ".join(w.text.lower() for w in words)).split())


def _plain_word(word: str) -> str:
    return _NOT_WORD.sub("", word.lower())


def combine(
    first: list[RawSegment],
    second: list[RawSegment],
    *,
    margin: float,
    terms: KeyTerms | None = None,
    floor: float = 1.0,
) -> list[RawSegment]:
    """``first`` with each stretch that ``second`` heard differently, and was surer of by more
    than ``margin`` (a difference of geometric mean probabilities), replaced by the second's
    words; or, given ``terms``, a stretch where the second heard a key term the first did not,
    with a sureness of at least ``floor``. Segments without words (no timestamps) are returned
    as they are."""
    if not second or any(s.text.strip() and not s.words for s in first):
        return first
    second_heard = heard(second)
    if _lost_most(heard(first), second_heard):
        return second_heard
    # the second's marks alone are no words (base can read a dictation as ". . . ."), and
    # neither is what the guards would remove from it
    ours, theirs = _placed(first), [p for p in _placed(second_heard) if _key(p.word)]
    matcher = SequenceMatcher(
        a=[_key(p.word) for p in ours], b=[_key(p.word) for p in theirs], autojunk=False
    )
    stretched = [p.word for p in ours if p.word.end - p.word.start >= STRETCHED_SECONDS]
    chosen: list[_Placed] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        mine = ours[a0:a1]
        other = [w.word for w in theirs[b0:b1]]
        if op == "replace" and _better(other, [p.word for p in mine], margin, terms, floor):
            chosen.extend(_Placed(mine[0].segment, w) for w in _spaced(other))
        elif op == "insert" and ours and _stepped_over(other, stretched, floor):
            segment = ours[a0 - 1].segment if a0 > 0 else ours[0].segment
            chosen.extend(_Placed(segment, w) for w in _spaced(other))
        else:
            chosen.extend(mine)
    return _regrouped(first, chosen)


# the first reading lost the recording when what the guards leave of it holds fewer words than
# this share of what they leave of the second's (tiny.en once stamped a 43 s dictation's first
# 30 s of words into 11 s, which the guards then took out as impossibly fast speech)
_LOST_SHARE = 0.5
_LOST_MIN_WORDS = 20  # the second reading must have heard this much to stand for the whole


def _lost_most(first_heard: list[RawSegment], second_heard: list[RawSegment]) -> bool:
    """Whether the first reading lost most of the recording that the second heard: then no
    word-by-word choice can mend it, and the second reading is the transcript."""
    theirs = sum(len(s.words) for s in second_heard)
    ours = sum(len(s.words) for s in first_heard)
    return theirs >= _LOST_MIN_WORDS and ours < _LOST_SHARE * theirs


# a word stamped as lasting this long was not said so: the decoder stepped over the speech after
# it (one word of speech lasts well under two seconds, even drawn out)
STRETCHED_SECONDS = 3.0
# what the second reading must have heard there to be read: a run of words over some seconds
_MIN_STEPPED_WORDS = 5
_MIN_STEPPED_SECONDS = 2.0


def _stepped_over(other: list[RawWord], stretched: list[RawWord], floor: float) -> bool:
    """Whether ``other``, words only the second reading has, were said in speech the first
    stepped over: a run of them, over seconds, heard with a sureness of at least ``floor``,
    inside the time one of the first reading's stretched words claims."""
    if len(other) < _MIN_STEPPED_WORDS or other[-1].end - other[0].start < _MIN_STEPPED_SECONDS:
        return False
    if sureness(other) < floor:
        return False
    middle = (other[0].start + other[-1].end) / 2
    return any(w.start <= middle <= w.end for w in stretched)


def _better(
    other: list[RawWord],
    mine: list[RawWord],
    margin: float,
    terms: KeyTerms | None,
    floor: float,
) -> bool:
    theirs = sureness(other)
    if terms is not None and terms.key_words(mine) - terms.key_words(other):
        # a key word the first heard is never given up for words without it ("dry needle"
        # for base's "drineevil", however sure base was of that)
        return False
    if theirs > sureness(mine) + margin:
        return True
    if terms is None or theirs < floor:
        return False
    return bool(terms.found(other) - terms.found(mine))


def _spaced(words: list[RawWord]) -> list[RawWord]:
    """Words from the other reading, each with the leading space a word inside a segment has
    (the first of a segment may have lost it there)."""
    return [
        w if w.text.startswith(" ") else RawWord(" " + w.text, w.start, w.end, w.probability)
        for w in words
    ]


def _regrouped(first: list[RawSegment], chosen: list[_Placed]) -> list[RawSegment]:
    by_segment: dict[int, list[RawWord]] = defaultdict(list)
    for placed in chosen:
        by_segment[placed.segment].append(placed.word)
    out: list[RawSegment] = []
    for index, segment in enumerate(first):
        words = by_segment[index]
        if not segment.words:
            out.append(segment)
            continue
        if not words:
            continue
        out.append(
            RawSegment(
                start=segment.start,
                end=segment.end,
                text="".join(w.text for w in words),
                avg_logprob=segment.avg_logprob,
                no_speech_prob=segment.no_speech_prob,
                words=words,
            )
        )
    return out
