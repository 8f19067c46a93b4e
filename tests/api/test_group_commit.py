"""Group commit: every write returns only once committed, all land, and one bad write in a group
does not sink the others."""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from api.persistence.database import make_engine, make_sessions, upgrade, utcnow
from api.persistence.group_commit import GroupCommit
from api.persistence.tables import ApiKey, KeyHolder

HOLDER = "00000000-0000-4000-8000-000000000001"


def _key(key_hash: str | None = None) -> ApiKey:
    return ApiKey(id=str(uuid.uuid4()), holder_id=HOLDER, name="n", role="clinician",
                  organisation="o", key_hash=key_hash or uuid.uuid4().hex, prefix="dns_x",
                  created_at=utcnow())  # fmt: skip


@pytest.fixture
def database(tmp_path: Path) -> tuple[Path, sessionmaker[Session]]:
    path = tmp_path / "group.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = make_sessions(engine)
    with sessions() as session:
        session.add(KeyHolder(id=HOLDER, name="n", role="clinician", organisation="o",
                              created_at=utcnow()))  # fmt: skip
        session.commit()
    return path, sessions


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ApiKey)) or 0


Outcome = dict[str, Exception | None]


def _run(writes: GroupCommit, rows: list[ApiKey]) -> tuple[Outcome, list[threading.Thread]]:
    """Each row written from a thread of its own (started, not joined)."""
    outcome: Outcome = {}

    def one(row: ApiKey) -> None:
        try:
            writes.write(row)
            outcome[row.id] = None
        except Exception as exc:
            outcome[row.id] = exc

    threads = [threading.Thread(target=one, args=(row,)) for row in rows]
    for thread in threads:
        thread.start()
    return outcome, threads


def test_group_commit_concurrent_writes_all_land(
    database: tuple[Path, sessionmaker[Session]],
) -> None:
    _, sessions = database
    writes = GroupCommit(sessions)
    rows = [_key() for _ in range(40)]
    outcome, threads = _run(writes, rows)
    for thread in threads:
        thread.join()
    assert outcome == {row.id: None for row in rows}
    assert _count(sessions) == 40


def test_group_commit_one_bad_write_does_not_sink_its_group(
    database: tuple[Path, sessionmaker[Session]],
) -> None:
    path, sessions = database
    writes = GroupCommit(sessions)
    # Hold SQLite's write lock from outside, so the first writer waits inside its transaction
    # and the next ones queue up into one group behind it.
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    first, first_threads = _run(writes, [_key()])
    time.sleep(0.3)
    good = [_key() for _ in range(3)]
    bad = _key(key_hash=good[0].key_hash)  # the same unique digest as a good one
    queued, queued_threads = _run(writes, [*good, bad])
    time.sleep(0.3)
    blocker.execute("ROLLBACK")
    blocker.close()
    for thread in first_threads + queued_threads:
        thread.join(timeout=30)
    assert list(first.values()) == [None]
    failures = [row_id for row_id, error in queued.items() if error is not None]
    # Whichever of the two clashing rows came second in the group fails; the rest land.
    assert len(failures) == 1
    assert isinstance(queued[failures[0]], IntegrityError)
    assert _count(sessions) == 4
