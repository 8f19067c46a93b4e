"""``scribe extract`` and ``scribe code`` with the practice's state and provider type (scope of
practice) and ``--format note`` (the procedure note); errors never echo what they refuse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scribe.cli import app

DICTATION = (
    "Pt reports R neck pain 7/10, unable to check her blind spot when driving. Taut band with "
    "jump sign in the R upper trapezius. Dry needling to the R upper trapezius and R levator "
    "scapulae. No medication, saline or other substance injected. Pain 3/10 after. "
    "Tolerated well.\n"
)
PATIENT_FILE = "jane_doe_1961"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def dictation_file(tmp_path: Path) -> Path:
    path = tmp_path / f"{PATIENT_FILE}.txt"
    path.write_text(DICTATION, encoding="utf-8")
    return path


def _prompts(runner: CliRunner, *args: str) -> dict[str, str]:
    result = runner.invoke(app, ["extract", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return {p["id"]: p["severity"] for p in data["coding"]["prompts"]}


def test_cli_state_and_provider_type_raise_the_scope_prompt(
    runner: CliRunner, dictation_file: Path, fast_scribe: None
) -> None:
    path = str(dictation_file)
    assert _prompts(runner, path, "--state", "OR", "--provider-type", "pt")["scope-prohibited"] == (
        "error"
    )
    assert (
        _prompts(runner, path, "--state", "nv", "--provider", "dc")["scope-prohibited"] == "error"
    )
    assert _prompts(runner, path, "--state", "HI", "--provider", "pt")["scope-unknown"] == "warning"
    assert not {"scope-prohibited", "scope-unknown"} & set(
        _prompts(runner, path, "--state", "TX", "--provider", "pt")
    )


@pytest.mark.parametrize("state", ["ZQ", "Oregon", "O1"])
def test_cli_unknown_state_fails_without_echoing_it(
    runner: CliRunner, dictation_file: Path, state: str
) -> None:
    result = runner.invoke(app, ["extract", str(dictation_file), "--state", state])
    assert result.exit_code != 0
    assert "state" in result.output
    assert state not in result.output and PATIENT_FILE not in result.output


def test_cli_format_note_prints_the_procedure_note(
    runner: CliRunner, dictation_file: Path, fast_scribe: None
) -> None:
    result = runner.invoke(app, ["extract", str(dictation_file), "--format", "note"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("DRY NEEDLING PROCEDURE NOTE\n")
    assert "  - Right upper trapezius, dry needled." in out
    assert '"No medication, saline or other substance injected"' in out
    assert "  - [gap] Consent: not documented." in out
    assert "CPT 20560 x1" in out


def test_cli_format_note_json_carries_the_spans(
    runner: CliRunner, dictation_file: Path, fast_scribe: None
) -> None:
    result = runner.invoke(app, ["extract", str(dictation_file), "--format", "note-json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    facts = [f for section in data["sections"] for s in section["sentences"] for f in s["facts"]]
    assert facts
    for fact in facts:
        span = fact["evidence"]
        assert DICTATION[span["start"] : span["end"]] == span["text"]


def test_cli_code_prints_the_procedure_note_from_a_note(
    runner: CliRunner, dictation_file: Path, fast_scribe: None, tmp_path: Path
) -> None:
    extracted = runner.invoke(app, ["extract", str(dictation_file)])
    assert extracted.exit_code == 0, extracted.output
    saved = tmp_path / "note.json"
    saved.write_text(extracted.stdout, encoding="utf-8")
    result = runner.invoke(app, ["code", str(saved), "--format", "note-md", "--state", "WA",
                                 "--provider", "pt"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Dry needling procedure note\n")
    assert "- **Consent: not documented.**" in result.stdout
