"""The recorder's WebSocket without a browser (TestClient): who may stream, its limits, and a
whole fixture dictation streamed into the same encounter an upload of it gives."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from starlette.websockets import WebSocketDisconnect
from web_support import Browserless, table_rows

from api.persistence.tables import AuditEvent, Encounter
from api.web.routes.stream import ACTION
from scribe.asr.audio import SAMPLE_RATE, load_audio
from scribe.schemas.note import Note

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "fixtures" / "audio" / "01-right-neck-three-muscles.flac"
ORIGIN = {"origin": "http://testserver"}
PATIENT = "MRN-7731"
CONTEXT = {"payer": "commercial", "patient_ref": PATIENT, "provider": "pt"}
UPLOAD_WAIT = 300.0  # s: a guard against a job that never ends, not a timed assertion
MakeClient = Callable[..., Browserless]


@pytest.fixture
def make_client(open_client: MakeClient) -> MakeClient:
    """Signed-in clients of one service (settings per client: limits, stream cap...)."""

    def build(
        login: str = "lee", *, service: dict[str, Any] | None = None, **web: Any
    ) -> Browserless:
        browserless: Browserless = open_client(
            service={"audio_retention_hours": 1.0, **(service or {})}, web=web
        )
        browserless.sign_in(login)
        return browserless

    return build


def _database(web: Browserless) -> str:
    url: str = web.client.app.state.services.settings.resolved_database_url
    return url


def _rows(database: str, table: Any, **where: str) -> list[Any]:
    return table_rows(database, table, **where)


def _outcomes(web: Browserless) -> list[str]:
    return [e.outcome for e in _rows(_database(web), AuditEvent, action=ACTION)]


def _start(web: Browserless, *, token: str | None = None, fmt: str = "s16le") -> str:
    return json.dumps(
        {
            "type": "start",
            "csrf_token": web.csrf() if token is None else token,
            "format": fmt,
            "sample_rate": 16000,
            "context": CONTEXT,
        }
    )


def _pieces(samples: np.ndarray, seconds: float = 0.5) -> Iterator[bytes]:
    size = round(seconds * SAMPLE_RATE)
    for at in range(0, samples.size, size):
        piece = samples[at : at + size]
        yield (np.clip(piece, -1, 1) * 32767).astype("<i2").tobytes()


def _closed(socket: Any) -> tuple[dict[str, Any], int]:
    """The error message the server sent, and its close code."""
    message = socket.receive_json()
    with pytest.raises(WebSocketDisconnect) as closed:
        socket.receive_text()
    return message, closed.value.code


def _refused_handshake(web: Browserless, headers: dict[str, str]) -> int:
    """The close code of a handshake the server refuses."""
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        web.client.websocket_connect("/encounters/stream", headers=headers),
    ):
        pass
    return refused.value.code


def _treated(note_json: str | None) -> set[tuple[str, str]]:
    assert note_json is not None
    note = Note.model_validate_json(note_json)
    return {(m.id, m.laterality) for m in note.muscles if m.status == "treated"}


def test_web_stream_refuses_a_handshake_without_a_session(make_client: MakeClient) -> None:
    web = make_client()
    web.client.cookies.clear()
    assert _refused_handshake(web, ORIGIN) == 1008
    assert _outcomes(web) == ["unauthenticated"]


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "https://testserver"},  # another scheme is another site
        {},  # no Origin: not a browser's handshake
        {**ORIGIN, "sec-fetch-site": "cross-site"},
    ],
)
def test_web_stream_refuses_another_sites_handshake(
    make_client: MakeClient, headers: dict[str, str]
) -> None:
    web = make_client()
    assert _refused_handshake(web, headers) == 1008
    assert _outcomes(web) == ["csrf"]


def test_web_stream_refuses_a_reviewer(make_client: MakeClient) -> None:
    web = make_client("rita")
    assert _refused_handshake(web, ORIGIN) == 1008
    assert _outcomes(web) == ["denied"]


def test_web_stream_refuses_a_wrong_csrf_token(make_client: MakeClient) -> None:
    web = make_client()
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(_start(web, token="not-the-token"))
        message, code = _closed(socket)
    assert code == 1008 and message["type"] == "error"
    assert "not-the-token" not in message["message"]
    assert _outcomes(web) == ["csrf"]
    assert _rows(_database(web), Encounter) == []


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("not json", None),  # the start must come first
        ('{"type": "start"}', None),  # without a token and a format
        (None, b"\x00\x01\x02"),  # half a sample
        (None, '{"type": "stop"}'),  # not the end message
    ],
)
def test_web_stream_refuses_what_is_not_the_protocol(
    make_client: MakeClient, first: str | None, then: bytes | str | None
) -> None:
    web = make_client()
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(first or _start(web))
        if first is None:
            assert socket.receive_json()["type"] == "started"
            socket.send(
                {"type": "websocket.receive", "bytes": then}
                if isinstance(then, bytes)
                else {"type": "websocket.receive", "text": then}
            )
        message, code = _closed(socket)
    assert code == 1003 and message["type"] == "error"
    assert _outcomes(web) == ["invalid"]


def test_web_stream_context_errors_name_the_field_not_the_value(make_client: MakeClient) -> None:
    web = make_client()
    start = json.loads(_start(web))
    start["context"] = {"patient_ref": "Jane Doe <script>"}
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(json.dumps(start))
        message, code = _closed(socket)
    assert code == 1003 and "Patient reference" in message["message"]
    assert "Jane" not in message["message"]


def test_web_stream_refuses_audio_over_the_limits(make_client: MakeClient) -> None:
    web = make_client(service={"max_audio_seconds": 1.0}, stream_max_piece_bytes=16_000)
    second = np.zeros(SAMPLE_RATE // 2, dtype="<i2").tobytes()  # 0.5 s, 16,000 bytes
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(_start(web))
        assert socket.receive_json() == {
            "type": "started",
            "max_seconds": 1.0,
            "max_piece_bytes": 16_000,
        }
        socket.send_bytes(second)
        socket.send_bytes(second)  # 1 s: the limit itself is allowed
        socket.send_bytes(b"\x00\x00")  # one sample too many
        message, code = _closed(socket)
    assert code == 1009 and "1 s" in message["message"]

    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(_start(web))
        socket.receive_json()
        socket.send_bytes(second + b"\x00\x00")  # one piece too large
        message, code = _closed(socket)
    assert code == 1009 and "16,000 bytes" in message["message"]
    assert _outcomes(web) == ["too_long", "too_large"]
    assert _rows(_database(web), Encounter) == []


def test_web_stream_refuses_a_stream_past_the_cap(make_client: MakeClient) -> None:
    web = make_client(stream_max_concurrent=1)
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as first:
        first.send_text(_start(web))
        assert first.receive_json()["type"] == "started"
        with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as second:
            message, code = _closed(second)
        assert code == 1013 and message["type"] == "error"
    # the place is given back when a stream ends
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as third:
        third.send_text(_start(web))
        assert third.receive_json()["type"] == "started"
    assert _outcomes(web)[0] == "busy"


def test_web_stream_closes_a_stream_that_goes_quiet(make_client: MakeClient) -> None:
    web = make_client(stream_idle_seconds=0.2)
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(_start(web))
        assert socket.receive_json()["type"] == "started"
        message, code = _closed(socket)
    assert code == 4408 and message["type"] == "error"
    assert _outcomes(web) == ["idle"]


def _upload(web: Browserless) -> str:
    """The fixture through the web app's upload path; the encounter's id once its job ended."""
    with FIXTURE.open("rb") as recording:
        answer = web.client.post(
            "/encounters",
            data={"csrf_token": web.csrf(), "source": "audio", **CONTEXT},
            files={"file": ("recording.flac", recording, "audio/flac")},
            headers={"Accept": "application/json"},
        )
    assert answer.status_code == 201, answer.text
    encounter_id: str = answer.json()["id"]
    deadline = time.monotonic() + UPLOAD_WAIT
    while web.client.get(f"/encounters/{encounter_id}/status").json()["status"] != "ready":
        if time.monotonic() > deadline:
            pytest.fail("the upload's job did not end")
        time.sleep(0.2)
    return encounter_id


def test_web_stream_a_whole_dictation_gives_the_uploads_encounter(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    web = make_client()
    samples = load_audio(FIXTURE, max_seconds=60)
    caplog.set_level(logging.DEBUG)
    token = web.csrf()
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(_start(web, token=token))
        assert socket.receive_json()["type"] == "started"
        for piece in _pieces(samples):
            socket.send_bytes(piece)
        socket.send_text('{"type": "end"}')
        answer = socket.receive_json()
    assert answer["type"] == "done" and answer["url"] == f"/encounters/{answer['id']}"
    assert answer["seconds_to_note"] > 0
    streamed_id = answer["id"]
    database = _database(web)
    [streamed] = _rows(database, Encounter, id=streamed_id)
    assert (streamed.status, streamed.source, streamed.audio_format) == ("ready", "audio", "wav")
    assert streamed.patient_ref == PATIENT and streamed.payer == "commercial"
    uploaded_id = _upload(web)
    [uploaded] = _rows(database, Encounter, id=uploaded_id)
    assert _treated(streamed.note_json) == _treated(uploaded.note_json)
    assert len(_treated(streamed.note_json)) == 3  # right upper trapezius, levator, rhomboid

    # the same audit trail as the upload's (save its job's start), and the note's revision
    events = _rows(database, AuditEvent, encounter_id=streamed_id)
    assert [(e.action, e.detail) for e in events][:2] == [
        ("encounter.create", "audio wav stream"),
        ("job.complete", None),
    ]
    upload_events = [e.action for e in _rows(database, AuditEvent, encounter_id=uploaded_id)]
    assert upload_events[0] == "encounter.create" and "job.complete" in upload_events
    page = web.client.get(answer["url"])
    assert page.status_code == 200 and "claim-h" in page.text
    # the recording kept is what was streamed: the player gets the whole of it
    audio = web.client.get(f"{answer['url']}/audio")
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    assert abs(len(audio.content) - 44 - 2 * samples.size) <= 2

    # nothing of the dictation, the patient or the session's token is in the logs
    logged = caplog.text.lower()
    assert streamed.text and "trapezius" in streamed.text.lower()
    for secret in ("trapezius", "levator", PATIENT.lower(), token.lower(), "recording.flac"):
        assert secret not in logged
    assert "dictation streamed" in logged  # the stream's own line: counts and times only


def test_web_stream_float_samples_and_the_context_at_the_end(make_client: MakeClient) -> None:
    """float32 pieces are taken as well; the end message's context replaces the start's (the
    form filled in while dictating), and a stream of silence is stored for review."""
    web = make_client()
    silence = np.zeros(SAMPLE_RATE, dtype="<f4").tobytes()
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(_start(web, fmt="f32le"))
        assert socket.receive_json()["type"] == "started"
        socket.send_bytes(silence)
        socket.send_bytes(silence)
        socket.send_text(json.dumps({"type": "end", "context": {"payer": "medicare"}}))
        answer = socket.receive_json()
    assert answer["type"] == "done"
    [row] = _rows(_database(web), Encounter, id=answer["id"])
    assert (row.payer, row.patient_ref) == ("medicare", None)
    assert row.status == "ready" and row.needs_review
    assert "asr-no-speech" in row.review_reasons_json
