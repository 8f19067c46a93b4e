"""`scribe admin ...`: keys made, listed and revoked from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.keys import authenticate
from api.persistence.database import make_engine, make_sessions
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
