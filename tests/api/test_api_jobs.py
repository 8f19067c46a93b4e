"""Recording jobs shared by worker processes: each claimed once, and taken over when the worker
holding it has stopped (its process gone, or its heartbeat stale)."""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.jobs import GONE, AudioJobs
from api.keys import Role, issue_key
from api.persistence.database import make_engine, make_sessions, upgrade, utcnow
from api.persistence.tables import AuditEvent, Encounter
from scribe import Scribe
from scribe.config import Settings


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'jobs.db'}")
    upgrade(engine)
    return make_sessions(engine)


def _queue(
    sessions: sessionmaker[Session],
    folder: Path,
    *,
    status: str = "queued",
    claimed_by: str | None = None,
    heartbeat: dt.datetime | None = None,
    audio: bool = True,
) -> str:
    with sessions() as session:
        issued = issue_key(session, role=Role.clinician, name="c", organisation="o")
        now = utcnow()
        path = folder / f"{uuid.uuid4()}.flac"
        if audio:
            path.write_bytes(b"fLaC")
        row = Encounter(
            id=str(uuid.uuid4()), organisation="o", created_by_key=issued.principal.key_id,
            owner_id=issued.principal.holder_id,
            created_by_name="c", source="audio", status=status, progress=0.0,
            context_json="{}", date_of_service=now.date(), needs_review=False,
            review_reasons_json="[]", needling_session=False, audio_path=str(path),
            audio_format="flac", created_at=now, updated_at=now, claimed_by=claimed_by,
            heartbeat_at=heartbeat,
        )  # fmt: skip
        session.add(row)
        session.commit()
        return row.id


@pytest.fixture
def make_worker(
    sessions: sessionmaker[Session], tmp_path: Path, scribe: Scribe
) -> Callable[..., AudioJobs]:
    def make(hostname: str | None = None, stale_after_seconds: float = 60.0) -> AudioJobs:
        settings = Settings(data_dir=tmp_path / "data")
        return AudioJobs(sessions, scribe, settings, hostname=hostname,
                         stale_after_seconds=stale_after_seconds)  # fmt: skip

    return make


def _row(sessions: sessionmaker[Session], encounter_id: str) -> Encounter:
    with sessions() as session:
        row = session.get(Encounter, encounter_id)
        assert row is not None
        return row


def _dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_api_jobs_each_recording_is_claimed_by_one_worker(
    sessions: sessionmaker[Session], tmp_path: Path, make_worker: Callable[..., AudioJobs]
) -> None:
    ids = {_queue(sessions, tmp_path) for _ in range(12)}
    workers = [make_worker(hostname=f"host-{n}") for n in range(3)]
    claimed: dict[str, list[str]] = {w.worker_id: [] for w in workers}

    def drain(worker: AudioJobs) -> None:
        while (found := worker.claim_next()) is not None:
            claimed[worker.worker_id].append(found)

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [encounter_id for got in claimed.values() for encounter_id in got]
    assert sorted(every) == sorted(ids)  # all claimed, none twice
    for worker_id, got in claimed.items():
        for encounter_id in got:
            row = _row(sessions, encounter_id)
            assert row.status == "transcribing" and row.claimed_by == worker_id


def test_api_jobs_a_live_workers_job_is_left_alone(
    sessions: sessionmaker[Session], tmp_path: Path, make_worker: Callable[..., AudioJobs]
) -> None:
    held = _queue(sessions, tmp_path, status="transcribing", claimed_by="elsewhere:4242:abcd",
                  heartbeat=utcnow())  # fmt: skip
    worker = make_worker()
    assert worker.claim_next() is None
    assert _row(sessions, held).claimed_by == "elsewhere:4242:abcd"


@pytest.mark.parametrize("how", ["stale heartbeat", "process gone", "never claimed"])
def test_api_jobs_an_abandoned_job_is_taken_over(
    sessions: sessionmaker[Session], tmp_path: Path, make_worker: Callable[..., AudioJobs], how: str
) -> None:
    worker = make_worker(hostname="here")
    if how == "stale heartbeat":
        owner, beat = "elsewhere:4242:abcd", utcnow() - dt.timedelta(minutes=5)
    elif how == "process gone":
        owner, beat = f"here:{_dead_pid()}:abcd", utcnow()
    else:  # a job left by a server from before claims existed
        owner, beat = None, None
    left = _queue(sessions, tmp_path, status="extracting", claimed_by=owner, heartbeat=beat)
    assert worker.claim_next() == left
    row = _row(sessions, left)
    assert row.status == "transcribing" and row.claimed_by == worker.worker_id
    with sessions() as session:
        details = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.encounter_id == left)
        ).all()
    assert details == ["taken over"]


def test_api_jobs_a_job_without_its_recording_fails_with_a_reason(
    sessions: sessionmaker[Session], tmp_path: Path, make_worker: Callable[..., AudioJobs]
) -> None:
    lost = _queue(sessions, tmp_path, audio=False)
    worker = make_worker()
    assert worker.claim_next() is None
    row = _row(sessions, lost)
    assert row.status == "failed" and row.failure_reason == GONE and row.claimed_by is None
