"""`scribe serve --workers 2`: two processes share the database and the recordings queue; each
recording is transcribed once, by whichever worker claimed it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
from served import Server, issue_keys

AUDIO = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
RECORDINGS = ("01-right-neck-three-muscles.flac", "silence.flac", "10-left-neck-stated-two.flac")


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_api_two_workers_transcribe_each_recording_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIBE_")}
    data_dir = tmp_path / "data"
    env["SCRIBE_DATA_DIR"] = str(data_dir)
    server = Server(env=env, log_path=tmp_path / "server.log", workers=2)
    keys = issue_keys(env, f"sqlite:///{data_dir / 'scribe.db'}")
    clinician, admin = _auth(keys["clinician"]), _auth(keys["admin"])
    server.start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            ids = []
            for name in RECORDINGS * 2:
                answer = client.post(
                    "/v1/encounters/audio",
                    files={"file": (name, (AUDIO / name).read_bytes(), "audio/flac")},
                    headers=clinician,
                )
                assert answer.status_code == 202, answer.text
                ids.append(answer.json()["id"])
            deadline = time.monotonic() + 240
            pending = set(ids)
            while pending and time.monotonic() < deadline:
                for encounter_id in sorted(pending):
                    body = client.get(f"/v1/encounters/{encounter_id}", headers=clinician).json()
                    if body["status"] in ("ready", "failed"):
                        assert body["status"] == "ready", body["failure_reason"]
                        pending.discard(encounter_id)
                time.sleep(0.3)
            assert not pending, f"{len(pending)} recording(s) not done:\n{server.log()}"
            for encounter_id in ids:
                events = client.get(
                    "/v1/admin/audit", params={"encounter_id": encounter_id}, headers=admin
                ).json()["items"]
                actions = sorted(e["action"] for e in events if e["action"].startswith("job."))
                assert actions == ["job.complete", "job.start"]
        assert list((data_dir / "audio").iterdir()) == []
    finally:
        server.kill()
