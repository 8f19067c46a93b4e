"""Words as English has them: which are common (word frequencies from the ``wordfreq``
package), how alike two words sound (metaphone codes and Jaro-Winkler spelling, from
``jellyfish``), and whether a text reads as prose a recogniser may have written. Used by the
matchers of misspelt and misheard names (``fuzzy.py``, ``heard.py``, ``heard_in_part.py``,
``heard_drugs.py``) and by the readers of unknown words (``targets.py``, ``unread.py``).
"""

import re
from functools import lru_cache

import jellyfish
from wordfreq import get_frequency_dict

# A word this common in English is a word, not a typo: "cervical rotation" is no muscle.
# (Zipf 3.0: once per million words.)
_COMMON_FREQUENCY = 1e-6

# a line of a typed note or export: a heading or field ("Plan:", "R UT -"), a list item, a box,
# a table row
_STRUCTURED_LINE = re.compile(
    r"^\s*(?:[A-Za-z][\w /&().'-]{0,40}:|[-*•>#|]|\d+[.)]\s|\[|\(\s?[xX ]?\s?\))|[:|]\s*$"
)
_PROSE_LINE_LETTERS = 50  # the lines of wrapped prose are long


def reads_as_prose(text: str) -> bool:
    """One paragraph, or prose wrapped over long lines with no structure."""
    lines = [line for line in text.strip().split("\n") if line.strip()]
    if len(lines) <= 1:
        return True
    if any(_STRUCTURED_LINE.search(line) for line in lines):
        return False
    return all(len(line) >= _PROSE_LINE_LETTERS for line in lines[:-1])


def sound_distance(a: str, b: str) -> int:
    return int(jellyfish.levenshtein_distance(jellyfish.metaphone(a), jellyfish.metaphone(b)))


def sounds_alike(heard: str, word: str) -> bool:
    """A misheard word for a name's word: alike in sound and spelling, at least 3 letters."""
    if len(heard) < 3 or heard in STOP_WORDS:
        return False
    similarity = jellyfish.jaro_winkler_similarity(heard, word)
    distance = sound_distance(heard, word)
    return (distance == 0 and similarity >= 0.7) or (distance == 1 and similarity >= 0.84)


STOP_WORDS = frozenset(
    "and the with for from into over left right both then also side sides".split()
)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words used at least once per million words (from ``wordfreq``), read once."""
    return frozenset(w for w, f in get_frequency_dict("en").items() if f >= _COMMON_FREQUENCY)


@lru_cache(maxsize=1)
def common_sounds() -> frozenset[str]:
    """The metaphone codes of common English words of five letters or more."""
    return frozenset(jellyfish.metaphone(w) for w in common_words() if len(w) >= 5 and w.isalpha())


def is_common_word(word: str) -> bool:
    """Common English words are never treated as misspellings."""
    return word in common_words()


# an English word that a typist means as written: at least 0.16 per million words (a Zipf
# frequency of 2.2: "delimited" is, no misspelt muscle name is; "pectoralis" is 2.05)
_KNOWN_FREQUENCY = 10 ** (2.2 - 9)


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    return frozenset(w for w, f in get_frequency_dict("en").items() if f >= _KNOWN_FREQUENCY)


def is_known_word(word: str) -> bool:
    """A word of English, rarer than the common ones, that typed text means as written ("tab-
    delimited" is no misspelt deltoid)."""
    return word in _known_words()
