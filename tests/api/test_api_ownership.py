"""Who sees an encounter is decided by stable ids (the key holder, the organisation), never by
a name: an access matrix over every role, two organisations and same-named clinicians, for
every operation on an encounter."""

from __future__ import annotations

from typing import Any

from api_support import DICTATION, PEOPLE, Api

from api.keys import Role, issue_key
from api.persistence.database import make_engine, make_sessions
from api.persistence.tables import ApiKey, Encounter

PATIENT = "MRN-OWN-1"
CORRECTION = {"reason": "matrix", "operations": [
    {"op": "set_laterality", "muscle": "upper trapezius", "to": "right"}]}  # fmt: skip
# (method, path template, body): every operation on one encounter, reads first.
OPERATIONS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/v1/encounters/{id}", None),
    ("GET", "/v1/encounters/{id}/revisions", None),
    ("GET", "/v1/encounters/{id}/fhir", None),
    ("PATCH", "/v1/encounters/{id}/note", CORRECTION),
    ("POST", "/v1/encounters/{id}/sign-off", None),
]
LISTINGS = ("/v1/encounters", "/v1/review-queue")
# What each caller may do to an encounter made by "clinician" (Clinician A, clinic-1).
READERS = {"clinician", "reviewer", "integration"}  # the owner, and the organisation's
WRITERS = {"reviewer"}
ROLE_ALLOWED = {  # what the role may call at all (403 otherwise)
    "GET": {Role.clinician, Role.reviewer, Role.integration},
    "PATCH": {Role.reviewer},
    "POST": {Role.reviewer},
}


def _leaks(response_text: str, encounter_id: str) -> bool:
    """Whether an answer holds anything of the encounter beyond the id the caller sent."""
    text = response_text.replace(f"/v1/encounters/{encounter_id}", "")
    return any(s in text for s in (encounter_id, PATIENT, "upper trapezius", "temple"))


def test_api_ownership_access_matrix(api: Api) -> None:
    tried = leaks = 0
    for who, (role, _name, _organisation) in PEOPLE.items():
        # a fresh encounter per caller, so a sign-off by one does not change the next one's
        encounter = api.create_text(DICTATION, who="clinician", patient_ref=PATIENT)
        eid = encounter["id"]
        for method, template, body in OPERATIONS:
            headers = api.auth(who, **{"If-Match": f'"{encounter["revision"]}"'})
            response = api.client.request(method, template.format(id=eid), json=body,
                                          headers=headers)  # fmt: skip
            tried += 1
            if role not in ROLE_ALLOWED[method]:
                expected = 403
            elif (who in WRITERS) if method != "GET" else (who in READERS):
                expected = 200
            else:
                expected = 404
            assert response.status_code == expected, (who, method, template, response.text)
            if method == "PATCH" and expected == 200:
                encounter = response.json()
            if expected != 200:
                leaks += _leaks(response.text, eid)
        for path in LISTINGS:
            response = api.client.get(path, headers=api.auth(who))
            tried += 1
            if response.status_code != 200:
                assert response.status_code == 403, (who, path)
                continue
            listed = {item["id"] for item in response.json()["items"]}
            sees = who in READERS if path == "/v1/encounters" else who == "reviewer"
            if path == "/v1/review-queue":  # only ready encounters that need review
                sees = sees and encounter["needs_review"]
            assert (eid in listed) is sees, (who, path)
            if not sees:
                leaks += _leaks(response.text, eid)
    assert leaks == 0
    assert tried == len(PEOPLE) * (len(OPERATIONS) + len(LISTINGS))


def test_api_ownership_same_name_is_another_clinician(api: Api) -> None:
    mine = api.create_text(who="clinician", patient_ref=PATIENT)
    theirs = api.create_text(who="namesake")
    for who, own, other in (("clinician", mine, theirs), ("namesake", theirs, mine)):
        listed = api.client.get("/v1/encounters", headers=api.auth(who)).json()
        assert [e["id"] for e in listed["items"]] == [own["id"]]
        for suffix in ("", "/revisions", "/fhir"):
            hidden = api.client.get(f"/v1/encounters/{other['id']}{suffix}", headers=api.auth(who))
            assert hidden.status_code == 404, (who, suffix)
            assert PATIENT not in hidden.text
    # the same name in another organisation sees neither
    listed = api.client.get("/v1/encounters", headers=api.auth("namesake_elsewhere")).json()
    assert listed["total"] == 0


def test_api_ownership_follows_the_holder_across_keys(api: Api) -> None:
    """A rotated key (another key for the same holder) keeps the holder's encounters."""
    made = api.create_text(who="clinician")
    keys = api.client.get("/v1/admin/keys", headers=api.auth("admin")).json()
    holder = next(k["holder_id"] for k in keys if k["prefix"] == api.keys["clinician"][:10])
    rotated = api.client.post(
        "/v1/admin/keys",
        json={"role": "clinician", "name": "Clinician A (new key)", "holder_id": holder},
        headers=api.auth("admin"),
    )
    assert rotated.status_code == 201, rotated.text
    assert rotated.json()["holder_id"] == holder
    bearer = {"Authorization": f"Bearer {rotated.json()['key']}"}
    assert api.client.get(f"/v1/encounters/{made['id']}", headers=bearer).status_code == 200
    # a holder's key keeps the holder's role
    wrong = api.client.post(
        "/v1/admin/keys", json={"role": "reviewer", "name": "x", "holder_id": holder},
        headers=api.auth("admin"),
    )  # fmt: skip
    assert wrong.status_code == 422


def test_api_ownership_is_stored_as_the_holder_id(api: Api) -> None:
    made = api.create_text(who="clinician")
    engine = make_engine(api.settings.resolved_database_url)
    try:
        with make_sessions(engine)() as session:
            row = session.get(Encounter, made["id"])
            assert row is not None
            key = session.get(ApiKey, row.created_by_key)
            assert key is not None and row.owner_id == key.holder_id
            # a new key with the owner's name and organisation is a new holder
            other = issue_key(session, role=Role.clinician, name=key.name,
                              organisation=key.organisation)  # fmt: skip
            assert other.principal.holder_id != key.holder_id
    finally:
        engine.dispose()
