"""What each worker process loads once: the database engine, the NLP pipeline and the speech
model (before it takes its first job, in Celery's ``worker_process_init``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.persistence.database import make_engine, make_sessions
from api.recordings import DatabaseStore
from scribe.config import Settings, get_settings
from scribe.pipeline import Scribe

_log = logging.getLogger("scribe.worker")


class SharedDatabaseRequired(Exception):
    """Scale-out mode with a database only one machine can reach."""


def require_shared_database(settings: Settings) -> None:
    """Workers on other hosts and the API share the database: SQLite (a file) cannot be."""
    if settings.resolved_database_url.startswith("sqlite"):
        raise SharedDatabaseRequired(
            "SCRIBE_BROKER_URL needs a database every host reaches: set SCRIBE_DATABASE_URL to "
            "a PostgreSQL URL (postgresql+psycopg://...)"
        )


@dataclass
class WorkerProcess:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    scribe: Scribe
    store: DatabaseStore


_current: WorkerProcess | None = None


def load(settings: Settings, *, speech: bool = True) -> WorkerProcess:
    """Connect to the database and build the pipeline; with ``speech``, load the speech model
    now rather than at the first recording."""
    engine = make_engine(settings.resolved_database_url)
    scribe = Scribe(settings=settings)
    if speech:
        scribe.transcriber.load()
    store = DatabaseStore(settings.data_dir / "scratch")
    return WorkerProcess(settings, engine, make_sessions(engine), scribe, store)


def current() -> WorkerProcess:
    """This process's pipeline, model and database (loaded on first use)."""
    global _current
    if _current is None:
        _current = load(get_settings())
        _log.info("worker process ready (speech model %s)", _current.settings.asr_model)
    return _current


def use(process: WorkerProcess | None) -> None:
    """Install ``process`` as this process's (tests run tasks in their own process)."""
    global _current
    _current = process
