"""Extraction never holds the threads that serve reads and /health, and a request whose
extraction overruns its time budget gets a clear 503 problem, with nothing stored.

The slow extraction is injected (a fake ``Scribe.extract`` that waits), not made with slow text:
what is tested is the service around it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from api_support import DICTATION, Api

from api.problems import PROBLEM_JSON
from scribe import Scribe

SLOW_FOR = 20.0  # seconds a blocked extraction waits at most (released by the test)


@pytest.fixture
def slow_extract(scribe: Scribe, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Extractions block until the event is set (or SLOW_FOR passes), then run for real."""
    release = threading.Event()
    real = scribe.extract

    def extract(text: str, context: Any = None) -> Any:
        release.wait(SLOW_FOR)
        return real(text, context)

    monkeypatch.setattr(scribe, "extract", extract)
    yield release
    release.set()


def _in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(call()), daemon=True)
    thread.start()
    return thread, out


def test_api_extraction_does_not_block_health_or_reads(
    make_api: Callable[..., Api], slow_extract: threading.Event
) -> None:
    api = make_api(extract_workers=2, extract_timeout_seconds=SLOW_FOR * 2)
    post = lambda: api.client.post(  # noqa: E731
        "/v1/encounters/text", json={"text": DICTATION}, headers=api.auth("clinician")
    )
    # more slow extractions than extraction threads and request threads together
    running = [_in_thread(post) for _ in range(6)]
    time.sleep(0.5)
    for call in (
        lambda: api.client.get("/health"),
        lambda: api.client.get("/v1/encounters", headers=api.auth("reviewer")),
    ):
        thread, out = _in_thread(call)
        thread.join(timeout=10)  # generous: blocked, it would wait for SLOW_FOR
        assert out and out[0].status_code == 200, "answered only after the extractions"
    slow_extract.set()
    for thread, out in running:
        thread.join(timeout=120)
        assert out and out[0].status_code == 201


def test_api_extraction_over_budget_is_503_and_stores_nothing(
    make_api: Callable[..., Api], slow_extract: threading.Event
) -> None:
    api = make_api(extract_timeout_seconds=0.5)
    started = time.monotonic()
    response = api.client.post(
        "/v1/encounters/text", json={"text": DICTATION}, headers=api.auth("clinician")
    )
    assert time.monotonic() - started < SLOW_FOR / 2  # answered at its budget, not at the end
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["retry-after"]
    body = response.json()
    assert body["type"] == "urn:dn-scribe:problem:extraction-timeout"
    assert "0.5 s" in body["detail"] and "nothing was stored" in body["detail"]
    slow_extract.set()  # the extraction now finishes: its result must be thrown away
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        events = api.client.get(
            "/v1/admin/audit", params={"action": "encounter.create"}, headers=api.auth("admin")
        ).json()["items"]
        if events:
            break
        time.sleep(0.1)
    assert [e["outcome"] for e in events] == ["timeout"]
    time.sleep(1.0)  # the abandoned extraction had time to finish, and stored nothing
    listed = api.client.get("/v1/encounters", headers=api.auth("reviewer")).json()
    assert listed["total"] == 0
    # the pool is free again: a normal request goes through
    retry = api.client.post(
        "/v1/encounters/text", json={"text": DICTATION}, headers=api.auth("clinician")
    )
    assert retry.status_code == 201
