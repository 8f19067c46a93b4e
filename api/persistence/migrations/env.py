"""Alembic environment: runs on the connection the service hands over (see database.upgrade)."""

from __future__ import annotations

from alembic import context

from api.persistence.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached through the alembic command line
    raise RuntimeError("run migrations through api.persistence.database.upgrade()")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
