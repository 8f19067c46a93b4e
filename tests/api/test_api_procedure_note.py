"""Claim-ready output over the API: the practice's state and provider type per encounter (scope
of practice), and the procedure note (text, Markdown, JSON with spans; in the FHIR bundle)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from api_support import DICTATION, Api


def _note(api: Api, encounter: dict[str, Any], fmt: str, who: str = "clinician") -> Any:
    return api.client.get(
        f"/v1/encounters/{encounter['id']}/procedure-note",
        params={"format": fmt},
        headers=api.auth(who),
    )


def test_api_scope_of_practice_per_encounter(api: Api) -> None:
    body = api.create_text(state="or", provider="pt", dos="2026-03-02")
    assert body["context"]["state"] == "OR"
    prompts = {p["id"]: p["severity"] for p in body["coding"]["prompts"]}
    assert prompts["scope-prohibited"] == "error"
    assert body["needs_review"] is True
    allowed = api.create_text(state="TX", provider="pt", dos="2026-03-02")
    assert not [p for p in allowed["coding"]["prompts"] if p["id"].startswith("scope-")]


@pytest.mark.parametrize("state", ["ZQ", "Texas"])
def test_api_unknown_state_is_refused_without_echo(api: Api, state: str) -> None:
    response = api.client.post(
        "/v1/encounters/text",
        json={"text": DICTATION, "context": {"state": state}},
        headers=api.auth("clinician"),
    )
    assert response.status_code == 422
    assert state not in response.text


def test_api_procedure_note_formats(api: Api) -> None:
    encounter = api.create_text(dos="2026-03-02")
    text = _note(api, encounter, "text")
    assert text.status_code == 200
    assert text.headers["content-type"].startswith("text/plain")
    assert text.headers["etag"] == f'"{encounter["revision"]}"'
    assert text.text.startswith("DRY NEEDLING PROCEDURE NOTE\nDate of service: 2026-03-02\n")
    assert "  - Left upper trapezius, dry needled." in text.text
    assert 'Consent, as dictated: "Patient consented to dry needling."' in text.text
    markdown = _note(api, encounter, "markdown")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Dry needling procedure note\n")
    data = _note(api, encounter, "json").json()
    facts = [f for section in data["sections"] for s in section["sentences"] for f in s["facts"]]
    assert facts
    for fact in facts:
        span = fact["evidence"]
        assert DICTATION[span["start"] : span["end"]] == span["text"]
    assert _note(api, encounter, "pdf").status_code == 422


def test_api_procedure_note_shows_reviewer_corrections(api: Api) -> None:
    encounter = api.create_text(dos="2026-03-02")
    response = api.client.patch(
        f"/v1/encounters/{encounter['id']}/note",
        json={
            "reason": "reviewed against the chart",
            "operations": [{"op": "add_muscle", "muscle": "upper trap", "laterality": "right"}],
        },
        headers=api.auth("reviewer", **{"If-Match": f'"{encounter["revision"]}"'}),
    )
    assert response.status_code == 200, response.text
    text = _note(api, encounter, "text").text
    assert "[reviewer] Right upper trapezius (added by a reviewer)." in text
    assert "CPT 20561 x1" in text


def test_api_procedure_note_is_audited_and_scoped(api: Api) -> None:
    encounter = api.create_text()
    assert _note(api, encounter, "text", who="reviewer").status_code == 200
    missing = dict(encounter, id="00000000-0000-4000-8000-000000000000")
    assert _note(api, missing, "text").status_code == 404
    events = api.client.get("/v1/admin/audit", headers=api.auth("admin")).json()["items"]
    actions = {(e["action"], e["outcome"]) for e in events}
    assert ("encounter.procedure_note", "ok") in actions
    assert ("encounter.procedure_note", "not_found") in actions


def test_api_fhir_document_carries_the_procedure_note(api: Api) -> None:
    encounter = api.create_text(dos="2026-03-02")
    bundle = api.client.get(
        f"/v1/encounters/{encounter['id']}/fhir", headers=api.auth("clinician")
    ).json()
    [document] = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
    ]
    attachments = {c["attachment"]["title"]: c["attachment"] for c in document["content"]}
    note = attachments["Procedure note"]
    assert note["contentType"] == "text/markdown; charset=utf-8"
    assert base64.b64decode(note["data"]).decode("utf-8") == _note(api, encounter, "markdown").text
