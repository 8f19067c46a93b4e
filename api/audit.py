"""The append-only audit log: every read and write of an encounter, who, what, when, where."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.keys import Principal
from api.persistence.database import utcnow
from api.persistence.tables import AuditEvent


@dataclass(frozen=True)
class Caller:
    """The principal and where the request came from."""

    principal: Principal
    client: str | None


def audit_event(
    caller: Caller | None,
    action: str,
    *,
    encounter_id: str | None = None,
    outcome: str = "ok",
    detail: str | None = None,
) -> AuditEvent:
    """An audit event (not yet stored). ``detail`` is for ids and counts, never note text or
    patient identifiers."""
    principal = caller.principal if caller else None
    return AuditEvent(
        at=utcnow(),
        actor_key=principal.key_id if principal else None,
        actor_name=principal.name if principal else "scribe service",
        actor_role=principal.role.value if principal else None,
        organisation=principal.organisation if principal else None,
        action=action,
        encounter_id=None if encounter_id is None else encounter_id[:36],
        outcome=outcome,
        client=caller.client[:100] if caller and caller.client else None,
        detail=None if detail is None else detail[:300],
    )


def record(
    session: Session,
    caller: Caller | None,
    action: str,
    *,
    encounter_id: str | None = None,
    outcome: str = "ok",
    detail: str | None = None,
) -> None:
    """Add an audit event to ``session`` (committed with the work it describes)."""
    session.add(
        audit_event(caller, action, encounter_id=encounter_id, outcome=outcome, detail=detail)
    )


def record_now(
    session: Session,
    caller: Caller | None,
    action: str,
    *,
    encounter_id: str | None = None,
    outcome: str,
    detail: str | None = None,
) -> None:
    """Record and commit at once: for refused requests, whose own work is rolled back."""
    session.rollback()
    record(session, caller, action, encounter_id=encounter_id, outcome=outcome, detail=detail)
    session.commit()
