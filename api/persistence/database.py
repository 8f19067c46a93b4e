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

from api.persistence.audit_chain import seal
from api.persistence.tables import AuditEvent, Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def private_folder(path: Path) -> Path:
    """``path`` as a folder only its owner may enter (0700), made when missing."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _private_database(database: Path) -> None:
    """The database file exists, 0600, before SQLite opens it: SQLite creates its WAL and
    shared-memory files with the database's permissions. Files an older version left
    readable by others are tightened."""
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    for path in (database, *(database.with_name(database.name + s) for s in SIDE_FILES)):
        if path.exists():
            os.chmod(path, 0o600)


SIDE_FILES = ("-wal", "-shm", "-journal", "-writer")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file and its folder are created, private to this user
    (0600 and 0700), when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            private_folder(Path(database).parent)
            _private_database(Path(database))
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
    info: dict[str, Any] = {}
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        file = None if not database or database == ":memory:" else Path(database)
        info[_LOCK] = WriterLock(file)
    sessions = sessionmaker(engine, expire_on_commit=False, info=info)
    if _LOCK in info:
        _serialise_writers(sessions)
    _seal_audit_events(sessions)
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
_LOCK = "scribe_writer_lock"


def hold_writer(session: Session) -> None:
    """Take the SQLite writer lock for the rest of ``session``'s transaction (no-op on other
    databases, and when it is held already)."""
    lock: WriterLock | None = session.info.get(_LOCK)
    if lock is not None and not session.info.get(_HOLDS):
        lock.acquire()
        session.info[_HOLDS] = True


def _serialise_writers(sessions: sessionmaker[Session]) -> None:
    @event.listens_for(sessions, "before_flush")
    def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
        hold_writer(session)

    @event.listens_for(sessions, "do_orm_execute")
    def _before_write(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            hold_writer(state.session)

    @event.listens_for(sessions, "after_transaction_end")
    def _give(session: Session, transaction: Any) -> None:
        if transaction.parent is None and session.info.pop(_HOLDS, False):
            session.info[_LOCK].release()


def _seal_audit_events(sessions: sessionmaker[Session]) -> None:
    """Audit events added to a session are chained when they are flushed."""

    @event.listens_for(sessions, "before_flush")
    def _seal(session: Session, _context: Any, _instances: Any) -> None:
        new = [o for o in session.new if isinstance(o, AuditEvent) and o.hash is None]
        new.sort(key=lambda o: inspect(o).insert_order)
        seal(session, new)


def insert_now(session: Session, *rows: Base) -> None:
    """INSERT new rows at once, a plain statement each, without the unit of work (which costs
    more than the statements). The objects stay detached: they are for reading back. Audit
    events among them are chained first."""
    events: list[AuditEvent] = [r for r in rows if isinstance(r, AuditEvent)]
    seal(session, [e for e in events if e.hash is None])
    for row in rows:
        table = Base.metadata.tables[row.__tablename__]
        values = {key: value for key, value in vars(row).items() if key in table.c}
        session.execute(insert(table), values)  # parameters bound at execution: cached SQL


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    migrate(engine, "head")


def migrate(engine: Engine, target: str, *, down: bool = False) -> None:
    """Upgrade (or downgrade) the schema to ``target`` in one transaction.

    On SQLite, foreign keys are off while it runs: changing a column there means copying the
    table, and dropping the old copy would otherwise delete (or refuse, for the rows other
    tables point to) every row. They are checked before the transaction commits."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # outside a transaction, or SQLite ignores it
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                (command.downgrade if down else command.upgrade)(config, target)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the migration left rows that point to nothing")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


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
