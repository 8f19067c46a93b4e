"""POST /v1/encounters/{id}/claim: the 837P (validated) or the superbill of an encounter, for
those who may read it, audited as a read; the patient and payer come in the body."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Api

from scribe.claims.validate import read_loops, validate_837

PARTIES: dict[str, Any] = {
    "patient": {
        "last_name": "Quillfeather",
        "first_name": "Alex",
        "birth_date": "1970-05-06",
        "sex": "U",
        "member_id": "TEST00001",
        "account_number": "ACCT-1",
        "address": {"street": "1 Test Ave", "city": "Springfield", "state": "IL", "zip": "62701"},
    },
    "payer": {"name": "Test Payer", "payer_id": "99999"},
}
SETTINGS = {
    "BILLING_NAME": "Test Physical Therapy",
    "BILLING_NPI": "1234567893",
    "BILLING_TAX_ID": "12-3456789",
    "BILLING_ADDRESS": "100 Test St",
    "BILLING_CITY": "Springfield",
    "BILLING_STATE": "IL",
    "BILLING_ZIP": "627011234",
    "BILLING_PHONE": "5555550100",
    "SUBMITTER_ID": "TESTSUBMIT",
    "SUBMITTER_NAME": "Test Physical Therapy",
    "CONTACT_NAME": "Billing",
    "RECEIVER_ID": "TESTRECEIVE",
    "RECEIVER_NAME": "Test Clearinghouse",
}


@pytest.fixture
def practice(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SETTINGS.items():
        monkeypatch.setenv(f"SCRIBE_CLAIM_{name}", value)


@pytest.mark.usefixtures("practice")
def test_api_claim_837p_and_superbill(api: Api) -> None:
    encounter = api.create_text(payer="commercial", patient_ref="MRN-7", dos="2026-01-05")
    url = f"/v1/encounters/{encounter['id']}/claim"
    response = api.client.post(url, json=PARTIES, headers=api.auth("clinician"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/edi-x12")
    assert validate_837(response.text) == []
    (claim,) = read_loops(response.text, "2300")
    assert claim.first("HI").get_value("HI01-2") == "M542"  # "Neck pain 6/10" in the dictation
    assert [n.get_value("SV101-2") for n in claim.select("2400")] == ["20560"]
    superbill = api.client.post(
        url, params={"format": "superbill"}, json=PARTIES, headers=api.auth("reviewer")
    )
    assert superbill.status_code == 200
    assert superbill.headers["content-type"].startswith("text/html")
    assert "<td>M54.2</td>" in superbill.text and "Quillfeather" in superbill.text
    events = api.client.get(
        "/v1/admin/audit", params={"encounter_id": encounter["id"]}, headers=api.auth("admin")
    ).json()["items"]
    claims = [e for e in events if e["action"] == "encounter.claim"]
    assert [(e["actor_name"], e["outcome"]) for e in reversed(claims)] == [
        ("Clinician A", "ok"),
        ("Reviewer", "ok"),
    ]
    assert "Quillfeather" not in str(events) and "MRN-7" not in str(events)


@pytest.mark.usefixtures("practice")
def test_api_claim_refusals_name_no_patient(api: Api) -> None:
    encounter = api.create_text(payer="self-pay", dos="2026-01-05")
    url = f"/v1/encounters/{encounter['id']}/claim"
    refused = api.client.post(url, json=PARTIES, headers=api.auth("clinician"))
    assert refused.status_code == 409 and "superbill" in refused.json()["detail"]
    assert "Quillfeather" not in refused.text
    hidden = api.client.post(url, json=PARTIES, headers=api.auth("other_reviewer"))
    assert hidden.status_code == 404
    bad = {**PARTIES, "patient": {**PARTIES["patient"], "sex": "female"}}
    invalid = api.client.post(url, json=bad, headers=api.auth("clinician"))
    assert invalid.status_code == 422 and "female" not in invalid.text


def test_api_claim_without_settings_names_them(api: Api) -> None:
    encounter = api.create_text(payer="commercial", dos="2026-01-05")
    response = api.client.post(
        f"/v1/encounters/{encounter['id']}/claim", json=PARTIES, headers=api.auth("clinician")
    )
    assert response.status_code == 409
    assert "SCRIBE_CLAIM_BILLING_NPI" in response.json()["detail"]
