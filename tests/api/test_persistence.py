"""The schema: migrations build exactly the models, on SQLite and PostgreSQL, idempotently."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from api.persistence.database import MIGRATIONS, is_ready, make_engine, upgrade
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
            assert version.scalar_one() == ScriptDirectory(str(MIGRATIONS)).get_current_head()
        assert {"api_keys", "encounters", "note_revisions", "audit_events"} <= tables
    finally:
        engine.dispose()


def _migrate(engine: Engine, to: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, to)


def _columns(engine: Engine, table: str) -> set[str]:
    with engine.connect() as connection:
        return {column["name"] for column in inspect(connection).get_columns(table)}


def test_persistence_each_migration_keeps_rows_and_steps_back(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        _migrate(engine, "0001")
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO api_keys (id, name, role, organisation, key_hash, prefix, "
                     "created_at) VALUES ('k1', 'n', 'admin', 'o', 'h', 'p', :at)"),
                {"at": "2026-11-22 10:00:00+00:00"},
            )  # fmt: skip
        _migrate(engine, "head")
        assert {"claimed_by", "heartbeat_at"} <= _columns(engine, "encounters")
        _migrate(engine, "0001", down=True)
        assert "claimed_by" not in _columns(engine, "encounters")
        _migrate(engine, "head")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM api_keys")).scalar_one() == 1
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
