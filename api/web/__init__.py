"""The web app: server-rendered pages for clinicians, QA reviewers and admins, served by the
same service at ``/`` (the JSON API stays under ``/v1``). Works offline: every script, style
and font is in ``static/``."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.problems import ApiProblem
from api.web.render import STATIC, WebHeaders, is_web_path, page, see_other
from api.web.routes import admin, auth, encounters, qa, review, stream
from api.web.security import SignInRequired, WebRefusal, sign_in_url
from api.web.settings import WebSettings
from api.web.streaming import StreamSlots

__all__ = ["WebSettings", "install"]


def _wants_html(request: Request) -> bool:
    return is_web_path(request.url.path) and not request.url.path.startswith("/static/")


async def _delegate(answer: Response | Awaitable[Response]) -> Response:
    """The API's own handler's answer (its handlers are coroutines)."""
    return await answer if inspect.isawaitable(answer) else answer


def install(app: FastAPI, settings: WebSettings | None = None) -> None:
    """Mount the pages, their assets and their error pages on ``app``."""
    app.state.web_settings = settings = settings or WebSettings()
    app.state.stream_slots = StreamSlots(settings.stream_max_concurrent)
    for module in (auth, stream, encounters, review, qa, admin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    api_problem = app.exception_handlers[ApiProblem]
    http_error = app.exception_handlers[StarletteHTTPException]
    invalid = app.exception_handlers[RequestValidationError]

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if request.method != "GET":
            return page(
                request,
                "error.html",
                401,
                message="Your session has ended: sign in again, then repeat what you were doing.",
            )
        return see_other(sign_in_url(request))

    @app.exception_handler(WebRefusal)
    async def _refused(request: Request, exc: WebRefusal) -> Response:
        return page(request, "error.html", exc.status, message=exc.message)

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> Response:
        if _wants_html(request):
            return page(request, "error.html", exc.status, message=exc.detail)
        return await _delegate(api_problem(request, exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_html(request):
            message = "No such page." if exc.status_code == 404 else "This request was refused."
            return page(request, "error.html", exc.status_code, message=message)
        return await _delegate(http_error(request, exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):  # a hand-edited address: nothing of it is repeated
            return page(request, "error.html", 400, message="This address is not valid.")
        return await _delegate(invalid(request, exc))

    app.add_middleware(WebHeaders)
