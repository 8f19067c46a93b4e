"""Web app users and their sessions. A user is a key holder (role, organisation, name: the same
principal as an API key's), so what a user creates is owned by their holder id like any key's.

``encounters.created_by_key`` now names the credential an encounter was created with, an API
key's id or a user's id, so it no longer points at ``api_keys`` alone. Downgrading restores the
foreign key, which fails while encounters created by users exist.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# 0001 left the foreign key unnamed: PostgreSQL named it so, and SQLite's copy of the table is
# given this name by the naming convention below.
POSTGRES_FK = "encounters_created_by_key_fkey"
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
SQLITE_FK = "fk_encounters_created_by_key_api_keys"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "holder_id",
            sa.String(36),
            sa.ForeignKey("key_holders.id", name="fk_users_holder"),
            nullable=False,
            unique=True,
        ),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.String(36),
            sa.ForeignKey("users.id", name="fk_web_sessions_user"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(POSTGRES_FK, "encounters", type_="foreignkey")
    else:
        with op.batch_alter_table("encounters", naming_convention=NAMING) as batch:
            batch.drop_constraint(SQLITE_FK, type_="foreignkey")


def downgrade() -> None:
    name = POSTGRES_FK if op.get_context().dialect.name == "postgresql" else SQLITE_FK
    with op.batch_alter_table("encounters") as batch:
        batch.create_foreign_key(name, "api_keys", ["created_by_key"], ["id"])
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("users")
