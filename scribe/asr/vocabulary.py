"""The words that bias recognition, picked from the lexicons by rule, never by hand.

Whisper knows everyday English; what it mishears are the Latin words of muscle names and the
drug names. So the vocabulary is: the dictation terms of ``asr.yaml`` (procedure words, sides),
then whole muscle names that hold a word rare in English (``wordfreq`` Zipf frequency under
``max_zipf``), in ``muscle_order`` (how often clinicians name them in public reports,
``bench/asr_vocabulary.py``), then the substances with a rare word, then the other muscles' names
(groups nobody dry needles left out), until the token budget is spent. No muscle is picked by
hand.

Names stay whole: a list of loose words ("gluteus, medius, lumborum") taught the model to put
commas inside names ("the left gluteus, medius"), which splits them for the extraction.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wordfreq import zipf_frequency

from scribe.errors import LexiconError
from scribe.lexicons import Lexicons
from scribe.schemas.lexicon import AsrVocabulary

_WORD = re.compile(r"[a-z]+")


def _has_rare_word(name: str, max_zipf: float) -> bool:
    return any(zipf_frequency(w, "en") < max_zipf for w in _WORD.findall(name.lower()))


def vocabulary_words(lexicons: Lexicons, spec: AsrVocabulary) -> list[str]:
    """Every candidate term, in the order the budget takes them."""
    unknown = [m for m in spec.muscle_order if m not in lexicons.muscle_by_id]
    if unknown:
        raise LexiconError(f"asr.yaml muscle_order names unknown muscles: {unknown[:5]}")
    excluded = set(spec.excluded_groups)
    ordered = [lexicons.muscle_by_id[m].name for m in spec.muscle_order]
    others = [m.name for m in lexicons.muscles.muscles if m.group not in excluded]
    substances = [s.name for s in lexicons.substances.substances]
    terms: list[str] = list(dict.fromkeys(spec.terms))
    for name in [*ordered, *substances, *others]:
        if name not in terms and _has_rare_word(name, spec.max_zipf):
            terms.append(name)
    return terms


def bias_text(lexicons: Lexicons, spec: AsrVocabulary, count_tokens: Callable[[str], int]) -> str:
    """The vocabulary within ``spec.max_tokens`` tokens: a comma-separated list, or the
    ``template`` sentence with the list in place of ``{names}``."""
    template = spec.template or "{names}"

    def render(terms: list[str]) -> str:
        return " ".join(template.replace("{names}", ", ".join(terms)).split())

    taken: list[str] = []
    for term in vocabulary_words(lexicons, spec):
        if count_tokens(render([*taken, term])) > spec.max_tokens:
            break
        taken.append(term)
    return render(taken)
