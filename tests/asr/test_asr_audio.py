"""Reading recordings: what looks like audio, decoding to 16 kHz mono, and the clear errors
for files that are not usable (never naming the file: names can carry patient names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from asr_support import AUDIO_DIR, PATIENT_NAME, patient_copy, write_wav

from scribe.asr import audio
from scribe.asr.audio import SAMPLE_RATE, load_audio, looks_like_audio, probe_duration
from scribe.errors import AudioError, InputError

DICTATION = "01-right-neck-three-muscles.flac"


# --- looks_like_audio ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["note.wav", "note.flac", "note.mp3", "note.m4a", "note.ogg", "note.webm", "NOTE.FLAC"]
)
def test_looks_like_audio_by_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("contents do not matter when the name says audio", encoding="utf-8")
    assert looks_like_audio(path)


@pytest.mark.parametrize("name", ["note.txt", "note.md", "note", "note.json", "flac.txt"])
def test_text_dictation_does_not_look_like_audio(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Dry needling to the right upper trapezius. No injectate.\n", encoding="utf-8")
    assert not looks_like_audio(path)


@pytest.mark.parametrize(
    ("kind", "head"),
    [
        ("flac", b"fLaC\x00\x00\x00\x22"),
        ("wav", b"RIFF\x24\x00\x00\x00WAVEfmt "),
        ("mp3 with ID3 tag", b"ID3\x04\x00\x00\x00\x00\x00\x00"),
        ("mp3 frame, 44.1 kHz", b"\xff\xfb\x40\xc0\x00\x00"),
        ("ogg", b"OggS\x00\x02\x00\x00"),
        ("webm", b"\x1aE\xdf\xa3\x9fB\x86\x81"),
        ("m4a", b"\x00\x00\x00\x20ftypM4A \x00\x00"),
        ("aiff", b"FORM\x00\x00\x10\x00AIFF"),
        ("amr", b"#!AMR\n"),
    ],
)
def test_looks_like_audio_by_magic_bytes(tmp_path: Path, kind: str, head: bytes) -> None:
    path = tmp_path / "recording"  # no suffix: only the first bytes tell
    path.write_bytes(head + bytes(64))
    assert looks_like_audio(path), kind


def test_real_flac_without_suffix_looks_like_audio(tmp_path: Path) -> None:
    path = tmp_path / "recording"
    path.write_bytes((AUDIO_DIR / DICTATION).read_bytes())
    assert looks_like_audio(path)


@pytest.mark.parametrize(
    ("kind", "head"),
    [
        # the first bytes LAME (through PyAV) writes for a 16 kHz mono MP3 without ID3 tag
        ("mp3 frame, 16 kHz", b"\xff\xf3\x58\xc0"),
        # the first bytes FFmpeg's ADTS muxer writes for 16 kHz mono AAC
        ("adts aac, 16 kHz", b"\xff\xf1\x60\x40"),
    ],
)
def test_looks_like_audio_voice_rate_mpeg_frames(tmp_path: Path, kind: str, head: bytes) -> None:
    path = tmp_path / "recording"
    path.write_bytes(head + bytes(64))
    assert looks_like_audio(path), kind


def test_looks_like_audio_missing_or_empty_file(tmp_path: Path) -> None:
    assert not looks_like_audio(tmp_path / "recording")
    (tmp_path / "empty").write_bytes(b"")
    assert not looks_like_audio(tmp_path / "empty")


# --- decoding -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [DICTATION, "12-upper-back-right-then-left.flac", "tone.flac"])
def test_fixture_decodes_to_16k_mono_float32(name: str, manifest: dict[str, Any]) -> None:
    samples = load_audio(AUDIO_DIR / name, max_seconds=60)
    assert samples.dtype == np.float32
    assert samples.ndim == 1, "mono"
    assert samples.size / SAMPLE_RATE == pytest.approx(manifest[name]["duration_s"], abs=0.01)
    assert np.isfinite(samples).all()
    assert 0.01 < float(np.abs(samples).max()) <= 1.0


def test_silence_decodes_to_zeros() -> None:
    samples = load_audio(AUDIO_DIR / "silence.flac", max_seconds=60)
    assert samples.size == 5 * SAMPLE_RATE
    assert not samples.any()


def test_other_rate_and_stereo_are_resampled_to_16k_mono(tmp_path: Path) -> None:
    rate, seconds = 44_100, 1.5
    t = np.arange(int(rate * seconds)) / rate
    left = 0.4 * np.sin(2 * np.pi * 220 * t)
    path = tmp_path / "stereo.wav"
    write_wav(path, np.stack([left, left], axis=1), rate=rate)
    samples = load_audio(path, max_seconds=60)
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert samples.size / SAMPLE_RATE == pytest.approx(seconds, abs=0.01)
    assert float(np.abs(samples).max()) == pytest.approx(0.4, abs=0.05)


def test_probe_duration_reads_the_header(manifest: dict[str, Any]) -> None:
    declared = probe_duration(AUDIO_DIR / DICTATION)
    assert declared == pytest.approx(manifest[DICTATION]["duration_s"], abs=0.01)


# --- errors -------------------------------------------------------------------------------


def assert_phi_safe(message: str, path: Path) -> None:
    assert message.strip()
    for secret in (str(path), path.name, PATIENT_NAME, str(path.parent)):
        assert secret not in message


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("empty.flac", "empty"),
        ("not-audio.flac", "no sound"),
        ("truncated.flac", "no sound"),
    ],
)
def test_bad_fixture_files_raise_audio_error(tmp_path: Path, fixture: str, expected: str) -> None:
    path = patient_copy(fixture, tmp_path)
    with pytest.raises(AudioError) as caught:
        load_audio(path, max_seconds=900)
    assert expected in str(caught.value)
    assert_phi_safe(str(caught.value), path)
    assert isinstance(caught.value, InputError), "bad audio is bad input, not a crash"


def test_missing_file_raises_audio_error(tmp_path: Path) -> None:
    path = tmp_path / f"{PATIENT_NAME}.flac"
    with pytest.raises(AudioError, match="does not exist") as caught:
        load_audio(path, max_seconds=900)
    assert_phi_safe(str(caught.value), path)


def test_folder_raises_audio_error(tmp_path: Path) -> None:
    path = tmp_path / f"{PATIENT_NAME}.flac"
    path.mkdir()
    with pytest.raises(AudioError, match="not a regular file") as caught:
        load_audio(path, max_seconds=900)
    assert_phi_safe(str(caught.value), path)


def test_recording_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = patient_copy(DICTATION, tmp_path)
    with pytest.raises(AudioError, match="over the limit") as caught:
        load_audio(path, max_seconds=5)
    assert "13 s" in str(caught.value) and "5 s" in str(caught.value)
    assert "SCRIBE_MAX_AUDIO_SECONDS" in str(caught.value)
    assert_phi_safe(str(caught.value), path)


def test_recording_over_the_limit_is_refused_when_the_header_does_not_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audio, "probe_duration", lambda _path: None)
    path = patient_copy(DICTATION, tmp_path)
    with pytest.raises(AudioError, match="over the limit") as caught:
        load_audio(path, max_seconds=5)
    assert_phi_safe(str(caught.value), path)


def test_recording_just_under_the_limit_is_accepted(manifest: dict[str, Any]) -> None:
    seconds = manifest[DICTATION]["duration_s"]
    assert load_audio(AUDIO_DIR / DICTATION, max_seconds=seconds + 0.5).size > 0


def test_text_file_probed_as_audio_raises_audio_error(tmp_path: Path) -> None:
    path = tmp_path / f"{PATIENT_NAME}.wav"
    path.write_bytes(b"RIFF this is no wave file at all, just text\n" * 4)
    with pytest.raises(AudioError) as caught:
        load_audio(path, max_seconds=900)
    assert_phi_safe(str(caught.value), path)
