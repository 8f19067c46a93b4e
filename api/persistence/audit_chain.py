"""A hash chain over the audit log, so that a changed, removed or inserted event is detectable.

Each event gets the next ``seq`` (1, 2, 3... in commit order, without gaps) and
``hash = SHA-256(previous hash, seq and the event's fields)``. The head row (``audit_chain``)
holds the last ``seq`` and ``hash``; writers lock it (SQLite: the writer lock; PostgreSQL:
``SELECT ... FOR UPDATE``) for the rest of their transaction, so the chain has one order.

The database triggers already refuse UPDATE, DELETE and replacing INSERTs; the chain catches
what they cannot (someone who drops the triggers, or edits the file). It is a plain hash, so
whoever can write the database can also rebuild a consistent chain: record the head that
``scribe admin verify-audit`` prints somewhere else to detect that too.

The canonical form below must never change: existing chains are verified with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.persistence.tables import AuditChainHead, AuditEvent

GENESIS = "0" * 64
HEAD_ID = 1
# The fields an event's hash covers, after its seq (never the database-assigned id).
FIELDS = (
    "at",
    "actor_key",
    "actor_name",
    "actor_role",
    "organisation",
    "action",
    "encounter_id",
    "outcome",
    "client",
    "detail",
)


def _timestamp(value: dt.datetime) -> str:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def link(previous: str, seq: int, values: Mapping[str, Any]) -> str:
    """The hash of event ``seq`` with ``values`` (its FIELDS), after ``previous``."""
    payload = [seq, _timestamp(values["at"]), *(values[name] for name in FIELDS[1:])]
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{text}".encode("ascii")).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in FIELDS}


def seal(session: Session, events: Sequence[AuditEvent]) -> None:
    """Number and chain ``events`` (not yet inserted) after the current head, and move the
    head; the head stays locked until ``session``'s transaction ends."""
    if not events:
        return
    from api.persistence.database import hold_writer  # database imports this module

    hold_writer(session)
    seq, last = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash)
        .where(AuditChainHead.id == HEAD_ID)
        .with_for_update()
    ).one()
    for event in events:
        seq += 1
        last = link(last, seq, _fields(event))
        event.seq, event.hash = seq, last
    session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(seq=seq, hash=last)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class ChainReport:
    """What ``verify`` found: ``problem`` is None when the chain is intact."""

    events: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    at_seq: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def _stored(session: Session, batch: int) -> Iterator[AuditEvent]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
        session.expunge_all()


def verify(session: Session, *, batch: int = 1000) -> ChainReport:
    """Recompute the chain from the first event; the first break found, if any."""
    head_seq, head_hash = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD_ID)
    ).one()
    expected, last, count = 1, GENESIS, 0
    for event in _stored(session, batch):
        count += 1
        if event.seq != expected:
            return ChainReport(count, head_seq, head_hash, "an event is missing", expected)
        last = link(last, event.seq, _fields(event))
        if last != event.hash:
            return ChainReport(count, head_seq, head_hash, "an event was changed", event.seq)
        expected += 1
    if (expected - 1, last) != (head_seq, head_hash):
        problem = "the log ends before its recorded head (events removed at the end)"
        if expected - 1 > head_seq:
            problem = "the log goes past its recorded head (events added outside the service)"
        return ChainReport(count, head_seq, head_hash, problem, expected)
    return ChainReport(count, head_seq, head_hash)
