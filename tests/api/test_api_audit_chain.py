"""The audit log and revisions are append-only in the database (UPDATE, DELETE and a replacing
INSERT all fail), and the audit log is hash-chained: `scribe admin verify-audit` finds an event
changed, removed or added behind the service's back."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from api_support import Api
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from api.cli import app
from api.persistence.audit_chain import verify
from api.persistence.database import make_engine, make_sessions
from scribe.config import get_settings

COLUMNS = {
    "audit_events": "id, seq, hash, at, actor_name, action, outcome",
    "note_revisions": "id, encounter_id, number, kind, author_name, author_role, created_at, "
    "operations_json, note_after_json, coding_after_json",
}


@pytest.fixture
def engine(any_api: Api) -> Iterator[Engine]:
    any_api.create_text()
    any_api.create_text()
    made = make_engine(any_api.settings.resolved_database_url)
    yield made
    made.dispose()


def _first_row(engine: Engine, table: str) -> dict[str, object]:
    with engine.connect() as connection:
        row = connection.execute(text(f"SELECT {COLUMNS[table]} FROM {table} ORDER BY id"))
        return dict(row.mappings().first() or {})


@pytest.mark.parametrize("table", ["audit_events", "note_revisions"])
def test_api_audit_chain_replacing_insert_fails(engine: Engine, table: str) -> None:
    before = _first_row(engine, table)
    forged = {**before, ("action" if table == "audit_events" else "kind"): "forged"}
    names = ", ".join(forged)
    values = ", ".join(f":{name}" for name in forged)
    if engine.dialect.name == "sqlite":
        statements = [f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({values})",
                      f"REPLACE INTO {table} ({names}) VALUES ({values})"]  # fmt: skip
    else:  # PostgreSQL's upsert is an UPDATE of the old row
        statements = [f"INSERT INTO {table} ({names}) VALUES ({values}) "
                      "ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id"]  # fmt: skip
    statements.append(  # an upsert on SQLite too
        f"INSERT INTO {table} ({names}) VALUES ({values}) ON CONFLICT (id) DO UPDATE SET "
        "id = excluded.id"
    )
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement), forged)
    assert _first_row(engine, table) == before


def _cli_verify(any_api: Api, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("SCRIBE_DATABASE_URL", any_api.settings.resolved_database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["admin", "verify-audit"])
    finally:
        get_settings.cache_clear()
    return result.exit_code, result.output


def _without_triggers(engine: Engine, statement: str) -> None:
    """What someone with the database file (or its owner's password) could do."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            for action in ("update", "delete"):
                connection.execute(text(f"DROP TRIGGER audit_events_no_{action}"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
        connection.execute(text(statement))


@pytest.mark.parametrize(
    ("tampering", "problem"),
    [
        ("UPDATE audit_events SET outcome = 'denied' WHERE seq = 2", "changed"),
        ("DELETE FROM audit_events WHERE seq = 1", "missing"),
        ("DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)", "ends"),
        ("UPDATE audit_events SET seq = seq + 100 WHERE seq = 1", "missing"),
    ],
)
def test_api_audit_chain_verify_finds_tampering(
    any_api: Api, engine: Engine, monkeypatch: pytest.MonkeyPatch, tampering: str, problem: str
) -> None:
    code, output = _cli_verify(any_api, monkeypatch)
    assert code == 0 and "intact" in output, output
    _without_triggers(engine, tampering)
    code, output = _cli_verify(any_api, monkeypatch)
    assert code == 1 and "tampered" in output and problem in output, output


def test_api_audit_chain_is_one_sequence_under_concurrent_writers(any_api: Api) -> None:
    """Requests from several threads (and group commits) still make one gapless chain."""

    def work() -> None:
        for _ in range(3):
            any_api.create_text()
            any_api.client.get("/v1/encounters", headers=any_api.auth("reviewer"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    engine = make_engine(any_api.settings.resolved_database_url)
    try:
        with make_sessions(engine)() as session:
            report = verify(session)
        assert report.intact, report
        assert report.events == report.head_seq >= 4 * 3 * 2
    finally:
        engine.dispose()
