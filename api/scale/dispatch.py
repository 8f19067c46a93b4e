"""The API's side of the scale-out mode: a recording's job is a Celery message, with time
limits from the recording's length; the recording itself is in the database."""

from __future__ import annotations

from pathlib import Path

from api.recordings import DatabaseStore, RecordingStore
from api.scale.celery_app import QUEUE, TRANSCRIBE, configure, job_limits
from api.scale.process import require_shared_database
from scribe.config import Settings


class CeleryJobs:
    """Recordings' jobs for ``scribe worker`` processes on any host. The API runs none itself:
    no claims, heartbeats or polling here, the broker hands each job to one worker."""

    def __init__(self, settings: Settings) -> None:
        require_shared_database(settings)
        self._settings = settings
        self._app = configure(settings)
        self.store: RecordingStore = DatabaseStore()
        # an upload is checked (format, length) in a private local file, then copied into the
        # database: this folder is the API host's own
        self.upload_folder: Path = settings.data_dir / "incoming"

    def start(self) -> int:
        return 0

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
