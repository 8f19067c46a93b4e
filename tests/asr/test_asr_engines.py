"""The speech engines that make the spoken test sets (bench/spoken.py) work here: each reads a
sentence that names no muscle, in every condition (clean, room noise, telephone band), and the
recogniser hears the sentence and none of the biasing words.

The engines are installed by ``.ci/speech install`` and the dev extra; where they are missing
the tests skip, unless ``SCRIBE_REQUIRE_SPEECH=1`` (CI), where a missing engine fails."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from wordfreq import zipf_frequency

from scribe.asr.audio import SAMPLE_RATE, load_audio
from scribe.pipeline import Scribe

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import spoken

SENTENCE = "The library opens at nine on weekdays and the parking lot is behind the school."


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _speak(how: spoken.Rendition, path: Path) -> Path:
    try:
        return spoken.speak(SENTENCE, how, path)
    except spoken.EngineMissing as missing:
        if os.environ.get("SCRIBE_REQUIRE_SPEECH") == "1":
            raise
        pytest.skip(f"speech engine not installed here ({missing}); CI installs it")


@pytest.mark.parametrize("condition", sorted(set(spoken.CONDITIONS)))
@pytest.mark.parametrize("engine", spoken.ENGINES)
def test_asr_engines_speak_and_nothing_is_pulled_in(
    scribe: Scribe, engine: str, condition: str, tmp_path: Path
) -> None:
    voice = spoken.rendition(engine, 0).voice
    path = _speak(spoken.Rendition(engine, voice, 1.0, condition), tmp_path / "speech.flac")
    seconds = load_audio(path, max_seconds=60).size / SAMPLE_RATE
    assert 2.0 < seconds < 15.0
    heard = _words(scribe.transcribe(path).text)
    assert len(heard & _words(SENTENCE)) >= 6, "the sentence is recognised"
    transcriber = scribe.transcriber
    bias = _words(transcriber.prompt) | _words(transcriber.hotwords)
    pulled = {w for w in heard & bias if zipf_frequency(w, "en") < 4.0} - _words(SENTENCE)
    assert not pulled


def test_asr_engines_vary_speed_and_condition_across_cases() -> None:
    for engine in spoken.ENGINES:
        seen = [spoken.rendition(engine, i) for i in range(30)]
        assert {r.speed for r in seen} == set(spoken.SPEEDS)
        assert {r.condition for r in seen} == set(spoken.CONDITIONS)
