"""Where uploaded recordings are kept until their job ends (or their retention passes).

Embedded mode: files in the data folder (one machine). Scale-out mode: chunks in the database,
written in the same transaction as the encounter, so every host reads them and none relies on a
shared folder. An encounter's ``audio_path`` is the recording's reference: a file path, or
``db:<encounter id>``; None once it is deleted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from api.persistence.database import as_utc, private_folder, utcnow
from api.persistence.tables import Encounter, RecordingChunk

CHUNK_BYTES = 1024 * 1024
DATABASE_PREFIX = "db:"
FINISHED = ("ready", "failed")


class RecordingStore(Protocol):
    """Keeps recordings; every method works inside the caller's transaction."""

    def reference(self, encounter_id: str, upload: Path) -> str:
        """What the encounter's ``audio_path`` will hold for ``upload``."""
        ...

    def put(self, session: Session, encounter_id: str, upload: Path) -> None:
        """Keep ``upload`` (a private local file) for the encounter, which is flushed already
        (the caller commits, then deletes ``upload`` if it is not the reference itself)."""
        ...

    def local_copy(self, session: Session, reference: str) -> AbstractContextManager[Path | None]:
        """A local file holding the recording while the context is open; None when the
        recording is gone."""
        ...

    def delete(self, session: Session, reference: str) -> None:
        """Delete the recording (no error when it is gone already)."""
        ...


class FileStore:
    """Embedded mode: the upload stays where the API wrote it, in the data folder."""

    def reference(self, encounter_id: str, upload: Path) -> str:
        return str(upload)

    def put(self, session: Session, encounter_id: str, upload: Path) -> None:
        return None  # the upload is written where it stays

    @contextmanager
    def local_copy(self, session: Session, reference: str) -> Iterator[Path | None]:
        path = Path(reference)
        yield path if path.exists() else None

    def delete(self, session: Session, reference: str) -> None:
        Path(reference).unlink(missing_ok=True)


class DatabaseStore:
    """Scale-out mode: recordings as 1 MiB chunks in ``recording_chunks``. A worker copies one
    to a private temporary file (its own disk) for the decoder, and deletes the copy after."""

    def __init__(self, scratch: Path | None = None) -> None:
        self._scratch = scratch

    def reference(self, encounter_id: str, upload: Path) -> str:
        return DATABASE_PREFIX + encounter_id

    def put(self, session: Session, encounter_id: str, upload: Path) -> None:
        with upload.open("rb") as source:
            seq = 0
            while chunk := source.read(CHUNK_BYTES):  # one chunk in memory at a time
                values = {"encounter_id": encounter_id, "seq": seq, "data": chunk}
                session.execute(insert(RecordingChunk), values)
                seq += 1

    @contextmanager
    def local_copy(self, session: Session, reference: str) -> Iterator[Path | None]:
        encounter_id = _encounter_of(reference)
        chunks = session.scalars(
            select(RecordingChunk.data)
            .where(RecordingChunk.encounter_id == encounter_id)
            .order_by(RecordingChunk.seq)
            .execution_options(yield_per=4)
        )
        folder = private_folder(self._scratch) if self._scratch else None
        handle, name = tempfile.mkstemp(prefix="recording-", dir=folder)  # 0600
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                for data in chunks:
                    out.write(data)
            yield path if path.stat().st_size else None
        finally:
            path.unlink(missing_ok=True)

    def delete(self, session: Session, reference: str) -> None:
        session.execute(
            delete(RecordingChunk).where(RecordingChunk.encounter_id == _encounter_of(reference))
        )


def _encounter_of(reference: str) -> str:
    if not reference.startswith(DATABASE_PREFIX):
        raise ValueError("not a reference to a recording kept in the database")
    return reference.removeprefix(DATABASE_PREFIX)


def drop_audio(session: Session, store: RecordingStore, row: Encounter, hours: float) -> None:
    """With no retention configured, the recording goes as soon as its job ends."""
    if hours == 0 and row.audio_path:
        store.delete(session, row.audio_path)
        row.audio_path = None


def sweep_audio(session: Session, store: RecordingStore, hours: float) -> int:
    """Delete kept recordings of finished jobs whose retention has passed; returns how many
    (the caller commits)."""
    rows = session.scalars(
        select(Encounter).where(Encounter.audio_path.is_not(None), Encounter.status.in_(FINISHED))
    ).all()
    removed = 0
    for row in rows:
        age = (utcnow() - as_utc(row.updated_at)).total_seconds() / 3600
        if age >= hours and row.audio_path:
            store.delete(session, row.audio_path)
            row.audio_path = None
            removed += 1
    return removed
