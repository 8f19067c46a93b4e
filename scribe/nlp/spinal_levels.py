"""Spinal levels said beside a muscle name: "multifidus at L4-L5", "at L four L five",
"rotatores C5-6". A level names the region of the spine (sacral levels go with the lumbar
ones); ``targets.py`` reads the part of a muscle from it, ``scopes.py`` lets a list run on
across it.

Pure functions of text and words.
"""

from __future__ import annotations

import re

_NUMBER = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_LEVEL_AFTER = re.compile(
    r"[ \t,]*(?:(?:at|from|of|on|over|around)\s+)?(?:(?:the|levels?|segments?)\s+)*"
    rf"(?P<letter>[ctls])\s?-?\s?{_NUMBER}\b",
    re.IGNORECASE,
)
# one word of a level as a recogniser or a typist splits it: "L", "four", "L4", "-", "levels"
_LEVEL_WORD = re.compile(rf"^(?:[ctls]\d{{1,2}}|[ctls]|at|levels?|-|–|{_NUMBER})$")
_REGION_OF_LETTER = {"c": "cervical", "t": "thoracic", "l": "lumbar", "s": "lumbar"}


def region_after(text: str, at: int) -> str | None:
    """The region ("cervical", "thoracic", "lumbar") of a spinal level said right after
    character ``at``, or None."""
    level = _LEVEL_AFTER.match(text, at)
    return _REGION_OF_LETTER[level.group("letter").lower()] if level else None


def is_level_word(word: str) -> bool:
    """Whether a lower-case word may be part of a spinal level said in a list."""
    return bool(_LEVEL_WORD.match(word))
