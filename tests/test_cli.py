"""The ``scribe extract`` command: the JSON contract, text output, stdin, context flags, and
errors that never quote the file name or the dictation."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scribe.cli import app
from scribe.config import get_settings

DICTATION = (
    "Dry needling to the right upper trapezius, levator scapulae and rhomboid major. "
    "Palpable taut band with local twitch response in the R UT. "
    "No medication, saline or other substance injected. Pain 7/10 -> 3/10. "
    "Tolerated well. Consent on file.\n"
)
SECRET = "Zebediah"  # a word from the dictation that must never appear in an error message
PATIENT_FILE = "jane_doe_1961"  # a file name that must never appear in an error message

LATERALITIES = {"right", "left", "bilateral", "unspecified"}
STATUSES = {"treated", "negated", "planned", "historical", "palpated_only"}
INJECTATE = {"none_confirmed", "injected", "not_documented"}
SEVERITIES = {"error", "warning", "info"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """SCRIBE_MAX_INPUT_CHARS=200 for one test (the settings are cached per process)."""
    monkeypatch.setenv("SCRIBE_MAX_INPUT_CHARS", "200")
    get_settings.cache_clear()
    yield 200
    get_settings.cache_clear()


@pytest.fixture
def dictation_file(tmp_path: Path) -> Path:
    path = tmp_path / f"{PATIENT_FILE}.txt"
    path.write_text(DICTATION, encoding="utf-8")
    return path


def invoke_json(runner: CliRunner, *args: str, **kwargs: Any) -> dict[str, Any]:
    result = runner.invoke(app, ["extract", *args], **kwargs)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_json_matches_the_contract(runner: CliRunner, dictation_file: Path) -> None:
    data = invoke_json(runner, str(dictation_file))
    note, coding = data["note"], data["coding"]
    assert note["muscles"]
    for muscle in note["muscles"]:
        assert {"id", "name", "laterality", "status", "start", "end", "text"} <= muscle.keys()
        assert muscle["laterality"] in LATERALITIES
        assert muscle["status"] in STATUSES
        assert DICTATION[muscle["start"] : muscle["end"]] == muscle["text"]
    assert [(m["name"], m["laterality"]) for m in note["muscles"]] == [
        ("upper trapezius", "right"),
        ("levator scapulae", "right"),
        ("rhomboid major", "right"),
    ]
    assert {"status", "substances"} <= note["injectate"].keys()
    assert note["injectate"]["status"] in INJECTATE
    assert isinstance(note["injectate"]["substances"], list)
    assert isinstance(note["rationale"], dict)
    assert coding["muscle_count"] == 3
    assert coding["lines"] == [{**coding["lines"][0], "code": "20561", "units": 1, "modifiers": []}]
    assert coding["prompts"] is not None
    for prompt in coding["prompts"]:
        assert {"id", "severity", "message"} <= prompt.keys()
        assert prompt["severity"] in SEVERITIES


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_json_lists_injected_substances(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "visit.txt"
    path.write_text("Trigger point injection to the R QL with 2 mL lidocaine.", encoding="utf-8")
    data = invoke_json(runner, str(path))
    assert data["note"]["injectate"]["status"] == "injected"
    assert [s["name"] for s in data["note"]["injectate"]["substances"]] == ["lidocaine"]
    assert [line["code"] for line in data["coding"]["lines"]] == ["20552"]


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_text_format_names_the_muscles(runner: CliRunner, dictation_file: Path) -> None:
    result = runner.invoke(app, ["extract", str(dictation_file), "--format", "text"])
    assert result.exit_code == 0, result.output
    for name in ("upper trapezius", "levator scapulae", "rhomboid major"):
        assert name in result.stdout
    assert "20561" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_reads_stdin(runner: CliRunner) -> None:
    data = invoke_json(runner, "-", input="DN to bilat UT. No injectate.\n")
    assert [(m["name"], m["laterality"]) for m in data["note"]["muscles"]] == [
        ("upper trapezius", "bilateral")
    ]
    assert data["coding"]["muscle_count"] == 2


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_context_flags_medicare_clbp_gives_kx(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "visit.txt"
    path.write_text(
        "Dry needling to the right lumbar multifidus and right QL. No injectate.",
        encoding="utf-8",
    )
    data = invoke_json(runner, str(path), "--payer", "medicare", "--clbp", "--session-number", "14")
    assert any("KX" in line["modifiers"] for line in data["coding"]["lines"])


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_accepts_every_context_flag(runner: CliRunner, dictation_file: Path) -> None:
    data = invoke_json(
        runner,
        str(dictation_file),
        "--payer",
        "commercial",
        "--abn-option",
        "1",
        "--other-codes",
        "97140,97810",
        "--provider",
        "pt",
        "--dos",
        "2025-06-02",
    )
    assert data["coding"]["muscle_count"] == 3


def assert_clean_failure(result: Any, *secrets: str) -> None:
    assert result.exit_code != 0
    assert result.stderr.strip(), "an error message on stderr"
    assert "Traceback" not in result.output
    flat = result.stderr.replace("\n", "")
    for secret in (PATIENT_FILE, SECRET, *secrets):
        assert secret not in flat


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / f"{PATIENT_FILE}.txt")])
    assert_clean_failure(result)
    assert "not exist" in result.stderr


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_directory_is_not_a_file(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / PATIENT_FILE
    folder.mkdir()
    assert_clean_failure(runner.invoke(app, ["extract", str(folder)]))


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_empty_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / f"{PATIENT_FILE}.txt"
    path.write_text("  \n\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert_clean_failure(result)
    assert "empty" in result.stderr


@pytest.mark.usefixtures("fast_scribe")
@pytest.mark.parametrize(
    "payload",
    [
        f"DN to R UT {SECRET}".encode() + b"\x00\x00\x01\x02" * 20,
        b"\xff\xfe\xfa\xfb" + SECRET.encode() + b"\xc3\x28",
    ],
)
def test_cli_extract_binary_file(runner: CliRunner, tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / f"{PATIENT_FILE}.txt"
    path.write_bytes(payload)
    result = runner.invoke(app, ["extract", str(path)])
    assert_clean_failure(result)
    assert "binary" in result.stderr


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_binary_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", "-"], input=SECRET.encode() + b"\x00" * 64)
    assert_clean_failure(result)


@pytest.mark.usefixtures("fast_scribe")
@pytest.mark.parametrize("repeat", [5, 50])  # caught by the file size, or after decoding
def test_cli_extract_oversized_file(
    runner: CliRunner, tmp_path: Path, small_limit: int, repeat: int
) -> None:
    path = tmp_path / f"{PATIENT_FILE}.txt"
    text = f"Dry needling to the right upper trapezius {SECRET}. " * repeat
    assert len(text) > small_limit
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert_clean_failure(result)
    assert "limit" in result.stderr


@pytest.mark.usefixtures("fast_scribe")
def test_cli_extract_oversized_stdin(runner: CliRunner, small_limit: int) -> None:
    text = f"Dry needling to the right upper trapezius {SECRET}. " * 20
    result = runner.invoke(app, ["extract", "-"], input=text)
    assert_clean_failure(result)


@pytest.mark.usefixtures("fast_scribe")
@pytest.mark.parametrize("dos", ["2024-13-45", "yesterday", "2025-02-30", "06/02/2025"])
def test_cli_extract_invalid_dos_fails_cleanly(
    runner: CliRunner, dictation_file: Path, dos: str
) -> None:
    result = runner.invoke(app, ["extract", str(dictation_file), "--dos", dos])
    assert_clean_failure(result)
    assert result.stdout == ""


@pytest.mark.usefixtures("fast_scribe")
@pytest.mark.parametrize("dos", ["2024-13-45", "yesterday"])
def test_cli_extract_invalid_dos_names_the_option(
    runner: CliRunner, dictation_file: Path, dos: str
) -> None:
    result = runner.invoke(app, ["extract", str(dictation_file), "--dos", dos])
    message = result.stderr.replace("\n", " ")
    assert "--dos" in message or "YYYY-MM-DD" in message or "date of service" in message


@pytest.mark.usefixtures("fast_scribe")
@pytest.mark.parametrize(
    "flags",
    [
        ["--payer", "medicaid"],
        ["--provider", "rn"],
        ["--abn-option", "4"],
        ["--session-number", "0"],
        ["--other-codes", "banana"],
        ["--format", "xml"],
    ],
)
def test_cli_extract_invalid_context_flags_fail(
    runner: CliRunner, dictation_file: Path, flags: list[str]
) -> None:
    result = runner.invoke(app, ["extract", str(dictation_file), *flags])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_cli_console_script_prints_only_json(dictation_file: Path) -> None:
    """The real command in a fresh process: JSON on stdout, nothing at all on stderr."""
    completed = subprocess.run(
        [sys.executable, "-c", "from scribe.cli import app; app()", "extract", str(dictation_file)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert json.loads(completed.stdout)["coding"]["muscle_count"] == 3
