"""Errors as RFC 9457 problem details: a clear message, never a stack trace, never PHI."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
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


# Messages that would quote what the caller sent (pydantic's name the rejected tag, key or
# value): replaced by these.
_PLAIN = {
    "extra_forbidden": "unknown field: not allowed here (see the schema for the fields)",
    "union_tag_invalid": "unknown kind: see the schema for the allowed values",
    "union_tag_not_found": "the field that says which kind this is is missing",
    "string_unicode": "not valid Unicode text",
}
_QUOTED = re.compile("['\"`]")
_LOC_PART = re.compile(r"[a-z_][a-z0-9_]{0,39}")


def _strings(value: object) -> list[str]:
    """The strings in a rejected input (and its keys), case-folded, for spotting echoes."""
    found: list[str] = []
    stack = [value]
    while stack and len(found) < 1000:
        item = stack.pop()
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = str(item).strip().casefold()
            if len(text) >= 2:
                found.append(text)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def _safe_message(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind in _PLAIN:
        return _PLAIN[kind]
    msg = str(err.get("msg", "invalid value"))
    folded = msg.casefold()
    # a validator's own message may quote the value it refused (in any case)
    if kind in ("value_error", "assertion_error") and _QUOTED.search(msg):
        return "invalid value"
    if any(text in folded for text in _strings(err.get("input"))):
        return "invalid value"
    return msg


def _safe_loc(err: Mapping[str, Any]) -> list[str]:
    loc = list(err.get("loc", ()))
    if err.get("type") == "extra_forbidden" and loc:
        loc = loc[:-1]  # the last part is the caller's own (unknown) key
    return [
        str(part) if isinstance(part, int) or _LOC_PART.fullmatch(str(part)) else "*"
        for part in loc
    ]


def safe_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and what, without the rejected input (it may be a dictation): no value, no
    unknown key, no tag the caller sent."""
    return [
        {"loc": _safe_loc(err), "msg": _safe_message(err), "type": err.get("type")}
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
