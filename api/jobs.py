"""Background transcription, shared by the worker processes of one service.

Each worker process runs one job thread (the speech model uses every core it is given). A job
is claimed in the database (``claimed_by``, bumped ``version``), so two workers never run the
same recording; a worker shows it is alive with a heartbeat, and a job whose worker stopped
(its process gone, or no heartbeat for ``stale_after`` seconds) is taken over by another.
Status and progress live in the database; audio is deleted once it is no longer needed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from api.audit import record
from api.persistence.database import as_utc, utcnow
from api.persistence.tables import Encounter
from api.recording_job import GONE, fail, transcribe_and_extract
from api.recordings import FileStore, RecordingStore, drop_audio, sweep_audio
from scribe.config import Settings
from scribe.errors import ScribeError
from scribe.pipeline import Scribe

_log = logging.getLogger("scribe.api.jobs")
ACTIVE = ("queued", "transcribing", "extracting")
POLL_SECONDS = 2.0
HEARTBEAT_SECONDS = 10.0
STALE_AFTER_SECONDS = 60.0
__all__ = ["GONE", "AudioJobs", "LostClaim"]


class LostClaim(Exception):
    """Another worker took the job over (this one was thought gone): stop without writing."""


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: alive
        return True
    return True


class AudioJobs:
    """This worker's job thread: claims queued or abandoned recordings one at a time."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        scribe: Scribe,
        settings: Settings,
        *,
        poll_seconds: float = POLL_SECONDS,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        stale_after_seconds: float = STALE_AFTER_SECONDS,
        hostname: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._scribe = scribe
        self._settings = settings
        self._poll = poll_seconds
        self._heartbeat = heartbeat_seconds
        self._stale_after = dt.timedelta(seconds=stale_after_seconds)
        self._host = hostname or socket.gethostname()
        self._pid = os.getpid()
        self._token = uuid.uuid4().hex[:8]
        self.worker_id = f"{self._host}:{self._pid}:{self._token}"[:200]
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._current: str | None = None
        self._threads: list[threading.Thread] = []
        self._files = FileStore()
        self.store: RecordingStore = self._files
        self.upload_folder = settings.audio_dir

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> int:
        """Start the job and heartbeat threads; returns how many recordings wait for a worker
        (queued, or left by a worker that stopped)."""
        self.sweep_audio()
        waiting = len(self._claimable())
        for target, name in ((self._work, "scribe-asr"), (self._beat, "scribe-heartbeat")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return waiting

    def queued(self, encounter_id: str, seconds: float | None) -> None:
        """A recording was queued and committed (the queue's interface; see
        ``api.scale.dispatch`` for the scale-out mode's)."""
        self.wake()

    def wake(self) -> None:
        """A recording was queued (and committed): look for work now rather than at the next
        poll. Whichever worker is free first claims it from the database."""
        self._wake.set()

    def shutdown(self) -> None:
        """Stop taking work. A job under way is handed back (queued again) for another worker
        or the next start; if this process keeps running it, its writes are refused."""
        self._stop.set()
        self._wake.set()
        current = self._current
        if current is not None:
            with self._sessions() as session:
                session.execute(
                    update(Encounter)
                    .where(Encounter.id == current, Encounter.claimed_by == self.worker_id)
                    .values(
                        status="queued",
                        progress=0.0,
                        claimed_by=None,
                        heartbeat_at=None,
                        version=Encounter.version + 1,
                    )
                )
                session.commit()
        for thread in self._threads:
            thread.join(timeout=1.0)

    # --- claiming --------------------------------------------------------------------------

    def _abandoned(self, claimed_by: str | None, heartbeat: dt.datetime | None) -> bool:
        """Whether the worker holding a job has stopped."""
        if claimed_by is None or heartbeat is None:
            return True
        if utcnow() - as_utc(heartbeat) > self._stale_after:
            return True
        host, _, rest = claimed_by.partition(":")
        pid_text, _, token = rest.partition(":")
        if host != self._host or not pid_text.isdigit():
            return False  # another machine's worker: only its heartbeat tells
        pid = int(pid_text)
        if pid == self._pid:
            return token != self._token  # an earlier run of this process id
        return not _process_alive(pid)

    def _claimable(self) -> list[tuple[str, int, bool]]:
        """(id, version, abandoned) of jobs this worker may claim, oldest first."""
        with self._sessions() as session:
            rows = session.execute(
                select(
                    Encounter.id,
                    Encounter.version,
                    Encounter.status,
                    Encounter.claimed_by,
                    Encounter.heartbeat_at,
                )
                .where(Encounter.status.in_(ACTIVE))
                .order_by(Encounter.created_at)
                .limit(50)
            ).all()
        found = []
        for row in rows:
            if row.status == "queued":
                found.append((row.id, row.version, False))
            elif self._abandoned(row.claimed_by, row.heartbeat_at):
                found.append((row.id, row.version, True))
        return found

    def claim_next(self) -> str | None:
        """Claim the oldest claimable recording (or fail it if its audio is gone); its id."""
        for encounter_id, version, abandoned in self._claimable():
            with self._sessions() as session:
                now = utcnow()
                taken = session.execute(
                    update(Encounter)
                    .where(Encounter.id == encounter_id, Encounter.version == version)
                    .values(
                        status="transcribing",
                        progress=0.0,
                        claimed_by=self.worker_id,
                        heartbeat_at=now,
                        updated_at=now,
                        version=Encounter.version + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                if getattr(taken, "rowcount", 0) != 1:
                    session.rollback()
                    continue  # another worker was quicker
                row = session.get(Encounter, encounter_id)
                if row is None or not row.audio_path or not Path(row.audio_path).exists():
                    if row is not None:
                        self._fail(row, GONE)
                        record(session, None, "job.fail", encounter_id=encounter_id,
                               outcome="failed", organisation=row.organisation)  # fmt: skip
                    session.commit()
                    continue
                detail = "taken over" if abandoned else None
                record(session, None, "job.start", encounter_id=encounter_id, detail=detail,
                       organisation=row.organisation)  # fmt: skip
                session.commit()
                return encounter_id
        return None

    # --- threads ---------------------------------------------------------------------------

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = self.claim_next()
            except Exception as exc:  # the database may be briefly away: try again later
                _log.error("could not claim a recording: %s", type(exc).__name__)
                claimed = None
            if claimed is None:
                self._wake.wait(self._poll)
                self._wake.clear()
                continue
            self._current = claimed
            try:
                self._run(claimed)
            finally:
                self._current = None

    def _beat(self) -> None:
        while not self._stop.wait(self._heartbeat):
            current = self._current
            if current is None:
                continue
            try:
                with self._sessions() as session:
                    session.execute(
                        update(Encounter)
                        .where(Encounter.id == current, Encounter.claimed_by == self.worker_id)
                        .values(heartbeat_at=utcnow())
                        .execution_options(synchronize_session=False)
                    )
                    session.commit()
            except Exception as exc:  # a missed beat is retried at the next one
                _log.warning("heartbeat failed: %s", type(exc).__name__)

    # --- one job ---------------------------------------------------------------------------

    def _run(self, encounter_id: str) -> None:
        try:
            self._transcribe_and_extract(encounter_id)
        except (LostClaim, StaleDataError):
            _log.warning("a recording's job was taken over by another worker; dropped here")
        except Exception as exc:  # the job must end in `failed`, whatever went wrong
            reason = str(exc) if isinstance(exc, ScribeError) else "internal error while processing"
            _log.error("job failed: %s", type(exc).__name__)
            with self._sessions() as session:
                row = session.get(Encounter, encounter_id)
                if row is not None and row.status in ACTIVE and row.claimed_by == self.worker_id:
                    self._fail(row, reason)
                    record(session, None, "job.fail", encounter_id=row.id, outcome="failed",
                           organisation=row.organisation)  # fmt: skip
                    self._drop_audio(session, row)
                    session.commit()
        finally:
            self.sweep_audio()

    def _transcribe_and_extract(self, encounter_id: str) -> None:
        with self._sessions() as session:
            row = session.get(Encounter, encounter_id)
            if row is None or row.claimed_by != self.worker_id or not row.audio_path:
                raise LostClaim

            def beat(row: Encounter) -> None:
                if self._stop.is_set():
                    raise LostClaim  # handed back at shutdown
                row.heartbeat_at = utcnow()

            transcribe_and_extract(
                session, row, self._scribe, Path(row.audio_path), on_progress=beat
            )
            row.claimed_by = None
            self._drop_audio(session, row)
            session.commit()

    # --- audio retention -------------------------------------------------------------------

    def _fail(self, row: Encounter, reason: str) -> None:
        fail(row, reason)

    def _drop_audio(self, session: Session, row: Encounter) -> None:
        drop_audio(session, self._files, row, self._settings.audio_retention_hours)

    def sweep_audio(self) -> int:
        """Delete kept recordings whose retention has passed; returns how many."""
        with self._sessions() as session:
            removed = sweep_audio(session, self._files, self._settings.audio_retention_hours)
            session.commit()
        return removed
