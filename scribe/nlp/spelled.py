"""Abbreviations said letter by letter ("the left T F L", "S.C.M.", "T-F-L").

A speaker spells an abbreviation; a recogniser or a typist writes its letters apart, the last
one with a plural's s when there are two ("both S C Ms"); a recogniser also writes the plural
of an abbreviation all in capitals ("both SCMS", "both QLS"). A run of single letters (or one
dotted token) whose letters joined are a muscle abbreviation of the lexicon (``TFL``, ``SCM``,
``QL``) names that muscle. Two-letter abbreviations need capitals, so "a b" or "r f" in running
text stay words, unless a recogniser wrote them starting with a letter that is no word and no
side ("both q ls").
Such mentions are marked ``match="fuzzy"``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons
from scribe.nlp.extensions import SPOKEN

_JOINERS = frozenset({"-", "."})
_MAX_LETTERS = 4
_PLURAL_LETTER = re.compile(r"[A-Za-z]s")  # "Ms" ("M's" is read as "M" and "'s")
# single letters that are words or sides in running text ("a", "I", "r f" for "right f...")
_WORD_LETTERS = frozenset("aiorlb")
_TWO_LETTER_WORDS = frozenset({"is", "as", "us"})


class SpelledAbbreviations:
    """Finds spelled-out muscle abbreviations no other matcher covered."""

    def __init__(self, lexicons: Lexicons) -> None:
        self._entry = {
            t.text: t.entry_id
            for t in lexicons.terms()
            if t.label == "MUSCLE" and t.case_sensitive and t.text.isupper() and len(t.text) >= 2
        }

    def __call__(self, doc: Doc, covered: set[int]) -> list[Span]:
        found: list[Span] = []
        spoken = bool(doc.user_data.get(SPOKEN))
        i = 0
        while i < len(doc):
            text = doc[i].text
            if len(text) > 2 and "." not in text:
                # "both SCMS", "local twitch in both QLS": a recogniser's plural in capitals
                plural = text[:-1] if text.isupper() and text.endswith("S") else None
                if plural in self._entry and i not in covered:
                    found.append(self._span(doc, i, i + 1, self._entry[plural]))
                i += 1  # most words: neither a letter nor a dotted abbreviation
                continue
            letters, end = self._letters_from(doc, i, covered)
            entry = self._entry.get("".join(letters).upper()) if len(letters) >= 2 else None
            if (
                entry is None
                and len(letters) >= 3
                and letters[-1] == "I"
                and end == i + len(letters)
            ):
                # "the right T F L I'd leave", "the S C M I needled": the pronoun after the
                # letters is no letter
                letters, end = letters[:-1], end - 1
                entry = self._entry.get("".join(letters).upper())
            if entry is not None and (
                len(letters) >= 3
                or all(c.isupper() for c in letters)
                # "both q ls", "each q l": a recogniser's lower case, from a letter no word is
                or (
                    spoken and letters[0] not in _WORD_LETTERS and all(c.islower() for c in letters)
                )
            ):
                found.append(self._span(doc, i, end, entry))
                i = end
                continue
            i += 1
        return found

    @staticmethod
    def _span(doc: Doc, start: int, end: int, entry: str) -> Span:
        span = Span(doc, start, end, label="MUSCLE")
        span._.entry_id = entry
        span._.match = "fuzzy"
        span._.match_score = 0.95
        return span

    @staticmethod
    def _letters_from(doc: Doc, i: int, covered: set[int]) -> tuple[list[str], int]:
        """The single letters spelled from token ``i`` on, and where they end."""
        token = doc[i]
        if i not in covered and "." in token.text:
            parts = token.text.strip(".").split(".")
            if len(parts) <= _MAX_LETTERS and all(len(p) == 1 and p.isalpha() for p in parts):
                return parts, i + 1  # "S.C.M."
        letters: list[str] = []
        j = i
        while j < len(doc) and len(letters) < _MAX_LETTERS:
            word = doc[j]
            text = word.text[:1] if len(word.text) == 2 and word.text.endswith(".") else word.text
            if (
                letters
                and j not in covered
                and _PLURAL_LETTER.fullmatch(word.text)
                # (in the case of the letters before it, and no word: "the Q L is sore", "the
                # q l is sore" say no plural)
                and word.text[0].isupper() == letters[-1].isupper()
                and word.lower_ not in _TWO_LETTER_WORDS
            ):
                letters.append(word.text[0])  # "both S C Ms": the last letter, plural
                j += 1
                break
            if j in covered or not (len(text) == 1 and text.isalpha()):
                break
            letters.append(text)
            j += 1
            if text != word.text:
                break  # "S C M." ends the sentence
            if j < len(doc) and doc[j].text in _JOINERS and not doc[j - 1].whitespace_:
                j += 1  # "T-F-L"
        while j > i and doc[j - 1].text in _JOINERS:
            j -= 1
        return letters, j
