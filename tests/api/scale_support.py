"""Servers for the scale-out tests: a throwaway Redis (.ci/redis) on 127.0.0.1, and `scribe
worker` processes, each with a data folder of its own. Every wait is bounded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from served import free_port
from sqlalchemy import text

from api.persistence.database import make_engine

REPO = Path(__file__).resolve().parents[2]
REDIS_SCRIPT = REPO / ".ci" / "redis"
SCRIBE = Path(sys.executable).parent / "scribe"
# CI sets this: a Redis that cannot be started is then a failure, not a skip.
REQUIRE_REDIS = os.environ.get("SCRIBE_REQUIRE_REDIS") == "1"
WORKER_START_SECONDS = 180.0


@dataclass
class Redis:
    """redis-server in ``folder``; stopped and started again on the same port and data."""

    folder: Path
    port: int = field(default_factory=free_port)
    url: str = ""

    def start(self) -> None:
        started = subprocess.run(
            [str(REDIS_SCRIPT), "start", str(self.folder), str(self.port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if started.returncode != 0:
            message = f"Redis could not be started: {started.stderr.strip()}"
            if REQUIRE_REDIS:
                pytest.fail(message)
            pytest.skip(message + " (CI starts one: SCRIBE_REQUIRE_REDIS=1)")
        self.url = started.stdout.strip()

    def stop(self) -> None:
        subprocess.run(
            [str(REDIS_SCRIPT), "stop", str(self.folder)], capture_output=True, timeout=30
        )


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        connection.execute(text("DROP FUNCTION IF EXISTS scribe_append_only() CASCADE"))
    engine.dispose()


@dataclass
class Worker:
    """`scribe worker --concurrency N` with a data folder of its own."""

    name: str
    env: dict[str, str]
    folder: Path
    concurrency: int = 1
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.folder / "worker.log"

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process (several workers load their models at the same time)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        env = {**self.env, "SCRIBE_DATA_DIR": str(self.folder / "data")}
        command = [str(SCRIBE), "worker", "--concurrency", str(self.concurrency)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--name", self.name],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the kill reaches its pool process too
            )

    def wait_ready(self) -> None:
        if self.process is None:
            raise RuntimeError("the worker was not launched")
        deadline = time.monotonic() + WORKER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"worker {self.name} exited:\n{self.log()}")
            # each pool process says so once it loaded the models
            text = self.log_path.read_text(errors="replace")
            if text.count("worker process ready") >= self.concurrency:
                return
            time.sleep(0.2)
        pytest.fail(f"worker {self.name} not ready in {WORKER_START_SECONDS:.0f} s:\n{self.log()}")

    def kill(self) -> None:
        """kill -9 of the worker and its pool process, as when its host dies."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-6000:]
