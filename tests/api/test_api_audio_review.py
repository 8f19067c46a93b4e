"""Recordings that cannot be trusted end in the review queue with a reason, not `ready` and
clean: one cut off before its announced length, one with no speech in it; and a recording
whose header hides its length fails with the limit as its reason."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from api_support import Api, asr_helpers

bombs = asr_helpers("audio_bombs")
hidden_length_flac, silent_wav, truncated_flac = (
    bombs.hidden_length_flac,
    bombs.silent_wav,
    bombs.truncated_flac,
)


def _upload_and_wait(api: Api, path: Path, timeout: float = 180) -> dict[str, Any]:
    uploaded = api.client.post(
        "/v1/encounters/audio",
        files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
        headers=api.auth("clinician"),
    )
    assert uploaded.status_code == 202, uploaded.text
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = api.client.get(
            f"/v1/encounters/{uploaded.json()['id']}", headers=api.auth("reviewer")
        ).json()
        if body["status"] in ("ready", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"not done after {timeout} s")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda folder: truncated_flac(folder / "cut.flac"), "asr-truncated"),
        (lambda folder: silent_wav(folder / "quiet.wav", 120), "asr-no-speech"),
    ],
    ids=["truncated", "silent"],
)
def test_api_audio_review_untrustworthy_recordings_go_to_review(
    api: Api, tmp_path: Path, make: Any, reason: str
) -> None:
    body = _upload_and_wait(api, make(tmp_path))
    assert body["status"] == "ready", body["failure_reason"]
    assert body["needs_review"] is True
    assert reason in body["review_reasons"]
    queue = api.client.get("/v1/review-queue", headers=api.auth("reviewer")).json()
    assert body["id"] in [item["id"] for item in queue["items"]]
    # a correction re-codes the note: the recording's flag stays
    fixed = api.client.patch(
        f"/v1/encounters/{body['id']}/note",
        json={"reason": "add what the clinician said", "operations": [
            {"op": "add_muscle", "muscle": "upper trapezius", "laterality": "left"}]},
        headers=api.auth("reviewer", **{"If-Match": f'"{body["revision"]}"'}),
    )  # fmt: skip
    assert fixed.status_code == 200, fixed.text
    assert reason in fixed.json()["review_reasons"]


def test_api_audio_review_hidden_length_fails_at_the_limit(api: Api, tmp_path: Path) -> None:
    # half an hour of audio, over the 900 s limit, behind a header that claims ten seconds
    bomb = hidden_length_flac(tmp_path / "bomb.flac", 1800, declared_seconds=10)
    body = _upload_and_wait(api, bomb)
    assert body["status"] == "failed"
    assert "over the limit of 900 s" in body["failure_reason"]
    assert not list(api.settings.audio_dir.iterdir())  # the upload is gone
