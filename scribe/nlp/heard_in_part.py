"""Muscle names a recogniser heard in part: the first word exactly and the second as a rare
word that begins with its sound ("tensor fishy", ``HeardByFirstWord``), or the last word exactly
and the words before it as words that sound like the rest ("a doctor longus",
``HeardByLastWord``). Names heard whole as other words are ``heard.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import jellyfish

from scribe.lexicons import Lexicons
from scribe.nlp.heard import MAX_LENGTH_GAP, MIN_NAME_WORD, SMALL_WORDS

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
            if len(last) < MIN_NAME_WORD or not rest.isalpha() or len(rest) < self._MIN_LETTERS:
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
