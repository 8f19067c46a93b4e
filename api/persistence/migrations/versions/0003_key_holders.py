"""Encounters belong to a stable holder id, never to a name: key holders, each key's holder, and
each encounter's owner.

Existing rows: every existing key becomes its own holder (same id, name, role, organisation),
and an encounter's owner is the holder of the key that created it. Two keys that share a name
stay two holders: merging by name is exactly what this migration removes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_holders",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        "INSERT INTO key_holders (id, name, role, organisation, created_at) "
        "SELECT id, name, role, organisation, created_at FROM api_keys"
    )
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("holder_id", sa.String(36), nullable=True))
    op.execute("UPDATE api_keys SET holder_id = id")
    with op.batch_alter_table("api_keys") as batch:
        batch.alter_column("holder_id", existing_type=sa.String(36), nullable=False)
        batch.create_foreign_key("fk_api_keys_holder", "key_holders", ["holder_id"], ["id"])
        batch.create_index("ix_api_keys_holder_id", ["holder_id"])
    with op.batch_alter_table("encounters") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(36), nullable=True))
    op.execute("UPDATE encounters SET owner_id = created_by_key")
    with op.batch_alter_table("encounters") as batch:
        batch.alter_column("owner_id", existing_type=sa.String(36), nullable=False)
        batch.create_foreign_key("fk_encounters_owner", "key_holders", ["owner_id"], ["id"])
        batch.create_index("ix_encounters_owner", ["organisation", "owner_id"])


def downgrade() -> None:
    with op.batch_alter_table("encounters") as batch:
        batch.drop_index("ix_encounters_owner")
        batch.drop_constraint("fk_encounters_owner", type_="foreignkey")
        batch.drop_column("owner_id")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_index("ix_api_keys_holder_id")
        batch.drop_constraint("fk_api_keys_holder", type_="foreignkey")
        batch.drop_column("holder_id")
    op.drop_table("key_holders")
