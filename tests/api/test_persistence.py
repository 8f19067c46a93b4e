"""The schema: migrations build exactly the models, on SQLite and PostgreSQL, idempotently."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from api.persistence.audit_chain import verify
from api.persistence.database import (
    MIGRATIONS,
    is_ready,
    make_engine,
    make_sessions,
    migrate,
    upgrade,
)
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


def _columns(engine: Engine, table: str) -> set[str]:
    with engine.connect() as connection:
        return {column["name"] for column in inspect(connection).get_columns(table)}


AT = "2026-11-22 10:00:00+00:00"
# Rows as version 0002 held them: two keys with the same name (two people), an encounter made
# with the first, its revision and audit events.
SEED_0002 = (
    "INSERT INTO api_keys (id, name, role, organisation, key_hash, prefix, created_at) VALUES "
    "('k1', 'Dr Lee', 'clinician', 'o', 'h1', 'p', :at), "
    "('k2', 'Dr Lee', 'clinician', 'o', 'h2', 'p', :at)",
    "INSERT INTO encounters (id, organisation, created_by_key, created_by_name, source, status, "
    "progress, context_json, date_of_service, needs_review, review_reasons_json, "
    "needling_session, created_at, updated_at, version) VALUES ('e1', 'o', 'k1', 'Dr Lee', "
    "'text', 'ready', 1.0, '{}', '2026-11-22', false, '[]', true, :at, :at, 1)",
    "INSERT INTO note_revisions (encounter_id, number, kind, author_name, author_role, "
    "created_at, operations_json, note_after_json, coding_after_json) VALUES ('e1', 1, "
    "'extraction', 'Dr Lee', 'clinician', :at, '[]', '{}', '{}')",
    "INSERT INTO audit_events (at, actor_key, actor_name, action, encounter_id, outcome) "
    "VALUES (:at, 'k1', 'Dr Lee', 'encounter.create', 'e1', 'ok'), "
    "(:at, 'k2', 'Dr Lee', 'encounter.read', 'e1', 'not_found')",
)


def test_persistence_each_migration_keeps_rows_and_steps_back(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine, "0002")
        with engine.begin() as connection:
            for statement in SEED_0002:
                connection.execute(text(statement), {"at": AT})
        migrate(engine, "head")
        with engine.connect() as connection:
            holders = connection.execute(text("SELECT id, name FROM key_holders ORDER BY id"))
            # one holder per key: two people who share a name are never merged
            assert [tuple(r) for r in holders] == [("k1", "Dr Lee"), ("k2", "Dr Lee")]
            keys = connection.execute(text("SELECT id, holder_id FROM api_keys ORDER BY id"))
            assert [tuple(r) for r in keys] == [("k1", "k1"), ("k2", "k2")]
            owner = connection.execute(text("SELECT owner_id FROM encounters")).scalar_one()
            assert owner == "k1"
            seqs = connection.execute(text("SELECT seq FROM audit_events ORDER BY id"))
            assert [r[0] for r in seqs] == [1, 2]
        with make_sessions(engine)() as session:
            assert verify(session).intact  # existing events chained in id order
        migrate(engine, "0002", down=True)
        assert "owner_id" not in _columns(engine, "encounters")
        assert "seq" not in _columns(engine, "audit_events")
        migrate(engine, "0001", down=True)
        assert "claimed_by" not in _columns(engine, "encounters")
        migrate(engine, "head")
        with engine.connect() as connection:
            for table, count in (("api_keys", 2), ("encounters", 1), ("note_revisions", 1),
                                 ("audit_events", 2)):  # fmt: skip
                found = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                assert found == count, table
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


SUBMISSION = "0b7c5f52-6f1e-4c43-9d3e-5a1f0c2d9e11"
ENCOUNTER = (
    "INSERT INTO encounters (id, organisation, owner_id, created_by_key, created_by_name, "
    "submission_id, source, status, progress, context_json, date_of_service, needs_review, "
    "review_reasons_json, needling_session, created_at, updated_at, version) VALUES (:id, 'o', "
    ":owner, :owner, 'Dr Lee', :submission, 'audio', 'queued', 0.0, '{}', '2026-12-03', false, "
    "'[]', false, :at, :at, 1)"
)


def test_persistence_submission_ids_are_unique_per_owner(database_url: str) -> None:
    """What keeps a repeated submission out when it races the first (the unique index, on
    SQLite and PostgreSQL): one encounter per owner and id; the same id for another owner, and
    any number of encounters without an id, are stored."""
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO key_holders (id, name, role, organisation, created_at) VALUES "
                    "('h1', 'Dr Lee', 'clinician', 'o', :at), "
                    "('h2', 'Dr Lee', 'clinician', 'o', :at)"
                ),
                {"at": AT},
            )
            for encounter_id, owner, submission in (
                ("e1", "h1", SUBMISSION),
                ("e2", "h2", SUBMISSION),
                ("e3", "h1", None),
                ("e4", "h1", None),
            ):
                values = {"id": encounter_id, "owner": owner, "submission": submission, "at": AT}
                connection.execute(text(ENCOUNTER), values)
        repeat = {"id": "e5", "owner": "h1", "submission": SUBMISSION, "at": AT}
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(ENCOUNTER), repeat)
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT count(*) FROM encounters")).scalar_one()
        assert stored == 4
    finally:
        engine.dispose()
