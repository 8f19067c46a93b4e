"""Misspelt muscle names ("infraspinatous", "teres minr", "quadradus lumborum").

Runs after exact matching, on words no exact name covered. A candidate must be close to a
lexicon name by edit similarity, word by word; it must not be merely a shorter word the name
begins with ("brachial" is not "brachialis"), and a misspelt word must not be a common English
word (word frequencies from the ``wordfreq`` package). Fuzzy mentions are marked
``match="fuzzy"`` with their score, never silently equal to an exact match. Abbreviations spelled
letter by letter ("T F L") are found here too (``spelled.py``).
"""

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import jellyfish
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons, load_lexicons
from scribe.nlp.extensions import SPOKEN, TARGETS, doc_lower, doc_text, register_extensions
from scribe.nlp.half_heard import HalfHeardNames
from scribe.nlp.heard import (
    HeardNames,
    glued_to_a_name,
    names_across_pauses,
    names_split_into_words,
    split_names,
)
from scribe.nlp.heard_drugs import HeardDrugs
from scribe.nlp.heard_in_part import HeardByFirstWord, HeardByLastWord
from scribe.nlp.named_elsewhere import NamedElsewhere
from scribe.nlp.spelled import SpelledAbbreviations
from scribe.nlp.word_sounds import (
    STOP_WORDS,
    common_sounds,
    is_common_word,
    is_known_word,
    reads_as_prose,
    sounds_alike,
)

_MIN_CHARS = 6
_MIN_SCORE = 88.0
_MAX_WORDS = 4  # "extensor carpi radiolis bremis"
_MIN_WORD_SCORE = 80.0  # every word must be close on its own
# A rare word of at least this many letters may be a one-word name misheard, when it sounds
# like it (metaphone codes this many edits apart) and is spelt at least this close (Jaro-Winkler)
_MIN_SOUND_LETTERS = 7
_SOUND_FLOOR = {0: 0.85, 1: 0.9}
# endings of anatomical adjectives, which name a region, never a misheard muscle
_ADJECTIVE_ENDINGS = ("al", "ic", "ar", "ous", "form", "ian")


class FuzzyMuscleMatcher:
    def __init__(self, lexicons: Lexicons) -> None:
        index: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
        for term in lexicons.terms():
            if term.label != "MUSCLE" or term.case_sensitive or len(term.text) < _MIN_CHARS:
                continue
            size = term.text.count(" ") + 1
            if size <= _MAX_WORDS:
                index[(size, term.text[0])][term.text] = term.entry_id
        self._index = dict(index)
        # one-word names by first letter, with their sound, for names split into many words
        self._split_names = split_names(
            (term, entry_id)
            for (size, _), terms in self._index.items()
            if size == 1
            for term, entry_id in terms.items()
        )
        self._exact = {t.text for t in lexicons.terms() if not t.case_sensitive}
        # words of names by first letter and length: a word within ratio 80 of another has
        # nearly its length, so only a handful of candidates are ever compared
        name_words: dict[tuple[str, int], set[str]] = defaultdict(set)
        for choices in self._index.values():
            for name in choices:
                for word in name.split(" "):
                    name_words[(word[0], len(word))].add(word)
        self._words = {key: sorted(group) for key, group in name_words.items()}
        self._first_words = {t.text.split(" ")[0] for t in lexicons.terms() if t.label == "MUSCLE"}
        # one-word names by first letter, with their sound ("temperless", "supinature")
        self._sounds: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self._one_word_names: set[str] = set()
        for term in lexicons.terms():
            words = term.text.split(" ")
            if term.label == "GROUP" and len(words) == 1:
                self._one_word_names.add(term.text)  # "pair of spinals": a group's end
            if term.label != "MUSCLE" or term.case_sensitive:
                continue
            if len(words) == 1 and len(term.text) >= _MIN_SOUND_LETTERS:
                self._one_word_names.add(term.text)
                self._sounds[term.text[0]].append(
                    (term.text, jellyfish.metaphone(term.text), term.entry_id)
                )
        self._joined = {
            t.text: t.entry_id
            for t in lexicons.terms()
            if t.label == "MUSCLE" and not t.case_sensitive
        }
        self._exact_or_stop = frozenset(self._exact | STOP_WORDS)
        self._named_elsewhere = NamedElsewhere(lexicons)
        self._half_heard = HalfHeardNames(
            lexicons,
            self._index,
            self._split_names,
            self._exact,
            self._exact_or_stop,
            self._ends_a_longer_name,
        )
        # word pairs and words recur from note to note: each is judged once
        self._spelled = SpelledAbbreviations(lexicons)
        self._heard = HeardNames(
            lexicons,
            is_common=is_common_word,
            ends_a_longer_name=self._ends_a_longer_name,
            may_be_a_name=self._may_be_a_name,
        )
        self._drugs = HeardDrugs(lexicons, is_common=is_common_word, sounds_alike=sounds_alike)
        self._by_first_word = HeardByFirstWord(lexicons, is_common=is_common_word)
        self._by_last_word = HeardByLastWord(lexicons, is_common=is_common_word)
        self._sounds_like_a_name = lru_cache(maxsize=65536)(self._sounds_like_a_name)  # type: ignore[method-assign]
        self._near_a_name_word = lru_cache(maxsize=65536)(self._near_a_name_word)  # type: ignore[method-assign]

    def _near_a_name_word(self, word: str) -> bool:
        """Rare words far from every word of every muscle name can be skipped."""
        size = len(word)
        choices = [w for n in range(size - 3, size + 4) for w in self._words.get((word[0], n), ())]
        near = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=_MIN_WORD_SCORE)
        return near is not None and near[0] != word

    def _split_words(self, doc: Doc, words: list[str]) -> list[Span]:
        """ "semi spinalis capitis", "sub scapularis" (``heard.names_split_into_words``)."""
        return [
            self._fuzzy_span(doc, start, end, entry_id, 0.95)
            for start, end, entry_id in names_split_into_words(
                words, self._first_words, self._joined.get
            )
        ]

    @staticmethod
    def _fuzzy_span(doc: Doc, start: int, end: int, entry_id: str, score: float) -> Span:
        span = Span(doc, start, end, label="MUSCLE")
        span._.entry_id = entry_id
        span._.match = "fuzzy"
        span._.match_score = round(score, 3)
        return span

    def _across_pauses(self, doc: Doc, lowered: list[str], group: list[Span]) -> list[Span]:
        """ "the right gluteus, medius": a name with the speaker's pause written inside it
        (``heard.names_across_pauses``)."""
        blocked = {i for s in group if len(s) > 1 for i in range(s.start, s.end)}
        named = {s.start for s in group if len(s) == 1 and s.label_ != "GROUP"}
        return [
            self._fuzzy_span(doc, *found)
            for found in names_across_pauses(
                lowered, self._joined.get, self._half_heard.two_word_match, blocked, named
            )
        ]

    def _ends_a_longer_name(self, word: str) -> bool:
        """ "super spininus", "pair of spinals": the end of a longer name the recogniser split
        into words, not a name of its own."""
        return any(
            len(name) >= len(word) + 3
            and jellyfish.jaro_winkler_similarity(word, name[-len(word) :]) >= _SOUND_FLOOR[0]
            for name in self._one_word_names
        )

    def _may_be_a_name(self, word: str) -> bool:
        """Whether one misheard word may stand for a one-word name at all."""
        if word.endswith(_ADJECTIVE_ENDINGS):
            return False  # "popliteal", "occipital", "supraspinous", "subclavian": a region
        if jellyfish.metaphone(word) in common_sounds():
            return False  # "rotature" sounds like "radiator": a word misheard, not a name
        return not self._ends_a_longer_name(word)

    def _sounds_like_a_name(self, word: str) -> tuple[str, float] | None:
        """A long rare word that begins like a one-word name, sounds like it and is spelt
        nearly like it ("temperless", "supinature", "infristinatus"): the closest such name."""
        if not self._may_be_a_name(word):
            return None
        sound = jellyfish.metaphone(word)
        best: tuple[str, float] | None = None
        for name, name_sound, entry_id in self._sounds.get(word[0], ()):
            # the same beginning, in spelling or in sound ("ileopsoza" for iliopsoas)
            if name[:3] != word[:3] and (name[:2] != word[:2] or name_sound[:3] != sound[:3]):
                continue
            if abs(len(name) - len(word)) > 3 or name.startswith(word):
                continue  # "piriform", "subscapular": the place, not the muscle
            distance = jellyfish.levenshtein_distance(sound, name_sound)
            similarity = jellyfish.jaro_winkler_similarity(word, name)
            floor = _SOUND_FLOOR.get(distance)
            if floor is not None and similarity >= floor and (best is None or similarity > best[1]):
                best = (entry_id, similarity)
        return best

    def __call__(self, doc: Doc) -> Doc:
        lowered = doc_lower(doc)
        words = [w if w.isalpha() else "" for w in lowered]  # "" for anything not a word
        group = list(doc.spans[TARGETS])
        tails = self._half_heard.find(doc, group, lowered)
        if tails:
            inside = {
                (s.start, s.end)
                for s in group
                for m in tails
                if m.start <= s.start and s.end <= m.end
            }
            group = sorted([*(s for s in group if (s.start, s.end) not in inside), *tails],
                           key=lambda s: (s.start, s.end))  # fmt: skip
            doc.spans[TARGETS] = group
        exact = [(s.start, s.end) for s in group if s.label_ == "MUSCLE"]
        # a name split in two ("sterno cleido") inside a name already read whole ("sterno
        # cleido mastoid") is that name
        split = [
            s
            for s in self._split_words(doc, words)
            if not any(a <= s.start and s.end <= b for a, b in exact)
        ]
        # what a recogniser wrote: a transcript, or a dictation given as prose (one paragraph,
        # or wrapped over lines with no heading, field, list or box: typed notes and EHR
        # exports have those)
        transcript = bool(doc.user_data.get(SPOKEN))
        recognised = transcript or reads_as_prose(doc_text(doc))
        if recognised:
            split += self._across_pauses(doc, lowered, group)
        if split:
            inside = {
                (s.start, s.end)
                for s in group
                for m in split
                if m.start <= s.start and s.end <= m.end
            }
            kept = [s for s in group if (s.start, s.end) not in inside]
            group = sorted([*kept, *split], key=lambda s: (s.start, s.end))
            doc.spans[TARGETS] = group
        # a one-word group ("glutes") may turn out to be part of a misspelt name ("gluteus medeus")
        covered = {
            i for s in group for i in range(s.start, s.end) if s.label_ != "GROUP" or len(s) > 1
        }
        replaced: set[tuple[int, int]] = set()
        found: list[Span] = []
        # a typo needs at least one rare word: everything else is skipped cheaply
        rare = {
            i for i, word in enumerate(words)
            if len(word) >= 4 and i not in covered
            and not is_common_word(word) and self._near_a_name_word(word)
            and (transcript or not is_known_word(word))
        }  # fmt: skip
        starts = sorted({j - k for j in rare for k in range(_MAX_WORDS) if j - k >= 0})
        consumed = -1
        for i in starts:
            if i < consumed:
                continue
            match = self._match_at(doc, i, covered)
            if match is None:
                continue
            n, entry_id, score = match
            span = Span(doc, i, i + n, label="MUSCLE")
            span._.entry_id = entry_id
            span._.match = "fuzzy"
            span._.match_score = round(score / 100, 3)
            found.append(span)
            replaced |= {
                (s.start, s.end) for s in group if s.label_ == "GROUP" and i <= s.start < i + n
            }
            consumed = i + n
        taken = covered | {k for span in found for k in range(span.start, span.end)}
        for i, word in enumerate(words):
            if len(word) < _MIN_SOUND_LETTERS or i in taken or is_common_word(word):
                continue
            if word in self._exact or (not transcript and is_known_word(word)):
                continue
            sounds = self._sounds_like_a_name(word)
            if sounds is None and recognised:
                sounds = glued_to_a_name(word, self._joined)
            if sounds is not None:
                span = Span(doc, i, i + 1, label="MUSCLE")
                span._.entry_id = sounds[0]
                span._.match = "fuzzy"
                span._.match_score = round(sounds[1], 3)
                found.append(span)
                replaced |= {
                    (s.start, s.end) for s in group if s.label_ == "GROUP" and s.start == i
                }
        taken |= {k for span in found for k in range(span.start, span.end)}
        taken |= {i for s in group for i in range(s.start, s.end)}
        found += self._spelled(doc, taken)
        taken |= {k for span in found for k in range(span.start, span.end)}
        if recognised:
            # names heard as other words, then drug names misheard
            # a leading hyphen is a pause the recogniser wrote: "mass, -eacher"
            heard_words = [
                w if w else _after_hyphen(t) for w, t in zip(words, lowered, strict=True)
            ]
            pauses = {i for i, t in enumerate(lowered) if t in _PAUSES}
            hyphens = {i for i, t in enumerate(lowered) if t == "-"}
            found += [
                self._fuzzy_span(doc, *heard)
                for heard in self._heard.find(heard_words, taken, pauses)
            ]
            taken = {i for span in [*group, *found] for i in range(span.start, span.end)}
            found += [
                self._fuzzy_span(doc, *h) for h in self._by_first_word.find(words, taken, hyphens)
            ]
            taken = {i for span in [*group, *found] for i in range(span.start, span.end)}
            found += [self._fuzzy_span(doc, *h) for h in self._by_last_word.find(words, taken)]
            taken = {i for span in [*group, *found] for i in range(span.start, span.end)}
            for start, end, entry_id, score in self._drugs.find(words, taken):
                drug = self._fuzzy_span(doc, start, end, entry_id, score)
                drug.label_ = "SUBSTANCE"
                found.append(drug)
        if not transcript:
            # typed text means an English word as written: "tab-delimited" is no deltoid
            found = [s for s in found if len(s) > 1 or not is_known_word(s[0].lower_)]
        if found:
            found.sort(key=lambda s: s.start)
            kept = [s for s in group if (s.start, s.end) not in replaced]
            doc.spans[TARGETS] = sorted([*kept, *found], key=lambda s: (s.start, s.end))
        self._named_elsewhere.resolve(doc.spans[TARGETS])
        return doc

    def _match_at(self, doc: Doc, i: int, covered: set[int]) -> tuple[int, str, float] | None:
        for n in range(_MAX_WORDS, 0, -1):
            tokens = doc[i : i + n]
            if len(tokens) < n or any(t.i in covered or not t.is_alpha for t in tokens):
                continue
            phrase = " ".join(t.lower_ for t in tokens)
            if len(phrase) < _MIN_CHARS or phrase in self._exact:
                continue
            choices = self._index.get((n, phrase[0]), {})
            best = process.extractOne(
                phrase, choices.keys(), scorer=fuzz.ratio, score_cutoff=_MIN_SCORE
            )
            if best is None:
                continue
            term, score = best[0], best[1]
            if term.startswith(phrase) or phrase.startswith(term):
                continue  # "brachial" / "brachialis": a different word, not a typo
            if n == 1 and self._ends_a_longer_name(phrase):
                continue
            pairs = [
                (a, b) for a, b in zip(phrase.split(" "), term.split(" "), strict=True) if a != b
            ]
            if any(fuzz.ratio(a, b) < _MIN_WORD_SCORE for a, b in pairs):
                continue
            if any(is_common_word(a) for a, _ in pairs):
                continue
            return n, choices[term], score
        return None


_PAUSES = frozenset({",", "-"})


def _after_hyphen(token: str) -> str:
    word = token[1:]
    return word if token[:1] == "-" and word.isalpha() else ""


@Language.factory("scribe_fuzzy", default_config={"lexicon_dir": None})
def make_fuzzy(nlp: Language, name: str, lexicon_dir: str | None) -> FuzzyMuscleMatcher:
    register_extensions()
    return FuzzyMuscleMatcher(load_lexicons(Path(lexicon_dir) if lexicon_dir else None))
