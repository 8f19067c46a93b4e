"""Names a recogniser half misheard: one word of a two-word name exact and the other alike
("teres mayor"), two words of a three-word name exact and the third alike or begun as the
name's ("tensor fascia lat", "tensor facie, latissimus"), two words that joined sound like a
one-word name ("supra spine ate us"), a one-word name split into many words. Matched by sound
(metaphone) and spelling (Jaro-Winkler); the spans found are marked fuzzy.

Reads: the doc's lower-cased words and the targets found so far. Writes nothing: returns the
spans (``fuzzy.py`` puts them in place of what they cover).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import lru_cache

import jellyfish
from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons
from scribe.nlp.heard import SplitNames, name_split_in_many
from scribe.nlp.word_sounds import sound_distance, sounds_alike


class HalfHeardNames:
    def __init__(
        self,
        lexicons: Lexicons,
        index: Mapping[tuple[int, str], Mapping[str, str]],
        split_names: SplitNames,
        exact: set[str],
        exact_or_stop: frozenset[str],
        ends_a_longer_name: Callable[[str], bool],
    ) -> None:
        self._index = index
        self._ends_a_longer_name = ends_a_longer_name
        self._split_names = split_names
        self._exact = exact
        self._exact_or_stop = exact_or_stop
        # a name whose last word a recogniser misheard ("teres mayor", "levator scapula's")
        self._by_head: dict[str, list[tuple[list[str], str]]] = defaultdict(list)
        self._by_tail: dict[str, list[tuple[list[str], str]]] = defaultdict(list)
        for term in lexicons.terms():
            words = term.text.split(" ")
            if term.label == "MUSCLE" and not term.case_sensitive and len(words) == 2:
                self._by_head[words[0]].append((words, term.entry_id))
                self._by_tail[words[1]].append((words, term.entry_id))
        # three-word names, by their words with one left out ("tensor fascia lat")
        self._by_two_of_three: dict[tuple[str, ...], list[tuple[list[str], str]]] = defaultdict(
            list
        )
        self._three_word_words: set[str] = set()
        self._by_first_of_three: dict[str, list[tuple[list[str], str]]] = defaultdict(list)
        for term in lexicons.terms():
            words = term.text.split(" ")
            if term.label != "MUSCLE" or term.case_sensitive or len(words) != 3:
                continue
            self._three_word_words.update(words)
            self._by_first_of_three[words[0]].append((words, term.entry_id))
            for odd in range(3):
                key = tuple(w if k != odd else "" for k, w in enumerate(words))
                self._by_two_of_three[key].append((words, term.entry_id))
        # (first letter, length) of two words joined that could be near a one-word name
        self._joinable = frozenset(
            (term[0], len(term) + delta)
            for (size, _), terms in self._index.items()
            if size == 1
            for term in terms
            for delta in (-2, -1, 0, 1, 2)
        )
        # word pairs recur from note to note: each is judged once
        self.two_word_match = lru_cache(maxsize=65536)(self.two_word_match)  # type: ignore[method-assign]
        self._joined_match = lru_cache(maxsize=65536)(self._joined_match)  # type: ignore[method-assign]

    def find(self, doc: Doc, group: list[Span], lowered: list[str]) -> list[Span]:
        """Names a recogniser half misheard, matched by sound (metaphone) and spelling
        (Jaro-Winkler): one word of a two-word name exact and the other alike ("teres
        mayor"), or two words that joined sound like a one-word name ("supra spine ate us")."""
        blocked = {
            i for s in group for i in range(s.start, s.end)
            if s.label_ not in ("GROUP", "MUSCLE") or (s.label_ == "MUSCLE" and len(s) > 1)
        }  # fmt: skip
        found: list[Span] = []
        joinable = self._joinable

        def add(start: int, end: int, entry_id: str, score: float) -> None:
            span = Span(doc, start, end, label="MUSCLE")
            span._.entry_id = entry_id
            span._.match = "fuzzy"
            span._.match_score = round(score, 3)
            found.append(span)
            blocked.update(range(start, end))

        heads, tails, size = self._by_head, self._by_tail, len(lowered)
        for i, word in enumerate(lowered):
            if i in blocked or i + 1 >= size:
                continue
            # two of three words exact: the first or the second is a word of such a name
            if (
                i + 2 < size
                and (word in self._three_word_words or lowered[i + 1] in self._three_word_words)
                and not any(k in blocked for k in (i + 1, i + 2))
            ):
                # the speaker's pause written before the last word: "tensor fascia, lata"
                last = i + 3 if lowered[i + 2] == "," and i + 3 < size else i + 2
                three = (
                    None
                    if last in blocked
                    else self._three_word_match(word, lowered[i + 1], lowered[last])
                )
                if three is not None:
                    add(i, last + 1, *three)
                    continue
            many = name_split_in_many(
                lowered, i, blocked, self._exact, self._exact_or_stop, self._split_names
            )
            if many is not None:
                add(i, many[0], many[1], many[2])
                continue
            nxt, end = lowered[i + 1], i + 2
            if nxt == "'s" and i + 2 < size:  # "X's Y": a possessive the recogniser added
                nxt, end = "s" + lowered[i + 2], i + 3
            joined = min(len(word), len(nxt)) >= 3 and (word[0], len(word) + len(nxt)) in joinable
            # most word pairs are no candidate at all: the cheap tests come first
            if not (joined or word in heads or nxt in tails):
                continue
            if any(k in blocked for k in range(i, end)) or not (word.isalpha() and nxt.isalpha()):
                continue
            match = self.two_word_match(word, nxt)
            if (
                match is None
                and joined
                and word not in self._exact_or_stop
                and nxt not in self._exact_or_stop
            ):
                match = self._joined_match(word, nxt)
            if match is not None:
                add(i, end, *match)
        return found

    def two_word_match(self, first: str, second: str) -> tuple[str, float] | None:
        for words, entry_id in self._by_head.get(first, ()):
            if len(words) == 2 and words[1] != second and sounds_alike(second, words[1]):
                return entry_id, jellyfish.jaro_winkler_similarity(second, words[1])
        for words, entry_id in self._by_tail.get(second, ()):
            if words[0] != first and sounds_alike(first, words[0]):
                return entry_id, jellyfish.jaro_winkler_similarity(first, words[0])
        return None

    def _three_word_match(self, a: str, b: str, c: str) -> tuple[str, float] | None:
        """Two words of a three-word name exact, the third alike ("tensor fascia lat"), or the
        first two exact and the last beginning as the name's does ("tensor fascia latissis":
        the name the speaker began, not a look-alike of another one)."""
        words = (a, b, c)

        def begun(heard: str, meant: str) -> bool:
            return len(heard) >= 3 and heard[:3] == meant[:3] and heard.isalpha()

        for odd in range(3):
            key = tuple(w if k != odd else "" for k, w in enumerate(words))
            for name, entry_id in self._by_two_of_three.get(key, ()):
                heard, meant = words[odd], name[odd]
                if heard == meant:
                    continue
                if sounds_alike(heard, meant) or (odd == 2 and begun(heard, meant)):
                    return entry_id, jellyfish.jaro_winkler_similarity(heard, meant)
        # the first word exact, the second alike and the last begun as the name's ("tensor
        # facie, latissimus": not the latissimus dorsi, a word short of its name)
        for name, entry_id in self._by_first_of_three.get(a, ()):
            if b != name[1] and sounds_alike(b, name[1]) and c != name[2] and begun(c, name[2]):
                similarity = jellyfish.jaro_winkler_similarity(f"{b} {c}", f"{name[1]} {name[2]}")
                return entry_id, similarity
        return None

    def _joined_match(self, first: str, second: str) -> tuple[str, float] | None:
        joined = first + second
        if len(joined) < 7 or joined in self._exact or self._ends_a_longer_name(joined):
            return None  # "super spin anis": the end of the supraspinatus, not the spinalis
        for term, entry_id in self._index.get((1, joined[0]), {}).items():
            if abs(len(term) - len(joined)) > 2:
                continue
            similarity = jellyfish.jaro_winkler_similarity(joined, term)
            # the second word must carry the end of the name, not trail after a whole one
            rest = jellyfish.jaro_winkler_similarity(second, term[len(first) :] or " ")
            if similarity >= 0.92 and rest >= 0.65 and sound_distance(joined, term) <= 2:
                return entry_id, similarity
        return None
