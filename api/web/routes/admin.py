"""Admin pages: users, API keys and the audit log of the admin's own organisation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from starlette.responses import Response

from api.audit import record
from api.deps import Services, ServicesDep
from api.keys import KeyIssueError, Role, issue_key
from api.persistence.database import utcnow
from api.persistence.tables import ApiKey, AuditEvent, KeyHolder, User
from api.web.accounts import AccountError, create_user, disable_user
from api.web.forms import text_of
from api.web.render import page, see_other
from api.web.security import Admin, AdminWrites, WebRefusal, WebUser

router = APIRouter(include_in_schema=False, prefix="/admin")
_ID = r"^[0-9a-f-]{36}$"
AUDIT_PAGE = 100


def _role(value: str) -> Role | None:
    return Role(value) if value in {r.value for r in Role} else None


def _users(services: Services, user: WebUser) -> dict[str, Any]:
    organisation = user.caller.principal.organisation
    with services.sessions() as session:
        rows = session.execute(
            select(User, KeyHolder)
            .join(KeyHolder, KeyHolder.id == User.holder_id)
            .where(KeyHolder.organisation == organisation)
            .order_by(User.username)
        ).all()
        record(session, user.caller, "web.user.list", detail=f"{len(rows)} users")
        session.commit()
    return {"users": rows, "roles": ("clinician", "reviewer", "admin")}


@router.get("/users", name="web.user.list")
def users(request: Request, user: Admin, services: ServicesDep) -> Response:
    return page(request, "users.html", error=None, **_users(services, user))


def _create_user(services: Services, user: WebUser, fields: dict[str, str]) -> str | None:
    """None, or why the user cannot be made (the message holds no password)."""
    with services.sessions() as session:
        try:
            made = create_user(
                session,
                username=fields["username"],
                name=fields["name"],
                role=_role(fields["role"]) or Role.integration,
                organisation=user.caller.principal.organisation,
                password=fields["password"],
            )
        except AccountError as exc:
            session.rollback()
            return str(exc)
        record(session, user.caller, "user.create", detail=f"user {made.id}")
        session.commit()
    return None


@router.post("/users", name="user.create")
async def post_user(request: Request, user: AdminWrites, services: ServicesDep) -> Response:
    form = await request.form()
    fields = {k: text_of(form, k) for k in ("username", "name", "role")}
    password = form.get("password")
    fields["password"] = password if isinstance(password, str) else ""
    error = await run_in_threadpool(_create_user, services, user, fields)
    if error is None:
        return see_other("/admin/users?m=user-created")
    context = await run_in_threadpool(_users, services, user)
    return page(request, "users.html", 400, error=error[:1].upper() + error[1:] + ".", **context)


def _disable(services: Services, user: WebUser, user_id: str) -> None:
    with services.sessions() as session:
        found = session.execute(
            select(User, KeyHolder)
            .join(KeyHolder, KeyHolder.id == User.holder_id)
            .where(User.id == user_id)
        ).first()
        if found is None or found[1].organisation != user.caller.principal.organisation:
            raise WebRefusal(404, "No such user.")
        if found[0].id == user.caller.principal.key_id:
            raise WebRefusal(409, "You cannot disable your own account.")
        disable_user(session, found[0])
        record(session, user.caller, "user.disable", detail=f"user {user_id}")
        session.commit()


@router.post("/users/{user_id:id}/disable", name="user.disable")
def post_disable(user_id: str, user: AdminWrites, services: ServicesDep) -> Response:
    _disable(services, user, user_id)
    return see_other("/admin/users?m=user-disabled")


def _keys(services: Services, user: WebUser) -> list[ApiKey]:
    organisation = user.caller.principal.organisation
    with services.sessions() as session:
        keys = session.scalars(
            select(ApiKey).where(ApiKey.organisation == organisation).order_by(ApiKey.created_at)
        ).all()
        record(session, user.caller, "key.list", detail=f"{len(keys)} keys")
        session.commit()
    return list(keys)


@router.get("/keys", name="web.key.list")
def keys(request: Request, user: Admin, services: ServicesDep) -> Response:
    return page(request, "keys.html", keys=_keys(services, user), created=None, error=None)


def _create_key(services: Services, user: WebUser, role: str, name: str) -> tuple[str, str]:
    with services.sessions() as session:
        issued = issue_key(
            session, role=Role(role), name=name, organisation=user.caller.principal.organisation
        )
        record(session, user.caller, "key.create", detail=f"key {issued.principal.key_id}")
        session.commit()
    return issued.principal.key_id, issued.secret


@router.post("/keys", name="key.create")
async def post_key(request: Request, user: AdminWrites, services: ServicesDep) -> Response:
    """The new key's secret is on this page only (never stored, never shown again)."""
    form = await request.form()
    role, name = text_of(form, "role"), text_of(form, "name")
    created, error = None, None
    if _role(role) is None or not name or not name.isprintable():
        error = "Choose a role and give the key a name."
    else:
        try:
            created = await run_in_threadpool(_create_key, services, user, role, name)
        except KeyIssueError as exc:
            error = str(exc)
    listing = await run_in_threadpool(_keys, services, user)
    return page(
        request, "keys.html", 201 if created else 400, keys=listing, created=created, error=error
    )


def _revoke(services: Services, user: WebUser, key_id: str) -> None:
    with services.sessions() as session:
        key = session.get(ApiKey, key_id)
        if key is None or key.organisation != user.caller.principal.organisation:
            raise WebRefusal(404, "No such key.")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            record(session, user.caller, "key.revoke", detail=f"key {key.id}")
            session.commit()


@router.post("/keys/{key_id:id}/revoke", name="key.revoke")
def post_revoke(key_id: str, user: AdminWrites, services: ServicesDep) -> Response:
    _revoke(services, user, key_id)
    return see_other("/admin/keys?m=key-revoked")


def _audit(services: Services, user: WebUser, filters: dict[str, Any]) -> list[AuditEvent]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.organisation == user.caller.principal.organisation)
        .order_by(AuditEvent.id.desc())
        .limit(AUDIT_PAGE)
    )
    for name in ("action", "outcome", "encounter_id", "actor_key"):
        if filters[name]:
            query = query.where(getattr(AuditEvent, name) == filters[name])
    if filters["before_id"]:
        query = query.where(AuditEvent.id < filters["before_id"])
    if filters["day"]:
        start = dt.datetime.combine(filters["day"], dt.time(), tzinfo=dt.UTC)
        query = query.where(AuditEvent.at >= start, AuditEvent.at < start + dt.timedelta(days=1))
    with services.sessions() as session:
        events = list(session.scalars(query).all())
        record(session, user.caller, "audit.read", detail=f"{len(events)} events")
        session.commit()
    return events


@router.get("/audit", name="web.audit.read")
def audit(
    request: Request,
    user: Admin,
    services: ServicesDep,
    action: Annotated[str | None, Query(pattern=r"^[a-z_.]{0,40}$")] = None,
    outcome: Annotated[str | None, Query(pattern=r"^[a-z_]{0,20}$")] = None,
    encounter_id: Annotated[str | None, Query(pattern=r"^([0-9a-f-]{36})?$")] = None,
    actor_key: Annotated[str | None, Query(pattern=r"^([0-9a-f-]{36})?$")] = None,
    day: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    try:
        chosen_day = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise WebRefusal(400, "The day is not a date (YYYY-MM-DD).") from None
    filters = {
        "action": action or None,
        "outcome": outcome or None,
        "encounter_id": encounter_id or None,
        "actor_key": actor_key or None,
        "day": chosen_day,
        "before_id": before_id,
    }
    events = _audit(services, user, filters)
    return page(request, "audit.html", events=events, filters=filters, size=AUDIT_PAGE)
