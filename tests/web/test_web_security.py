"""The web app without a browser (TestClient): sessions, CSRF, roles, audit, headers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update
from web_support import DICTATION, Browserless

from api.persistence.database import make_engine, make_sessions, utcnow
from api.persistence.tables import AuditEvent, Encounter, User, WebSession

MakeClient = Callable[..., Browserless]


@pytest.fixture
def make_client(open_client: MakeClient) -> MakeClient:
    def build(base_url: str = "http://testserver", **web: Any) -> Browserless:
        built: Browserless = open_client(base_url=base_url, web=web)
        return built

    return build


def _events(database: str, **where: str) -> list[AuditEvent]:
    engine = make_engine(database)
    with make_sessions(engine)() as session:
        query = select(AuditEvent).order_by(AuditEvent.seq)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        found = list(session.scalars(query).all())
    engine.dispose()
    return found


def _database(web: Browserless) -> str:
    url: str = web.client.app.state.services.settings.resolved_database_url
    return url


def test_web_session_cookie_is_httponly_strict_and_secure_over_tls(make_client: MakeClient) -> None:
    plain = make_client().sign_in("lee")
    assert plain.status_code == 303
    cookie = plain.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert "max-age=43200" in cookie
    tls = make_client(base_url="https://testserver").sign_in("lee")
    assert "; secure" in tls.headers["set-cookie"].lower()


def test_web_sign_in_form_needs_its_own_token(make_client: MakeClient) -> None:
    web = make_client()
    answer = web.client.post(
        "/login", data={"username": "lee", "password": "x" * 20, "login_token": "guess"}
    )
    assert answer.status_code == 403 and "scribe_session" not in answer.headers.get(
        "set-cookie", ""
    )


def test_web_wrong_passwords_lock_the_account_for_a_while(make_client: MakeClient) -> None:
    web = make_client(max_failed_sign_ins=3)
    for _ in range(3):
        assert web.sign_in("kim", "not the password at all").status_code == 401
    assert web.sign_in("kim").status_code == 401  # locked, even with the right password
    refused = _events(_database(web), action="web.sign_in", outcome="unauthenticated")
    assert [e.detail for e in refused][-1] == "locked"
    assert all("not the password" not in (e.detail or "") for e in refused)


def test_web_idle_and_ended_sessions_are_refused(make_client: MakeClient) -> None:
    web = make_client(session_idle_minutes=5)
    web.sign_in("lee")
    assert web.client.get("/encounters").status_code == 200
    engine = make_engine(_database(web))
    with make_sessions(engine)() as session:
        session.execute(update(WebSession).values(last_seen_at=utcnow() - dt.timedelta(minutes=6)))
        session.commit()
    engine.dispose()
    gone = web.client.get("/encounters", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/login?next=/encounters"

    web.sign_in("lee")
    cookie = web.client.cookies.get("scribe_session")
    web.client.post("/logout", data={"csrf_token": web.csrf()})
    web.client.cookies.set("scribe_session", cookie or "")
    assert web.client.get("/encounters", follow_redirects=False).status_code == 303


def test_web_page_views_are_audited_and_other_clinicians_get_404(make_client: MakeClient) -> None:
    web = make_client()
    web.sign_in("lee")
    encounter_id = web.paste(DICTATION, payer="commercial")
    page = web.client.get(f"/encounters/{encounter_id}")
    assert page.status_code == 200 and "20561" in page.text
    assert float(page.headers["server-timing"].split("dur=")[1]) < 2000
    database = _database(web)
    reads = _events(database, action="web.encounter.read", encounter_id=encounter_id)
    assert [e.outcome for e in reads] == ["ok"] and reads[0].actor_name == "Dr Lee"
    engine = make_engine(database)
    with make_sessions(engine)() as session:
        row = session.get(Encounter, encounter_id)
        user = session.scalars(select(User).where(User.username == "lee")).one()
        assert row is not None and row.owner_id == user.holder_id
        assert row.created_by_key == user.id == reads[0].actor_key
    engine.dispose()

    other = make_client()
    other.sign_in("kim")
    assert other.client.get(f"/encounters/{encounter_id}").status_code == 404
    refused = _events(database, action="web.encounter.read", outcome="not_found")
    assert refused and refused[-1].actor_name == "Dr Kim"
    far = make_client()
    far.sign_in("far")  # a reviewer of another organisation
    assert far.client.get(f"/encounters/{encounter_id}").status_code == 404


def test_web_pages_are_never_cached_and_scripts_come_from_this_site(
    make_client: MakeClient,
) -> None:
    web = make_client()
    web.sign_in("rita")
    page = web.client.get("/queue")
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text and "http://" not in page.text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert web.client.get("/static/app.css").status_code == 200
    # the JSON API keeps its problem documents, and the pages stay out of its schema
    assert web.client.get("/v1/encounters").headers["content-type"] == "application/problem+json"
    paths = web.client.get("/openapi.json").json()["paths"]
    assert all(path.startswith(("/v1", "/health")) for path in paths)


def test_web_dictation_is_escaped_in_the_page(make_client: MakeClient) -> None:
    web = make_client()
    web.sign_in("lee")
    hostile = "Dry needling to the left upper trapezius <script>alert(1)</script>. No injectate."
    encounter_id = web.paste(hostile)
    page = web.client.get(f"/encounters/{encounter_id}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page


def test_web_reviewer_writes_need_the_current_revision(make_client: MakeClient) -> None:
    clinician = make_client()
    clinician.sign_in("lee")
    encounter_id = clinician.paste(DICTATION)
    web = make_client()
    web.sign_in("rita")
    token = web.csrf(f"/encounters/{encounter_id}")
    form = {
        "csrf_token": token,
        "action": "remove",
        "muscle": "rhomboid-major",
        "laterality": "right",
        "status": "treated",
        "reason": "not needled",
    }
    stale = web.client.post(
        f"/encounters/{encounter_id}/corrections", data={**form, "revision": "0"}
    )
    assert stale.status_code == 409 and "Someone else saved" in stale.text
    done = web.client.post(
        f"/encounters/{encounter_id}/corrections",
        data={**form, "revision": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert (
        clinician.client.post(
            f"/encounters/{encounter_id}/corrections",
            data={**form, "revision": "2", "csrf_token": clinician.csrf()},
        ).status_code
        == 403
    )  # clinicians do not correct
    answer = web.client.post(
        f"/encounters/{encounter_id}/sign-off",
        data={"csrf_token": token, "revision": "2"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    again = web.client.post(
        f"/encounters/{encounter_id}/sign-off", data={"csrf_token": token, "revision": "2"}
    )
    assert again.status_code == 409 and "signed off" in again.text


def test_web_bad_input_is_shown_on_the_form_without_repeating_it(make_client: MakeClient) -> None:
    web = make_client()
    web.sign_in("lee")
    token = web.csrf()
    binary = web.client.post(
        "/encounters",
        data={"csrf_token": token, "source": "text", "text": "MRN-777 \x00\x01\x02\x03" * 50},
    )
    assert binary.status_code == 400 and "MRN-777" not in binary.text.split("<form")[0]
    not_audio = web.client.post(
        "/encounters",
        data={"csrf_token": token, "source": "audio", "patient_ref": "MRN-778"},
        files={"file": ("visit-MRN-778.wav", b"hello" * 100, "audio/wav")},
    )
    assert not_audio.status_code == 400 and "not a recording" in not_audio.text
    assert "visit-MRN-778" not in not_audio.text
    bad_ref = web.client.post(
        "/encounters",
        data={"csrf_token": token, "source": "text", "text": DICTATION, "patient_ref": "bad ref!"},
    )
    assert bad_ref.status_code == 400 and "Patient reference" in bad_ref.text
    assert "bad ref!" not in bad_ref.text.split("<form")[0]
