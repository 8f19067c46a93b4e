"""/v1/admin: API keys and the audit log (admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select

from api.audit import record
from api.deps import Admin, ServicesDep, SessionDep
from api.keys import Role, issue_key
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
            "name": key.name,
            "role": key.role,
            "organisation": key.organisation,
            "prefix": key.prefix,
            "created_at": as_utc(key.created_at),
            "revoked_at": as_utc(key.revoked_at) if key.revoked_at else None,
        }
    )


@router.post("/keys", status_code=201, response_model=ApiKeyCreated)
def create_key(body: ApiKeyCreate, caller: Admin, session: SessionDep) -> Response:
    """A new key; its secret is in this answer only."""
    issued = issue_key(session, role=Role(body.role), name=body.name,
                       organisation=body.organisation)  # fmt: skip
    record(session, caller, "key.create", detail=f"key {issued.principal.key_id}")
    session.commit()
    stored = session.get(ApiKey, issued.principal.key_id)
    if stored is None:  # pragma: no cover - just written in this transaction
        raise ApiProblem(500, "the key was not stored")
    created = ApiKeyCreated(**_public(stored).model_dump(), key=issued.secret)
    return Response(created.model_dump_json(), status_code=201, media_type=JSON,
                    headers={"Cache-Control": "no-store"})  # fmt: skip


@router.get("/keys", response_model=list[ApiKeyPublic])
def list_keys(caller: Admin, session: SessionDep) -> list[ApiKeyPublic]:
    keys = session.scalars(select(ApiKey).order_by(ApiKey.created_at)).all()
    return [_public(k) for k in keys]


@router.delete("/keys/{key_id}", response_model=ApiKeyPublic)
def revoke_key(
    key_id: Annotated[str, Path(pattern=UUID_PATTERN)],
    caller: Admin,
    session: SessionDep,
    services: ServicesDep,
) -> ApiKeyPublic:
    """Revoke a key at once (it stays listed, with its revocation time)."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise ApiProblem(404, "no such key", slug="not-found")
    if key.id == caller.principal.key_id:
        raise ApiProblem(409, "an admin cannot revoke the key it is using", slug="own-key")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        record(session, caller, "key.revoke", detail=f"key {key.id}")
        session.commit()
    services.keys.forget(key.id)
    return _public(key)


@router.get("/audit", response_model=AuditPage)
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
    """The audit log, newest first."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
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
    page = AuditPage(items=items, limit=limit, before_id=before_id)
    return Response(page.model_dump_json(), media_type=JSON)
