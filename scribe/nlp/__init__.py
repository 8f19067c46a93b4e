"""The spaCy/medspaCy pipeline that turns a dictation into annotated spans.

Components, in order (each in its own module, registered by importing it here):
``scribe_sentences`` -> ``scribe_sections`` (medspaCy Sectionizer, document kind) ->
``scribe_targets`` and ``scribe_abbreviations`` (medspaCy TargetMatchers, case-insensitive names
and case-sensitive abbreviations) -> ``scribe_fuzzy`` -> ``scribe_ellipsis`` ->
``scribe_ambiguity`` (names that are also common words need supporting context) ->
``scribe_context`` (medspaCy ConText) -> ``scribe_laterality`` -> ``scribe_assertion``
(substances, findings) -> ``scribe_events`` (procedures, and the muscles tied to them) ->
``scribe_injectate`` -> ``scribe_rationale`` -> ``scribe_diagnoses`` (diagnoses and
complaints, in ``scribe.diagnoses``) -> ``scribe_unread`` (list items that name no known
muscle).
"""

from __future__ import annotations

from pathlib import Path

import spacy
from loguru import logger
from spacy.language import Language

from scribe.diagnoses import component as _diagnoses  # noqa: F401  (registers its factory)
from scribe.nlp import (  # noqa: F401  (importing registers the factories)
    assertion,
    context,
    events,
    fuzzy,
    injectate,
    laterality,
    rationale,
    sections,
    sentences,
    targets,
    unread,
)

# PyRuSH (imported by medspaCy) logs DEBUG lines through loguru; none may reach a user.
logger.disable("PyRuSH")

PIPELINE = (
    "scribe_sentences",
    "scribe_sections",
    "scribe_targets",
    "scribe_abbreviations",
    "scribe_fuzzy",
    "scribe_ellipsis",
    "scribe_ambiguity",
    "scribe_context",
    "scribe_laterality",
    "scribe_assertion",
    "scribe_events",
    "scribe_injectate",
    "scribe_rationale",
    "scribe_diagnoses",
    "scribe_unread",
)


def build_nlp(lexicon_dir: Path | None = None) -> Language:
    """A blank English tokenizer plus the scribe components (built once, reused)."""
    nlp = spacy.blank("en")
    config = {"lexicon_dir": str(lexicon_dir) if lexicon_dir else None}
    for name in PIPELINE:
        if name == "scribe_sentences":
            nlp.add_pipe(name)
        else:
            nlp.add_pipe(name, config=config)
    return nlp
