"""Muscle names a speech recogniser wrote as other words ("mass eat her", "tempura list",
"medial tariigoid", "pronator tears").

A run of one to three words, joined without spaces, is the name when it begins with the
name's letter, is nearly as long, is spelt close to it (Jaro-Winkler) and sounds like it
(metaphone codes at most one edit apart). A name that begins with a vowel may be heard with
another vowel or with an h before it ("helipsoas", "ellipsoas"); the run may step once over a
pause the recogniser wrote as a comma or a hyphen ("mass-eacher"); a name heard so and followed
by the rest of a longer name is the longer one ("oleocostolis lumborum"). Runs of ordinary
English words only count when they sound exactly like the name and are spelt very close to it:
"lateral elbow" is no "lateral delt". Abbreviated names ("glute med", "tib ant") are never
targets, nor is a run that begins or ends with a small word ("tibialis and"), the start of a
longer name ("rotator" of "rotatores"), or the end of one ("spinals" of "paraspinals"). Runs on
the words no other matcher took; the mentions are marked ``match="fuzzy"``.

Two more shapes of a recogniser's names are read here: a name's word split in two ("semi
spinalis capitis", ``names_split_into_words``) and a pause inside a name written as a comma
("gluteus, medius", ``names_across_pauses``); a name whose first word was heard and the
rest garbled ("tensor fishy"), or its last word heard and the words before it garbled ("a
doctor longus"), are ``heard_in_part.py``; a one-word name written as three or four short words
that sound exactly like it ("pear a form is", ``name_split_in_many``, which runs on typed text
too) is here. Drug names heard as other words are ``heard_drugs.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping
from functools import lru_cache

import jellyfish

from scribe.lexicons import Lexicons

_MIN_LETTERS = 7
MIN_NAME_WORD = 5  # "glute med", "tib ant": abbreviations, never sound targets
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


_VOWELS = frozenset("aeiou")
_ANY_VOWEL = "*"


def _vowel_opening(word: str) -> str | None:
    """A word that begins with a vowel, without the h a recogniser may put before it."""
    if word[:1] == "h" and word[1:2] in _VOWELS:
        word = word[1:]
    return word if word[:1] in _VOWELS and len(word) > 1 else None


_MAX_PAUSE_TOKENS = 2  # ", -eacher": a comma and a hyphen


def _run_at(words: list[str], i: int, n: int, pauses: Container[int]) -> list[int] | None:
    """The indices of ``n`` words from ``i`` on, next to each other or parted once by pause
    tokens; None when there are not so many."""
    indices = [i]
    k, stepped = i + 1, False
    while len(indices) < n and k < len(words):
        if words[k]:
            indices.append(k)
            k += 1
            continue
        gap = k
        while k < len(words) and k - gap < _MAX_PAUSE_TOKENS and not words[k] and k in pauses:
            k += 1
        if stepped or k == gap or k >= len(words) or not words[k]:
            return None
        stepped = True
    return indices if len(indices) == n else None


@lru_cache(maxsize=65536)
def _sound(word: str) -> str:
    return jellyfish.metaphone(word)


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
            if joined in seen or any(len(p) < MIN_NAME_WORD for p in parts):
                continue
            seen.add(joined)
            entry = (joined, jellyfish.metaphone(joined), term.entry_id)
            by_start[(joined[:2], len(joined))].append(entry)
            if joined[0] in _VOWELS:
                by_start[(_ANY_VOWEL + joined[1], len(joined))].append(entry)
        self._by_start = dict(by_start)
        self._starts = frozenset(start for start, _ in by_start)
        self._names = {
            name: entry_id for entries in by_start.values() for name, _, entry_id in entries
        }
        self._is_common = is_common
        self._ends_a_longer_name = ends_a_longer_name
        self._may_be_a_name = may_be_a_name
        self._match = lru_cache(maxsize=65536)(self._match)  # type: ignore[method-assign]

    def find(
        self, words: list[str], taken: Iterable[int], pauses: Container[int] = ()
    ) -> list[tuple[int, int, str, float]]:
        """``words``: the doc's lower-case words ("" for a token that is not a word);
        ``taken``: token indices another matcher already used; ``pauses``: tokens a recogniser
        wrote for a pause (a comma, a hyphen), which a run may step over once ("mass,
        -eacher", "mass-eacher")."""
        blocked = set(taken)
        found: list[tuple[int, int, str, float]] = []
        for i in range(len(words)):
            word = words[i]
            if i in blocked or len(word) < 2 or word in SMALL_WORDS:
                continue
            if word[:2] not in self._starts and _vowel_opening(word) is None:
                continue
            for n in range(_MAX_WORDS, 0, -1):
                indices = _run_at(words, i, n, pauses)
                if indices is None or any(k in blocked for k in range(i, indices[-1] + 1)):
                    continue
                run = [words[k] for k in indices]
                if run[-1] in SMALL_WORDS:
                    continue
                match = self._match(tuple(run))
                if match is not None:
                    entry_id, similarity, name = match
                    # "oleocostolis lumborum": the heard name and the rest of a longer name
                    end = indices[-1] + 1
                    nxt = words[end] if end < len(words) and end not in blocked else ""
                    if nxt and (longer := self._names.get(name + nxt)) is not None:
                        entry_id, end = longer, end + 1
                    found.append((i, end, entry_id, similarity))
                    blocked.update(range(i, end))
                    break
        return found

    def _candidates(self, joined: str) -> list[tuple[str, tuple[str, str, str]]]:
        """(spelling to compare, name entry) pairs: the run against the names that begin like
        it, and a run that begins with a vowel (or an h before one) with its first vowel read as
        the first vowel of each name that begins with one ("helipsoas", "ilipsoas")."""
        size = len(joined)
        sizes = range(size - MAX_LENGTH_GAP, size + MAX_LENGTH_GAP + 1)
        pairs = [(joined, e) for n in sizes for e in self._by_start.get((joined[:2], n), ())]
        opening = _vowel_opening(joined)
        if opening is not None:
            sizes = range(len(opening) - MAX_LENGTH_GAP, len(opening) + MAX_LENGTH_GAP + 1)
            pairs += [
                (e[0][0] + opening[1:], e)
                for n in sizes
                for e in self._by_start.get((_ANY_VOWEL + opening[1], n), ())
                if e[0][0] + opening[1:] != joined
            ]
        return pairs

    def _match(self, run: tuple[str, ...]) -> tuple[str, float, str] | None:
        """(entry id, similarity, the name joined) of the name the run was heard for."""
        joined = "".join(run)
        if len(joined) < _MIN_LETTERS:
            return None
        candidates = self._candidates(joined)
        if not candidates:
            return None  # most runs: no name begins like them
        best: tuple[str, float, str] | None = None
        ordinary: bool | None = None
        for heard, (name, name_sound, entry_id) in candidates:
            if name != heard and (name.startswith(heard) or heard.startswith(name)):
                continue  # "rotator" / "rotatores": another word, not a mishearing
            similarity = jellyfish.jaro_winkler_similarity(heard, name)
            if similarity < MIN_SIMILARITY or (best is not None and similarity <= best[1]):
                continue
            edits = jellyfish.levenshtein_distance(_sound(heard), name_sound)
            if edits > _MAX_SOUND_EDITS:
                continue
            if ordinary is None:
                ordinary = all(self._is_common(w) for w in run)
            if ordinary and (edits or similarity < _MIN_COMMON_SIMILARITY):
                continue
            best = (entry_id, similarity, name)
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
        # longer names first ("the rectus capitis, posterior major": two words either side)
        for before, after in ((2, 2), (3, 1), (1, 3), (2, 1), (1, 2), (1, 1)):
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


_GLUED_LETTERS = 3  # "mesoleus": the article a voice said as "m", "me" or "mes" glued on
_GLUED_NAME_LETTERS = 6


def glued_to_a_name(word: str, names: Mapping[str, str]) -> tuple[str, float] | None:
    """ "needled mesoleus", "twitches out of messoleus": a rare word that is a one-word name
    (of six letters or more) with up to three letters glued before it, where a recogniser
    joined a short word said before the name to it. (entry id, score) or None."""
    for k in range(1, _GLUED_LETTERS + 1):
        entry_id = names.get(word[k:])
        if entry_id is not None and len(word) - k >= _GLUED_NAME_LETTERS:
            return entry_id, 0.8
    return None
