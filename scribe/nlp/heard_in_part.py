"""Muscle names a recogniser heard in part: the first word exactly and the second as a rare
word that begins with its sound ("tensor fishy", ``HeardByFirstWord``), or the last word exactly
and the words before it as words that sound like the rest ("a doctor longus",
``HeardByLastWord``), or a Latin last word and a rare word before it that sounds nearer one
name's noun than any other's ("blautius medius"). Names heard whole as other words are
``heard.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable

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


# a muscle's own Latin noun ends so: tensor, pronator, rectus, vastus, tibialis
_LATIN_NOUN_ENDINGS = ("or", "us", "is")
# words that say what kind of thing the first word is, never a misheard part of a name
_GENERIC_WORDS = frozenset("muscle muscles musculature group groups tendon tendons".split())


# a last word heard exactly and a rare word before it: the nearest name's noun, this near
_MAX_NEAREST_EDITS = 2
_NEAREST_SCORE = 0.6
_MIN_NEAREST_SOUND = 4


def _is_latin_noun(word: str) -> bool:
    return len(word) >= 5 and word.endswith(_LATIN_NOUN_ENDINGS)


def _first_sound(word: str) -> str:
    """The letter a word begins with as heard: "phase" and "fishy" both begin with f."""
    return "f" if word.startswith("ph") else word[0]


class HeardByFirstWord:
    """ "tensor fassiola", "splenius cervisis": a name's first word heard exactly and its second
    heard as a rare word that begins with the same sound, where only one name of that first
    word has a second word beginning so. The second word may be an ordinary one ("tensor
    phase", "pronator tears") when the first word names nothing on its own (a "biceps" or a
    "levator" is a muscle by itself: "biceps felt tight" stays so) and the ordinary word sounds
    like the name's own second word at its start (metaphone); a hyphen the recogniser wrote
    between the two words ("tensor-fast") is stepped over after such a noun. A longer name's
    first two words, a Latin noun and a word of no English that begin no other name, are the
    name whatever follows them ("tensor fascia lager"). Finds (start, end, entry_id, score)."""

    _SCORE = 0.8

    def __init__(self, lexicons: Lexicons, *, is_common: Callable[[str], bool]) -> None:
        heads: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        # the sounds of the second words, by first word and entry
        seconds: dict[tuple[str, str], set[str]] = defaultdict(set)
        known: set[str] = set()
        named: set[str] = set()
        for term in lexicons.terms():
            if term.case_sensitive:
                continue
            words = term.text.split(" ")
            known.update(words)
            named.add(term.text)
            if (
                term.label == "MUSCLE"
                and len(words) >= 2
                and words[1].isalpha()
                and words[0] not in _POSITION_WORDS
            ):
                heads[words[0]][_first_sound(words[1])].add(term.entry_id)
                seconds[(words[0], term.entry_id)].add(jellyfish.metaphone(words[1]))
        self._heads = {head: dict(by_sound) for head, by_sound in heads.items()}
        self._seconds = dict(seconds)
        self._known = frozenset(known)
        self._named = frozenset(named)
        self._is_common = is_common
        # the first two words of names of three or more, a Latin noun and a word of no English,
        # where they begin one name only and name nothing themselves ("tensor fascia"; not
        # "extensor carpi", which begins three, nor "levator scapulae", a name)
        prefixes: dict[tuple[str, str], set[str]] = defaultdict(set)
        for term in lexicons.terms():
            words = term.text.split(" ")
            if term.label == "MUSCLE" and not term.case_sensitive and len(words) >= 3:
                prefixes[(words[0], words[1])].add(term.entry_id)
        self._prefixes = {
            pair: next(iter(entries))
            for pair, entries in prefixes.items()
            if len(entries) == 1
            and " ".join(pair) not in named
            and _is_latin_noun(pair[0])
            and pair[0] not in _POSITION_WORDS
            and len(pair[1]) >= MIN_NAME_WORD
            and not is_common(pair[1])
        }

    def find(
        self, words: list[str], taken: Iterable[int], pauses: Container[int] = ()
    ) -> list[tuple[int, int, str, float]]:
        """``words``: lower-case words, "" for a token that is not one; ``pauses``: the
        hyphens a recogniser wrote for a pause."""
        blocked = set(taken)
        found: list[tuple[int, int, str, float]] = []
        for i in range(len(words) - 1):
            by_sound = self._heads.get(words[i])
            if by_sound is None or i in blocked:
                continue
            # a hyphen after a muscle's Latin noun ("tensor-fast"); never after a short or
            # a region's word ("mid-shin")
            j = i + 2 if i + 1 in pauses and _is_latin_noun(words[i]) else i + 1
            heard = words[j] if j < len(words) else ""
            if j in blocked:
                continue
            # "the tensor fascia lager": a longer name's first two words, which begin no other
            if (entry_id := self._prefixes.get((words[i], heard))) is not None:
                found.append((i, j + 1, entry_id, self._SCORE))
                blocked.update(range(i, j + 1))
                continue
            if len(heard) < 3 or heard in SMALL_WORDS or heard in self._known:
                continue
            entries = by_sound.get(_first_sound(heard), set())
            if len(entries) != 1:
                continue
            entry_id = next(iter(entries))
            if self._is_common(heard) and not self._sounds_like_the_rest(words[i], entry_id, heard):
                continue
            found.append((i, j + 1, entry_id, self._SCORE))
            blocked.update(range(i, j + 1))
        return found

    def _sounds_like_the_rest(self, head: str, entry_id: str, heard: str) -> bool:
        """An ordinary word after a first word that names nothing alone and is a muscle's Latin
        noun (a "tensor", a "pronator", a "vastus": not a region's adjective, "cervical
        rotation"), which begins with the sound of the name's second word ("tensor phase": FS,
        as "fasciae")."""
        if head in self._named or not _is_latin_noun(head):
            return False
        if heard in _GENERIC_WORDS:
            return False
        sound = jellyfish.metaphone(heard)[:2]
        return len(sound) == 2 and any(
            second[:2] == sound for second in self._seconds.get((head, entry_id), ())
        )


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
        # "tibialis" ends "anterior tibialis" but begins "tibialis anterior": no sure last word
        self._first_words = frozenset(
            term.text.split(" ")[0] for term in lexicons.terms() if term.label == "MUSCLE"
        )
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
            if (
                best is None
                and word not in self._first_words
                and not self._is_common(word)
                and before - 1 not in blocked
            ):
                nearest = self._nearest(words[before - 1] if before > 0 else "", candidates)
                best = None if nearest is None else (before - 1, *nearest)
            if best is not None:
                found.append((best[0], i + 1, best[1], best[2]))
                blocked.update(range(best[0], i + 1))
        return found

    def _nearest(
        self, heard: str, candidates: list[tuple[str, str, str]]
    ) -> tuple[str, float] | None:
        """ "blautius medius", "lugus maximus": a Latin last word that is no English word,
        heard exactly, after one rare word (the name's noun misheard): the name whose noun
        sounds nearest (metaphone, at most two edits and at most half the noun's sound), when
        no other name ending so is as near; an ordinary word must be one edit near ("fastest
        lateralis"). A word that also begins names ("tibialis") is no sure last word.
        The score is low on purpose: the note goes to review."""
        if len(heard) < self._MIN_LETTERS or not heard.isalpha() or heard in SMALL_WORDS:
            return None
        most = 1 if self._is_common(heard) else _MAX_NEAREST_EDITS
        sound = jellyfish.metaphone(heard)
        distances: dict[str, int] = {}
        for _, rest_sound, entry_id in candidates:
            distance = jellyfish.levenshtein_distance(sound, rest_sound)
            if len(rest_sound) < _MIN_NEAREST_SOUND or 2 * distance > len(rest_sound):
                continue  # "carpy" for "brachio": too short a sound to tell, or half of it off
            distances[entry_id] = min(distance, distances.get(entry_id, distance))
        ranked = sorted(distances.items(), key=lambda item: item[1])
        if not ranked or ranked[0][1] > most:
            return None
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None  # as near to two names: the audio must tell
        return ranked[0][0], _NEAREST_SCORE

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
