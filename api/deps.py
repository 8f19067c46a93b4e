"""Request dependencies: the database session, the caller, role checks (``Annotated`` aliases).

Every request with a key is checked against the database (no cache of positive answers), so a
key revoked by any worker process or by ``scribe admin revoke-key`` fails on its next request.
The check, the role check and the audit event of a refusal run in one trip to a thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Protocol

from anyio import CapacityLimiter
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.audit import Anonymous, Caller, record_now
from api.extraction import ExtractionPool
from api.keys import KeyCheck, Role, SqliteKeyReader, check_key
from api.persistence.group_commit import GroupCommit
from api.problems import ApiProblem
from api.recordings import RecordingStore
from scribe.config import Settings
from scribe.pipeline import Scribe


class JobQueue(Protocol):
    """Where recordings' jobs go: this process's own thread (``api.jobs.AudioJobs``, the
    embedded mode) or Celery workers on other hosts (``api.scale.dispatch.CeleryJobs``)."""

    store: RecordingStore
    upload_folder: Path

    def start(self) -> int: ...

    def queued(self, encounter_id: str, seconds: float | None) -> None: ...

    def shutdown(self) -> None: ...


@dataclass
class Services:
    """What the app loads once at start-up (lifespan) and every request shares."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    scribe: Scribe
    jobs: JobQueue
    writes: GroupCommit
    extraction: ExtractionPool
    health: CapacityLimiter  # /health's own thread
    key_reader: SqliteKeyReader | None  # SQLite: key rows read without a thread


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
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def client_address(request: Request) -> str | None:
    """The peer's address (uvicorn replaces it with X-Forwarded-For only for the proxies in
    SCRIBE_TRUSTED_PROXIES)."""
    return request.client.host if request.client else None


def action_of(request: Request) -> str:
    """The audit action of the route a request reached (routes are named by action)."""
    route = request.scope.get("route")
    name = getattr(route, "name", None)
    return name if isinstance(name, str) else "unknown"


def authorise(
    services: Services,
    secret: str | None,
    roles: frozenset[Role] | None,
    *,
    action: str,
    client: str | None,
    encounter_id: str | None = None,
    known: KeyCheck | None = None,
) -> Caller:
    """The caller behind ``secret`` if it may act in one of ``roles`` (any role when None);
    401 or 403 otherwise, audited. ``known``: the key's row, already read."""
    with services.sessions() as session:
        check = known or (check_key(session, secret) if secret else None)
        principal = check.principal if check else None
        if principal is None:
            anonymous = Anonymous(client)
            if check is not None:
                anonymous = Anonymous(client, check.revoked_key_id, check.revoked_organisation)
            outcome = "revoked" if anonymous.revoked_key_id else "unauthenticated"
            record_now(session, anonymous, action, encounter_id=encounter_id, outcome=outcome)
            raise ApiProblem(401, "an API key is required (Authorization: Bearer ...); the one "
                             "given, if any, is unknown or revoked", slug="unauthenticated",
                             headers=CHALLENGE)  # fmt: skip
        caller = Caller(principal=principal, client=client)
        if roles is not None and principal.role not in roles:
            record_now(session, caller, action, encounter_id=encounter_id, outcome="denied")
            names = ", ".join(sorted(r.value for r in roles))
            raise ApiProblem(403, f"this needs the role {names}", slug="forbidden")
        return caller


def bearer_secret(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is None or credentials.scheme.lower() != "bearer":
        return None
    return credentials.credentials


def require(*roles: Role) -> Callable[[Request, Services, _Credentials], Awaitable[Caller]]:
    """A dependency that lets only ``roles`` through (401 or 403 otherwise, audited)."""
    allowed = frozenset(roles)

    async def check(request: Request, services: ServicesDep, credentials: _Credentials) -> Caller:
        secret = bearer_secret(credentials)
        client = client_address(request)
        known = None
        if secret and services.key_reader is not None:
            known = services.key_reader.check(secret)
            if known is not None and known.principal and known.principal.role in allowed:
                caller = Caller(principal=known.principal, client=client)
                request.state.caller = caller
                return caller  # the common case, without a trip to a thread
        encounter_id = request.path_params.get("encounter_id")
        caller = await run_in_threadpool(
            authorise,
            services,
            secret,
            allowed,
            action=action_of(request),
            client=client,
            encounter_id=encounter_id if isinstance(encounter_id, str) else None,
            known=known,
        )
        request.state.caller = caller
        return caller

    return check


Creator = Annotated[Caller, Depends(require(Role.clinician, Role.integration))]
Reader = Annotated[Caller, Depends(require(Role.clinician, Role.reviewer, Role.integration))]
Reviewer = Annotated[Caller, Depends(require(Role.reviewer))]
Admin = Annotated[Caller, Depends(require(Role.admin))]
