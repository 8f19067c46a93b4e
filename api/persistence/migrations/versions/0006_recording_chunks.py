"""Recordings stored in the database, in chunks, for the scale-out mode (issue 13): the API and
the workers run on different hosts and share no folder, so an upload is kept where every host
reads it. An encounter's ``audio_path`` then reads ``db:<encounter id>``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recording_chunks",
        sa.Column(
            "encounter_id",
            sa.String(36),
            sa.ForeignKey("encounters.id", name="fk_recording_chunks_encounter"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("recording_chunks")
