"""Creating and reading encounters: text, audio in the background, errors, FHIR."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from api_support import DICTATION, VAGUE, Api

from api.problems import PROBLEM_JSON
from api.schemas import EncounterPublic

AUDIO = Path(__file__).resolve().parents[2] / "fixtures" / "audio"


def _wait(api: Api, encounter_id: str, who: str = "clinician", timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        body = api.client.get(f"/v1/encounters/{encounter_id}", headers=api.auth(who)).json()
        seen.append(body["status"])
        if body["status"] in ("ready", "failed"):
            return body, seen
        time.sleep(0.2)
    raise AssertionError(f"still {seen[-1]} after {timeout} s")


def _upload(api: Api, name: str, data: bytes, context: dict[str, Any] | None = None) -> Any:
    return api.client.post(
        "/v1/encounters/audio",
        files={"file": (name, data, "audio/flac")},
        data={"context": json.dumps(context or {})},
        headers=api.auth("clinician"),
    )


def test_api_encounters_text_is_extracted_coded_and_stored(api: Api) -> None:
    response = api.client.post(
        "/v1/encounters/text",
        json={"text": DICTATION, "context": {"payer": "commercial", "dos": "2026-03-02"}},
        headers=api.auth("clinician"),
    )
    assert response.status_code == 201
    body = response.json()
    EncounterPublic.model_validate(body)  # the documented shape, exactly (extra fields refused)
    assert response.headers["location"] == f"/v1/encounters/{body['id']}"
    assert response.headers["etag"] == f'"{body["revision"]}"'
    assert body["status"] == "ready" and body["source"] == "text"
    assert body["text"] == DICTATION
    names = [(m["name"], m["laterality"], m["status"]) for m in body["note"]["muscles"]]
    assert names == [
        ("upper trapezius", "left", "treated"),
        ("levator scapulae", "left", "treated"),
    ]
    for muscle in body["note"]["muscles"]:
        assert DICTATION[muscle["start"] : muscle["end"]] == muscle["text"]
    assert [line["code"] for line in body["coding"]["lines"]] == ["20560"]
    assert body["coding"]["muscle_count"] == 2
    read = api.client.get(f"/v1/encounters/{body['id']}", headers=api.auth("clinician"))
    assert read.json() == body  # stored exactly as answered
    assert read.headers["etag"] == response.headers["etag"]


def test_api_encounters_date_of_service_defaults_to_today(api: Api) -> None:
    body = api.create_text()
    assert body["context"]["dos"] == body["date_of_service"]
    assert body["date_of_service"] == body["created_at"][:10]


def test_api_encounters_list_filters_and_pages(api: Api) -> None:
    clean = api.create_text()
    flagged = api.create_text(VAGUE)
    assert flagged["needs_review"] is True and clean["needs_review"] is False
    client, auth = api.client, api.auth("reviewer")
    both = client.get("/v1/encounters", headers=auth).json()
    assert both["total"] == 2 and both["items"][0]["id"] == flagged["id"]  # newest first
    review = client.get("/v1/encounters?needs_review=true", headers=auth).json()
    assert [e["id"] for e in review["items"]] == [flagged["id"]]
    assert client.get("/v1/encounters?status=failed", headers=auth).json()["total"] == 0
    first = client.get("/v1/encounters?limit=1&offset=1", headers=auth).json()
    assert [e["id"] for e in first["items"]] == [clean["id"]]
    assert "note" not in first["items"][0] and "text" not in first["items"][0]
    bad = client.get("/v1/encounters?status=nonsense", headers=auth)
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize(
    ("text", "status"),
    [("", 422), ("   \n ", 422), ("abc\x00\x01\x02" * 20, 415)],
)
def test_api_encounters_bad_text_is_a_problem(api: Api, text: str, status: int) -> None:
    response = api.client.post(
        "/v1/encounters/text", json={"text": text}, headers=api.auth("clinician")
    )
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["status"] == status
    listed = api.client.get("/v1/encounters", headers=api.auth("clinician")).json()
    assert listed["total"] == 0  # nothing half-written


def test_api_encounters_text_over_the_limit_is_413(make_api: Any) -> None:
    api = make_api(max_input_chars=200)
    response = api.client.post(
        "/v1/encounters/text", json={"text": "needled the upper trapezius " * 20},
        headers=api.auth("clinician"),
    )  # fmt: skip
    assert response.status_code == 413
    huge = api.client.post(
        "/v1/encounters/text",
        content=b'{"text": "' + b"a" * 200_000 + b'"}',
        headers=api.auth("clinician", **{"Content-Type": "application/json"}),
    )
    assert huge.status_code == 413  # refused before the body is parsed


def test_api_encounters_invalid_request_does_not_echo_input(api: Api) -> None:
    secret = "Patient Jane Roe DOB 1950-01-01"
    response = api.client.post(
        "/v1/encounters/text",
        json={"text": secret, "context": {"payer": secret}},
        headers=api.auth("clinician"),
    )
    assert response.status_code == 422
    assert "Jane" not in response.text
    errors = response.json()["errors"]
    assert errors[0]["loc"] == ["body", "context", "payer"]


def test_api_encounters_errors_never_show_a_traceback(api: Api) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    response = api.client.get(f"/v1/encounters/{unknown}", headers=api.auth("clinician"))
    assert response.status_code == 404
    assert "Traceback" not in response.text and response.json()["detail"] == "no such encounter"
    malformed = api.client.get("/v1/encounters/" + "x" * 50, headers=api.auth("clinician"))
    assert malformed.status_code == 404  # not an id: no such resource
    assert malformed.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize(
    "context",
    [{"dos": "2018-12-31"}, {"dos": "0001-01-01", "patient_ref": "P-1"},
     {"prior_session_dates": ["1200-01-01"]}],
)  # fmt: skip
def test_api_encounters_implausible_dates_are_422(api: Api, context: dict[str, Any]) -> None:
    response = api.client.post(
        "/v1/encounters/text", json={"text": DICTATION, "context": context},
        headers=api.auth("clinician"),
    )  # fmt: skip
    assert response.status_code == 422, response.text
    assert "date of service" in response.text


def test_api_encounters_audio_runs_in_the_background(api: Api) -> None:
    data = (AUDIO / "01-right-neck-three-muscles.flac").read_bytes()
    response = _upload(api, "visit.flac", data, {"payer": "commercial"})
    assert response.status_code == 202
    queued = response.json()
    assert queued["status"] == "queued" and queued["note"] is None
    body, seen = _wait(api, queued["id"])
    assert body["status"] == "ready", body["failure_reason"]
    assert set(seen) <= {"queued", "transcribing", "extracting", "ready"}
    assert body["progress"] == 1.0
    transcript = body["transcript"]
    assert transcript["text"] == body["text"] and transcript["segments"]
    word = transcript["segments"][0]["words"][0]
    assert {"start", "end", "probability"} <= set(word)
    for muscle in body["note"]["muscles"]:
        assert body["text"][muscle["start"] : muscle["end"]] == muscle["text"]
    assert [line["code"] for line in body["coding"]["lines"]] == ["20561"]
    assert list(api.settings.audio_dir.iterdir()) == []  # deleted after transcription


def test_api_encounters_audio_is_kept_when_retention_is_set(make_api: Any) -> None:
    api = make_api(audio_retention_hours=24)
    data = (AUDIO / "silence.flac").read_bytes()
    encounter = _upload(api, "silence.flac", data).json()
    body, _ = _wait(api, encounter["id"])
    assert body["status"] == "ready"
    assert body["note"]["muscles"] == [] and body["coding"]["lines"] == []
    assert len(list(api.settings.audio_dir.iterdir())) == 1


def test_api_encounters_damaged_audio_ends_failed_with_a_reason(api: Api) -> None:
    data = (AUDIO / "truncated.flac").read_bytes()
    response = _upload(api, "visit.flac", data)
    assert response.status_code == 202  # its header looks fine; decoding finds the damage
    body, _ = _wait(api, response.json()["id"])
    assert body["status"] == "failed"
    assert "recording" in body["failure_reason"]
    assert body["note"] is None
    assert list(api.settings.audio_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("visit.flac", b"", 415),
        ("visit.flac", b"this is a text file, not a recording" * 10, 415),
        ("visit.txt", (AUDIO / "not-audio.flac").read_bytes(), 415),
    ],
)
def test_api_encounters_non_audio_upload_is_refused(
    api: Api, name: str, data: bytes, status: int
) -> None:
    response = _upload(api, name, data)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    assert not api.settings.audio_dir.exists() or list(api.settings.audio_dir.iterdir()) == []
    listed = api.client.get("/v1/encounters", headers=api.auth("clinician")).json()
    assert listed["total"] == 0


def test_api_encounters_audio_over_the_limits_is_413(make_api: Any) -> None:
    data = (AUDIO / "01-right-neck-three-muscles.flac").read_bytes()
    too_long = make_api(max_audio_seconds=5)
    response = _upload(too_long, "visit.flac", data)
    assert response.status_code == 413 and "lasts" in response.json()["detail"]
    assert list(too_long.settings.audio_dir.iterdir()) == []
    too_big = make_api(max_upload_bytes=50_000)
    assert _upload(too_big, "visit.flac", data).status_code == 413


def test_api_encounters_bad_context_on_upload_is_422(api: Api) -> None:
    data = (AUDIO / "silence.flac").read_bytes()
    response = api.client.post(
        "/v1/encounters/audio",
        files={"file": ("a.flac", data, "audio/flac")},
        data={"context": '{"payer": "nobody"}'},
        headers=api.auth("clinician"),
    )
    assert response.status_code == 422
    assert not api.settings.audio_dir.exists() or list(api.settings.audio_dir.iterdir()) == []


def test_api_encounters_fhir_bundle(api: Api) -> None:
    encounter = api.create_text(patient_ref="MRN-1", payer="commercial", provider="pt")
    response = api.client.get(
        f"/v1/encounters/{encounter['id']}/fhir", headers=api.auth("integration")
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    bundle = response.json()
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert {"Patient", "Procedure", "DocumentReference", "Claim"} <= set(kinds)
    procedure = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"]
                     == "Procedure")  # fmt: skip
    assert procedure["code"]["coding"][0]["code"] == "20560"
    assert len(procedure["bodySite"]) == 2


def test_api_encounters_audio_submission_id_makes_the_upload_idempotent(api: Api) -> None:
    data = (AUDIO / "silence.flac").read_bytes()
    submission = "6f1d1c8e-2b7a-4d0e-9a51-3c2b1e0f4a77"

    def upload(submission_id: str) -> Any:
        return api.client.post(
            "/v1/encounters/audio",
            files={"file": ("a.flac", data, "audio/flac")},
            data={"submission_id": submission_id},
            headers=api.auth("clinician"),
        )

    first = upload(submission)
    assert first.status_code == 202
    body, _ = _wait(api, first.json()["id"])
    again = upload(submission.upper())  # a retry: the same encounter, nothing new
    assert again.status_code == 200
    assert again.json()["id"] == body["id"] and again.json()["status"] == "ready"
    assert again.headers["location"] == f"/v1/encounters/{body['id']}"
    refused = upload("MRN-7731 is not an id")
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM_JSON
    assert "MRN" not in refused.text and "UUID" in refused.json()["detail"]
    listed = api.client.get("/v1/encounters", headers=api.auth("clinician")).json()
    assert listed["total"] == 1
