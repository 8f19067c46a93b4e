"""`scribe serve` as a real subprocess, for the tests that need the whole server: killed mid-write,
or run with several worker processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.persistence.database import make_engine, upgrade

SCRIBE = Path(sys.executable).parent / "scribe"
START_TIMEOUT = 60.0


@dataclass
class Server:
    """`scribe serve` as a subprocess; its log goes to a file beside the data."""

    env: dict[str, str]
    log_path: Path
    workers: int = 1
    log_level: str = "warning"
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        log = self.log_path.open("ab")
        # Its own session (process group), so the kill reaches uvicorn and anything it started.
        self.process = subprocess.Popen(
            [
                str(SCRIBE),
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--log-level",
                self.log_level,
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail(
            f"the server did not answer /health within {START_TIMEOUT:.0f} s:\n{self.log()}"
        )

    def kill(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def create_key(env: dict[str, str], role: str, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(SCRIBE), "admin", "create-key", "--role", role, "--name", name, "--org", "clinic-1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def issue_keys(env: dict[str, str], database_url: str) -> dict[str, str]:
    """A key per role, made with `scribe admin create-key` as an operator would."""
    engine = make_engine(database_url)
    upgrade(engine)  # once, here: three commands migrating a fresh database at once would race
    engine.dispose()
    roles = ("clinician", "reviewer", "admin")
    running = {role: create_key(env, role, f"crash {role}") for role in roles}
    keys = {}
    for role, process in running.items():
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        keys[role] = out.strip()
    return keys
