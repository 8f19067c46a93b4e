"""Engine, sessions and schema migrations.

SQLite (the default) runs in WAL mode with ``synchronous=FULL``: a write the API acknowledged
survives a killed process and a power cut. PostgreSQL is used as configured.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, insert, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from api.persistence.tables import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine``. On SQLite, whose database has one write lock, writers take turns
    on a :class:`WriterLock` from their first flush to the end of the transaction: waiting
    there is fair and prompt, where SQLite's own busy handler sleeps and retries."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        file = None if not database or database == ":memory:" else Path(database)
        _serialise_writers(sessions, WriterLock(file))
    return sessions


class WriterLock:
    """One writer at a time: the threads of this process on a Python lock, then the processes
    sharing the database file (several ``scribe serve`` workers, the admin commands) on an
    exclusive ``flock`` of a file beside it."""

    def __init__(self, database: Path | None) -> None:
        self._threads = threading.Lock()
        self._path = None if database is None else database.with_name(database.name + "-writer")
        self._fd: int | None = None

    def acquire(self) -> None:
        self._threads.acquire()
        if self._path is None:
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)  # blocks without holding the GIL
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()


_HOLDS = "scribe_write_lock"


def _serialise_writers(sessions: sessionmaker[Session], lock: WriterLock) -> None:
    def take(session: Session) -> None:
        if not session.info.get(_HOLDS):
            lock.acquire()
            session.info[_HOLDS] = True

    @event.listens_for(sessions, "before_flush")
    def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
        take(session)

    @event.listens_for(sessions, "do_orm_execute")
    def _before_write(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            take(state.session)

    @event.listens_for(sessions, "after_transaction_end")
    def _give(session: Session, transaction: Any) -> None:
        if transaction.parent is None and session.info.pop(_HOLDS, False):
            lock.release()


def insert_now(session: Session, *rows: Base) -> None:
    """INSERT new rows at once, a plain statement each, without the unit of work (which costs
    more than the statements). The objects stay detached: they are for reading back."""
    for row in rows:
        table = Base.metadata.tables[row.__tablename__]
        values = {key: value for key, value in vars(row).items() if key in table.c}
        session.execute(insert(table), values)  # parameters bound at execution: cached SQL


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_ready(engine: Engine) -> bool:
    """Whether the database answers and holds the service's tables."""
    try:
        with engine.connect() as connection:
            return "encounters" in inspect(connection).get_table_names()
    except Exception:  # any driver error means "not ready"; /health reports it
        return False


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
