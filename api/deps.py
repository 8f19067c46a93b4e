"""Request dependencies: the database session, the caller, role checks (``Annotated`` aliases)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.audit import Caller, record_now
from api.jobs import AudioJobs
from api.keys import Role, authenticate
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


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def db_session(request: Request) -> Iterator[Session]:
    with services(request).sessions() as session:
        yield session


_bearer = HTTPBearer(auto_error=False, description="An API key from `scribe admin create-key`.")

ServicesDep = Annotated[Services, Depends(services)]
SessionDep = Annotated[Session, Depends(db_session)]
_Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def current_caller(request: Request, session: SessionDep, credentials: _Credentials) -> Caller:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiProblem(401, "an API key is required (Authorization: Bearer ...)",
                         slug="unauthenticated", headers=challenge)  # fmt: skip
    principal = authenticate(session, credentials.credentials)
    if principal is None:
        raise ApiProblem(401, "unknown or revoked API key", slug="unauthenticated",
                         headers=challenge)  # fmt: skip
    client = request.client.host if request.client else None
    return Caller(principal=principal, client=client)


CallerDep = Annotated[Caller, Depends(current_caller)]


def require(*roles: Role) -> Callable[[Caller, Request, Session], Caller]:
    """A dependency that lets only ``roles`` through (403 otherwise)."""
    allowed = frozenset(roles)

    def check(caller: CallerDep, request: Request, session: SessionDep) -> Caller:
        if caller.principal.role not in allowed:
            route = request.scope.get("route")
            action = getattr(route, "name", None) or request.url.path
            encounter_id = request.path_params.get("encounter_id")
            record_now(session, caller, action, encounter_id=encounter_id, outcome="denied")
            names = ", ".join(sorted(r.value for r in allowed))
            raise ApiProblem(403, f"this needs the role {names}", slug="forbidden")
        return caller

    return check


Creator = Annotated[Caller, Depends(require(Role.clinician, Role.integration))]
Reader = Annotated[Caller, Depends(require(Role.clinician, Role.reviewer, Role.integration))]
Reviewer = Annotated[Caller, Depends(require(Role.reviewer))]
Admin = Annotated[Caller, Depends(require(Role.admin))]
