"""Session fixtures for the extraction tests: the pipeline is built once per test session."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from spacy.language import Language

from scribe import Scribe
from scribe import pipeline as scribe_pipeline
from scribe.config import Settings
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


@pytest.fixture
def fast_scribe(scribe: Scribe, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands build their own Scribe; give them the session's pipeline (and speech model)
    with the command's settings."""

    def reuse(*, settings: Settings | None = None, **_: Any) -> Scribe:
        clone = copy.copy(scribe)
        clone.settings = settings or scribe.settings
        return clone

    monkeypatch.setattr(scribe_pipeline, "Scribe", reuse)


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
