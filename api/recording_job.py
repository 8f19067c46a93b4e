"""One recording's job, the same in both modes: transcribe, extract, code, store.

The embedded mode (``api.jobs``) runs it on a thread of the API's process after claiming the
row; the scale-out mode (``api.scale.tasks``) in a Celery worker on any host. Either way every
write goes through the encounter's ``version`` check, so when two runs of one job overlap (a
job handed out again while its first worker still ran), the one that wrote last loses its
write (``StaleDataError``) and only one result, with one extraction revision, is stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from api.audit import record
from api.encounters import (
    apply_result,
    coding_context,
    next_revision,
    revision_row,
    stored_context,
    with_recording_prompts,
)
from api.persistence.database import utcnow
from api.persistence.tables import Encounter
from scribe.pipeline import Scribe
from scribe.schemas.transcript import Transcript

PROGRESS_EVERY_SECONDS = 1.0
GONE = "the server stopped and the recording is no longer kept"
TIMED_OUT = "the recording took longer than its time limit to transcribe"
INTERNAL = "internal error while processing"
QUEUE_UNAVAILABLE = "the job queue was unavailable"


def transcribe_and_extract(
    session: Session,
    row: Encounter,
    scribe: Scribe,
    audio: Path,
    *,
    on_progress: Callable[[Encounter], None] | None = None,
) -> None:
    """Run the job of ``row`` (status ``transcribing``) on ``audio``. Progress (0-0.95) is
    committed about once a second, the transcript when it is done; the note, its coding, the
    extraction revision and the ``job.complete`` event are left in ``session`` for the caller
    to commit with whatever else ends the job (the recording's deletion).

    ``on_progress(row)`` runs before each progress commit (a heartbeat, a stop check)."""
    last = [time.monotonic()]

    def progress(done: float, total: float) -> None:
        now = time.monotonic()
        if total <= 0 or now - last[0] < PROGRESS_EVERY_SECONDS:
            return
        last[0] = now
        if on_progress is not None:
            on_progress(row)
        row.progress = round(min(0.95, 0.95 * done / total), 3)
        row.updated_at = utcnow()
        session.commit()

    transcript = scribe.transcribe(audio, progress=progress)
    row.status, row.progress, row.updated_at = "extracting", 0.95, utcnow()
    keep_transcript(row, transcript)
    session.commit()
    extract_recording(session, row, scribe, transcript)
    record_extraction(session, row)


def keep_transcript(row: Encounter, transcript: Transcript) -> None:
    """Store a recording's transcript (the text the note's offsets point into) on ``row``."""
    row.transcript_json = transcript.model_dump_json()
    row.text = transcript.text


def extract_recording(
    session: Session, row: Encounter, scribe: Scribe, transcript: Transcript
) -> None:
    """The note and coding of a transcribed recording, set on ``row`` (then ``ready``). Reads
    the session history and writes nothing, so ``row`` may not be stored yet (a dictation
    streamed while it was spoken is stored only once its note is ready)."""
    context, history = coding_context(session, row, stored_context(row))
    result = scribe.extract_transcript(transcript, context)
    row.history_json = history.model_dump_json() if history else None
    apply_result(row, result.note, with_recording_prompts(result.coding, transcript))
    row.status, row.progress = "ready", 1.0


def record_extraction(session: Session, row: Encounter) -> None:
    """Add the extraction revision and the ``job.complete`` event of ``row`` (stored already:
    its revisions point to it) to ``session``, for the caller to commit."""
    session.add(
        revision_row(
            row,
            number=next_revision(session, row),
            kind="extraction",
            author_key=row.created_by_key,
            author_name=row.created_by_name,
            author_role="service",
            note_before=None,
        )
    )
    record(session, None, "job.complete", encounter_id=row.id, organisation=row.organisation)


def fail(row: Encounter, reason: str) -> None:
    """End the job in ``failed`` with a reason that holds no dictation (the caller audits and
    commits)."""
    row.status, row.failure_reason, row.updated_at = "failed", reason, utcnow()
    row.claimed_by = None
