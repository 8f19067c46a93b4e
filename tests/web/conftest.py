"""Fixtures for the web app's tests: the service on a fresh database with one user per role,
served by uvicorn on 127.0.0.1 for Debian's chromium driven by Playwright (no browser is
downloaded: .ci/chromium installs Debian's package)."""

from __future__ import annotations

import os
import socket
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import uvicorn
from fastapi.testclient import TestClient
from web_support import Browserless, WebApp, make_users

from api.app import create_app
from api.web.settings import WebSettings
from scribe import Scribe
from scribe.asr.audio import load_audio
from scribe.config import Settings

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SCRIBE_CHROMIUM", "/usr/bin/chromium"))
# CI sets this: a missing browser is then a failure, not a skip.
REQUIRE_BROWSER = os.environ.get("SCRIBE_REQUIRE_BROWSER") == "1"
SCREENSHOTS = REPO / "tests" / "web" / "screenshots"
DEMO_FLAC = REPO / "fixtures" / "demo" / "dictation.flac"
START_TIMEOUT = 30.0
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerThread:
    """uvicorn serving the app on 127.0.0.1 in a thread of this process (the test session's
    pipeline is shared, so nothing loads twice)."""

    def __init__(self, app: Any) -> None:
        self.port = _free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="web-test-server", daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture(scope="session")
def web_app(tmp_path_factory: pytest.TempPathFactory, scribe: Scribe) -> Iterator[WebApp]:
    """The service with the web app, on 127.0.0.1, for the whole browser session. Recordings
    are kept an hour (playback); sessions end after 30 idle minutes."""
    folder = tmp_path_factory.mktemp("web")
    settings = Settings(
        data_dir=folder / "data",
        database_url=f"sqlite:///{folder / 'web.db'}",
        audio_retention_hours=1.0,
    )
    ids = make_users(settings.resolved_database_url)
    app = create_app(settings, scribe=scribe, web=WebSettings())
    with ServerThread(app) as server:
        yield WebApp(base_url=f"http://127.0.0.1:{server.port}", settings=settings, user_ids=ids)


@pytest.fixture(scope="session")
def fake_microphone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo dictation as the 16-bit WAV Chromium's fake capture device plays."""
    samples = load_audio(DEMO_FLAC, max_seconds=120)
    path = tmp_path_factory.mktemp("mic") / "dictation.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture(scope="session")
def browser(fake_microphone: Path) -> Iterator[Any]:
    """Debian's chromium, headless, its microphone playing the demo. Playwright starts it on
    a fresh temporary profile (its own --user-data-dir) and removes it afterwards."""
    if not CHROMIUM.exists():
        if REQUIRE_BROWSER:
            pytest.fail(f"no browser at {CHROMIUM} (run: .ci/chromium install)")
        pytest.skip("no chromium here (.ci/chromium install; CI sets SCRIBE_REQUIRE_BROWSER=1)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[*CHROMIUM_FLAGS, f"--use-file-for-fake-audio-capture={fake_microphone}"],
            timeout=60_000,
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_context(browser: Any, web_app: WebApp) -> Iterator[Callable[..., Any]]:
    """Fresh browser contexts (separate cookies: one person each), closed after the test."""
    made: list[Any] = []

    def make(width: int = 1280, height: int = 800) -> Any:
        context = browser.new_context(
            base_url=web_app.base_url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(20_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def open_client(tmp_path: Path, scribe: Scribe) -> Iterator[Callable[..., Browserless]]:
    """Browserless clients (TestClient) of one service on a fresh SQLite database with one user
    per role; each call may set the service's settings, the web app's and the base URL."""
    opened: list[TestClient] = []
    database = f"sqlite:///{tmp_path / 'web.db'}"
    make_users(database)

    def build(
        *,
        base_url: str = "http://testserver",
        service: dict[str, Any] | None = None,
        web: dict[str, Any] | None = None,
    ) -> Browserless:
        settings = Settings(data_dir=tmp_path / "data", database_url=database, **(service or {}))
        app = create_app(settings, scribe=scribe, web=WebSettings(**(web or {})))
        client = TestClient(app, base_url=base_url)
        client.__enter__()
        opened.append(client)
        return Browserless(client)

    yield build
    for client in opened:
        client.__exit__(None, None, None)
