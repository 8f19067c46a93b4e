"""Helpers for the web app's tests (fixtures are in conftest.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
