"""Keys, encounters, note revisions and the audit log; revisions and audit are append-only.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("note_revisions", "audit_events")


def _timestamp(name: str, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        _timestamp("created_at"),
        _timestamp("revoked_at", nullable=True),
    )
    op.create_table(
        "encounters",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("created_by_key", sa.String(36), sa.ForeignKey("api_keys.id"), nullable=False),
        sa.Column("created_by_name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("context_json", sa.Text(), nullable=False),
        sa.Column("history_json", sa.Text(), nullable=True),
        sa.Column("patient_ref", sa.String(200), nullable=True),
        sa.Column("payer", sa.String(20), nullable=True),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("transcript_json", sa.Text(), nullable=True),
        sa.Column("note_json", sa.Text(), nullable=True),
        sa.Column("coding_json", sa.Text(), nullable=True),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("review_reasons_json", sa.Text(), nullable=False),
        sa.Column("needling_session", sa.Boolean(), nullable=False),
        _timestamp("signed_off_at", nullable=True),
        sa.Column("signed_off_by", sa.String(200), nullable=True),
        sa.Column("audio_path", sa.Text(), nullable=True),
        sa.Column("audio_format", sa.String(20), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_encounters_org_status", "encounters", ["organisation", "status"])
    op.create_index(
        "ix_encounters_history",
        "encounters",
        ["organisation", "patient_ref", "payer", "date_of_service"],
    )
    op.create_table(
        "note_revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("encounter_id", sa.String(36), sa.ForeignKey("encounters.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("author_key", sa.String(36), nullable=True),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("author_role", sa.String(20), nullable=False),
        _timestamp("created_at"),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("operations_json", sa.Text(), nullable=False),
        sa.Column("note_before_json", sa.Text(), nullable=True),
        sa.Column("note_after_json", sa.Text(), nullable=False),
        sa.Column("coding_after_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("encounter_id", "number"),
    )
    op.create_index("ix_note_revisions_encounter_id", "note_revisions", ["encounter_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _timestamp("at"),
        sa.Column("actor_key", sa.String(36), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=True),
        sa.Column("actor_role", sa.String(20), nullable=True),
        sa.Column("organisation", sa.String(100), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("encounter_id", sa.String(36), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("client", sa.String(100), nullable=True),
        sa.Column("detail", sa.String(300), nullable=True),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_encounter_id", "audit_events", ["encounter_id"])
    _append_only_triggers()


def _append_only_triggers() -> None:
    """UPDATE and DELETE on revisions and audit events fail in the database itself."""
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION scribe_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION scribe_append_only()"
            )
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif dialect == "sqlite":
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS scribe_append_only()")
    op.drop_table("audit_events")
    op.drop_table("note_revisions")
    op.drop_table("encounters")
    op.drop_table("api_keys")
