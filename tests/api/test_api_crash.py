"""Kill the server (SIGKILL) while it writes: every write it acknowledged is still there after a
restart, with its revisions numbered without gaps and its audit events.

The server runs as `scribe serve` in its own process group, with one worker process and with
two (whose writes then meet in the database), on SQLite (the default, in the data folder) and on
PostgreSQL where the session has one. Threads write as fast as they can: reviewers
correcting two encounters (two of them on the same one, so conflicts happen) and a clinician
creating new ones. Only answers that came back 2xx count as acknowledged; a request cut off by
the kill may or may not have been committed, and either is fine.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from served import Server, issue_keys

DICTATION = (
    "Dry needling to the left upper trapezius and left levator scapulae. Taut bands with local "
    "twitch responses. Neck pain 6/10 before, 3/10 after. No medication injected."
)
MUSCLE = ("upper trapezius", "left")  # in DICTATION; its status is flipped back and forth
WRITE_SECONDS = 2.5


@dataclass
class Acknowledged:
    """What the server answered 2xx to, gathered from every writer thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    corrections: Counter[str] = field(default_factory=Counter)
    last_revision: dict[str, int] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    unexpected_answers: list[str] = field(default_factory=list)

    def correction(self, encounter_id: str, revision: int) -> None:
        with self.lock:
            self.corrections[encounter_id] += 1
            previous = self.last_revision.get(encounter_id, 0)
            self.last_revision[encounter_id] = max(previous, revision)

    def creation(self, encounter_id: str) -> None:
        with self.lock:
            self.created.append(encounter_id)

    def unexpected(self, what: str) -> None:
        with self.lock:
            self.unexpected_answers.append(what)

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.corrections.values()) + len(self.created)


@pytest.fixture(params=[1, 2], ids=["1-worker", "2-workers"])
def server(
    request: pytest.FixtureRequest, tmp_path: Path, database_url: str
) -> Iterator[tuple[Server, str]]:
    """A stopped server on SQLite (the default file in its data folder) or PostgreSQL, with one
    or two worker processes, and the database URL it uses."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIBE_")}
    data_dir = tmp_path / "data"
    env["SCRIBE_DATA_DIR"] = str(data_dir)
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{data_dir / 'scribe.db'}"
    else:
        env["SCRIBE_DATABASE_URL"] = database_url
    running = Server(env=env, log_path=tmp_path / "server.log", workers=request.param)
    try:
        yield running, database_url
    finally:
        running.kill()


def _correct(
    base_url: str,
    headers: dict[str, str],
    encounter_id: str,
    ack: Acknowledged,
    stop: threading.Event,
) -> None:
    """Flip the muscle's status between treated and negated, as long as the server answers."""
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        try:
            current = client.get(f"/v1/encounters/{encounter_id}")
            while not stop.is_set():
                etag = current.headers["ETag"]
                muscles = current.json()["note"]["muscles"]
                muscle = next(m for m in muscles if (m["name"], m["laterality"]) == MUSCLE)
                flipped = "negated" if muscle["status"] == "treated" else "treated"
                operation = {"op": "set_status", "muscle": MUSCLE[0], "laterality": MUSCLE[1]}
                body = {"reason": "crash test", "operations": [{**operation, "to": flipped}]}
                answer = client.patch(
                    f"/v1/encounters/{encounter_id}/note", json=body, headers={"If-Match": etag}
                )
                if answer.status_code == 200:
                    ack.correction(encounter_id, answer.json()["revision"])
                    current = answer
                elif answer.status_code == 412:  # another reviewer got there first
                    current = client.get(f"/v1/encounters/{encounter_id}")
                else:
                    ack.unexpected(f"PATCH {answer.status_code}: {answer.text[:200]}")
                    return
        except httpx.TransportError:
            return  # the server is gone; this request was not acknowledged


def _create(
    base_url: str, headers: dict[str, str], ack: Acknowledged, stop: threading.Event
) -> None:
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        try:
            while not stop.is_set():
                answer = client.post("/v1/encounters/text", json={"text": DICTATION})
                if answer.status_code != 201:
                    ack.unexpected(f"POST {answer.status_code}: {answer.text[:200]}")
                    return
                ack.creation(answer.json()["id"])
        except httpx.TransportError:
            return


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _audit(client: httpx.Client, admin: dict[str, str], encounter_id: str, action: str) -> int:
    """How many successful ``action`` events the audit log holds for the encounter."""
    answer = client.get(
        "/v1/admin/audit",
        params={"encounter_id": encounter_id, "action": action, "limit": 1000},
        headers=admin,
    )
    assert answer.status_code == 200, answer.text
    return sum(1 for event in answer.json()["items"] if event["outcome"] == "ok")


def test_api_acknowledged_writes_survive_sigkill(server: tuple[Server, str]) -> None:
    running, database_url = server
    keys = issue_keys(running.env, database_url)
    clinician, reviewer, admin = (_auth(keys[r]) for r in ("clinician", "reviewer", "admin"))
    running.start()

    with httpx.Client(base_url=running.base_url, timeout=10) as client:
        targets = []
        for _ in range(2):
            made = client.post("/v1/encounters/text", json={"text": DICTATION}, headers=clinician)
            assert made.status_code == 201, made.text
            targets.append(made.json()["id"])
    ack = Acknowledged(created=list(targets))

    stop = threading.Event()
    writers = [
        threading.Thread(target=_correct, args=(running.base_url, reviewer, targets[0], ack, stop)),
        threading.Thread(target=_correct, args=(running.base_url, reviewer, targets[0], ack, stop)),
        threading.Thread(target=_correct, args=(running.base_url, reviewer, targets[1], ack, stop)),
        threading.Thread(target=_create, args=(running.base_url, clinician, ack, stop)),
    ]
    for writer in writers:
        writer.start()
    deadline = time.monotonic() + WRITE_SECONDS
    while time.monotonic() < deadline and all(w.is_alive() for w in writers):
        time.sleep(0.05)
    alive_at_kill = sum(w.is_alive() for w in writers)
    running.kill()  # mid-request: the writers are still sending
    stop.set()
    for writer in writers:
        writer.join(timeout=15)

    assert not ack.unexpected_answers, ack.unexpected_answers
    assert alive_at_kill == len(writers), "a writer stopped before the kill"
    assert sum(ack.corrections.values()) >= 5, "too few corrections to test anything"
    assert len(ack.created) >= 5, "too few creations to test anything"

    running.start()
    with httpx.Client(base_url=running.base_url, timeout=10) as client:
        for encounter_id in ack.created:
            read = client.get(f"/v1/encounters/{encounter_id}", headers=reviewer)
            assert read.status_code == 200, f"acknowledged encounter {encounter_id} lost"
            assert _audit(client, admin, encounter_id, "encounter.create") == 1

        for encounter_id in targets:
            acknowledged = ack.corrections[encounter_id]
            read = client.get(f"/v1/encounters/{encounter_id}", headers=reviewer)
            listed = client.get(f"/v1/encounters/{encounter_id}/revisions", headers=reviewer)
            assert read.status_code == 200 and listed.status_code == 200
            numbers = [r["number"] for r in listed.json()["items"]]
            kinds = [r["kind"] for r in listed.json()["items"]]
            # Every acknowledged correction is a revision, numbered without gaps after the
            # extraction; one more may be there (committed, but the kill ate its answer).
            assert numbers == list(range(1, len(numbers) + 1))
            assert kinds == ["extraction"] + ["correction"] * (len(numbers) - 1)
            assert len(numbers) >= 1 + acknowledged
            revision: int = read.json()["revision"]
            assert revision >= ack.last_revision.get(encounter_id, 1)
            assert read.headers["ETag"] == f'"{revision}"'
            # The encounter's revision and its revision rows are written in one transaction.
            assert revision == len(numbers)
            # ...and so is each correction's audit event.
            assert _audit(client, admin, encounter_id, "encounter.correct") == len(numbers) - 1
