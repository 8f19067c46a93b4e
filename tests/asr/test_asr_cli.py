"""``scribe transcribe``, ``scribe extract RECORDING`` and ``scribe models``: the JSON and text
contracts, and bad recordings refused with a clear error that never names the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from asr_support import AUDIO_DIR, PATIENT_NAME, patient_copy
from helpers import evidence_objects
from typer.testing import CliRunner, Result

from scribe.cli import app

DICTATION = "01-right-neck-three-muscles.flac"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def assert_clean_failure(result: Result, path: Path) -> str:
    """Non-zero exit, an error on stderr, nothing on stdout, and no file name anywhere."""
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), "a handled error, not a crash"
    assert result.stdout == "", "nothing written half"
    message = result.stderr.replace("\n", " ")
    assert message.strip(), "an error message on stderr"
    assert "error" in message
    for secret in (PATIENT_NAME, str(path), path.name):
        assert secret not in result.stderr.replace("\n", "")
    return message


# --- transcribe ---------------------------------------------------------------------------


def test_transcribe_json(runner: CliRunner, short_clip: Path) -> None:
    result = invoke(runner, "transcribe", str(short_clip), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"text", "segments", "duration", "model", "removed"} <= data.keys()
    assert data["model"] == "tiny.en+base" and data["language"] == "en"
    assert data["duration"] == pytest.approx(2.8, abs=0.01)
    assert "trapezius" in data["text"].lower()
    words = [word for segment in data["segments"] for word in segment["words"]]
    assert words
    for word in words:
        assert {"text", "start", "end", "probability", "char_start", "char_end"} <= word.keys()
        assert 0.0 <= word["probability"] <= 1.0
        assert word["start"] <= word["end"]
        assert data["text"][word["char_start"] : word["char_end"]] == word["text"]


def test_transcribe_text(runner: CliRunner, short_clip: Path) -> None:
    result = invoke(runner, "transcribe", str(short_clip), "--format", "text")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Transcript (2.8 s, model tiny.en+base)")
    assert "trapezius" in out.lower()
    assert "[" in out.splitlines()[1], "segments with their timings"
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [("empty.flac", "empty"), ("not-audio.flac", "no sound"), ("truncated.flac", "no sound")],
)
def test_transcribe_bad_audio(
    runner: CliRunner, tmp_path: Path, fixture: str, expected: str
) -> None:
    path = patient_copy(fixture, tmp_path)
    message = assert_clean_failure(invoke(runner, "transcribe", str(path)), path)
    assert expected in message


def test_transcribe_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / f"{PATIENT_NAME}.flac"
    message = assert_clean_failure(invoke(runner, "transcribe", str(path)), path)
    assert "does not exist" in message


@pytest.mark.usefixtures("fresh_settings")
def test_transcribe_over_the_duration_limit(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRIBE_MAX_AUDIO_SECONDS", "5")
    path = patient_copy(DICTATION, tmp_path)
    message = assert_clean_failure(invoke(runner, "transcribe", str(path)), path)
    assert "over the limit" in message


def test_transcribe_unknown_model(runner: CliRunner, short_clip: Path) -> None:
    result = invoke(runner, "transcribe", str(short_clip), "--model", "large-v9")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "unknown speech model" in result.stderr.replace("\n", " ")


# --- extract RECORDING --------------------------------------------------------------------


@pytest.mark.usefixtures("fast_scribe")
def test_extract_recording_json(runner: CliRunner) -> None:
    result = invoke(runner, "extract", str(AUDIO_DIR / DICTATION), "--payer", "commercial")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"transcript", "note", "coding"}
    text = data["transcript"]["text"]
    assert data["transcript"]["segments"][0]["words"]
    # the note's offsets point into the transcript text
    quoted = list(evidence_objects({"note": data["note"], "coding": data["coding"]}))
    assert len(quoted) >= 5
    for item in quoted:
        assert text[item["start"] : item["end"]] == item["text"]
    assert [m["name"] for m in data["note"]["muscles"]] == [
        "upper trapezius",
        "levator scapulae",
        "rhomboid major",
    ]
    assert [line["code"] for line in data["coding"]["lines"]] == ["20561"]


@pytest.mark.usefixtures("fast_scribe")
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [("empty.flac", "empty"), ("not-audio.flac", "no sound"), ("truncated.flac", "no sound")],
)
def test_extract_bad_audio(runner: CliRunner, tmp_path: Path, fixture: str, expected: str) -> None:
    path = patient_copy(fixture, tmp_path)
    message = assert_clean_failure(invoke(runner, "extract", str(path)), path)
    assert expected in message


@pytest.mark.usefixtures("fast_scribe")
def test_extract_missing_recording(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / f"{PATIENT_NAME}.flac"
    message = assert_clean_failure(invoke(runner, "extract", str(path)), path)
    assert "does not exist" in message


@pytest.mark.usefixtures("fast_scribe")
def test_extract_recording_without_suffix_is_read_as_audio(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A damaged FLAC with no suffix: its first bytes send it to the audio path, so the error
    is about the recording, not about binary text."""
    path = patient_copy("truncated.flac", tmp_path, suffix="")
    message = assert_clean_failure(invoke(runner, "extract", str(path)), path)
    assert "recording" in message
    assert "binary" not in message


# --- models -------------------------------------------------------------------------------


def test_models_list(runner: CliRunner) -> None:
    result = invoke(runner, "models", "list")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert {"tiny.en", "base"} <= lines.keys()
    tiny = lines["tiny.en"]
    assert " installed " in f" {tiny} " and "not installed" not in tiny
    assert "(default)" in tiny
    # base is installed by the set-up and reads every recording alongside tiny.en
    assert "(default)" not in lines["base"] and "not installed" not in lines["base"]
    assert "(reads with tiny.en, combined)" in lines["base"]


def test_models_install_without_install_step(runner: CliRunner) -> None:
    result = invoke(runner, "models", "install", "tiny.en")
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    assert "no install step" in result.stderr
