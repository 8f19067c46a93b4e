"""One recording, one encounter (TestClient): the recorder names each recording with a random
id, sent with its stream and with the upload that replaces a stream whose answer was lost. A
repeat of the id by the same clinician gives back the encounter stored first (audited, without
PHI), even when the two race; another clinician's repeat reaches nothing of the first's; a
malformed id is refused without being repeated; an upload without an id is as before."""

from __future__ import annotations

import io
import json
import time
import uuid
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from starlette.websockets import WebSocketDisconnect
from web_support import Browserless, table_rows

import api.encounters as service
from api.persistence.tables import AuditEvent, Encounter
from scribe.asr.audio import SAMPLE_RATE, load_audio

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "fixtures" / "audio" / "01-right-neck-three-muscles.flac"
ORIGIN = {"origin": "http://testserver"}
PATIENT = "MRN-5150"
CONTEXT = {"payer": "commercial", "patient_ref": PATIENT}
JOB_WAIT = 300.0  # s: a guard against a job that never ends, not a timed assertion
MakeClient = Callable[..., Browserless]


@pytest.fixture
def make_client(open_client: MakeClient) -> MakeClient:
    """Signed-in clients of one service (one database), one person each."""

    def build(login: str = "lee") -> Browserless:
        web: Browserless = open_client(service={"audio_retention_hours": 1.0})
        web.sign_in(login)
        return web

    return build


def _silence_wav(seconds: float = 1.0) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(SAMPLE_RATE)
        recording.writeframes(b"\x00\x00" * round(seconds * SAMPLE_RATE))
    return out.getvalue()


def _stream(web: Browserless, submission_id: Any, samples: Any = None) -> Any:
    """Stream ``samples`` (1 s of silence by default) under ``submission_id``; the server's
    last message (``done`` or ``error``) and the close code (None when it answered done)."""
    samples = np.zeros(SAMPLE_RATE, dtype=np.float32) if samples is None else samples
    start = {
        "type": "start",
        "csrf_token": web.csrf(),
        "format": "f32le",
        "sample_rate": 16000,
        "context": CONTEXT,
        "submission_id": submission_id,
    }
    with web.client.websocket_connect("/encounters/stream", headers=ORIGIN) as socket:
        socket.send_text(json.dumps(start))
        first = socket.receive_json()
        if first["type"] == "error":
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_text()
            return first, closed.value.code
        assert first["type"] == "started"
        for at in range(0, samples.size, SAMPLE_RATE // 2):
            socket.send_bytes(samples[at : at + SAMPLE_RATE // 2].astype("<f4").tobytes())
        socket.send_text('{"type": "end"}')
        return socket.receive_json(), None


def _upload(
    web: Browserless, submission_id: str | None, *, as_json: bool = True, audio: bytes = b""
) -> Any:
    """The recorder's fallback upload (the MediaRecorder recording) with ``submission_id``."""
    data = {"csrf_token": web.csrf(), "source": "audio", **CONTEXT}
    if submission_id is not None:
        data["submission_id"] = submission_id
    return web.client.post(
        "/encounters",
        data=data,
        files={"file": ("recording.wav", audio or _silence_wav(), "audio/wav")},
        headers={"Accept": "application/json"} if as_json else {},
        follow_redirects=False,
    )


def _wait_done(web: Browserless, encounter_id: str) -> None:
    """Until the upload's job ended (so no job outlives the test's service)."""
    deadline = time.monotonic() + JOB_WAIT
    while web.client.get(f"/encounters/{encounter_id}/status").json()["status"] not in (
        "ready",
        "failed",
    ):
        if time.monotonic() > deadline:
            pytest.fail("the upload's job did not end")
        time.sleep(0.2)


def _rows(web: Browserless, table: Any, **where: str) -> list[Any]:
    return table_rows(web.client.app.state.services.settings.resolved_database_url, table, **where)


def _kept_files(web: Browserless) -> list[Path]:
    return list(web.client.app.state.services.jobs.upload_folder.iterdir())


def _repeats(web: Browserless) -> list[AuditEvent]:
    found = _rows(web, AuditEvent, action="encounter.create", outcome=service.REPEAT)
    return sorted(found, key=lambda event: event.seq)


def test_web_submission_upload_after_a_stored_stream_gives_the_streamed_encounter(
    make_client: MakeClient,
) -> None:
    """The stream stored its note but its "done" was lost: the recorder uploads the recording
    with the same id, and the answer is the streamed encounter, not a second one."""
    web = make_client()
    submission = str(uuid.uuid4())
    done, _ = _stream(web, submission, load_audio(FIXTURE, max_seconds=60))
    assert done["type"] == "done"
    answer = _upload(web, submission, audio=FIXTURE.read_bytes())
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"id": done["id"], "url": done["url"]}
    [row] = _rows(web, Encounter)
    assert (row.id, row.submission_id, row.status) == (done["id"], submission, "ready")
    # the form's own post (no script) is sent to the same encounter's page
    again = _upload(web, submission.upper(), as_json=False)
    assert again.status_code == 303 and again.headers["location"] == done["url"]
    assert len(_rows(web, Encounter)) == 1
    # each repeat is audited against the encounter, saying how it came and nothing else
    repeats = _repeats(web)
    assert [(e.encounter_id, e.detail) for e in repeats] == [(done["id"], "audio upload")] * 2
    for event in repeats:
        assert PATIENT not in json.dumps([event.detail, event.client, event.actor_name])
    assert web.client.get(done["url"]).status_code == 200


def test_web_submission_another_clinicians_repeat_reaches_nothing_of_the_first(
    make_client: MakeClient,
) -> None:
    lee, kim = make_client("lee"), make_client("kim")
    submission = str(uuid.uuid4())
    done, _ = _stream(lee, submission)
    assert done["type"] == "done"
    answer = _upload(kim, submission)  # the same id from someone else: a new submission
    assert answer.status_code == 201, answer.text
    kims = answer.json()["id"]
    assert kims != done["id"] and done["id"] not in answer.text
    _wait_done(kim, kims)
    assert kim.client.get(done["url"]).status_code == 404
    # kim's own repeat now gives kim's encounter; lee's stream id still gives lee's
    assert _upload(kim, submission).json()["id"] == kims
    assert _upload(lee, submission).json()["id"] == done["id"]
    owners = {row.id: row.created_by_key for row in _rows(kim, Encounter)}
    assert len(owners) == 2 and owners[done["id"]] != owners[kims]
    assert [e.encounter_id for e in _repeats(kim)] == [kims, done["id"]]


@pytest.mark.parametrize(
    "bad",
    [
        "not-a-uuid",
        "MRN-5150 Jane Doe",
        "0b7c5f52-6f1e-4c43-9d3e-5a1f0c2d9e11\n",  # a UUID and more
        "{0b7c5f52-6f1e-4c43-9d3e-5a1f0c2d9e11}",  # a UUID in another spelling
    ],
    ids=["word", "name", "newline", "braces"],
)
def test_web_submission_malformed_ids_are_refused_without_echo(
    make_client: MakeClient, bad: str
) -> None:
    web = make_client()
    answer = _upload(web, bad)
    assert answer.status_code == 422
    assert answer.json() == {"error": "The submission id is not a UUID."}
    page = _upload(web, bad, as_json=False)
    assert page.status_code == 400 and "The submission id is not a UUID." in page.text
    assert bad.strip() not in page.text and "Jane" not in page.text
    message, code = _stream(web, bad)
    assert code == 1003 and message["type"] == "error"
    assert "not a UUID" in message["message"] and bad.strip() not in message["message"]
    assert _rows(web, Encounter) == []
    stream_refusals = _rows(web, AuditEvent, action="web.encounter.stream")
    assert [e.outcome for e in stream_refusals] == ["invalid"]


def test_web_submission_uploads_without_an_id_are_as_before(make_client: MakeClient) -> None:
    web = make_client()
    first, second = _upload(web, None), _upload(web, "")  # an empty field: no id either
    assert (first.status_code, second.status_code) == (201, 201)
    ids = {first.json()["id"], second.json()["id"]}
    assert len(ids) == 2
    for encounter_id in ids:
        _wait_done(web, encounter_id)
    rows = _rows(web, Encounter)
    assert {r.id for r in rows} == ids and {r.submission_id for r in rows} == {None}
    assert _repeats(web) == []


def _late_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other submission commits just after this one looked for it: the first look finds
    nothing, so only the database's unique index can keep the second encounter out."""
    real = service.repeated_submission
    calls = []

    def missed_once(*args: Any, **kwargs: Any) -> Encounter | None:
        calls.append(1)
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(service, "repeated_submission", missed_once)


def test_web_submission_an_upload_racing_the_stream_gives_one_encounter(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = make_client()
    submission = str(uuid.uuid4())
    done, _ = _stream(web, submission)
    _late_check(monkeypatch)
    answer = _upload(web, submission)
    assert answer.status_code == 200 and answer.json()["id"] == done["id"]
    assert [r.id for r in _rows(web, Encounter)] == [done["id"]]
    assert len(_kept_files(web)) == 1  # the stream's recording; the upload's copy is gone


def test_web_submission_a_stream_racing_the_upload_answers_with_the_upload(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = make_client()
    submission = str(uuid.uuid4())
    uploaded = _upload(web, submission)
    assert uploaded.status_code == 201
    _wait_done(web, uploaded.json()["id"])
    _late_check(monkeypatch)
    done, _ = _stream(web, submission)
    assert done["type"] == "done" and done["id"] == uploaded.json()["id"]
    assert len(_rows(web, Encounter)) == 1
    assert [e.detail for e in _repeats(web)] == ["audio wav stream"]
    assert len(_kept_files(web)) == 1  # the upload's recording; the stream's copy is gone
