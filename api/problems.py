"""Errors as RFC 9457 problem details: a clear message, never a stack trace, never PHI."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import Problem
from scribe.errors import (
    AudioError,
    BinaryInputError,
    InputError,
    InputTooLargeError,
    ScribeError,
)

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("scribe.api")


class ApiProblem(Exception):
    """An error the API answers on purpose; ``detail`` must hold no PHI."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str | None,
    *,
    slug: str | None = None,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    problem = Problem(
        type=f"urn:dn-scribe:problem:{slug}" if slug else "about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors,
    )
    return Response(
        problem.model_dump_json(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


_STANDARD = (401, 403, 422)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the problems a route may answer: ``codes`` plus 401, 403 and
    422, which every /v1 route can give. Problems are ``application/problem+json``."""
    schema = Problem.model_json_schema()
    return {
        code: {
            "description": HTTPStatus(code).phrase,
            "content": {PROBLEM_JSON: {"schema": schema}},
        }
        for code in sorted({*codes, *_STANDARD})
    }


def _scribe_status(exc: ScribeError) -> tuple[int, str]:
    if isinstance(exc, InputTooLargeError):
        return 413, "input-too-large"
    if isinstance(exc, AudioError):
        return 422, "bad-audio"
    if isinstance(exc, BinaryInputError):
        return 415, "not-text"
    if isinstance(exc, InputError):
        return 422, "bad-input"
    return 500, "configuration"


def _safe_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and what, without the rejected input (it may be a dictation)."""
    return [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "msg": err.get("msg"),
            "type": err.get("type"),
        }
        for err in exc.errors()[:20]
    ]


def install(app: FastAPI) -> None:
    """Answer every error as problem+json."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> Response:
        return problem_response(
            exc.status, exc.detail, slug=exc.slug, instance=request.url.path, headers=exc.headers
        )

    @app.exception_handler(ScribeError)
    async def _scribe_error(request: Request, exc: ScribeError) -> Response:
        status, slug = _scribe_status(exc)
        if status >= 500:
            _log.error("configuration error: %s", type(exc).__name__)
            return problem_response(status, "the service is misconfigured", slug=slug)
        return problem_response(status, str(exc), slug=slug, instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return problem_response(
            422,
            "the request does not match the API schema",
            slug="invalid-request",
            instance=request.url.path,
            errors=_safe_errors(exc),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers) if exc.headers else None
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem_response(exc.status_code, detail, instance=request.url.path, headers=headers)

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> Response:
        return problem_response(
            412,
            "the encounter changed while your request ran; read it again",
            slug="stale-revision",
            instance=request.url.path,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # the type only: a message or traceback could quote a dictation
        _log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return problem_response(
            500, "unexpected error; the request was not completed", slug="internal"
        )
