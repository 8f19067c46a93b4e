"""Admins manage their own organisation only: another organisation's keys are invisible and out
of reach (404), keys are minted only for their own organisation, and the audit log they read is
their organisation's. Their reads of keys and of the log are audit events themselves, and so is
every request with a missing, unknown or revoked key."""

from __future__ import annotations

from api_support import Api


def _keys(api: Api, who: str) -> list[dict[str, str]]:
    response = api.client.get("/v1/admin/keys", headers=api.auth(who))
    assert response.status_code == 200
    keys: list[dict[str, str]] = response.json()
    return keys


def test_api_admin_scope_keys_are_per_organisation(api: Api) -> None:
    mine, theirs = _keys(api, "admin"), _keys(api, "other_admin")
    assert {k["organisation"] for k in mine} == {"clinic-1"}
    assert {k["organisation"] for k in theirs} == {"clinic-2"}
    victim = next(k for k in mine if k["role"] == "reviewer")
    revoked = api.client.delete(f"/v1/admin/keys/{victim['id']}", headers=api.auth("other_admin"))
    assert revoked.status_code == 404  # as if it did not exist
    assert next(k for k in _keys(api, "admin") if k["id"] == victim["id"])["revoked_at"] is None
    minted = api.client.post(
        "/v1/admin/keys",
        json={"role": "reviewer", "name": "Spy", "organisation": "clinic-1"},
        headers=api.auth("other_admin"),
    )
    assert minted.status_code == 403
    # nor through a holder of the other organisation
    holder = victim["holder_id"]
    rotated = api.client.post(
        "/v1/admin/keys", json={"role": "reviewer", "name": "Spy", "holder_id": holder},
        headers=api.auth("other_admin"),
    )  # fmt: skip
    assert rotated.status_code == 404
    # without an organisation, a key is made in the admin's own
    own = api.client.post(
        "/v1/admin/keys", json={"role": "reviewer", "name": "New"}, headers=api.auth("other_admin")
    )
    assert own.status_code == 201 and own.json()["organisation"] == "clinic-2"
    reader = {"Authorization": f"Bearer {own.json()['key']}"}
    made = api.create_text(who="clinician")
    assert api.client.get(f"/v1/encounters/{made['id']}", headers=reader).status_code == 404


def test_api_admin_scope_audit_log_is_per_organisation(api: Api) -> None:
    made = api.create_text(who="clinician")
    api.client.get(f"/v1/encounters/{made['id']}", headers=api.auth("other_reviewer"))
    theirs = api.client.get("/v1/admin/audit", headers=api.auth("other_admin")).json()["items"]
    assert theirs and {e["organisation"] for e in theirs} == {"clinic-2"}
    assert made["id"] not in {e["encounter_id"] for e in theirs if e["outcome"] == "ok"}
    mine = api.client.get("/v1/admin/audit", headers=api.auth("admin")).json()["items"]
    assert {e["organisation"] for e in mine} == {"clinic-1"}


def test_api_admin_scope_reads_and_refusals_are_audited(api: Api) -> None:
    _keys(api, "admin")
    api.client.get("/v1/admin/audit", headers=api.auth("admin"))
    created = api.client.post(
        "/v1/admin/keys", json={"role": "clinician", "name": "Temp"}, headers=api.auth("admin")
    ).json()
    api.client.delete(f"/v1/admin/keys/{created['id']}", headers=api.auth("admin"))
    revoked = {"Authorization": f"Bearer {created['key']}"}
    assert api.client.get("/v1/encounters", headers=revoked).status_code == 401
    assert api.client.get("/v1/encounters", headers={}).status_code == 401
    events = api.client.get("/v1/admin/audit", headers=api.auth("admin")).json()["items"]
    seen = [(e["action"], e["actor_name"], e["outcome"]) for e in reversed(events)]
    assert seen[-5:] == [
        ("key.list", "Ops", "ok"),
        ("audit.read", "Ops", "ok"),
        ("key.create", "Ops", "ok"),
        ("key.revoke", "Ops", "ok"),
        ("encounter.list", "unauthenticated", "revoked"),  # the revoked key, named by id
    ]
    assert events[0]["actor_key"] == created["id"]
