"""A misheard name that two names fit equally goes to the one the note names elsewhere.

"dry needling to the right gluteus, medius and right TFL ... a twitch response in the glute
men" (or "glute man"): "men" is one letter from "med" and from "min", and the sound of "min";
the note names the gluteus medius and never the minimus, so the place of the twitch is the
medius. Only a fuzzy two-word name whose first word is the name's own, whose second is at most
two edits from the second word of two or more names of that first word (three-letter
abbreviations are two edits from each other), and only when exactly one of them is named
elsewhere in the note and the one chosen by sound is not.

Reads: the MUSCLE spans (entry, match). Writes: ``span._.entry_id`` of such a span.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import jellyfish
from spacy.tokens import Span

from scribe.lexicons import Lexicons

_MAX_EDITS = 2


class NamedElsewhere:
    def __init__(self, lexicons: Lexicons) -> None:
        by_head: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for term in lexicons.terms():
            words = term.text.split(" ")
            if term.label == "MUSCLE" and not term.case_sensitive and len(words) == 2:
                by_head[words[0]].append((words[1], term.entry_id))
        self._by_head = dict(by_head)

    def _fits(self, span: Span) -> set[str]:
        """The names at most two edits from the span's words (its first word exact)."""
        head, heard = span[0].lower_, span[1].lower_
        return {
            entry_id
            for word, entry_id in self._by_head.get(head, ())
            if jellyfish.levenshtein_distance(heard, word) <= _MAX_EDITS
        }

    def resolve(self, spans: Iterable[Span]) -> None:
        muscles = [s for s in spans if s.label_ == "MUSCLE"]
        for span in muscles:
            if span._.match != "fuzzy" or len(span) != 2:
                continue
            fits = self._fits(span)
            if len(fits) < 2 or span._.entry_id not in fits:
                continue
            named = {s._.entry_id for s in muscles if s is not span}
            said = fits & named
            if span._.entry_id not in said and len(said) == 1:
                span._.entry_id = next(iter(said))
