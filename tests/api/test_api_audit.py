"""The audit log: every read and write of an encounter, admin-only, append-only, no PHI."""

from __future__ import annotations

import logging

import pytest
from api_support import DICTATION, Api
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.persistence.database import make_engine


def _events(api: Api, who: str = "admin", **params: str) -> list[dict]:
    response = api.client.get("/v1/admin/audit", params=params, headers=api.auth(who))
    assert response.status_code == 200
    items: list[dict] = response.json()["items"]
    return items


def test_api_audit_records_every_read_and_write(any_api: Api) -> None:
    api = any_api
    encounter = api.create_text(patient_ref="MRN-42")
    eid = encounter["id"]
    client = api.client
    client.get(f"/v1/encounters/{eid}", headers=api.auth("integration"))
    client.get("/v1/encounters", headers=api.auth("reviewer"))
    client.get(f"/v1/encounters/{eid}/fhir", headers=api.auth("clinician"))
    client.get(f"/v1/encounters/{eid}/revisions", headers=api.auth("reviewer"))
    client.patch(
        f"/v1/encounters/{eid}/note",
        json={"reason": "side", "operations": [
            {"op": "set_laterality", "muscle": "upper trapezius", "to": "right"}]},
        headers=api.auth("reviewer", **{"If-Match": f'"{encounter["revision"]}"'}),
    )  # fmt: skip
    client.get(f"/v1/encounters/{eid}", headers=api.auth("other_reviewer"))  # not theirs
    client.get(f"/v1/encounters/{eid}", headers=api.auth("admin"))  # wrong role
    events = _events(api, encounter_id=eid)
    seen = [(e["action"], e["actor_name"], e["outcome"]) for e in reversed(events)]
    assert seen == [
        ("encounter.create", "Clinician A", "ok"),
        ("encounter.read", "EHR link", "ok"),
        ("encounter.list", "Reviewer", "ok"),
        ("encounter.fhir", "Clinician A", "ok"),
        ("encounter.revisions", "Reviewer", "ok"),
        ("encounter.correct", "Reviewer", "ok"),
        ("encounter.read", "Ops", "denied"),  # named by action, like the work it refused
    ]
    # the probe from another organisation is in that organisation's log, not in this one
    theirs = _events(api, who="other_admin", encounter_id=eid)
    assert [(e["action"], e["outcome"]) for e in theirs] == [("encounter.read", "not_found")]
    for event in events:
        assert event["client"] == "testclient"  # from where
        assert event["at"].endswith(("Z", "+00:00"))
    dump = str(events)
    assert "MRN-42" not in dump and "trapezius" not in dump  # no PHI, no note text


def test_api_audit_is_admin_only(api: Api) -> None:
    for who in ("clinician", "reviewer", "integration"):
        response = api.client.get("/v1/admin/audit", headers=api.auth(who))
        assert response.status_code == 403


def test_api_audit_pages_backwards(api: Api) -> None:
    for _ in range(3):
        api.create_text()
    newest = _events(api, limit="2")
    older = _events(api, limit="2", before_id=str(newest[-1]["id"]))
    assert len(newest) == 2 and older and older[0]["id"] < newest[-1]["id"]


@pytest.mark.parametrize("table", ["audit_events", "note_revisions"])
def test_api_audit_tables_refuse_update_and_delete(any_api: Api, table: str) -> None:
    any_api.create_text()
    engine = make_engine(any_api.settings.resolved_database_url)
    try:
        for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(text(statement))
        with engine.connect() as connection:
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() >= 1
    finally:
        engine.dispose()


def test_api_audit_logs_hold_no_dictation(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    encounter = api.create_text(DICTATION, patient_ref="MRN-77")
    api.client.get(f"/v1/encounters/{encounter['id']}", headers=api.auth("clinician"))
    api.client.post("/v1/encounters/text", json={"text": "\x00" + DICTATION},
                    headers=api.auth("clinician"))  # fmt: skip
    logged = caplog.text
    assert "trapezius" not in logged and "MRN-77" not in logged and "taut band" not in logged
