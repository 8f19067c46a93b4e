"""Request dependencies: the database session, the caller, role checks (``Annotated`` aliases)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.audit import Caller, record_now
from api.jobs import AudioJobs
from api.keys import KeyCache, Principal, Role, authenticate
from api.persistence.group_commit import GroupCommit
from api.problems import ApiProblem
from scribe.config import Settings
from scribe.pipeline import Scribe


@dataclass
class Services:
    """What the app loads once at start-up (lifespan) and every request shares."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    scribe: Scribe
    jobs: AudioJobs
    keys: KeyCache
    writes: GroupCommit


# Cheap dependencies are async, so a request crosses into the thread pool only for its
# database work and its handler (each crossing costs more than these functions).
async def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


async def db_session(services: ServicesDep) -> AsyncIterator[Session]:
    """A session for the request. Async on purpose: making one does no I/O (it connects on
    first use, in the handler's thread), and closing it only hands the connection back."""
    with services.sessions() as session:
        yield session


_bearer = HTTPBearer(auto_error=False, description="An API key from `scribe admin create-key`.")
SessionDep = Annotated[Session, Depends(db_session)]
_Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _lookup(services: Services, secret: str) -> Principal | None:
    with services.sessions() as session:
        return authenticate(session, secret)


async def current_caller(
    request: Request, services: ServicesDep, credentials: _Credentials
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiProblem(401, "an API key is required (Authorization: Bearer ...)",
                         slug="unauthenticated", headers=_CHALLENGE)  # fmt: skip
    secret = credentials.credentials
    principal = services.keys.get(secret)
    if principal is None:
        principal = await run_in_threadpool(_lookup, services, secret)
        if principal is None:
            raise ApiProblem(401, "unknown or revoked API key", slug="unauthenticated",
                             headers=_CHALLENGE)  # fmt: skip
        services.keys.put(secret, principal)
    client = request.client.host if request.client else None
    return Caller(principal=principal, client=client)


CallerDep = Annotated[Caller, Depends(current_caller)]


def _record_denial(
    services: Services, caller: Caller, action: str, encounter_id: str | None
) -> None:
    with services.sessions() as session:
        record_now(session, caller, action, encounter_id=encounter_id, outcome="denied")


def require(*roles: Role) -> Callable[[Caller, Request, Services], Awaitable[Caller]]:
    """A dependency that lets only ``roles`` through (403, audited, otherwise)."""
    allowed = frozenset(roles)

    async def check(caller: CallerDep, request: Request, services: ServicesDep) -> Caller:
        if caller.principal.role not in allowed:
            route = request.scope.get("route")
            action = getattr(route, "name", None) or request.url.path
            encounter_id = request.path_params.get("encounter_id")
            await run_in_threadpool(_record_denial, services, caller, action, encounter_id)
            names = ", ".join(sorted(r.value for r in allowed))
            raise ApiProblem(403, f"this needs the role {names}", slug="forbidden")
        return caller

    return check


Creator = Annotated[Caller, Depends(require(Role.clinician, Role.integration))]
Reader = Annotated[Caller, Depends(require(Role.clinician, Role.reviewer, Role.integration))]
Reviewer = Annotated[Caller, Depends(require(Role.reviewer))]
Admin = Annotated[Caller, Depends(require(Role.admin))]
