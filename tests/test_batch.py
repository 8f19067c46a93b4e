"""`scribe batch`: one JSON line per input, in input order, failures as lines that say why (never
quoting the input or its name), through a local process pool or this process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from scribe import Scribe
from scribe import batch as scribe_batch
from scribe.batch import groups, run_local

REPO = Path(__file__).resolve().parents[1]
RECORDING = REPO / "fixtures" / "audio" / "10-left-neck-stated-two.flac"
DICTATIONS = [
    "Dry needling to the left upper trapezius and levator scapulae. No injectate. Tolerated well.",
    "Right gluteus medius and piriformis needled with twitch responses. Pain 6 to 3 out of 10.",
    "Bilateral lumbar multifidus, four needles. No lidocaine was used.",
    "Trigger point injection with lidocaine to the right upper trapezius.",
]
SECRET_NAME = "MRN-98765-jane-doe.txt"


@pytest.fixture
def reuse_scribe(scribe: Scribe, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch's processes (forked) and this one reuse the session's pipeline."""
    monkeypatch.setattr(scribe_batch, "Scribe", lambda **_: scribe)


def _inputs(tmp_path: Path) -> list[Path]:
    paths = []
    for n, text in enumerate(DICTATIONS):
        path = tmp_path / f"d{n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 MRN-98765 \xff")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    # text and failures interleaved, so that input order differs from any grouping
    return [
        paths[0],
        tmp_path / SECRET_NAME,  # missing
        paths[1],
        tmp_path / "binary.txt",
        paths[2],
        tmp_path / "empty.txt",
        paths[3],
    ]


def _lines(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.usefixtures("reuse_scribe")
def test_batch_local_pool_one_line_per_input_in_order(scribe: Scribe, tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    out = tmp_path / "results.jsonl"
    answer = CliRunner().invoke(
        app, ["batch", *map(str, paths), "--out", str(out), "--jobs", "2", "--local"]
    )
    assert answer.exit_code == 0, answer.output
    lines = _lines(out)
    assert [line["index"] for line in lines] == list(range(len(paths)))
    assert [line["input"] for line in lines] == [str(p) for p in paths]
    assert [line["ok"] for line in lines] == [True, False, True, False, True, False, True]
    texts = iter(DICTATIONS)
    for line in lines:
        if line["ok"]:
            expected = scribe.extract(next(texts)).model_dump(mode="json")
            assert line["kind"] == "text"
            assert line["note"] == expected["note"] and line["coding"] == expected["coding"]
        else:
            assert line["error"], line
            assert "MRN" not in line["error"] and "jane" not in line["error"]
    assert "does not exist" in lines[1]["error"]
    assert (out.stat().st_mode & 0o777) == 0o600
    assert "7 inputs: 4 extracted, 3 failed" in answer.output
    assert SECRET_NAME not in answer.output


@pytest.mark.usefixtures("reuse_scribe")
def test_batch_recording_in_this_process_matches_extract_audio(
    scribe: Scribe, tmp_path: Path
) -> None:
    broken = tmp_path / "truncated.flac"
    broken.write_bytes((REPO / "fixtures" / "audio" / "truncated.flac").read_bytes())
    text = tmp_path / "d.txt"
    text.write_text(DICTATIONS[0], encoding="utf-8")
    results = list(run_local([RECORDING, broken, text], settings=scribe.settings, jobs=1))
    assert [r["ok"] for r in results] == [True, False, True]
    expected = scribe.extract_audio(RECORDING).model_dump(mode="json")
    assert results[0]["kind"] == "audio"
    for part in ("transcript", "note", "coding"):
        assert results[0][part] == expected[part]
    assert "truncated" not in results[1]["error"]


def test_batch_every_input_failing_exits_non_zero(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    missing = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    answer = CliRunner().invoke(app, ["batch", *missing, "--out", str(out), "--local"])
    assert answer.exit_code == 1
    assert [line["ok"] for line in _lines(out)] == [False, False]


def test_batch_groups_keep_recordings_alone_and_cover_every_input(tmp_path: Path) -> None:
    texts = []
    for n in range(40):
        path = tmp_path / f"{n}.txt"
        path.write_text("Dry needling.", encoding="utf-8")
        texts.append(path)
    paths = [*texts[:10], RECORDING, *texts[10:]]
    found = groups(paths, jobs=2)
    assert sorted(i for group in found for i in group) == list(range(len(paths)))
    assert [10] in found
    assert all(len(group) <= scribe_batch.GROUP_MAX for group in found)
    assert len(found) >= 2 * 2  # every process has several groups to take
