"""The FastAPI application: models and the NLP pipeline load once, at start-up."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import problems
from api.deps import Services
from api.extraction import ExtractionPool
from api.jobs import AudioJobs
from api.persistence.database import make_engine, make_sessions, upgrade
from api.persistence.group_commit import GroupCommit
from api.routers import admin, encounters, health, review
from scribe.config import Settings, get_settings
from scribe.pipeline import Scribe

_log = logging.getLogger("scribe.api")
# JSON bodies: the largest dictation allowed, four bytes a character at worst, plus the context.
_JSON_OVERHEAD = 64 * 1024
HANDLER_THREADS = 3


class BodyLimit:
    """Refuse bodies over the limits before they are read into memory or onto disk."""

    def __init__(self, app: ASGIApp, *, json_limit: int, upload_limit: int) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit + _JSON_OVERHEAD  # multipart framing and the context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"].endswith("/audio") else self.json_limit
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0
        over = started = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise _TooLarge(limit)
            return message

        async def answer(message: Message) -> None:
            # A body that grew over the limit (chunked, no length given) may surface as the
            # parser's own error (400): the answer is 413 whatever the app made of it.
            nonlocal started
            if message["type"] == "http.response.start":
                if started:
                    return
                started = True
                if over:
                    await self._refuse(scope, receive, send, limit)
                    return
            elif over:
                return
            await send(message)

        try:
            await self.app(scope, counted, answer)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problems.problem_response(
            413, f"the request body is over {limit:,} bytes", slug="too-large"
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body over {limit} bytes")


class NoStore:
    """Every answer under /v1 may hold health data: no cache (browser or proxy) keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k != b"cache-control"]
                headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_no_store)


def _load_pipeline(settings: Settings) -> Scribe:
    return Scribe(settings=settings)


def create_app(settings: Settings | None = None, *, scribe: Scribe | None = None) -> FastAPI:
    """The app; ``scribe`` may be passed in (tests share one pipeline between apps)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        # In a thread: the event loop stays free while the pipeline loads (seconds).
        pipeline = (
            scribe if scribe is not None else await to_thread.run_sync(_load_pipeline, settings)
        )
        sessions = make_sessions(engine)
        jobs = AudioJobs(sessions, pipeline, settings)
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
            engine.dispose()

    app = FastAPI(
        title="dn-scribe",
        summary="Dry needling dictation -> structured note -> CPT coding, with QA review",
        version="1",
        lifespan=lifespan,
    )
    problems.install(app)
    app.include_router(health.router)
    app.include_router(encounters.router)
    app.include_router(review.router)
    app.include_router(admin.router)
    app.add_middleware(
        BodyLimit,
        json_limit=settings.max_input_chars * 4 + _JSON_OVERHEAD,
        upload_limit=settings.max_upload_bytes,
    )
    app.add_middleware(NoStore)
    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory api.app:app_from_environment`` (settings from SCRIBE_*)."""
    return create_app()
