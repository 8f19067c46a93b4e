"""Recordings that lie about themselves: a header that hides the length (an audio bomb: hours
of silence in a few megabytes) is decoded only up to SCRIBE_MAX_AUDIO_SECONDS, in bounded
memory; a recording cut off before its announced length, and one with no speech, get prompts
that send them to review."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from asr_support import transcript_of
from audio_bombs import hidden_length_flac, truncated_flac

from scribe.asr.audio import probe_duration, read_recording
from scribe.asr.guards import NO_SPEECH, TRUNCATED, recording_prompts
from scribe.errors import AudioError

# Decode in a fresh process and report its peak memory above what it had before decoding.
MEASURE = """
import json, resource, sys
from pathlib import Path
from scribe.asr.audio import load_audio
from scribe.errors import AudioError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    load_audio(Path(sys.argv[1]), max_seconds=float(sys.argv[2]))
    error = None
except AudioError as exc:
    error = str(exc)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"error": error, "grew_mib": (peak - before) / 1024}))
"""


def test_asr_limits_hidden_length_is_caught_in_bounded_memory(tmp_path: Path) -> None:
    # One hour of audio whose header claims ten seconds: decoded whole, it took ~350 MiB.
    bomb = hidden_length_flac(tmp_path / "bomb.flac", 3600, declared_seconds=10)
    assert probe_duration(bomb) == pytest.approx(10)  # the header's claim passes the check
    assert bomb.stat().st_size < 2_000_000
    done = subprocess.run([sys.executable, "-c", MEASURE, str(bomb), "60"],
                          capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["error"] and "over the limit of 60 s" in found["error"]
    assert found["grew_mib"] < 64, found  # the limit's worth of samples, not the file's


def test_asr_limits_unknown_length_is_caught_too(tmp_path: Path) -> None:
    bomb = hidden_length_flac(tmp_path / "bomb.flac", 300, declared_seconds=0)
    with pytest.raises(AudioError, match="over the limit of 60 s"):
        read_recording(bomb, max_seconds=60)


def test_asr_limits_a_recording_within_the_limit_decodes_whole(tmp_path: Path) -> None:
    plain = hidden_length_flac(tmp_path / "plain.flac", 50, declared_seconds=50)
    recording = read_recording(plain, max_seconds=60)
    assert recording.seconds == pytest.approx(50, abs=0.1)
    assert recording.declared_seconds == pytest.approx(50)


def test_asr_limits_truncated_recording_keeps_its_announced_length(tmp_path: Path) -> None:
    cut = truncated_flac(tmp_path / "cut.flac")
    recording = read_recording(cut, max_seconds=900)
    assert recording.declared_seconds == pytest.approx(38.4)
    assert recording.seconds < 2.0


def test_asr_limits_prompts_for_no_speech_and_truncation() -> None:
    spoken = transcript_of([("Dry", 0.9), ("needling", 0.9)])
    assert recording_prompts(spoken) == []
    silent = spoken.model_copy(update={"text": "", "segments": [], "duration": 900.0})
    assert [p.id for p in recording_prompts(silent)] == [NO_SPEECH]
    cut = spoken.model_copy(update={"duration": 1.0, "declared_duration": 38.4})
    prompts = recording_prompts(cut)
    assert [p.id for p in prompts] == [TRUNCATED]
    assert prompts[0].severity == "error" and "38.4 s" in prompts[0].message
    # a header rounding a little over the decoded length is no truncation
    whole = spoken.model_copy(update={"duration": 38.3, "declared_duration": 38.4})
    assert recording_prompts(whole) == []
