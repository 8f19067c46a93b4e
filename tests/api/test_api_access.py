"""Who may do what: 401 without a valid key, 403 for the wrong role, 404 across owners."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_support import DICTATION, Api

from api.keys import digest

PROBLEM = "application/problem+json"

# (method, path template, body) for every endpoint that needs a key
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/v1/encounters/text", {"text": DICTATION}),
    ("GET", "/v1/encounters", None),
    ("GET", "/v1/encounters/{id}", None),
    ("PATCH", "/v1/encounters/{id}/note", {"reason": "fix", "operations": [
        {"op": "set_laterality", "muscle": "upper trapezius", "to": "right"}]}),
    ("GET", "/v1/encounters/{id}/revisions", None),
    ("POST", "/v1/encounters/{id}/sign-off", None),
    ("GET", "/v1/encounters/{id}/fhir", None),
    ("GET", "/v1/review-queue", None),
    ("GET", "/v1/admin/keys", None),
    ("POST", "/v1/admin/keys", {"role": "clinician", "name": "New"}),
    ("GET", "/v1/admin/audit", None),
]  # fmt: skip

# Which roles each endpoint lets through (the rest get 403).
ALLOWED = {
    "/v1/encounters/text": {"clinician", "integration"},
    "/v1/encounters": {"clinician", "reviewer", "integration"},
    "/v1/encounters/{id}": {"clinician", "reviewer", "integration"},
    "/v1/encounters/{id}/note": {"reviewer"},
    "/v1/encounters/{id}/revisions": {"clinician", "reviewer", "integration"},
    "/v1/encounters/{id}/sign-off": {"reviewer"},
    "/v1/encounters/{id}/fhir": {"clinician", "reviewer", "integration"},
    "/v1/review-queue": {"reviewer"},
    "/v1/admin/keys": {"admin"},
    "/v1/admin/audit": {"admin"},
}
ROLES = ("clinician", "reviewer", "integration", "admin")


def _call(api: Api, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    return api.client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "template", "body"), ENDPOINTS)
def test_api_access_no_key_is_401(api: Api, method: str, template: str, body: Any) -> None:
    encounter = api.create_text()
    path = template.format(id=encounter["id"])
    for headers in ({}, {"Authorization": "Bearer dns_not-a-real-key"}, {"Authorization": "x"}):
        response = _call(api, method, path, body, headers)
        assert response.status_code == 401, (path, headers)
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "body"), ENDPOINTS)
def test_api_access_roles(api: Api, method: str, template: str, body: Any, role: str) -> None:
    encounter = api.create_text()
    path = template.format(id=encounter["id"])
    headers = api.auth(role, **{"If-Match": f'"{encounter["revision"]}"'})
    response = _call(api, method, path, body, headers)
    if role in ALLOWED[template]:
        assert response.status_code < 400, (role, path, response.text)
    else:
        assert response.status_code == 403, (role, path, response.text)
        assert response.json()["title"] == "Forbidden"


def test_api_access_health_needs_no_key(api: Api) -> None:
    body = api.client.get("/health").json()
    assert body["status"] == "ok"
    assert body["database"] is True
    assert body["nlp"] is True


def test_api_access_clinicians_see_only_their_own(api: Api) -> None:
    mine = api.create_text(who="clinician")
    theirs = api.create_text(who="clinician_b")
    client = api.client
    assert client.get(f"/v1/encounters/{mine['id']}", headers=api.auth("clinician")).is_success
    hidden = client.get(f"/v1/encounters/{theirs['id']}", headers=api.auth("clinician"))
    assert hidden.status_code == 404  # not 403: ids cannot be probed
    listed = client.get("/v1/encounters", headers=api.auth("clinician")).json()
    assert [e["id"] for e in listed["items"]] == [mine["id"]]
    # the organisation's reviewer and integration see both
    for who in ("reviewer", "integration"):
        ids = {e["id"] for e in client.get("/v1/encounters", headers=api.auth(who)).json()["items"]}
        assert ids == {mine["id"], theirs["id"]}


def test_api_access_other_organisations_see_nothing(api: Api) -> None:
    encounter = api.create_text()
    for who in ("other_reviewer", "other_integration"):
        response = api.client.get(f"/v1/encounters/{encounter['id']}", headers=api.auth(who))
        assert response.status_code == 404
        listed = api.client.get("/v1/encounters", headers=api.auth(who)).json()
        assert listed["total"] == 0
    queue = api.client.get("/v1/review-queue", headers=api.auth("other_reviewer")).json()
    assert queue["items"] == []
    correction = {"reason": "cross-org", "operations": [
        {"op": "set_laterality", "muscle": "upper trapezius", "to": "right"}]}  # fmt: skip
    patched = api.client.patch(
        f"/v1/encounters/{encounter['id']}/note",
        json=correction,
        headers=api.auth("other_reviewer", **{"If-Match": f'"{encounter["revision"]}"'}),
    )
    assert patched.status_code == 404


def test_api_access_revoked_key_stops_at_once(api: Api) -> None:
    created = api.client.post(
        "/v1/admin/keys", json={"role": "clinician", "name": "Temp"}, headers=api.auth("admin")
    )
    assert created.status_code == 201
    secret, key_id = created.json()["key"], created.json()["id"]
    assert created.headers["cache-control"] == "no-store"
    bearer = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/v1/encounters", headers=bearer).status_code == 200
    revoked = api.client.delete(f"/v1/admin/keys/{key_id}", headers=api.auth("admin"))
    assert revoked.json()["revoked_at"] is not None
    assert api.client.get("/v1/encounters", headers=bearer).status_code == 401


def test_api_access_keys_are_stored_as_digests(api: Api) -> None:
    created = api.client.post(
        "/v1/admin/keys", json={"role": "reviewer", "name": "R2"}, headers=api.auth("admin")
    ).json()
    listed = api.client.get("/v1/admin/keys", headers=api.auth("admin")).json()
    assert created["key"] not in str(listed)
    assert all("key" not in k for k in listed)
    database = Path(api.settings.resolved_database_url.removeprefix("sqlite:///"))
    files = [database, database.with_name(database.name + "-wal")]
    stored = b"".join(f.read_bytes() for f in files if f.exists())
    assert digest(created["key"]).encode() in stored  # the digest is there...
    assert created["key"].encode() not in stored  # ...the secret is not


def test_api_access_admin_cannot_revoke_own_key(api: Api) -> None:
    keys = api.client.get("/v1/admin/keys", headers=api.auth("admin")).json()
    own = next(k for k in keys if k["role"] == "admin")
    response = api.client.delete(f"/v1/admin/keys/{own['id']}", headers=api.auth("admin"))
    assert response.status_code == 409
