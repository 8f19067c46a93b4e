"""`scribe admin ...`: keys made, listed and revoked from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from api.cli import app
from api.keys import authenticate
from api.persistence.database import make_engine, make_sessions
from api.persistence.tables import AuditEvent
from scribe.config import get_settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SCRIBE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SCRIBE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_api_cli_create_list_revoke_key(data_dir: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["admin", "create-key", "--role", "reviewer", "--name", "QA 1",
                               "--org", "clinic-9"])  # fmt: skip
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("dns_") and len(secret) > 40
    engine = make_engine(f"sqlite:///{data_dir / 'scribe.db'}")
    with make_sessions(engine)() as session:
        principal = authenticate(session, secret)
    assert principal is not None and principal.organisation == "clinic-9"
    listed = runner.invoke(app, ["admin", "list-keys"])
    assert "reviewer" in listed.stdout and secret not in listed.stdout
    revoked = runner.invoke(app, ["admin", "revoke-key", principal.key_id])
    assert revoked.exit_code == 0
    with make_sessions(engine)() as session:
        assert authenticate(session, secret) is None
    engine.dispose()


def test_api_cli_bad_input_exits_non_zero(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["admin", "create-key", "--role", "boss", "--name", "x"]).exit_code
    blank = runner.invoke(app, ["admin", "create-key", "--role", "admin", "--name", "  "])
    assert blank.exit_code == 2
    assert runner.invoke(app, ["admin", "revoke-key", "no-such-id"]).exit_code == 2


def test_api_cli_has_the_library_commands_too() -> None:
    result = CliRunner().invoke(app, ["--help"])
    for command in ("extract", "transcribe", "code", "models", "serve", "admin"):
        assert command in result.stdout


def test_api_cli_serve_trusts_forwarded_for_only_from_configured_proxies(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    assert CliRunner().invoke(app, ["serve", "--workers", "2"]).exit_code == 0
    monkeypatch.setenv("SCRIBE_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6")
    get_settings.cache_clear()
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    untrusted, trusted = calls
    assert untrusted["proxy_headers"] is False
    assert trusted["proxy_headers"] is True
    assert trusted["forwarded_allow_ips"] == ["10.0.0.5", "10.0.0.6"]
    # a worker loading the pipeline is not taken for a hung one
    assert int(str(untrusted["timeout_worker_healthcheck"])) >= 60


def test_api_cli_key_commands_are_audited(data_dir: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["admin", "create-key", "--role", "admin", "--name", "Ops",
                               "--org", "clinic-9"])  # fmt: skip
    key_id = next(w for w in made.stderr.split() if w.count("-") == 4)
    assert runner.invoke(app, ["admin", "revoke-key", key_id]).exit_code == 0
    assert runner.invoke(app, ["admin", "list-keys"]).exit_code == 0
    engine = make_engine(f"sqlite:///{data_dir / 'scribe.db'}")
    with make_sessions(engine)() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        seen = [(e.action, e.actor_name, e.organisation, e.detail) for e in events]
        clients = {e.client for e in events}
    engine.dispose()
    assert seen == [
        ("key.create", "command line", "clinic-9", f"key {key_id}"),
        ("key.revoke", "command line", "clinic-9", f"key {key_id}"),
        ("key.list", "command line", None, "1 keys"),
    ]
    assert all(c and c.startswith("cli:") for c in clients)
    verified = runner.invoke(app, ["admin", "verify-audit"])
    assert verified.exit_code == 0 and "3 events" in verified.stderr
    shown = runner.invoke(app, ["admin", "audit", "--limit", "2"])
    assert shown.exit_code == 0 and "key.list" in shown.stdout and "key.create" not in shown.stdout
