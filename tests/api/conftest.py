"""Fixtures for the service tests: an app on a fresh database (SQLite, or PostgreSQL where a
server can be started), and one API key per role."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import PEOPLE, Api
from fastapi.testclient import TestClient
from scale_support import reset_postgres

from api.app import create_app
from api.keys import issue_key
from api.persistence.database import make_engine, make_sessions, upgrade
from scribe import Scribe
from scribe.config import Settings

REPO = Path(__file__).resolve().parents[2]
PG_SCRIPT = REPO / ".ci" / "postgres"
# CI sets this: a PostgreSQL that cannot be started is then a failure, not a skip.
REQUIRE_POSTGRES = os.environ.get("SCRIBE_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A PostgreSQL server for this test session: SCRIBE_TEST_POSTGRES_URL, or one started
    here with .ci/postgres when the server binaries are installed."""
    given = os.environ.get("SCRIBE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    folder = tempfile.mkdtemp(prefix="scribe-pg-")
    os.chmod(folder, 0o755)
    started = subprocess.run(
        [str(PG_SCRIPT), "start", folder], capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL could not be started: {started.stderr.strip()}")
        yield None
        return
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(PG_SCRIPT), "stop", folder], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None) -> str:
    """Each persistence test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scribe.db'}"
    if postgres_url is None:
        pytest.skip("no PostgreSQL server here (CI starts one: SCRIBE_REQUIRE_POSTGRES=1)")
    reset_postgres(postgres_url)
    return postgres_url


MakeApi = Callable[..., Api]


@pytest.fixture
def make_api(tmp_path: Path, scribe: Scribe) -> Iterator[MakeApi]:
    """Build an app on ``database_url`` (default: SQLite in tmp_path) with settings overrides;
    the pipeline is the session's, so no model loads per test."""
    stack: list[TestClient] = []

    def build(database_url: str | None = None, **overrides: Any) -> Api:
        settings = Settings(
            data_dir=tmp_path / "data",
            database_url=database_url or f"sqlite:///{tmp_path / 'scribe.db'}",
            **overrides,
        )
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        keys = {}
        with make_sessions(engine)() as session:
            for who, (role, name, organisation) in PEOPLE.items():
                issued = issue_key(session, role=role, name=name, organisation=organisation)
                keys[who] = issued.secret
            session.commit()
        engine.dispose()
        client = TestClient(create_app(settings, scribe=scribe))
        client.__enter__()
        stack.append(client)
        return Api(client=client, settings=settings, keys=keys)

    yield build
    for client in reversed(stack):
        client.__exit__(None, None, None)


@pytest.fixture
def api(make_api: MakeApi) -> Api:
    """The app on SQLite."""
    return make_api()


@pytest.fixture
def any_api(make_api: MakeApi, database_url: str) -> Api:
    """The app on SQLite, then on PostgreSQL."""
    return make_api(database_url)
