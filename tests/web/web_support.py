"""Helpers for the web app's tests (fixtures are in conftest.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from api.keys import Role
from api.persistence.database import make_engine, make_sessions, upgrade
from api.web.accounts import create_user
from scribe.config import Settings

PASSWORD = "correct horse battery staple"
# login -> (role, name, organisation)
USERS: dict[str, tuple[Role, str, str]] = {
    "lee": (Role.clinician, "Dr Lee", "clinic-1"),
    "kim": (Role.clinician, "Dr Kim", "clinic-1"),
    "rita": (Role.reviewer, "Rita Reviewer", "clinic-1"),
    "sam": (Role.reviewer, "Sam Reviewer", "clinic-1"),
    "ops": (Role.admin, "Ops", "clinic-1"),
    "far": (Role.reviewer, "Far Reviewer", "clinic-2"),
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LOGIN = re.compile(r'name="login_token" value="([^"]+)"')


@dataclass
class WebApp:
    base_url: str
    settings: Settings
    user_ids: dict[str, str] = field(default_factory=dict)


def sign_in(page: Any, login: str, password: str = PASSWORD) -> None:
    """Sign ``login`` in through the form, as a person would."""
    page.goto("/login")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def recorder_page(context: Any, base_url: str, login: str = "lee") -> Any:
    """A page of ``context`` that may use the (fake) microphone, with ``login`` signed in."""
    context.grant_permissions(["microphone"], origin=base_url)
    page = context.new_page()
    sign_in(page, login)
    return page


REPO = Path(__file__).resolve().parents[2]
DICTATION = (REPO / "fixtures" / "demo" / "dictation.txt").read_text(encoding="utf-8")


def paste_encounter(page: Any, text: str = DICTATION, payer: str = "commercial") -> str:
    """Create an encounter from pasted text through the form; its id."""
    page.goto("/encounters/new")
    page.get_by_label("Payer").select_option(payer)
    page.get_by_label("Dictation").fill(text)
    page.get_by_role("button", name="Code this dictation").click()
    page.wait_for_url("**/encounters/*-*-*-*-*")
    encounter_id: str = page.url.rsplit("/", 1)[-1].split("?")[0]
    return encounter_id


UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
               && !el.getAttribute('aria-labelledby')
               && !(el.tagName === 'BUTTON' && el.innerText.trim()))
  .map(el => el.outerHTML.slice(0, 120))"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def unlabelled_controls(page: Any) -> list[str]:
    """Visible form controls without an accessible name (label, aria-label, button text)."""
    found: list[str] = page.evaluate(UNLABELLED)
    return found


def horizontal_overflow(page: Any) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    overflow: int = page.evaluate(OVERFLOW)
    return overflow


def make_users(database_url: str) -> dict[str, str]:
    """One user per entry of USERS; their user ids by login."""
    engine = make_engine(database_url)
    upgrade(engine)
    ids = {}
    with make_sessions(engine)() as session:
        for login, (role, name, organisation) in USERS.items():
            user = create_user(
                session,
                username=login,
                name=name,
                role=role,
                organisation=organisation,
                password=PASSWORD,
            )
            ids[login] = user.id
        session.commit()
    engine.dispose()
    return ids


class Browserless:
    """A signed-in TestClient: forms posted as a browser would, with the page's CSRF token."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def sign_in(self, login: str, password: str = PASSWORD) -> Any:
        form = self.client.get("/login").text
        token = LOGIN.search(form)
        assert token is not None
        return self.client.post(
            "/login",
            data={
                "username": login,
                "password": password,
                "login_token": token.group(1),
                "next": "/",
            },
            follow_redirects=False,
        )

    def csrf(self, path: str = "/encounters") -> str:
        found = CSRF.search(self.client.get(path).text)
        assert found is not None
        return found.group(1)

    def paste(self, text: str, **context: str) -> str:
        answer = self.client.post(
            "/encounters",
            data={"csrf_token": self.csrf(), "source": "text", "text": text, **context},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        location: str = answer.headers["location"]
        return location.rsplit("/", 1)[-1]


def table_rows(database_url: str, table: Any, **where: str) -> list[Any]:
    """The rows of a table in the test database, filtered by equal columns, detached."""
    engine = make_engine(database_url)
    with make_sessions(engine)() as session:
        query = select(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        found = list(session.scalars(query).all())
        session.expunge_all()
    engine.dispose()
    return found
