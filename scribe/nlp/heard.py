"""Muscle names a speech recogniser wrote as other words ("mass eat her", "tempura list",
"medial tariigoid", "pronator tears").

A run of one to three words, joined without spaces, is the name when it begins with the
name's letter, is nearly as long, is spelt close to it (Jaro-Winkler) and sounds like it
(metaphone codes at most one edit apart). Runs of ordinary English words only count when
they sound exactly like the name and are spelt very close to it: "lateral elbow" is no
"lateral delt". Abbreviated names ("glute med", "tib ant") are never targets, nor is a run
that begins or ends with a small word ("tibialis and"), the start of a longer name
("rotator" of "rotatores"), or the end of one ("spinals" of "paraspinals"). Runs on the
words no other matcher took; the mentions are marked ``match="fuzzy"``.

Two more shapes of a recogniser's names are read here: a name's word split in two ("semi
spinalis capitis", ``names_split_into_words``) and a pause inside a name written as a comma
("gluteus, medius", ``names_across_pauses``); a name whose first word was heard and the
rest garbled ("tensor fishy", ``HeardByFirstWord``), or its last word heard and the words
before it garbled ("a doctor longus", ``HeardByLastWord``); and a one-word name written as three or
four short words that sound exactly like it ("pear a form is", ``name_split_in_many``, which
runs on typed text too). Drug names heard as other words are ``heard_drugs.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from functools import lru_cache

import jellyfish

from scribe.lexicons import Lexicons

_MIN_LETTERS = 7
_MIN_NAME_WORD = 5  # "glute med", "tib ant": abbreviations, never sound targets
_MAX_WORDS = 3
MAX_LENGTH_GAP = 2
MIN_SIMILARITY = 0.90
_MIN_COMMON_SIMILARITY = 0.95  # when every word of the run is an ordinary word
_MAX_SOUND_EDITS = 1
# words that begin or end no misheard name: articles, conjunctions, prepositions, pronouns
SMALL_WORDS = frozenset(
    "a an and as at but by for from her his i if in into is it its no not of on or she so "
    "that the then there this to was we were with".split()
)


class HeardNames:
    """Finds (start, end, entry_id, similarity) runs of words that are a misheard name."""

    def __init__(
        self,
        lexicons: Lexicons,
        *,
        is_common: Callable[[str], bool],
        ends_a_longer_name: Callable[[str], bool],
        may_be_a_name: Callable[[str], bool],
    ) -> None:
        # by their first two letters and length: a run is compared with a handful of names
        by_start: dict[tuple[str, int], list[tuple[str, str, str]]] = defaultdict(list)
        seen: set[str] = set()
        for term in lexicons.terms():
            if term.label != "MUSCLE" or term.case_sensitive:
                continue
            parts = term.text.split(" ")
            joined = "".join(parts)
            if joined in seen or any(len(p) < _MIN_NAME_WORD for p in parts):
                continue
            seen.add(joined)
            entry = (joined, jellyfish.metaphone(joined), term.entry_id)
            by_start[(joined[:2], len(joined))].append(entry)
        self._by_start = dict(by_start)
        self._starts = frozenset(start for start, _ in by_start)
        self._is_common = is_common
        self._ends_a_longer_name = ends_a_longer_name
        self._may_be_a_name = may_be_a_name
        self._match = lru_cache(maxsize=65536)(self._match)  # type: ignore[method-assign]

    def find(self, words: list[str], taken: Iterable[int]) -> list[tuple[int, int, str, float]]:
        """``words``: the doc's lower-case words ("" for a token that is not a word);
        ``taken``: token indices another matcher already used."""
        blocked = set(taken)
        found: list[tuple[int, int, str, float]] = []
        for i in range(len(words)):
            word = words[i]
            if i in blocked or word[:2] not in self._starts or len(word) < 2 or word in SMALL_WORDS:
                continue
            for n in range(_MAX_WORDS, 0, -1):
                run = words[i : i + n]
                if len(run) < n or not all(run) or any(k in blocked for k in range(i, i + n)):
                    continue
                if run[-1] in SMALL_WORDS:
                    continue
                match = self._match(tuple(run))
                if match is not None:
                    found.append((i, i + n, *match))
                    blocked.update(range(i, i + n))
                    break
        return found

    def _candidates(self, joined: str) -> list[tuple[str, str, str]]:
        size, start = len(joined), joined[:2]
        return [
            entry
            for n in range(size - MAX_LENGTH_GAP, size + MAX_LENGTH_GAP + 1)
            for entry in self._by_start.get((start, n), ())
        ]

    def _match(self, run: tuple[str, ...]) -> tuple[str, float] | None:
        joined = "".join(run)
        if len(joined) < _MIN_LETTERS:
            return None
        candidates = self._candidates(joined)
        if not candidates:
            return None  # most runs: no name begins like them
        best: tuple[str, float] | None = None
        sound: str | None = None
        ordinary: bool | None = None
        for name, name_sound, entry_id in candidates:
            if name != joined and (name.startswith(joined) or joined.startswith(name)):
                continue  # "rotator" / "rotatores": another word, not a mishearing
            similarity = jellyfish.jaro_winkler_similarity(joined, name)
            if similarity < MIN_SIMILARITY or (best is not None and similarity <= best[1]):
                continue
            sound = sound if sound is not None else jellyfish.metaphone(joined)
            edits = jellyfish.levenshtein_distance(sound, name_sound)
            if edits > _MAX_SOUND_EDITS:
                continue
            if ordinary is None:
                ordinary = all(self._is_common(w) for w in run)
            if ordinary and (edits or similarity < _MIN_COMMON_SIMILARITY):
                continue
            best = (entry_id, similarity)
        if best is None or not self._plausible(run, joined):
            return None
        return best

    def _plausible(self, run: tuple[str, ...], joined: str) -> bool:
        """The guards of a candidate run: one word must pass the fuzzy matcher's own test of a
        one-word name (no region adjective, no common word's sound, no end of a longer name);
        a run of several whose first word is ordinary does not end like a longer name, in its
        last word or joined ("super spininus", "spin anis")."""
        if len(run) == 1:
            return self._may_be_a_name(joined)
        return not (
            self._is_common(run[0])
            and (
                (len(run[-1]) >= 6 and self._ends_a_longer_name(run[-1]))
                # "super spin anis", "and for spin anis": joined, the end of the supraspinatus
                # or the infraspinatus, not the spinalis
                or self._ends_a_longer_name(joined)
            )
        )


def names_across_pauses(
    lowered: list[str],
    exact: Callable[[str], str | None],
    alike: Callable[[str, str], tuple[str, float] | None],
    blocked: set[int],
    named: set[int],
) -> list[tuple[int, int, str, float]]:
    """ "the right gluteus, medius, and the right gluteus, minimus": a recogniser wrote the
    speaker's pause inside a name as a comma. The words on either side of the comma, read
    without it, are the name: exactly (``exact``), or, for two words, one word of a two-word
    name and a word that sounds like the other (``alike``: "gluteus, meditus").

    ``lowered``: the doc's lower-case tokens; ``blocked``: tokens of names of several words,
    which no join takes; ``named``: tokens another matcher read as a one-word muscle, which
    give way to an exact name only (a one-word group, "gluteus", gives way to either)."""
    found: list[tuple[int, int, str, float]] = []
    taken = set(blocked)
    for k, token in enumerate(lowered):
        if token != ",":
            continue
        for before, after in ((2, 1), (1, 2), (1, 1)):
            i, j = k - before, k + 1 + after
            if i < 0 or j > len(lowered):
                continue
            run = lowered[i:k] + lowered[k + 1 : j]
            if not all(w.isalpha() for w in run) or any(x in taken for x in range(i, j)):
                continue
            entry = exact(" ".join(run))
            match = (entry, 0.95) if entry is not None else None
            if match is None and len(run) == 2 and not named & {i, j - 1}:
                match = alike(run[0], run[1])
            if match is not None:
                found.append((i, j, *match))
                taken.update(range(i, j))
                break
    return found


def names_split_into_words(
    words: list[str], first_words: set[str], exact: Callable[[str], str | None]
) -> list[tuple[int, int, str]]:
    """ "semi spinalis capitis", "sub scapularis": a recogniser split a name's word in two.
    The two halves joined must begin a lexicon name (``first_words``) and, with the words
    after them, give it exactly. ``words``: lower-case words, "" for a token that is not one."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words) - 1:
        first = words[i] + words[i + 1] if words[i] and words[i + 1] else ""
        if first not in first_words:
            i += 1
            continue
        for n in range(_MAX_WORDS, 1, -1):
            rest = words[i + 2 : i + n]
            if len(rest) < n - 2 or not all(rest):
                continue
            entry = exact(" ".join([first, *rest]))
            if entry is not None:
                found.append((i, i + n, entry))
                i += n - 1
                break
        i += 1
    return found


# words that place a part ("lateral", "deep", "upper"): they begin names but also positions and
# other structures ("lateral decubitus", "deep tendon"), so never a name's sure first word
_POSITION_WORDS = frozenset(
    "lateral medial anterior posterior superior inferior middle upper lower deep superficial "
    "long short external internal transverse oblique first second third fourth greater lesser "
    "major minor left right dorsal palmar plantar radial ulnar".split()
)


def _first_sound(word: str) -> str:
    """The letter a word begins with as heard: "phase" and "fishy" both begin with f."""
    return "f" if word.startswith("ph") else word[0]


class HeardByFirstWord:
    """ "tensor fishy", "tensor phase", "splenius cervisis": a name's first word heard exactly
    and its second heard as a rare word that begins with the same sound, where only one name
    of that first word has a second word beginning so. Finds (start, end, entry_id, score)."""

    _SCORE = 0.8

    def __init__(self, lexicons: Lexicons, *, is_common: Callable[[str], bool]) -> None:
        heads: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        known: set[str] = set()
        for term in lexicons.terms():
            if term.case_sensitive:
                continue
            words = term.text.split(" ")
            known.update(words)
            if (
                term.label == "MUSCLE"
                and len(words) >= 2
                and words[1].isalpha()
                and words[0] not in _POSITION_WORDS
            ):
                heads[words[0]][_first_sound(words[1])].add(term.entry_id)
        self._heads = {head: dict(by_sound) for head, by_sound in heads.items()}
        self._known = frozenset(known)
        self._is_common = is_common

    def find(self, words: list[str], taken: Iterable[int]) -> list[tuple[int, int, str, float]]:
        blocked = set(taken)
        found: list[tuple[int, int, str, float]] = []
        for i in range(len(words) - 1):
            by_sound = self._heads.get(words[i])
            heard = words[i + 1]
            if by_sound is None or i in blocked or i + 1 in blocked or len(heard) < 3:
                continue
            if heard in SMALL_WORDS or heard in self._known or self._is_common(heard):
                continue
            entries = by_sound.get(_first_sound(heard), set())
            if len(entries) == 1:
                found.append((i, i + 2, next(iter(entries)), self._SCORE))
                blocked.update((i, i + 1))
        return found


class HeardByLastWord:
    """ "a doctor longus", "senispanolis capitis", "tris minor", "extensor carpioradialis,
    brevis": a name's last word heard exactly and the one to three words before it (a pause
    between them allowed) heard as words that, joined, sound like the rest of the name
    (metaphone codes at most one edit apart; none apart when every word is an ordinary one) and
    are spelt close to it (Jaro-Winkler). The heard last word is the evidence a looser spelling
    needs. Finds (start, end, entry_id, similarity)."""

    _MIN_SIMILARITY = 0.8
    _MIN_LETTERS = 4

    def __init__(self, lexicons: Lexicons, *, is_common: Callable[[str], bool]) -> None:
        rests: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for term in lexicons.terms():
            words = term.text.split(" ")
            if term.label != "MUSCLE" or term.case_sensitive or len(words) < 2:
                continue
            last, rest = words[-1], "".join(words[:-1])
            if len(last) < _MIN_NAME_WORD or not rest.isalpha() or len(rest) < self._MIN_LETTERS:
                continue
            rests[last].append((rest, jellyfish.metaphone(rest), term.entry_id))
        self._rests = dict(rests)
        self._is_common = is_common

    def find(self, words: list[str], taken: Iterable[int]) -> list[tuple[int, int, str, float]]:
        blocked = set(taken)
        found: list[tuple[int, int, str, float]] = []
        for i, word in enumerate(words):
            candidates = self._rests.get(word)
            if candidates is None or i in blocked:
                continue
            before = i - 1 if i > 0 and not words[i - 1] else i  # a pause: "carpioradialis, brevis"
            best: tuple[int, str, float] | None = None
            for n in (3, 2, 1):
                run = words[max(0, before - n) : before]
                if len(run) < n or any(k in blocked for k in range(before - n, i)):
                    continue
                if not all(w.isalpha() for w in run) or all(w in SMALL_WORDS for w in run):
                    continue
                match = self._match(tuple(run), candidates)
                if match is not None and (best is None or match[1] > best[2]):
                    best = (before - n, *match)
            if best is not None:
                found.append((best[0], i + 1, best[1], best[2]))
                blocked.update(range(best[0], i + 1))
        return found

    def _match(
        self, run: tuple[str, ...], candidates: list[tuple[str, str, str]]
    ) -> tuple[str, float] | None:
        joined = "".join(run)
        if len(joined) < self._MIN_LETTERS or (run[0] in SMALL_WORDS and len(run) == 1):
            return None
        sound = jellyfish.metaphone(joined)
        allowed = 0 if all(self._is_common(w) or w in SMALL_WORDS for w in run) else 1
        best: tuple[str, float] | None = None
        for rest, rest_sound, entry_id in candidates:
            if abs(len(rest) - len(joined)) > MAX_LENGTH_GAP + 1:
                continue
            if jellyfish.levenshtein_distance(sound, rest_sound) > allowed:
                continue
            similarity = jellyfish.jaro_winkler_similarity(joined, rest)
            if similarity >= self._MIN_SIMILARITY and (best is None or similarity > best[1]):
                best = (entry_id, similarity)
        return best


# a one-word muscle name written as three or four words: each short, the name long
_SPLIT_WORD_LETTERS = 6
_SPLIT_NAME_LETTERS = 8
_SPLIT_SIMILARITY = 0.85
SplitNames = dict[str, list[tuple[str, str, str]]]  # first letter: (name, metaphone, entry id)


def split_names(names: Iterable[tuple[str, str]]) -> SplitNames:
    """(name, entry id) pairs of one-word names, indexed for ``name_split_in_many``."""
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for name, entry_id in names:
        if name.isalpha():
            out[name[0]].append((name, jellyfish.metaphone(name), entry_id))
    return dict(out)


def name_split_in_many(
    words: list[str],
    i: int,
    blocked: set[int],
    exact: Container[str],
    exact_or_stop: Container[str],
    names: SplitNames,
) -> tuple[int, str, float] | None:
    """ "pear a form is": a one-word name a recogniser wrote as three or four short words
    starting at ``i``. Joined, they must sound exactly like the name (metaphone), be spelt
    close to it (Jaro-Winkler), begin like it and be about as long; none may be a word of a
    name (``exact``). (end, entry id, similarity) of the longest such run."""
    first = words[i]
    if len(first) < 3 or first in exact_or_stop or not first.isalpha():
        return None
    for n in (4, 3):
        run = words[i : i + n]
        if len(run) < n or any(k in blocked for k in range(i, i + n)):
            continue
        if not all(w.isalpha() and len(w) <= _SPLIT_WORD_LETTERS for w in run):
            continue
        if any(w in exact for w in run):
            continue
        joined = "".join(run)
        if len(joined) < _SPLIT_NAME_LETTERS:
            continue
        sound = jellyfish.metaphone(joined)
        for name, name_sound, entry_id in names.get(joined[0], ()):
            if abs(len(name) - len(joined)) > MAX_LENGTH_GAP or name_sound != sound:
                continue
            similarity = jellyfish.jaro_winkler_similarity(joined, name)
            if similarity >= _SPLIT_SIMILARITY:
                return i + n, entry_id, similarity
    return None
