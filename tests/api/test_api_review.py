"""QA review over the API: corrections as revisions, optimistic concurrency, queue, sign-off.
These run on SQLite and on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from api_support import DICTATION, VAGUE, Api

ADD_RIGHT_UT = {"op": "add_muscle", "muscle": "upper trap", "laterality": "right"}


def _patch(api: Api, encounter: dict[str, Any], *ops: dict[str, Any], etag: str | None = None,
           reason: str = "reviewed against the chart") -> Any:  # fmt: skip
    headers = api.auth("reviewer")
    tag = etag if etag is not None else f'"{encounter["revision"]}"'
    if tag:
        headers["If-Match"] = tag
    return api.client.patch(
        f"/v1/encounters/{encounter['id']}/note",
        json={"reason": reason, "operations": list(ops)},
        headers=headers,
    )


def test_api_review_correction_recodes_and_is_a_revision(any_api: Api) -> None:
    api = any_api
    encounter = api.create_text()
    response = _patch(api, encounter, ADD_RIGHT_UT)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["revision"] > encounter["revision"]
    assert response.headers["etag"] == f'"{body["revision"]}"'
    assert [line["code"] for line in body["coding"]["lines"]] == ["20561"]  # 3 muscles now
    added = body["note"]["muscles"][-1]
    assert (added["name"], added["laterality"], added["origin"]) == (
        "upper trapezius", "right", "reviewer")  # fmt: skip
    assert (added["start"], added["end"], added["text"]) == (0, 0, "")
    revisions = api.client.get(
        f"/v1/encounters/{encounter['id']}/revisions", headers=api.auth("clinician")
    ).json()["items"]
    assert [(r["number"], r["kind"]) for r in revisions] == [(1, "extraction"), (2, "correction")]
    first, second = revisions
    assert first["note_before"] is None and first["author"]["name"] == "Clinician A"
    assert second["author"] == {"name": "Reviewer", "role": "reviewer"}
    assert second["reason"] == "reviewed against the chart"
    assert second["operations"][0]["op"] == "add_muscle"
    assert second["note_before"] == first["note_after"]
    assert second["note_after"] == body["note"]
    assert [line["code"] for line in second["coding_after"]["lines"]] == ["20561"]


def test_api_review_every_operation(any_api: Api) -> None:
    api = any_api
    encounter = api.create_text()
    response = _patch(
        api,
        encounter,
        {"op": "set_laterality", "muscle": "upper trapezius", "to": "right"},
        {"op": "set_status", "muscle": "levator scapulae", "to": "palpated_only"},
        {"op": "add_muscle", "muscle": "infraspinatus", "laterality": "right"},
        {"op": "remove_muscle", "muscle": "infraspinatus", "laterality": "right"},
        {"op": "set_injectate", "status": "injected",
         "substances": [{"name": "Xylocaine", "dose": "1 mL 1%",
                         "muscles": [{"muscle": "upper trapezius"}]}]},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    note = response.json()["note"]
    sides = [(m["name"], m["laterality"], m["status"]) for m in note["muscles"]]
    assert sides == [
        ("upper trapezius", "right", "treated"),
        ("levator scapulae", "left", "palpated_only"),
    ]
    substance = note["injectate"]["substances"][0]
    assert (substance["name"], substance["category"]) == ("lidocaine", "local_anesthetic")
    assert substance["muscles"] == [
        {"id": "upper-trapezius", "name": "upper trapezius", "laterality": "right"}
    ]
    lines = response.json()["coding"]["lines"]
    assert [line["code"] for line in lines] == ["20552"]  # injected now, one muscle


def test_api_review_bad_correction_is_422_and_changes_nothing(any_api: Api) -> None:
    api = any_api
    encounter = api.create_text()
    response = _patch(
        api,
        encounter,
        ADD_RIGHT_UT,
        {"op": "remove_muscle", "muscle": "gluteus medius"},  # not in the note
    )
    assert response.status_code == 422
    detail = response.json()["detail"]  # which operation and why, not the name typed
    assert "operation 1 (remove_muscle)" in detail and "does not have" in detail
    assert "gluteus" not in detail
    unknown = _patch(api, encounter, {"op": "add_muscle", "muscle": "flux capacitor",
                                      "laterality": "left"})  # fmt: skip
    assert unknown.status_code == 422 and "not in the lexicon" in unknown.json()["detail"]
    assert "flux" not in unknown.text
    duplicate = _patch(api, encounter, {"op": "add_muscle", "muscle": "upper-trapezius",
                                        "laterality": "left"})  # fmt: skip
    assert duplicate.status_code == 422 and "already" in duplicate.json()["detail"]
    after = api.client.get(f"/v1/encounters/{encounter['id']}", headers=api.auth("reviewer"))
    assert after.json()["note"] == encounter["note"]
    assert after.json()["revision"] == encounter["revision"]


def test_api_review_needs_if_match(any_api: Api) -> None:
    api = any_api
    encounter = api.create_text()
    missing = _patch(api, encounter, ADD_RIGHT_UT, etag="")
    assert missing.status_code == 428
    stale = _patch(api, encounter, ADD_RIGHT_UT, etag='"999"')
    assert stale.status_code == 412
    assert stale.headers["etag"] == f'"{encounter["revision"]}"'


def test_api_review_concurrent_corrections_do_not_lose_updates(any_api: Api) -> None:
    """Two reviewers read the same revision and both correct: exactly one wins; the other is
    told to re-read, and nothing written is lost."""
    api = any_api
    encounter = api.create_text()
    ops = [
        {"op": "add_muscle", "muscle": "infraspinatus", "laterality": "left"},
        {"op": "add_muscle", "muscle": "supraspinatus", "laterality": "left"},
        {"op": "add_muscle", "muscle": "teres minor", "laterality": "left"},
        {"op": "add_muscle", "muscle": "rhomboid major", "laterality": "left"},
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda op: _patch(api, encounter, op).status_code, ops))
    assert results.count(200) == 1 and results.count(412) == 3, results
    final = api.client.get(f"/v1/encounters/{encounter['id']}", headers=api.auth("reviewer"))
    revisions = api.client.get(
        f"/v1/encounters/{encounter['id']}/revisions", headers=api.auth("reviewer")
    ).json()["items"]
    assert len(revisions) == 2
    assert revisions[-1]["note_after"] == final.json()["note"]


def test_api_review_queue_and_sign_off(any_api: Api) -> None:
    api = any_api
    clean = api.create_text(DICTATION)
    vague = api.create_text(VAGUE)
    queue = api.client.get("/v1/review-queue", headers=api.auth("reviewer")).json()
    assert [e["id"] for e in queue["items"]] == [vague["id"]]
    assert {"muscle-names-missing", "group-term-used"} <= set(queue["items"][0]["review_reasons"])
    assert clean["needs_review"] is False
    signed = api.client.post(
        f"/v1/encounters/{vague['id']}/sign-off",
        headers=api.auth("reviewer", **{"If-Match": f'"{vague["revision"]}"'}),
    )
    assert signed.status_code == 200
    body = signed.json()
    assert body["signed_off"]["by"] == "Reviewer" and body["needs_review"] is False
    assert api.client.get("/v1/review-queue", headers=api.auth("reviewer")).json()["total"] == 0
    # a signed-off note is closed to corrections and to a second sign-off
    assert _patch(api, body, ADD_RIGHT_UT).status_code == 409
    again = api.client.post(f"/v1/encounters/{vague['id']}/sign-off", headers=api.auth("reviewer"))
    assert again.status_code == 409


def test_api_review_correction_can_clear_the_queue(any_api: Api) -> None:
    api = any_api
    vague = api.create_text(VAGUE)
    assert vague["needs_review"] is True
    fixed = _patch(
        api,
        vague,
        {"op": "add_muscle", "muscle": "lumbar multifidus", "laterality": "left"},
        {"op": "add_muscle", "muscle": "lumbar multifidus", "laterality": "right"},
        {"op": "set_injectate", "status": "none_confirmed"},
    )
    assert fixed.status_code == 200, fixed.text
    reasons = fixed.json()["review_reasons"]
    assert [line["code"] for line in fixed.json()["coding"]["lines"]] == ["20560"]
    assert fixed.json()["needs_review"] is bool(reasons)
