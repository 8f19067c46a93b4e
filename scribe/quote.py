"""Evidence quoted in the dictation's own characters."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

from scribe.nlp.normalize import NormalizedText

Data = dict[str, Any]


class Quote:
    """Evidence in the dictation's own characters, from offsets in the text the NLP read."""

    def __init__(self, source: NormalizedText) -> None:
        self._source = source

    def __call__(self, start: int, end: int) -> Data:
        start, end = self._source.to_original(start, end)
        return {"start": start, "end": end, "text": self._source.original[start:end]}

    def optional(self, span: tuple[int, int] | None) -> Data | None:
        return self(*span) if span else None

    def span(self, span: Span) -> Data:
        return self(span.start_char, span.end_char)

    def span_of(self, offsets: tuple[int, int]) -> str:
        """The words at offsets of the text the NLP read."""
        return str(self(*offsets)["text"])
