"""The schema: migrations build exactly the models, on SQLite and PostgreSQL, idempotently."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from api.persistence.database import is_ready, make_engine, upgrade
from api.persistence.tables import Base


def test_persistence_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert not is_ready(engine)
        upgrade(engine)
        upgrade(engine)  # a second start changes nothing
        assert is_ready(engine)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            assert diff == []
            tables = set(inspect(connection).get_table_names())
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar_one() == "0001"
        assert {"api_keys", "encounters", "note_revisions", "audit_events"} <= tables
    finally:
        engine.dispose()


def test_persistence_sqlite_is_durable_wal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'scribe.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert (tmp_path / "nested").is_dir()
    finally:
        engine.dispose()


def test_persistence_unreachable_database_is_not_ready() -> None:
    engine = make_engine("postgresql+psycopg://nobody@/none?host=/nonexistent&connect_timeout=1")
    assert is_ready(engine) is False
