"""Drug names a speech recogniser wrote as other words: one word like the name ("kennelog",
"bupovacane", "markane") or the name written as two or three words ("Mark Cain", "lido came",
"dexa methasone"). A run counts when, joined, it begins with the name's letter, is about as
long, and sounds and is spelt like it (``sounds_alike``, Jaro-Winkler).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import jellyfish

from scribe.lexicons import Lexicons
from scribe.nlp.heard import MAX_LENGTH_GAP, MIN_SIMILARITY, SMALL_WORDS

_MIN_DRUG_LETTERS = 5
# a drug's name written as several words ("Mark Cain", "dexa methasone"): each this short
_SPLIT_DRUG_WORD_LETTERS = 9


class HeardDrugs:
    """Finds (start, end, entry_id, similarity) words that are a drug's name misheard: a rare
    word of at least five letters that begins with the name's letter and sounds like it
    (``sounds_alike``: metaphone codes and spelling close). Generic words ("medication") are
    never targets; neither is a word another matcher took."""

    def __init__(
        self,
        lexicons: Lexicons,
        *,
        is_common: Callable[[str], bool],
        sounds_alike: Callable[[str, str], bool],
    ) -> None:
        names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for substance in lexicons.substances.substances:
            if substance.category == "unspecified":
                continue
            for name in {substance.name.lower(), *(n.lower() for n in substance.synonyms)}:
                if " " not in name and len(name) >= _MIN_DRUG_LETTERS and name.isalpha():
                    names[name[0]].append((name, substance.id))
        self._names = dict(names)
        self._known = frozenset(n for group in names.values() for n, _ in group)
        self._is_common = is_common
        self._sounds_alike = sounds_alike

    def find(self, words: list[str], taken: Iterable[int]) -> list[tuple[int, int, str, float]]:
        blocked = set(taken)
        found: list[tuple[int, int, str, float]] = []
        for i, word in enumerate(words):
            split = self._split(words, i, blocked)
            if split is not None:
                found.append(split)
                blocked.update(range(split[0], split[1]))
                continue
            if (
                i in blocked
                or len(word) < _MIN_DRUG_LETTERS
                or word in self._known
                or word[0] not in self._names
                or self._is_common(word)
            ):
                continue
            best: tuple[str, float] | None = None
            for name, entry_id in self._names[word[0]]:
                if not self._sounds_alike(word, name):
                    continue
                similarity = jellyfish.jaro_winkler_similarity(word, name)
                if best is None or similarity > best[1]:
                    best = (entry_id, similarity)
            if best is not None:
                found.append((i, i + 1, *best))
        return found

    def _split(
        self, words: list[str], i: int, blocked: set[int]
    ) -> tuple[int, int, str, float] | None:
        """ "Mark Cain", "lido came", "dexa methasone": a drug's name written as two or three
        short words that, joined, sound like it."""
        first = words[i]
        if len(first) < 3 or first in SMALL_WORDS or first[0] not in self._names:
            return None
        for n in (3, 2):
            run = words[i : i + n]
            if len(run) < n or any(k in blocked for k in range(i, i + n)):
                continue
            if not all(w.isalpha() and len(w) <= _SPLIT_DRUG_WORD_LETTERS for w in run):
                continue
            if run[-1] in SMALL_WORDS or any(w in self._known for w in run):
                continue
            joined = "".join(run)
            if len(joined) < _MIN_DRUG_LETTERS + 2:
                continue
            best: tuple[str, float] | None = None
            for name, entry_id in self._names[first[0]]:
                if abs(len(name) - len(joined)) > MAX_LENGTH_GAP or not self._sounds_alike(
                    joined, name
                ):
                    continue
                similarity = jellyfish.jaro_winkler_similarity(joined, name)
                if similarity >= MIN_SIMILARITY and (best is None or similarity > best[1]):
                    best = (entry_id, similarity)
            if best is not None:
                return (i, i + n, *best)
        return None
