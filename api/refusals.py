"""Requests refused before their route ran (a body that is not valid Unicode, one that does not
match the schema) are audited like any other refusal: who (if their key is valid), which
action, from where. A caller without a valid key gets 401 for them, not the schema's verdict."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.routing import Match

from api.audit import Caller, record_now
from api.deps import Services, authorise, client_address
from api.problems import ApiProblem, problem_response, safe_errors


def _route(request: Request) -> tuple[str, str | None]:
    """The action (route name) a request was for, and its encounter id, found by matching
    the routes again when routing has not run yet."""
    route = request.scope.get("route")
    params = request.scope.get("path_params") or {}
    if route is None:
        for candidate in request.app.router.routes:
            match, child = candidate.matches(request.scope)
            if match is Match.FULL:
                route, params = candidate, child.get("path_params", {})
                break
    name = getattr(route, "name", None)
    encounter_id = params.get("encounter_id")
    return (
        name if isinstance(name, str) else "unknown",
        encounter_id if isinstance(encounter_id, str) else None,
    )


def _bearer(request: Request) -> str | None:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def _record_invalid(services: Services, request: Request, caller: Caller | None) -> Caller:
    action, encounter_id = _route(request)
    client = client_address(request)
    if caller is None:  # raises 401 (audited) for a missing, unknown or revoked key
        caller = authorise(services, _bearer(request), None, action=action, client=client,
                           encounter_id=encounter_id)  # fmt: skip
    with services.sessions() as session:
        record_now(session, caller, action, encounter_id=encounter_id, outcome="invalid")
    return caller


async def audit_invalid(request: Request) -> Response | None:
    """Audit a refused /v1 request; the 401 to answer instead when it has no valid key."""
    services: Services | None = getattr(request.app.state, "services", None)
    if services is None or not request.url.path.startswith("/v1"):
        return None
    known = getattr(request.state, "caller", None)
    try:
        await run_in_threadpool(
            _record_invalid, services, request, known if isinstance(known, Caller) else None
        )
    except ApiProblem as problem:
        return problem_response(problem.status, problem.detail, slug=problem.slug,
                                instance=request.url.path, headers=problem.headers)  # fmt: skip
    return None


def install(app: FastAPI) -> None:
    """Answer (and audit) requests that do not match the schema."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        refused = await audit_invalid(request)
        if refused is not None:
            return refused
        return problem_response(
            422,
            "the request does not match the API schema",
            slug="invalid-request",
            instance=request.url.path,
            errors=safe_errors(exc),
        )
