"""Background transcription: one worker thread (the speech model uses every core), status and
progress in the database, audio deleted once it is no longer needed."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.audit import record
from api.encounters import (
    add_revision,
    apply_result,
    coding_context,
    stored_context,
)
from api.persistence.database import as_utc, utcnow
from api.persistence.tables import Encounter
from scribe.config import Settings
from scribe.errors import ScribeError
from scribe.pipeline import Scribe

_log = logging.getLogger("scribe.api.jobs")
ACTIVE = ("queued", "transcribing", "extracting")
PROGRESS_EVERY_SECONDS = 1.0


class AudioJobs:
    """Runs queued recordings one at a time; resumes what a stopped server left queued."""

    def __init__(self, sessions: sessionmaker[Session], scribe: Scribe, settings: Settings) -> None:
        self._sessions = sessions
        self._scribe = scribe
        self._settings = settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scribe-asr")
        self._lock = threading.Lock()
        self._pending: set[Future[None]] = set()

    def submit(self, encounter_id: str) -> None:
        future = self._pool.submit(self._run, encounter_id)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def idle(self) -> bool:
        with self._lock:
            return not self._pending

    def resume(self) -> int:
        """Queue again the recordings a stopped server had not finished; returns how many."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Encounter).where(Encounter.status.in_(ACTIVE)).order_by(Encounter.created_at)
            ).all()
            ids = []
            for row in rows:
                if row.audio_path and Path(row.audio_path).exists():
                    row.status, row.progress = "queued", 0.0
                    ids.append(row.id)
                else:
                    self._fail(row, "the server stopped and the recording is no longer kept")
                    record(session, None, "job.fail", encounter_id=row.id, outcome="failed")
            session.commit()
        for encounter_id in ids:
            self.submit(encounter_id)
        self.sweep_audio()
        return len(ids)

    def shutdown(self) -> None:
        """Stop taking work; a job under way finishes its current step, queued ones resume at
        the next start."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- one job -----------------------------------------------------------------------------

    def _run(self, encounter_id: str) -> None:
        try:
            self._transcribe_and_extract(encounter_id)
        except Exception as exc:  # the job must end in `failed`, whatever went wrong
            reason = str(exc) if isinstance(exc, ScribeError) else "internal error while processing"
            _log.error("job failed: %s", type(exc).__name__)
            with self._sessions() as session:
                row = session.get(Encounter, encounter_id)
                if row is not None and row.status in ACTIVE:
                    self._fail(row, reason)
                    record(session, None, "job.fail", encounter_id=row.id, outcome="failed")
                    self._drop_audio(row)
                    session.commit()
        finally:
            self.sweep_audio()

    def _transcribe_and_extract(self, encounter_id: str) -> None:
        with self._sessions() as session:
            row = session.get(Encounter, encounter_id)
            if row is None or row.status != "queued" or not row.audio_path:
                return
            audio = Path(row.audio_path)
            row.status, row.progress, row.updated_at = "transcribing", 0.0, utcnow()
            session.commit()
            last = [time.monotonic()]

            def progress(done: float, total: float) -> None:
                now = time.monotonic()
                if total <= 0 or now - last[0] < PROGRESS_EVERY_SECONDS:
                    return
                last[0] = now
                row.progress = round(min(0.95, 0.95 * done / total), 3)
                row.updated_at = utcnow()
                session.commit()

            transcript = self._scribe.transcribe(audio, progress=progress)
            row.status, row.progress, row.updated_at = "extracting", 0.95, utcnow()
            row.transcript_json = transcript.model_dump_json()
            row.text = transcript.text
            session.commit()

            given = stored_context(row)
            context, history = coding_context(session, row, given)
            result = self._scribe.extract_transcript(transcript, context)
            row.history_json = history.model_dump_json() if history else None
            apply_result(row, result.note, result.coding)
            row.status, row.progress = "ready", 1.0
            add_revision(
                session,
                row,
                kind="extraction",
                author_key=row.created_by_key,
                author_name=row.created_by_name,
                author_role="service",
                note_before=None,
            )
            record(session, None, "job.complete", encounter_id=row.id)
            self._drop_audio(row)
            session.commit()

    # --- audio retention -------------------------------------------------------------------

    def _fail(self, row: Encounter, reason: str) -> None:
        row.status, row.failure_reason, row.updated_at = "failed", reason, utcnow()

    def _drop_audio(self, row: Encounter) -> None:
        """With no retention configured, the recording goes as soon as its job ends."""
        if self._settings.audio_retention_hours == 0 and row.audio_path:
            Path(row.audio_path).unlink(missing_ok=True)
            row.audio_path = None

    def sweep_audio(self) -> int:
        """Delete kept recordings whose retention has passed; returns how many."""
        hours = self._settings.audio_retention_hours
        removed = 0
        with self._sessions() as session:
            rows = session.scalars(
                select(Encounter).where(
                    Encounter.audio_path.is_not(None), Encounter.status.in_(("ready", "failed"))
                )
            ).all()
            for row in rows:
                age = (utcnow() - as_utc(row.updated_at)).total_seconds() / 3600
                if age >= hours and row.audio_path:
                    Path(row.audio_path).unlink(missing_ok=True)
                    row.audio_path = None
                    removed += 1
            session.commit()
        return removed
