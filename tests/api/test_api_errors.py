"""Error answers never repeat what the caller sent (no rejected value, key, tag or name: it may
be health data), and text that is not valid Unicode (a lone surrogate) is a 4xx everywhere,
never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_support import DICTATION, Api

from api.problems import PROBLEM_JSON

MARK = "zqxMARK"  # stands for a patient's name typed in the wrong place


def _correction(op: dict[str, Any]) -> dict[str, Any]:
    return {"reason": "echo check", "operations": [op]}


# (what, method, path, who, body): each sends MARK where a value is rejected.
ECHOES = [
    ("unknown context key", "POST", "/v1/encounters/text", "clinician",
     {"text": DICTATION, "context": {MARK: "x"}}),
    ("bad context value", "POST", "/v1/encounters/text", "clinician",
     {"text": DICTATION, "context": {"other_codes": [MARK]}}),
    ("bad payer", "POST", "/v1/encounters/text", "clinician",
     {"text": DICTATION, "context": {"payer": MARK}}),
    ("unknown muscle", "PATCH", "/v1/encounters/{id}/note", "reviewer",
     _correction({"op": "set_laterality", "muscle": MARK, "to": "right"})),
    ("muscle not in note", "PATCH", "/v1/encounters/{id}/note", "reviewer",
     _correction({"op": "remove_muscle", "muscle": "piriformis"})),  # checked below
    ("unknown substance", "PATCH", "/v1/encounters/{id}/note", "reviewer",
     _correction({"op": "set_injectate", "status": "injected",
                  "substances": [{"name": MARK}]})),
    ("unknown correction op", "PATCH", "/v1/encounters/{id}/note", "reviewer",
     _correction({"op": MARK, "muscle": "upper trapezius"})),
    ("unknown correction field", "PATCH", "/v1/encounters/{id}/note", "reviewer",
     _correction({"op": "remove_muscle", "muscle": "upper trapezius", MARK: 1})),
    ("bad key role", "POST", "/v1/admin/keys", "admin", {"role": MARK, "name": "n"}),
]  # fmt: skip


@pytest.mark.parametrize(("what", "method", "path", "who", "body"), ECHOES,
                         ids=[e[0] for e in ECHOES])  # fmt: skip
def test_api_errors_do_not_echo_input(
    api: Api, what: str, method: str, path: str, who: str, body: dict[str, Any]
) -> None:
    encounter = api.create_text()
    response = api.client.request(
        method,
        path.format(id=encounter["id"]),
        json=body,
        headers=api.auth(who, **{"If-Match": "*"}),
    )
    assert 400 <= response.status_code < 500, (what, response.status_code)
    assert response.headers["content-type"] == PROBLEM_JSON
    assert MARK.casefold() not in response.text.casefold(), (what, response.text)
    assert "piriformis" not in response.text  # a real name, refused, is not repeated either


# Lone surrogates, escaped in JSON (and raw, as UTF-8 would encode one).
SURROGATE_BODIES = [
    ("text", "POST", "/v1/encounters/text", "clinician",
     b'{"text": "Dry needling to the left upper trapezius \\ud800 today."}'),
    ("trailing low half", "POST", "/v1/encounters/text", "clinician",
     b'{"text": "Dry needling \\udc00"}'),
    ("patient_ref", "POST", "/v1/encounters/text", "clinician",
     b'{"text": "Dry needling.", "context": {"patient_ref": "\\ud800"}}'),
    ("a key", "POST", "/v1/encounters/text", "clinician",
     b'{"text": "Dry needling.", "context": {"\\ud83d": 1}}'),
    ("raw bytes", "POST", "/v1/encounters/text", "clinician",
     b'{"text": "Dry needling \xed\xa0\x80 today."}'),
    ("correction reason", "PATCH", "/v1/encounters/{id}/note", "reviewer",
     b'{"reason": "why \\ud800", "operations": []}'),
    ("key name", "POST", "/v1/admin/keys", "admin", b'{"role": "clinician", "name": "\\udfff"}'),
]  # fmt: skip


@pytest.mark.parametrize(("where", "method", "path", "who", "body"), SURROGATE_BODIES,
                         ids=[s[0] for s in SURROGATE_BODIES])  # fmt: skip
def test_api_errors_lone_surrogate_in_json_is_4xx(
    any_api: Api, where: str, method: str, path: str, who: str, body: bytes
) -> None:
    encounter = any_api.create_text()
    headers = any_api.auth(who, **{"If-Match": "*", "Content-Type": "application/json"})
    response = any_api.client.request(
        method, path.format(id=encounter["id"]), content=body, headers=headers
    )
    assert response.status_code == 422, (where, response.text)
    assert response.json()["type"] == "urn:dn-scribe:problem:invalid-unicode"
    listed = any_api.client.get("/v1/encounters", headers=any_api.auth("reviewer")).json()
    assert listed["total"] == 1  # nothing stored


def test_api_errors_a_surrogate_pair_is_a_character(api: Api) -> None:
    """A well-formed pair (an emoji) is text like any other."""
    body = b'{"text": "Dry needling to the left upper trapezius \\ud83d\\ude00. Tolerated well."}'
    response = api.client.post(
        "/v1/encounters/text", content=body,
        headers=api.auth("clinician", **{"Content-Type": "application/json"}),
    )  # fmt: skip
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "query",
    ["/v1/encounters?status=%ED%A0%80", "/v1/encounters?status=\\ud800",
     "/v1/admin/audit?action=%ED%A0%80", "/v1/encounters?needs_review=%ED%A0%80",
     "/v1/review-queue?limit=%ED%A0%80"],
)  # fmt: skip
def test_api_errors_lone_surrogate_in_query_is_4xx(any_api: Api, query: str) -> None:
    who = "admin" if "audit" in query else "reviewer"
    response = any_api.client.get(query, headers=any_api.auth(who))
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == PROBLEM_JSON


def test_api_errors_lone_surrogate_in_upload_context_is_4xx(api: Api) -> None:
    response = api.client.post(
        "/v1/encounters/audio",
        files={"file": ("x.flac", b"fLaC" + b"\x00" * 64, "audio/flac")},
        data={"context": '{"patient_ref": "\\ud800"}'},
        headers=api.auth("clinician"),
    )
    assert 400 <= response.status_code < 500, response.text
    assert json.loads(response.text)["status"] == response.status_code


def test_api_errors_invalid_requests_are_audited(api: Api) -> None:
    """422s on encounter routes are audit events; without a valid key they are 401s."""
    bad = {"text": DICTATION, "context": {"payer": "nobody"}}
    assert api.client.post("/v1/encounters/text", json=bad,
                           headers=api.auth("clinician")).status_code == 422  # fmt: skip
    raw = {"Content-Type": "application/json"}
    broken = api.client.post("/v1/encounters/text", content=b"{not json",
                             headers=api.auth("clinician", **raw))  # fmt: skip
    assert broken.status_code == 422
    anonymous = api.client.post("/v1/encounters/text", content=b"{not json", headers=raw)
    assert anonymous.status_code == 401
    events = api.client.get("/v1/admin/audit", params={"action": "encounter.create"},
                            headers=api.auth("admin")).json()["items"]  # fmt: skip
    seen = [(e["actor_name"], e["outcome"]) for e in reversed(events)]
    assert seen == [("Clinician A", "invalid"), ("Clinician A", "invalid")]
