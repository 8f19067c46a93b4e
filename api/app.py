"""The FastAPI application: models and the NLP pipeline load once, at start-up."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api import problems, refusals
from api.deps import JobQueue, Services
from api.extraction import ExtractionPool
from api.jobs import AudioJobs
from api.keys import SqliteKeyReader
from api.middleware import JSON_OVERHEAD, NoStore, RequestGuard
from api.persistence.database import make_engine, make_sessions, private_folder, upgrade
from api.persistence.group_commit import GroupCommit
from api.routers import admin, encounters, health, notes, review
from api.web import WebSettings
from api.web import install as install_web
from scribe.config import Settings, get_settings
from scribe.pipeline import Scribe

_log = logging.getLogger("scribe.api")
HANDLER_THREADS = 3


def _key_reader(engine: Engine) -> SqliteKeyReader | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return SqliteKeyReader(Path(database))


def _load_pipeline(settings: Settings) -> Scribe:
    return Scribe(settings=settings)


def _job_queue(settings: Settings, sessions: sessionmaker[Session], pipeline: Scribe) -> JobQueue:
    """Embedded: this process transcribes (one thread). With a broker: Celery workers do."""
    if settings.broker_url:
        from api.scale.dispatch import CeleryJobs  # Celery is imported only when used

        return CeleryJobs(settings, sessions)
    return AudioJobs(sessions, pipeline, settings)


def create_app(
    settings: Settings | None = None,
    *,
    scribe: Scribe | None = None,
    web: WebSettings | None = None,
) -> FastAPI:
    """The app; ``scribe`` may be passed in (tests share one pipeline between apps); ``web``:
    the web app's settings (default: from SCRIBE_WEB_*)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        private_folder(settings.data_dir)  # recordings (and the default database) live there
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        # In a thread: the event loop stays free while the pipeline loads (seconds).
        pipeline = (
            scribe if scribe is not None else await to_thread.run_sync(_load_pipeline, settings)
        )
        sessions = make_sessions(engine)
        jobs = _job_queue(settings, sessions, pipeline)
        extraction = ExtractionPool(
            workers=settings.extract_workers, budget_seconds=settings.extract_timeout_seconds
        )
        app.state.services = Services(
            settings,
            engine,
            sessions,
            pipeline,
            jobs,
            GroupCommit(sessions),
            extraction,
            CapacityLimiter(1),
            _key_reader(engine),
        )
        # Handlers hold the GIL for most of their time: more threads than this only queue
        # inside Python, with more switching; requests beyond them wait their turn in order.
        to_thread.current_default_thread_limiter().total_tokens = HANDLER_THREADS
        waiting = jobs.start()
        if waiting:
            _log.info("%d recording(s) waiting for a worker", waiting)
        try:
            yield
        finally:
            jobs.shutdown()
            extraction.shutdown()
            if app.state.services.key_reader is not None:
                app.state.services.key_reader.close()
            engine.dispose()

    app = FastAPI(
        title="dn-scribe",
        summary="Dry needling dictation -> structured note -> CPT coding, with QA review",
        version="1",
        lifespan=lifespan,
    )
    problems.install(app)
    refusals.install(app)
    app.include_router(health.router)
    app.include_router(encounters.router)
    app.include_router(notes.router)
    app.include_router(review.router)
    app.include_router(admin.router)
    install_web(app, web)  # the pages at /, after the API so its routes match first
    app.add_middleware(
        RequestGuard,
        json_limit=settings.max_input_chars * 4 + JSON_OVERHEAD,
        upload_limit=settings.max_upload_bytes,
    )
    app.add_middleware(NoStore)
    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory api.app:app_from_environment`` (settings from SCRIBE_*)."""
    return create_app()
