"""Engine, sessions and schema migrations.

SQLite (the default) runs in WAL mode with ``synchronous=FULL``: a write the API acknowledged
survives a killed process and a power cut. PostgreSQL is used as configured.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

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
    """Sessions on ``engine``. On SQLite, whose database has one write lock, the writers of this
    process take turns on a Python lock from their first flush to the end of the transaction:
    waiting there is fair and prompt, where SQLite's own busy handler sleeps and retries."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite":
        _serialise_writers(sessions)
    return sessions


_HOLDS = "scribe_write_lock"


def _serialise_writers(sessions: sessionmaker[Session]) -> None:
    lock = threading.Lock()

    @event.listens_for(sessions, "before_flush")
    def _take(session: Session, _context: Any, _instances: Any) -> None:
        if not session.info.get(_HOLDS):
            lock.acquire()
            session.info[_HOLDS] = True

    @event.listens_for(sessions, "after_transaction_end")
    def _give(session: Session, transaction: Any) -> None:
        if transaction.parent is None and session.info.pop(_HOLDS, False):
            lock.release()


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
