"""The append-only audit log: every read and write of an encounter, who, what, when, where."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.keys import Principal
from api.persistence.database import utcnow
from api.persistence.tables import AuditEvent

SERVICE = "scribe service"
COMMAND_LINE = "command line"
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UNAUTHENTICATED = "unauthenticated"


@dataclass(frozen=True)
class Caller:
    """The principal and where the request came from."""

    principal: Principal
    client: str | None


@dataclass(frozen=True)
class Anonymous:
    """A request without a valid key: where it came from, and the id of the revoked key it
    presented, if it was one."""

    client: str | None
    revoked_key_id: str | None = None
    organisation: str | None = None  # the revoked key's, or the command line's subject


Actor = Caller | Anonymous | None  # None: the service itself (background jobs)


def audit_event(
    actor: Actor,
    action: str,
    *,
    encounter_id: str | None = None,
    outcome: str = "ok",
    detail: str | None = None,
    organisation: str | None = None,
) -> AuditEvent:
    """An audit event (not yet stored). ``detail`` is for ids and counts, never note text or
    patient identifiers; ``organisation`` is for events without a caller (the service's)."""
    event = AuditEvent(
        at=utcnow(),
        actor_key=None,
        actor_name=SERVICE,
        actor_role=None,
        organisation=organisation,
        action=action,
        # only an id: a refused request's path may hold anything
        encounter_id=encounter_id if encounter_id and _ID.fullmatch(encounter_id) else None,
        outcome=outcome,
        client=None,
        detail=None if detail is None else detail[:300],
    )
    if isinstance(actor, Caller):
        principal = actor.principal
        event.actor_key, event.actor_name = principal.key_id, principal.name
        event.actor_role, event.organisation = principal.role.value, principal.organisation
    elif isinstance(actor, Anonymous):
        event.actor_key, event.actor_name = actor.revoked_key_id, UNAUTHENTICATED
        event.organisation = organisation or actor.organisation
    if actor is not None and actor.client:
        event.client = actor.client[:100]
    return event


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    encounter_id: str | None = None,
    outcome: str = "ok",
    detail: str | None = None,
    organisation: str | None = None,
) -> None:
    """Add an audit event to ``session`` (committed with the work it describes)."""
    event = audit_event(
        actor,
        action,
        encounter_id=encounter_id,
        outcome=outcome,
        detail=detail,
        organisation=organisation,
    )
    session.add(event)


def record_now(
    session: Session,
    actor: Actor,
    action: str,
    *,
    encounter_id: str | None = None,
    outcome: str,
    detail: str | None = None,
) -> None:
    """Record and commit at once: for refused requests, whose own work is rolled back."""
    session.rollback()
    record(session, actor, action, encounter_id=encounter_id, outcome=outcome, detail=detail)
    session.commit()
