"""Numbers as clinicians dictate them: "7", "7.5", "seven", "seventy five", "one hundred twenty",
and the spoken hundreds of range of motion ("one twenty to one forty five degrees").

English number words are read by ``text2num`` (a maintained parser). This module only finds
where a number is (``NUMBER``, a pattern used inside larger ones) and adds what dictation
says that the parser does not: "one twenty" for 120, "six point five", "a couple", "both".
"""

from __future__ import annotations

import re

from text_to_num.transforms import text2num

_SMALL = ("zero oh one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
_TENS = "twenty thirty forty fourty fifty sixty seventy eighty ninety".split()
# words that stand for a number in a count ("a couple of needles", "both sides")
_COUNT_WORDS = {"single": 1, "couple": 2, "both": 2}
_WORD = "|".join(sorted([*(w for w in _SMALL if len(w) > 2), *_TENS, *_COUNT_WORDS], key=len,
                        reverse=True))  # fmt: skip
_DIGIT_WORDS = frozenset(_SMALL[2:11])  # one ... nine

# A number in digits or words; used inside larger patterns (``{NUM}`` in statements.yaml).
NUMBER = (
    rf"(?:\d+(?:\.\d+)?|(?:(?:{_WORD})(?:[\s-]+hundred)?(?:[\s-]+(?:and[\s-]+)?(?:{_WORD}))*)"
    rf"(?:\s+point\s+(?:{_WORD}|\d))?)"
)
_NUMBER_RE = re.compile(rf"^{NUMBER}$", re.IGNORECASE)


def _words_value(text: str) -> int | None:
    """The value of number words, or None when they are not one number."""
    # "one hundred and twenty": the parser reads the number without the "and"
    words = [w for w in re.split(r"[\s-]+", text.replace("fourty", "forty")) if w and w != "and"]
    if len(words) == 1 and words[0] in _COUNT_WORDS:
        return _COUNT_WORDS[words[0]]
    if words == ["oh"]:
        return 0
    try:
        return int(text2num(" ".join(words), "en"))
    except ValueError:
        pass
    # spoken hundreds: "one twenty" is 120, "one forty five" is 145
    if len(words) >= 2 and words[0] in _DIGIT_WORDS and "hundred" not in words:
        try:
            rest = int(text2num(" ".join(words[1:]), "en"))
            first = int(text2num(words[0], "en"))
        except ValueError:
            return None
        if 10 <= rest <= 99:
            return first * 100 + rest
    return None


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
    value = _words_value(whole)
    if value is None:
        return None
    if not fraction:
        return float(value)
    digit = int(fraction) if fraction.strip().isdigit() else _words_value(fraction.strip())
    if digit is None or not 0 <= digit <= 9:
        return None
    return value + digit / 10


def expand_number_placeholder(pattern: str) -> str:
    """Replace ``{NUM}`` in a data-file pattern with the number expression."""
    return pattern.replace("{NUM}", NUMBER)
