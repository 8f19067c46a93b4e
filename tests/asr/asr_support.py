"""Helpers shared by the speech recognition tests (fixtures live in conftest.py)."""

from __future__ import annotations

import shutil
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from scribe.pipeline import AudioExtractionResult
from scribe.schemas.transcript import Segment, Transcript, Word

AUDIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
# file names can carry patient names: an error message must never repeat them
PATIENT_NAME = "jane_doe_1961"


@dataclass
class AudioRun:
    """One fixture recording through ``Scribe.extract_audio``, with its progress reports."""

    result: AudioExtractionResult
    progress: list[tuple[float, float]] = field(default_factory=list)


def write_wav(path: Path, samples: npt.NDArray[np.floating[Any]], *, rate: int) -> None:
    """Float samples in [-1, 1], shape (n,) or (n, channels), as a 16-bit PCM WAV."""
    frames = np.asarray(samples)
    channels = 1 if frames.ndim == 1 else frames.shape[1]
    pcm = (np.clip(frames, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(channels)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())


def patient_copy(fixture: str, folder: Path, suffix: str = ".flac") -> Path:
    """A fixture file copied under a patient-like name (the name must stay out of errors)."""
    target = folder / f"{PATIENT_NAME}{suffix}"
    shutil.copyfile(AUDIO_DIR / fixture, target)
    return target


def transcript_of(words: list[tuple[str, float]], *, model: str = "hand-made") -> Transcript:
    """A one-segment transcript built by hand: words joined by single spaces, each with the
    given probability and consistent character offsets (0.4 s a word)."""
    text = ""
    built: list[Word] = []
    for n, (word, probability) in enumerate(words):
        if text:
            text += " "
        built.append(
            Word(
                text=word,
                start=0.4 * n,
                end=0.4 * n + 0.35,
                probability=probability,
                char_start=len(text),
                char_end=len(text) + len(word),
            )
        )
        text += word
    segment = Segment(
        start=0.0,
        end=0.4 * len(words),
        text=text,
        char_start=0,
        char_end=len(text),
        avg_logprob=-0.2,
        no_speech_prob=0.01,
        words=built,
    )
    return Transcript(
        text=text, language="en", duration=0.4 * len(words), model=model, segments=[segment]
    )
