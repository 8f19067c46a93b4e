"""`scribe serve --workers 2`: a revoked key fails on its very next request in every worker,
whether it was revoked through the API (in one worker) or with `scribe admin revoke-key`; the
audited client address is the peer's unless a configured proxy sent X-Forwarded-For; and
slow-starting workers are not killed and restarted by uvicorn's supervisor."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from served import SCRIBE, Server, create_key, issue_keys

from api.persistence.database import make_engine, make_sessions
from api.persistence.tables import ApiKey

ROUNDS = 40  # requests after a revocation, each on a new connection (spread over workers)


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("revocation")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIBE_")}
    env["SCRIBE_DATA_DIR"] = str(folder / "data")
    keys = issue_keys(env, f"sqlite:///{folder / 'data' / 'scribe.db'}")
    # info: uvicorn's supervisor says "Child process [...] died" when it restarts a worker
    server = Server(env=env, log_path=folder / "server.log", workers=2, log_level="info")
    server.start()
    try:
        yield server, keys
    finally:
        server.kill()


def _statuses(server: Server, key: str, rounds: int = ROUNDS) -> list[int]:
    """One request per new connection, so the kernel hands them to both workers."""
    found = []
    for _ in range(rounds):
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            found.append(client.get("/v1/encounters", headers=_auth(key)).status_code)
    return found


def _new_key(server: Server, name: str) -> tuple[str, str]:
    process = create_key(server.env, "clinician", name)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    secret = out.strip()
    engine = make_engine(f"sqlite:///{Path(server.env['SCRIBE_DATA_DIR']) / 'scribe.db'}")
    try:
        with make_sessions(engine)() as session:
            key_id = next(k.id for k in session.query(ApiKey).filter(ApiKey.name == name))
    finally:
        engine.dispose()
    return secret, key_id


def test_api_revocation_through_the_api_reaches_every_worker(
    served: tuple[Server, dict[str, str]],
) -> None:
    server, keys = served
    secret, key_id = _new_key(server, "revoked through the API")
    assert set(_statuses(server, secret)) == {200}  # both workers have seen the key work
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        revoked = client.delete(f"/v1/admin/keys/{key_id}", headers=_auth(keys["admin"]))
        assert revoked.status_code == 200
    assert set(_statuses(server, secret)) == {401}


def test_api_revocation_from_the_command_line_reaches_every_worker(
    served: tuple[Server, dict[str, str]],
) -> None:
    server, keys = served
    secret, key_id = _new_key(server, "revoked from the command line")
    assert set(_statuses(server, secret)) == {200}
    done = subprocess.run([str(SCRIBE), "admin", "revoke-key", key_id], env=server.env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert set(_statuses(server, secret)) == {401}
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        events = client.get("/v1/admin/audit", params={"actor_key": key_id},
                            headers=_auth(keys["admin"])).json()["items"]  # fmt: skip
    assert events and {e["outcome"] for e in events} == {"revoked"}  # refusals, by key
    assert "key.revoke" in [e["action"] for e in _cli_events(server, keys)]


def _cli_events(server: Server, keys: dict[str, str]) -> list[dict[str, str]]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        items: list[dict[str, str]] = client.get(
            "/v1/admin/audit", params={"limit": 1000}, headers=_auth(keys["admin"])
        ).json()["items"]
    return [e for e in items if e["actor_name"] == "command line"]


def test_api_revocation_forwarded_for_is_ignored_from_unknown_peers(
    served: tuple[Server, dict[str, str]],
) -> None:
    server, keys = served
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        spoofed = {**_auth(keys["reviewer"]), "X-Forwarded-For": "203.0.113.9"}
        assert client.get("/v1/encounters", headers=spoofed).status_code == 200
        events = client.get("/v1/admin/audit", params={"action": "encounter.list"},
                            headers=_auth(keys["admin"])).json()["items"]  # fmt: skip
    assert events and all(e["client"] == "127.0.0.1" for e in events)


def test_api_revocation_workers_started_without_restarts(
    served: tuple[Server, dict[str, str]],
) -> None:
    log = served[0].log_path.read_text(errors="replace")
    assert log.count("Application startup complete") == 2
    assert "died" not in log
