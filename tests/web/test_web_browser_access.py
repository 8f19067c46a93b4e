"""In a real browser: signing in and out, and what each role is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from web_support import WebApp, sign_in, unlabelled_controls

from api.persistence.database import make_engine, make_sessions, utcnow
from api.persistence.tables import AuditEvent, WebSession


def test_web_sign_in_and_out(new_context: Any, screenshots: Path) -> None:
    page = new_context().new_page()
    page.goto("/encounters")
    assert page.url.endswith("/login?next=/encounters")
    page.screenshot(path=screenshots / "sign-in.png")
    sign_in(page, "lee", "wrong password here")
    assert "/login" in page.url
    assert page.get_by_role("alert").inner_text().startswith("The username or password is wrong")
    sign_in(page, "lee")
    assert page.url.endswith("/encounters")
    assert page.get_by_role("heading", name="My encounters").is_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "scribe_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Sign out").click()
    assert page.url.endswith("/login?m=signed-out")
    page.goto("/encounters")
    assert "/login" in page.url


def test_web_clinician_is_refused_the_queue(new_context: Any, web_app: WebApp) -> None:
    page = new_context().new_page()
    sign_in(page, "lee")
    answer = page.goto("/queue")
    assert answer is not None and answer.status == 403
    assert "role does not give access" in page.get_by_role("alert").inner_text()


def test_web_writes_without_the_csrf_token_are_refused(new_context: Any, web_app: WebApp) -> None:
    page = new_context().new_page()
    sign_in(page, "lee")
    page.goto("/encounters/new")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    form = {"source": "text", "text": "Dry needling to the left upper trapezius."}
    assert page.request.post("/encounters", form=form).status == 403
    assert page.request.post("/encounters", form={**form, "csrf_token": "forged"}).status == 403
    cross_site = page.request.post(
        "/encounters", form={**form, "csrf_token": token}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross_site.status == 403
    page.goto("/encounters")
    assert "Nothing here yet" in page.locator("table.list").inner_text() or (
        "left upper trapezius" not in page.content()
    )
    events = _audit(web_app, "web.encounter.create", "csrf")
    assert len(events) >= 3


def test_web_expired_session_is_refused(new_context: Any, web_app: WebApp) -> None:
    page = new_context().new_page()
    sign_in(page, "kim")
    page.goto("/encounters/new")
    _expire_sessions(web_app, "kim")
    page.get_by_label("Dictation").fill("Dry needling to the left upper trapezius.")
    page.get_by_role("button", name="Code this dictation").click()
    assert page.locator("h1").inner_text() == "Not available"
    assert "session has ended" in page.get_by_role("alert").inner_text()
    page.goto("/encounters")
    assert "/login?next=/encounters" in page.url
    assert _audit(web_app, "web.encounter.list", "unauthenticated")


def _engine(web_app: WebApp) -> Any:
    return make_engine(web_app.settings.resolved_database_url)


def _expire_sessions(web_app: WebApp, login: str) -> None:
    engine = _engine(web_app)
    with make_sessions(engine)() as session:
        session.execute(
            update(WebSession)
            .where(WebSession.user_id == web_app.user_ids[login])
            .values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        session.commit()
    engine.dispose()


def _audit(web_app: WebApp, action: str, outcome: str) -> list[AuditEvent]:
    engine = _engine(web_app)
    with make_sessions(engine)() as session:
        events = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action, AuditEvent.outcome == outcome)
            ).all()
        )
    engine.dispose()
    return events


def test_web_admin_manages_users_keys_and_reads_the_audit_log(
    new_context: Any, web_app: WebApp, screenshots: Path
) -> None:
    page = new_context().new_page()
    sign_in(page, "ops")
    assert page.url.endswith("/admin/users")
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Name", exact=True).fill("Dr Nia")
    page.get_by_label("Role").select_option("clinician")
    page.get_by_label("Initial password").fill("a long enough password")
    page.get_by_role("button", name="Create user").click()
    assert "User created" in page.get_by_role("status").first.inner_text()
    assert unlabelled_controls(page) == []
    page.screenshot(path=screenshots / "admin-users.png", full_page=True)

    nia = new_context().new_page()
    sign_in(nia, "nia", "a long enough password")
    assert nia.url.endswith("/encounters")
    page.get_by_role("button", name="Disable nia").click()
    assert "sessions ended" in page.get_by_role("status").first.inner_text()
    nia.goto("/encounters/new")
    assert "/login" in nia.url  # her open session ended with the account

    page.goto("/admin/keys")
    page.get_by_label("Name (who or what uses it)").fill("EHR bridge")
    page.get_by_role("button", name="Create key").click()
    secret = page.get_by_label("Key", exact=True).input_value()
    assert secret.startswith("dns_")
    assert (
        page.request.get("/v1/encounters", headers={"Authorization": f"Bearer {secret}"}).status
        == 200
    )
    page.get_by_role("button", name="Revoke key EHR bridge").click()
    assert (
        page.request.get("/v1/encounters", headers={"Authorization": f"Bearer {secret}"}).status
        == 401
    )
    page.screenshot(path=screenshots / "admin-keys.png", full_page=True)

    page.goto("/admin/audit")
    page.get_by_label("Action").fill("web.sign_in")
    page.get_by_role("button", name="Filter").click()
    actions = page.locator("table.audit tbody td:nth-child(5)").all_inner_texts()
    assert actions and set(actions) == {"web.sign_in"}
    page.screenshot(path=screenshots / "audit.png", full_page=True)
    # another organisation's reviewer is nowhere in this organisation's log
    assert "Far Reviewer" not in page.locator("table.audit").inner_text()
