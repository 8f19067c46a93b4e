"""Text the pipeline reads, and the way back to the dictation's own characters.

Typed notes carry hard line wraps ("middle\\nscalene") and column padding ("negative   for");
spaCy makes tokens of that whitespace, which breaks multi-word names and phrases. The pipeline
reads a normalized copy; every offset it produces maps back to the original text, so evidence
always quotes the clinician's exact words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# a line break inside a sentence: a word or comma before and a lower-case word after, or a
# line that ends on a word that cannot end a sentence ("2 mL of\n0.5% bupivacaine")
_SOFT_WRAP = (
    r"(?<=[A-Za-z,;])(?P<wrap>[ \t]*\n[ \t]*)(?=[a-z])"
    r"|\b(?:of|with|and|or|the|a|an|to|in|into|at|for|from|by|on)(?P<after>[ \t]*\n[ \t]*)(?=\S)"
)
_PADDING = r"[ \t]{2,}|\t"
_SPACES = re.compile(f"{_SOFT_WRAP}|{_PADDING}")


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str
    offsets: tuple[int, ...]  # offsets[i]: where character i of ``text`` is in ``original``

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``text`` to the same words in ``original``."""
        if end <= start:
            position = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return position, position
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str) -> NormalizedText:
    """Join soft-wrapped lines and squeeze padding to one space each."""
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _SPACES.finditer(text):
        group = "wrap" if match.group("wrap") else "after" if match.group("after") else 0
        start, end = match.span(group)
        pieces.append(text[position:start])
        offsets.extend(range(position, start))
        pieces.append(" ")
        offsets.append(start)
        position = end
    pieces.append(text[position:])
    offsets.extend(range(position, len(text)))
    return NormalizedText(original=text, text="".join(pieces), offsets=tuple(offsets))
