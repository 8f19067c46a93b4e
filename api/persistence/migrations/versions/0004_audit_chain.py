"""Audit events are chained by hash (``seq``, ``hash``, the ``audit_chain`` head), and an INSERT
that would replace a revision or an audit event fails (SQLite's INSERT OR REPLACE deletes the
old row without firing DELETE triggers).

Existing events are chained in the order of their ids.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from api.persistence.audit_chain import FIELDS, GENESIS, HEAD_ID, link

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY = ("note_revisions", "audit_events")
# What makes a row "the same row" again: its id, and the table's other unique key.
SAME_ROW = {
    "note_revisions": "id = NEW.id OR (encounter_id = NEW.encounter_id AND number = NEW.number)",
    "audit_events": "id = NEW.id OR seq = NEW.seq",
}


def _drop_triggers(dialect: str) -> None:
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif dialect == "sqlite":
            for action in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")


def _create_triggers(dialect: str, *, replace: bool) -> None:
    """UPDATE and DELETE fail; on SQLite (``replace``) so does an INSERT of an existing row.
    PostgreSQL's upsert (INSERT ... ON CONFLICT DO UPDATE) already fires the UPDATE trigger."""
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION scribe_append_only()"
            )
        elif dialect == "sqlite":
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
            if replace:
                op.execute(
                    f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                    f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {SAME_ROW[table]}) "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    _drop_triggers(dialect)
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=True))
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer()),
        sa.column("seq", sa.Integer()),
        sa.column("hash", sa.String()),
        sa.column("at", sa.DateTime(timezone=True)),
        *(sa.column(name, sa.String()) for name in FIELDS[1:]),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    seq, last = 0, GENESIS
    for row in rows:
        seq += 1
        last = link(last, seq, dict(row))
        bind.execute(sa.update(events).where(events.c.id == row["id"]).values(seq=seq, hash=last))
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_audit_events_seq", ["seq"])
    head = op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": HEAD_ID, "seq": seq, "hash": last}])
    _create_triggers(dialect, replace=True)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    _drop_triggers(dialect)
    op.drop_table("audit_chain")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("uq_audit_events_seq", type_="unique")
        batch.drop_column("hash")
        batch.drop_column("seq")
    _create_triggers(dialect, replace=False)
