"""The scale-out mode's parts without a broker: delivery settings, time limits, recordings in
the database, and a recording's job run in this process (idempotent, taken over, failed)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api.audit import record
from api.keys import Role, issue_key
from api.persistence.database import make_engine, make_sessions, upgrade, utcnow
from api.persistence.tables import AuditEvent, Encounter, NoteRevision, RecordingChunk
from api.recordings import CHUNK_BYTES, DatabaseStore
from api.scale import process
from api.scale.celery_app import celery_config, job_limits
from api.scale.dispatch import RESEND_AFTER_SECONDS, CeleryJobs, resend_unsent
from api.scale.process import SharedDatabaseRequired, WorkerProcess
from api.scale.tasks import MAX_STARTS, TOO_MANY_STARTS, run_job
from scribe import Scribe
from scribe.config import Settings

AUDIO = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
RECORDING = AUDIO / "10-left-neck-stated-two.flac"
SCRIBE = Path(sys.executable).parent / "scribe"


def test_scale_config_late_ack_redelivery_prefetch_one() -> None:
    settings = Settings(broker_url="redis://127.0.0.1:1/0", max_audio_seconds=900)
    config = celery_config(settings)
    assert config["task_acks_late"] and config["task_reject_on_worker_lost"]
    assert config["worker_prefetch_multiplier"] == 1
    assert config["accept_content"] == ["json"] and config["task_serializer"] == "json"
    _soft, hardest = job_limits(settings, None)
    # Redis must not hand out a job again while its first worker may still run it
    assert config["broker_transport_options"]["visibility_timeout"] > hardest
    assert config["result_backend"] == "redis://127.0.0.1:1/0"
    assert celery_config(Settings(broker_url="amqp://h//"))["result_backend"] == "rpc://"


def test_scale_job_limits_follow_the_recording_length() -> None:
    settings = Settings(job_seconds_base=100, job_seconds_per_audio_second=2,
                        max_audio_seconds=900)  # fmt: skip
    assert job_limits(settings, 60) == (220, 280)
    assert job_limits(settings, 600)[0] > job_limits(settings, 60)[0]
    assert job_limits(settings, None) == job_limits(settings, 900) == job_limits(settings, 5000)


def test_scale_needs_a_shared_database() -> None:
    settings = Settings(broker_url="redis://127.0.0.1:1/0", database_url="sqlite:///x.db")
    with pytest.raises(SharedDatabaseRequired):
        CeleryJobs(settings)


def _run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCRIBE_")}
    return subprocess.run([str(SCRIBE), *args], env={**clean, **env}, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


def test_scale_worker_refuses_sqlite_and_a_missing_gpu(tmp_path: Path) -> None:
    broker = {"SCRIBE_BROKER_URL": "redis://127.0.0.1:1/0", "SCRIBE_DATA_DIR": str(tmp_path)}
    done = _run_cli("worker")
    assert done.returncode == 2 and "SCRIBE_BROKER_URL" in done.stderr
    done = _run_cli("worker", **broker)
    assert done.returncode == 2 and "PostgreSQL" in done.stderr
    postgres = {**broker, "SCRIBE_DATABASE_URL": "postgresql+psycopg://u@/db?host=/nowhere"}
    done = _run_cli("worker", "--device", "cuda", **postgres)
    if done.returncode != 2:  # pragma: no cover - a machine with a GPU gets this far
        pytest.skip("a CUDA device is present here")
    assert "CUDA" in done.stderr and "dn-scribe[gpu]" in done.stderr


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield make_sessions(engine)
    engine.dispose()


def _queue(sessions: sessionmaker[Session], store: DatabaseStore, recording: Path | None) -> str:
    """A queued recording, stored as the API stores it in the scale-out mode."""
    with sessions() as session:
        issued = issue_key(session, role=Role.clinician, name="c", organisation="o")
        now, encounter_id = utcnow(), str(uuid.uuid4())
        row = Encounter(
            id=encounter_id, organisation="o", created_by_key=issued.principal.key_id,
            owner_id=issued.principal.holder_id, created_by_name="c", source="audio",
            status="queued", progress=0.0, context_json="{}", date_of_service=now.date(),
            needs_review=False, review_reasons_json="[]", needling_session=False,
            audio_path=store.reference(encounter_id, RECORDING), audio_format="flac",
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(row)
        session.flush()
        if recording is not None:
            store.put(session, encounter_id, recording)
        session.commit()
        return encounter_id


@pytest.fixture
def worker(
    sessions: sessionmaker[Session], scribe: Scribe, tmp_path: Path
) -> Iterator[WorkerProcess]:
    settings = Settings(data_dir=tmp_path / "worker")
    store = DatabaseStore(tmp_path / "worker" / "scratch")
    installed = WorkerProcess(settings, sessions.kw["bind"], sessions, scribe, store)
    process.use(installed)
    yield installed
    process.use(None)


def _count(session: Session, what: Any, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(what).where(*where)) or 0


def test_scale_database_store_keeps_chunks_and_deletes_them(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    store = DatabaseStore(tmp_path / "scratch")
    upload = tmp_path / "upload.bin"
    payload = os.urandom(CHUNK_BYTES * 2 + 1234)
    upload.write_bytes(payload)
    encounter_id = _queue(sessions, store, upload)
    reference = store.reference(encounter_id, upload)
    with sessions() as session:
        assert _count(session, RecordingChunk, RecordingChunk.encounter_id == encounter_id) == 3
        with store.local_copy(session, reference) as copy:
            assert copy is not None and copy.read_bytes() == payload
            assert copy.stat().st_mode & 0o777 == 0o600
        assert not copy.exists()  # the scratch copy goes with the context
        store.delete(session, reference)
        session.commit()
        with store.local_copy(session, reference) as gone:
            assert gone is None


def _revisions(session: Session, encounter_id: str) -> int:
    return _count(session, NoteRevision, NoteRevision.encounter_id == encounter_id)


def _actions(session: Session, encounter_id: str) -> list[str]:
    rows = session.scalars(
        select(AuditEvent.action).where(AuditEvent.encounter_id == encounter_id)
        .order_by(AuditEvent.seq)
    )  # fmt: skip
    return list(rows)


def test_scale_job_delivered_again_after_it_ended_changes_nothing(
    sessions: sessionmaker[Session], worker: WorkerProcess
) -> None:
    encounter_id = _queue(sessions, worker.store, RECORDING)
    assert run_job(encounter_id, run="w1 t1") == "ready"
    with sessions() as session:
        first = session.get(Encounter, encounter_id)
        assert first is not None and first.status == "ready" and first.audio_path is None
        version, note = first.version, first.note_json
    assert run_job(encounter_id, run="w2 t1", redelivered=True) == "finished already"
    with sessions() as session:
        again = session.get(Encounter, encounter_id)
        assert again is not None and (again.version, again.note_json) == (version, note)
        assert _revisions(session, encounter_id) == 1
        assert _actions(session, encounter_id) == ["job.start", "job.complete"]
        assert _count(session, RecordingChunk) == 0  # deleted when the job ended


def test_scale_job_taken_over_by_a_second_delivery_stores_one_result(
    sessions: sessionmaker[Session], worker: WorkerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job handed out again while its first run still goes on (a visibility timeout that
    ran out): the second run finishes, the first one's next write fails and it stops."""
    encounter_id = _queue(sessions, worker.store, RECORDING)
    real = Scribe.transcribe
    outcomes: list[str] = []
    calls: list[Path] = []

    def slow_first_run(self: Scribe, path: Path, **kwargs: Any) -> Any:
        calls.append(path)
        transcript = real(self, path, **kwargs)
        if len(calls) == 1:  # the second delivery runs while the first is transcribing
            outcomes.append(run_job(encounter_id, run="w2 t1", redelivered=True))
        return transcript

    monkeypatch.setattr(Scribe, "transcribe", slow_first_run)
    assert run_job(encounter_id, run="w1 t1") == "taken over"
    assert outcomes == ["ready"]
    with sessions() as session:
        row = session.get(Encounter, encounter_id)
        assert row is not None and row.status == "ready"
        assert _revisions(session, encounter_id) == 1
        actions = _actions(session, encounter_id)
        assert actions.count("job.start") == 2 and actions.count("job.complete") == 1


def test_scale_job_fails_when_the_recording_is_gone(
    sessions: sessionmaker[Session], worker: WorkerProcess
) -> None:
    encounter_id = _queue(sessions, worker.store, None)
    assert run_job(encounter_id, run="w1 t1") == "failed"
    with sessions() as session:
        row = session.get(Encounter, encounter_id)
        assert row is not None and row.status == "failed" and row.failure_reason
        assert _actions(session, encounter_id) == ["job.start", "job.fail"]


def test_scale_job_that_keeps_killing_workers_fails(
    sessions: sessionmaker[Session], worker: WorkerProcess
) -> None:
    encounter_id = _queue(sessions, worker.store, RECORDING)
    with sessions() as session:
        row = session.get(Encounter, encounter_id)
        assert row is not None
        for _ in range(MAX_STARTS):
            from api.audit import record

            record(session, None, "job.start", encounter_id=encounter_id, organisation="o")
        session.commit()
    assert run_job(encounter_id, run="w1 t9", redelivered=True) == "failed"
    with sessions() as session:
        row = session.get(Encounter, encounter_id)
        assert row is not None and row.failure_reason == TOO_MANY_STARTS
        assert _count(session, RecordingChunk) == 0


def test_scale_api_start_sends_again_only_jobs_never_started(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """The API may die between storing a recording and sending its job: at its next start the
    recordings waiting past RESEND_AFTER_SECONDS with no job started are sent again, oldest
    first; a started, finished or recent one is not, and a broker error stops the round."""
    store = DatabaseStore(tmp_path / "scratch")
    lost, started, finished, recent = (_queue(sessions, store, None) for _ in range(4))
    with sessions() as session:
        for encounter_id in (lost, started, finished):
            row = session.get(Encounter, encounter_id)
            assert row is not None
            row.created_at = utcnow() - dt.timedelta(seconds=RESEND_AFTER_SECONDS * 2)
        done = session.get(Encounter, finished)
        assert done is not None
        done.status = "ready"
        record(session, None, "job.start", encounter_id=started, organisation="o")
        session.commit()
    sent: list[str] = []
    assert resend_unsent(sessions, sent.append, now=utcnow()) == 1
    assert sent == [lost]
    assert recent not in sent

    def broker_down(encounter_id: str) -> None:
        raise ConnectionError

    assert resend_unsent(sessions, broker_down, now=utcnow()) == 0
    later = utcnow() + dt.timedelta(seconds=RESEND_AFTER_SECONDS * 2)
    sent.clear()
    assert resend_unsent(sessions, sent.append, now=later) == 2
    assert sent == [lost, recent]
