"""In a real browser: the recorder streams the dictation while it is spoken and lands on the
coded note; when the stream is refused, the recording is uploaded at stop instead; when the
stream's answer is lost after its note was stored, that upload lands on the streamed note."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select
from web_support import WebApp, recorder_page

from api.persistence.database import make_engine, make_sessions
from api.persistence.tables import AuditEvent, Encounter

CODED = 180_000  # ms: the note of a dictation on two busy cores, with margin
SPOKEN = re.compile(r"^0:1[2-9]$")  # about 15 s of the demo dictation recorded
ENCOUNTER_URL = "**/encounters/*-*-*-*-*"


def _record(page: Any) -> None:
    """Record about 15 s of the fake microphone's dictation, then stop."""
    page.get_by_role("button", name="Start recording").click()
    expect(page.locator("#rec-timer")).to_have_text(SPOKEN, timeout=30_000)


def _stored(web_app: WebApp, encounter_id: str) -> tuple[Encounter, list[str | None]]:
    """The encounter's row and the details of its creation events."""
    engine = make_engine(web_app.settings.resolved_database_url)
    with make_sessions(engine)() as session:
        row = session.get(Encounter, encounter_id)
        assert row is not None
        session.expunge(row)
        details = list(
            session.scalars(
                select(AuditEvent.detail).where(
                    AuditEvent.encounter_id == encounter_id,
                    AuditEvent.action == "encounter.create",
                )
            )
        )
    engine.dispose()
    return row, details


def _encounter_id(page: Any) -> str:
    found: str = page.url.rsplit("/", 1)[-1].split("?")[0]
    return found


def test_web_recorder_streams_and_lands_on_the_coded_note(
    new_context: Any, web_app: WebApp, screenshots: Path
) -> None:
    page = recorder_page(new_context(), web_app.base_url)
    page.goto("/encounters/new")
    page.get_by_label("Payer").select_option("commercial")
    _record(page)
    expect(page.locator("#rec-status")).to_have_text(re.compile("transcribing as you speak"))
    page.get_by_label("Patient reference").fill("MRN-3003")  # filled in while dictating
    page.get_by_role("button", name="Stop and send").click()
    page.wait_for_url(ENCOUNTER_URL, timeout=CODED)
    # the note is there when the page opens: no recording job to wait for
    expect(page.locator("#status-label")).to_have_text("ready")
    assert page.locator("#claim-h").count() == 1
    transcript = page.locator("#text").inner_text().lower()
    assert "neck" in transcript and "pain" in transcript
    assert page.locator("#text .w[data-s]").count() > 10  # words with their timestamps
    page.screenshot(path=screenshots / "streamed.png", full_page=True)

    row, details = _stored(web_app, _encounter_id(page))
    assert details == ["audio wav stream"]
    assert row.submission_id is not None and uuid.UUID(row.submission_id)
    assert (row.audio_format, row.patient_ref, row.payer) == ("wav", "MRN-3003", "commercial")
    player = page.locator("#player")  # the streamed audio is kept for playback
    duration = player.evaluate(
        "p => new Promise(r => p.readyState >= 1 ? r(p.duration)"
        " : p.addEventListener('loadedmetadata', () => r(p.duration)))"
    )
    assert duration > 10


def test_web_recorder_uploads_when_the_stream_is_refused(new_context: Any, web_app: WebApp) -> None:
    page = recorder_page(new_context(), web_app.base_url)
    # the server's answer when every place is taken: the socket opens and closes at once
    page.route_web_socket(
        re.compile(r"/encounters/stream$"), lambda socket: socket.close(code=1013, reason="busy")
    )
    page.goto("/encounters/new")
    _record(page)
    expect(page.locator("#rec-status")).to_have_text(re.compile("sent when you stop"))
    page.get_by_role("button", name="Stop and send").click()
    page.wait_for_url(ENCOUNTER_URL, timeout=CODED)
    page.locator("#claim-h, p.error").first.wait_for(timeout=CODED)
    assert page.locator("#claim-h").count() == 1, page.locator("p.error").inner_text()
    transcript = page.locator("#text").inner_text().lower()
    assert "neck" in transcript and "pain" in transcript
    row, details = _stored(web_app, _encounter_id(page))
    assert details == ["audio webm"]  # MediaRecorder's recording, through the upload
    assert row.audio_format == "webm"
    assert row.submission_id is not None and uuid.UUID(row.submission_id)


def test_web_recorder_upload_after_a_lost_answer_lands_on_the_streamed_note(
    new_context: Any, web_app: WebApp
) -> None:
    """The server stores the streamed note, but its "done" never reaches the page: the
    recording is uploaded at stop with the same id, and the page opens the streamed note."""
    page = recorder_page(new_context(), web_app.base_url)
    lost: list[dict[str, Any]] = []

    def lose_the_answer(socket: Any) -> None:
        server = socket.connect_to_server()

        def from_server(message: str | bytes) -> None:
            answer = json.loads(message) if isinstance(message, str) else {}
            if answer.get("type") == "done":
                lost.append(answer)  # the server closes next: the page sees no answer
                return
            socket.send(message)

        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/encounters/stream$"), lose_the_answer)
    page.goto("/encounters/new")
    _record(page)
    expect(page.locator("#rec-status")).to_have_text(re.compile("transcribing as you speak"))
    page.get_by_role("button", name="Stop and send").click()
    page.wait_for_url(ENCOUNTER_URL, timeout=CODED)
    [answer] = lost
    assert _encounter_id(page) == answer["id"]
    row, details = _stored(web_app, answer["id"])
    assert details == ["audio wav stream", "audio upload"]  # the stream's, then the repeat
    engine = make_engine(web_app.settings.resolved_database_url)
    with make_sessions(engine)() as session:
        same = session.scalars(
            select(Encounter.id).where(Encounter.submission_id == row.submission_id)
        ).all()
        repeats = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.encounter_id == answer["id"], AuditEvent.outcome == "repeat"
            )
        ).all()
    engine.dispose()
    assert list(same) == [answer["id"]] and list(repeats) == ["audio upload"]
