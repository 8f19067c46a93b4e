"""The API's side of the scale-out mode: a recording's job is a Celery message, with time
limits from the recording's length; the recording itself is in the database."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from api.persistence.database import utcnow
from api.persistence.tables import AuditEvent, Encounter
from api.recordings import DatabaseStore, RecordingStore
from api.scale.celery_app import QUEUE, TRANSCRIBE, configure, job_limits
from api.scale.process import require_shared_database
from scribe.config import Settings

_log = logging.getLogger(__name__)
# A recording still queued this long after its upload, whose job never started, may have lost
# its message (the API died between storing it and sending the job): it is sent again.
RESEND_AFTER_SECONDS = 60.0


def resend_unsent(
    sessions: sessionmaker[Session], send: Callable[[str], None], *, now: dt.datetime
) -> int:
    """Send again the jobs of recordings that wait with no job started, oldest first; return
    how many were sent. A job sent twice is harmless: its second delivery finds the encounter
    finished (or running) and changes nothing. Stops at the first send that fails (the broker
    is down: the next start tries again)."""
    started = exists().where(
        AuditEvent.encounter_id == Encounter.id, AuditEvent.action == "job.start"
    )
    cutoff = now - dt.timedelta(seconds=RESEND_AFTER_SECONDS)
    with sessions() as session:
        waiting = session.scalars(
            select(Encounter.id)
            .where(Encounter.status == "queued", Encounter.source == "audio")
            .where(Encounter.created_at < cutoff, ~started)
            .order_by(Encounter.created_at)
        ).all()
    sent = 0
    for encounter_id in waiting:
        try:
            send(encounter_id)
        except Exception as exc:  # the broker is unreachable past its retries
            _log.error("could not send a waiting recording's job again: %s", type(exc).__name__)
            break
        sent += 1
    return sent


class CeleryJobs:
    """Recordings' jobs for ``scribe worker`` processes on any host. The API runs none itself:
    no claims, heartbeats or polling here, the broker hands each job to one worker."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session] | None = None) -> None:
        require_shared_database(settings)
        self._settings = settings
        self._sessions = sessions
        self._app = configure(settings)
        self.store: RecordingStore = DatabaseStore()
        # an upload is checked (format, length) in a private local file, then copied into the
        # database: this folder is the API host's own
        self.upload_folder: Path = settings.data_dir / "incoming"

    def start(self) -> int:
        """At the API's start: send again the jobs of recordings whose job may never have been
        sent (``resend_unsent``); return how many."""
        if self._sessions is None:
            return 0
        return resend_unsent(self._sessions, lambda e: self.queued(e, None), now=utcnow())

    def queued(self, encounter_id: str, seconds: float | None) -> None:
        """Send the job; the broker's own retries cover a restart of a few seconds, and an
        error past them reaches the caller (the upload is then refused, nothing kept)."""
        soft, hard = job_limits(self._settings, seconds)
        self._app.send_task(
            TRANSCRIBE,
            args=[encounter_id],
            queue=QUEUE,
            soft_time_limit=soft,
            time_limit=hard,
            retry=True,
        )

    def shutdown(self) -> None:
        self._app.close()  # its connections to the broker
