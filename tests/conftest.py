"""Session fixtures for the extraction tests: the pipeline is built once per test session."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from spacy.language import Language

from scribe import Scribe
from scribe.nlp import build_nlp
from scribe.schemas.note import Note

# Property tests explore the same examples on every run, so CI is reproducible; run with
# HYPOTHESIS_PROFILE=explore for fresh random examples while developing.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
LEXICON_DIR = REPO / "lexicons"


@pytest.fixture(scope="session")
def scribe() -> Scribe:
    """One ``Scribe`` for the whole session (building it costs about a second)."""
    return Scribe()


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The bare spaCy pipeline, for component tests that look at spans."""
    return build_nlp()


@pytest.fixture(scope="session")
def note_of(scribe: Scribe) -> Callable[[str], Note]:
    """Extract one dictation and return its structured note."""

    def extract(text: str) -> Note:
        return scribe.extract(text).note

    return extract
