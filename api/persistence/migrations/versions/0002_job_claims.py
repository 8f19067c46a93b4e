"""Recordings are claimed by one worker process at a time: who holds a job and when it last
showed it was alive, so that several `scribe serve` workers share the queue and a job whose
worker died is taken over.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("encounters") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_encounters_status", "encounters", ["status"])


def downgrade() -> None:
    op.drop_index("ix_encounters_status", table_name="encounters")
    with op.batch_alter_table("encounters") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("claimed_by")
