"""Helpers for the web app's tests (fixtures are in conftest.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.keys import Role
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
