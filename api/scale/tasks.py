"""The Celery tasks: a recording's job, and one item of ``scribe batch``.

Both are idempotent. A recording's job that is delivered again after it ended (its
acknowledgement lost with a broker restart, say) finds the encounter finished and changes
nothing; one delivered again while an earlier run still goes on (a Redis visibility timeout
that ran out) takes the job over, and the earlier run's next write fails on the encounter's
version, so one result and one extraction revision are stored. A batch item only computes.

Transient database errors are retried with exponential backoff (Celery's autoretry). What
reaches Celery's logs and result backend never holds a dictation: exceptions are replaced by
typed ones with fixed messages, and a recording's job returns only a word.
"""

from __future__ import annotations

import base64
import logging
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from sqlalchemy import func, select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from api.audit import record
from api.persistence.database import private_folder, utcnow
from api.persistence.tables import AuditEvent, Encounter
from api.recording_job import GONE, INTERNAL, TIMED_OUT, fail, transcribe_and_extract
from api.recordings import FINISHED, drop_audio, sweep_audio
from api.scale import process
from api.scale.celery_app import BATCH_ITEM, TRANSCRIBE, app
from scribe.batch import extract_item
from scribe.errors import ScribeError
from scribe.schemas.context import EncounterContext

_log = logging.getLogger("scribe.worker")
MAX_STARTS = 3  # a recording that stopped its worker this often fails instead of looping
TOO_MANY_STARTS = "the recording stopped its worker process repeatedly and was not transcribed"


class TransientError(Exception):
    """The database was unreachable for a moment: retried with backoff (the message names the
    kind of error only; a driver's would quote the statement and its parameters)."""


@worker_process_init.connect
def _load(**_: Any) -> None:
    process.current()


@app.task(
    name=TRANSCRIBE,
    ignore_result=True,  # its outcome is in the database
    bind=True,
    autoretry_for=(TransientError,),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=10,
)
def transcribe_recording(self: Task[Any, Any], encounter_id: str) -> str:
    """Transcribe, extract and store one recording; returns what happened, in a word."""
    request = self.request
    delivery = request.delivery_info or {}
    run = f"{request.hostname or 'worker'} {request.id or ''}"[:200]
    try:
        return run_job(encounter_id, run=run, redelivered=bool(delivery.get("redelivered")))
    except (OperationalError, InterfaceError) as exc:
        raise TransientError(f"database unavailable ({type(exc).__name__})") from None


def run_job(encounter_id: str, *, run: str, redelivered: bool = False) -> str:
    """One delivery of a recording's job; ``run`` names it (worker and task id)."""
    worker = process.current()
    hours = worker.settings.audio_retention_hours
    with worker.sessions() as session:
        row = session.get(Encounter, encounter_id)
        if row is None:
            return "missing"
        if row.status in FINISHED:
            return "finished already"  # delivered again after it ended: nothing changes
        starts = session.scalar(
            select(func.count()).where(
                AuditEvent.encounter_id == encounter_id, AuditEvent.action == "job.start"
            )
        )
        if (starts or 0) >= MAX_STARTS:
            return _end_failed(session, row, TOO_MANY_STARTS, worker.store, hours)
        # The start bumps the version: an earlier run of this job still going loses its next
        # write. ``claimed_by`` names this run, so only it may fail the job below.
        row.status, row.progress, row.claimed_by = "transcribing", 0.0, run
        row.updated_at = utcnow()
        detail = f"worker {run.split(' ')[0]}" + (", redelivered" if redelivered else "")
        record(session, None, "job.start", encounter_id=row.id, detail=detail,
               organisation=row.organisation)  # fmt: skip
        session.commit()
        try:
            reference = row.audio_path
            copy = worker.store.local_copy(session, reference) if reference else nullcontext(None)
            with copy as audio:
                if audio is None:
                    return _end_failed(session, row, GONE, worker.store, hours)
                transcribe_and_extract(session, row, worker.scribe, audio)
            row.claimed_by = None
            drop_audio(session, worker.store, row, hours)
            session.commit()
            return "ready"
        except StaleDataError:
            session.rollback()
            _log.warning("a recording's job was taken over by another delivery; dropped here")
            return "taken over"
        except (OperationalError, InterfaceError):
            session.rollback()
            raise
        except Exception as exc:  # the job ends in `failed`, whatever went wrong
            session.rollback()
            if isinstance(exc, SoftTimeLimitExceeded):
                reason = TIMED_OUT
            else:
                reason = str(exc) if isinstance(exc, ScribeError) else INTERNAL
            _log.error("job failed: %s", type(exc).__name__)
            current = session.get(Encounter, encounter_id)
            if current is None or current.status in FINISHED or current.claimed_by != run:
                return "taken over"
            return _end_failed(session, current, reason, worker.store, hours)
        finally:
            session.rollback()
            sweep_audio(session, worker.store, hours)
            session.commit()


def _end_failed(session: Any, row: Encounter, reason: str, store: Any, hours: float) -> str:
    fail(row, reason)
    record(session, None, "job.fail", encounter_id=row.id, outcome="failed",
           organisation=row.organisation)  # fmt: skip
    drop_audio(session, store, row, hours)
    session.commit()
    return "failed"


@app.task(name=BATCH_ITEM, bind=True, max_retries=0)
def batch_item(
    self: Task[Any, Any],
    kind: str,
    payload: str,
    suffix: str = "",
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One input of ``scribe batch`` sent by its content (the worker may be on another host):
    ``text``, or ``audio`` as base64. Returns the result, or why it failed, as JSON data."""
    worker = process.current()
    given = EncounterContext.model_validate(context) if context else None
    if kind == "text":
        return extract_item(worker.scribe, text=payload, context=given)
    scratch = private_folder(worker.settings.data_dir / "scratch")
    with tempfile.NamedTemporaryFile(dir=scratch, suffix=suffix[:10]) as copy:  # 0600
        copy.write(base64.b64decode(payload))
        copy.flush()
        return extract_item(worker.scribe, audio=Path(copy.name), context=given)
