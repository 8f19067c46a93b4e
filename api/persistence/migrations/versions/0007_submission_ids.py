"""Submission ids: the web recorder names each recording with a random UUID, sent with its
stream and with the upload that replaces a stream whose answer was lost. The encounter keeps
it, unique per owner (their holder id), so a repeat returns the encounter already stored, even
when the stream's commit and the upload race. NULLs never collide, on SQLite or PostgreSQL, so
encounters created without an id are as many as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "uq_encounters_submission"


def upgrade() -> None:
    op.add_column("encounters", sa.Column("submission_id", sa.String(36), nullable=True))
    op.create_index(INDEX, "encounters", ["owner_id", "submission_id"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="encounters")
    with op.batch_alter_table("encounters") as batch:
        batch.drop_column("submission_id")
