"""The words that bias recognition, picked from the lexicons by rule, never by hand.

Whisper knows everyday English; what it mishears are the Latin words of muscle names and the
drug names. So the vocabulary is: the dictation terms of ``asr.yaml`` (procedure words, sides),
then the words of muscle names that are rare in English (``wordfreq`` Zipf frequency under
``max_zipf``), muscle by muscle in ``muscle_order`` (how often clinicians name them in public
reports, ``bench/asr_vocabulary.py``), then the substances' rare words, then the other muscles'
rare words (groups nobody dry needles left out), most shared first, until the token budget is
spent. No muscle is picked by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from wordfreq import zipf_frequency

from scribe.errors import LexiconError
from scribe.lexicons import Lexicons
from scribe.schemas.lexicon import AsrVocabulary

_WORD = re.compile(r"[a-z]+")
_NAME_FILLERS = frozenset({"of", "and", "the", "part", "head", "belly"})


def _rare_words(names: Iterable[str], max_zipf: float) -> list[str]:
    """Rare words of ``names``, the most shared first (then alphabetical: stable)."""
    counts: Counter[str] = Counter()
    for name in names:
        for word in set(_WORD.findall(name.lower())):
            if word not in _NAME_FILLERS and zipf_frequency(word, "en") < max_zipf:
                counts[word] += 1
    return sorted(counts, key=lambda word: (-counts[word], word))


def vocabulary_words(lexicons: Lexicons, spec: AsrVocabulary) -> list[str]:
    """Every candidate, in the order the budget takes them."""
    unknown = [m for m in spec.muscle_order if m not in lexicons.muscle_by_id]
    if unknown:
        raise LexiconError(f"asr.yaml muscle_order names unknown muscles: {unknown[:5]}")
    excluded = set(spec.excluded_groups)
    ordered = [lexicons.muscle_by_id[m].name for m in spec.muscle_order]
    others = [m.name for m in lexicons.muscles.muscles if m.group not in excluded]
    substances = [s.name for s in lexicons.substances.substances]
    by_muscle = [w for name in ordered for w in _rare_words([name], spec.max_zipf)]
    words: list[str] = []
    for word in [
        *spec.terms,
        *by_muscle,
        *_rare_words(substances, spec.max_zipf),
        *_rare_words(others, spec.max_zipf),
    ]:
        if word not in words:
            words.append(word)
    return words


def bias_text(lexicons: Lexicons, spec: AsrVocabulary, count_tokens: Callable[[str], int]) -> str:
    """The vocabulary as one comma-separated line within ``spec.max_tokens`` tokens."""
    taken: list[str] = []
    for word in vocabulary_words(lexicons, spec):
        if count_tokens(", ".join([*taken, word])) > spec.max_tokens:
            break
        taken.append(word)
    return ", ".join(taken)
