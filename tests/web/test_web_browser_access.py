"""In a real browser: signing in and out, and what each role is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from web_support import WebApp, sign_in


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
