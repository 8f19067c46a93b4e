"""/v1/admin: API keys and the audit log of the admin's own organisation (admin only).

Admin keys are scoped to their organisation: another organisation's keys are invisible (404)
and its audit events are not listed. Managing every organisation is for the command line
(``scribe admin ...``), which has the database itself and is the only superuser.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select

from api import problems
from api.audit import record
from api.deps import Admin, SessionDep
from api.keys import KeyIssueError, Role, issue_key
from api.persistence.database import as_utc, utcnow
from api.persistence.tables import ApiKey, AuditEvent
from api.problems import ApiProblem
from api.schemas import (
    UUID_PATTERN,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    AuditEventPublic,
    AuditPage,
)

router = APIRouter(prefix="/v1/admin", tags=["admin"])
JSON = "application/json"


def _public(key: ApiKey) -> ApiKeyPublic:
    return ApiKeyPublic.model_validate(
        {
            "id": key.id,
            "holder_id": key.holder_id,
            "name": key.name,
            "role": key.role,
            "organisation": key.organisation,
            "prefix": key.prefix,
            "created_at": as_utc(key.created_at),
            "revoked_at": as_utc(key.revoked_at) if key.revoked_at else None,
        }
    )


@router.post("/keys", name="key.create", status_code=201, response_model=ApiKeyCreated,
             responses=problems.responses(400, 404, 413))  # fmt: skip
def create_key(body: ApiKeyCreate, caller: Admin, session: SessionDep) -> Response:
    """A new key in the admin's organisation; its secret is in this answer only. With
    ``holder_id``, one more key for that holder (rotation: what they created stays theirs)."""
    organisation = caller.principal.organisation
    if body.organisation is not None and body.organisation != organisation:
        raise ApiProblem(403, "an admin makes keys for its own organisation only",
                         slug="other-organisation")  # fmt: skip
    try:
        issued = issue_key(session, role=Role(body.role), name=body.name,
                           organisation=organisation, holder_id=body.holder_id)  # fmt: skip
    except KeyIssueError as exc:
        session.rollback()
        status = 404 if body.holder_id and "no such" in str(exc) else 422
        raise ApiProblem(status, str(exc), slug="bad-key-request") from None
    record(session, caller, "key.create", detail=f"key {issued.principal.key_id}")
    session.commit()
    stored = session.get(ApiKey, issued.principal.key_id)
    if stored is None:  # pragma: no cover - just written in this transaction
        raise ApiProblem(500, "the key was not stored")
    created = ApiKeyCreated(**_public(stored).model_dump(), key=issued.secret)
    return Response(created.model_dump_json(), status_code=201, media_type=JSON)


@router.get("/keys", name="key.list", response_model=list[ApiKeyPublic],
            responses=problems.responses())  # fmt: skip
def list_keys(caller: Admin, session: SessionDep) -> list[ApiKeyPublic]:
    organisation = caller.principal.organisation
    keys = session.scalars(
        select(ApiKey).where(ApiKey.organisation == organisation).order_by(ApiKey.created_at)
    ).all()
    record(session, caller, "key.list", detail=f"{len(keys)} keys")
    session.commit()
    return [_public(k) for k in keys]


@router.delete("/keys/{key_id:id}", name="key.revoke", response_model=ApiKeyPublic,
               responses=problems.responses(404, 409))  # fmt: skip
def revoke_key(
    key_id: Annotated[str, Path(pattern=UUID_PATTERN)], caller: Admin, session: SessionDep
) -> ApiKeyPublic:
    """Revoke a key: every worker refuses it from its next request on (it stays listed, with
    its revocation time)."""
    key = session.get(ApiKey, key_id)
    if key is None or key.organisation != caller.principal.organisation:
        raise ApiProblem(404, "no such key", slug="not-found")
    if key.id == caller.principal.key_id:
        raise ApiProblem(409, "an admin cannot revoke the key it is using", slug="own-key")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        record(session, caller, "key.revoke", detail=f"key {key.id}")
        session.commit()
    return _public(key)


@router.get("/audit", name="audit.read", response_model=AuditPage,
            responses=problems.responses())  # fmt: skip
def read_audit(
    caller: Admin,
    session: SessionDep,
    encounter_id: Annotated[str | None, Query(pattern=UUID_PATTERN)] = None,
    actor_key: Annotated[str | None, Query(pattern=UUID_PATTERN)] = None,
    action: Annotated[str | None, Query(pattern=r"^[a-z_.]{1,40}$")] = None,
    before_id: Annotated[
        int | None, Query(ge=1, le=2**62, description="Page: events older than this id.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    """The organisation's audit log, newest first (reading it is an audit event too)."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.organisation == caller.principal.organisation)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    if encounter_id is not None:
        query = query.where(AuditEvent.encounter_id == encounter_id)
    if actor_key is not None:
        query = query.where(AuditEvent.actor_key == actor_key)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    events = session.scalars(query).all()
    items = [
        AuditEventPublic.model_validate(
            {**{c: getattr(e, c) for c in AuditEventPublic.model_fields}, "at": as_utc(e.at)}
        )
        for e in events
    ]
    record(session, caller, "audit.read", detail=f"{len(items)} events")
    session.commit()
    page = AuditPage(items=items, limit=limit, before_id=before_id)
    return Response(page.model_dump_json(), media_type=JSON)
