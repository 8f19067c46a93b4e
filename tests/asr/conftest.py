"""Fixtures for the speech recognition tests.

Transcribing with the real tiny.en model costs 1-3 s a recording on two CPU cores, so every
recording the suite needs is transcribed once per session (``audio_run``) and the results are
shared by the transcriber, end-to-end and CLI tests. The model itself loads lazily, on the first
transcription, inside the session ``scribe`` fixture of ``tests/conftest.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from asr_support import AUDIO_DIR, AudioRun, write_wav

from scribe import Scribe
from scribe.asr.audio import SAMPLE_RATE, load_audio
from scribe.config import get_settings
from scribe.schemas.context import EncounterContext

# dictations.yaml gives the claim lines for a commercial payer with no other codes
COMMERCIAL = EncounterContext(payer="commercial")


@pytest.fixture(scope="session")
def audio_dir() -> Path:
    return AUDIO_DIR


@pytest.fixture(scope="session")
def dictations() -> dict[str, dict[str, Any]]:
    """``fixtures/audio/dictations.yaml`` by id (the file name without ``.flac``)."""
    data = yaml.safe_load((AUDIO_DIR / "dictations.yaml").read_text(encoding="utf-8"))
    return {case["id"]: case for case in data["dictations"]}


@pytest.fixture(scope="session")
def manifest() -> dict[str, dict[str, Any]]:
    """``fixtures/audio/manifest.json`` by file name."""
    data = json.loads((AUDIO_DIR / "manifest.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in data["files"]}


@pytest.fixture(scope="session")
def audio_run(scribe: Scribe) -> Callable[[str], AudioRun]:
    """``audio_run("01-right-neck-three-muscles.flac")``: extract_audio once per session,
    for a commercial payer with no other codes."""
    cache: dict[str, AudioRun] = {}

    def run(name: str) -> AudioRun:
        if name not in cache:
            calls: list[tuple[float, float]] = []
            result = scribe.extract_audio(
                AUDIO_DIR / name,
                COMMERCIAL,
                progress=lambda done, total: calls.append((done, total)),
            )
            cache[name] = AudioRun(result=result, progress=calls)
        return cache[name]

    return run


@pytest.fixture(scope="session")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 2.8 s of fixture 01 ("Dry needling today to the right upper trapezius") as a
    16-bit WAV: a cheap recording for the CLI, which transcribes on every call."""
    samples = load_audio(AUDIO_DIR / "01-right-neck-three-muscles.flac", max_seconds=60)
    clip = np.clip(samples[: int(2.8 * SAMPLE_RATE)], -1.0, 1.0)
    path = tmp_path_factory.mktemp("clip") / "dictation.wav"
    write_wav(path, clip, rate=SAMPLE_RATE)
    return path


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """Settings are cached per process: re-read them from the environment for one test."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
