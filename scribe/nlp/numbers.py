"""Numbers as clinicians dictate them: "7", "7.5", "seven", "seventy five", "one hundred twenty"."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a": 1, "an": 1, "single": 1, "couple": 2, "both": 2,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD = "|".join(sorted([*(k for k in _UNITS if len(k) > 2), *_TENS], key=len, reverse=True))

# A number in digits or words; used inside larger patterns (``{NUM}`` in statements.yaml).
NUMBER = (
    rf"(?:\d+(?:\.\d+)?|(?:(?:{_WORD})(?:[\s-]+hundred)?(?:[\s-]+(?:and[\s-]+)?(?:{_WORD}))*)"
    rf"(?:\s+point\s+(?:{_WORD}|\d))?)"
)
_NUMBER_RE = re.compile(rf"^{NUMBER}$", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """The value of a number in digits or English words, or None."""
    text = text.strip().lower()
    if not text or not _NUMBER_RE.match(text):
        return None
    try:
        return float(text)
    except ValueError:
        pass
    whole, _, fraction = text.partition(" point ")
    total = 0
    current = 0
    for word in re.split(r"[\s-]+", whole):
        if word == "and":
            continue
        if word == "hundred":
            current = max(current, 1) * 100
        elif word in _TENS:
            current += _TENS[word]
        elif word in _UNITS:
            current += _UNITS[word]
        else:
            return None
    total += current
    if fraction:
        digit = _UNITS.get(fraction.strip()) if not fraction.strip().isdigit() else int(fraction)
        if digit is None:
            return None
        return total + digit / 10
    return float(total)


def expand_number_placeholder(pattern: str) -> str:
    """Replace ``{NUM}`` in a data-file pattern with the number expression."""
    return pattern.replace("{NUM}", NUMBER)
