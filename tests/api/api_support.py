"""Helpers shared by the service tests (fixtures are in conftest.py)."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

from api.keys import Role
from scribe.config import Settings

# Who calls, as (role, name, organisation).
PEOPLE: dict[str, tuple[Role, str, str]] = {
    "clinician": (Role.clinician, "Clinician A", "clinic-1"),
    "clinician_b": (Role.clinician, "Clinician B", "clinic-1"),
    "reviewer": (Role.reviewer, "Reviewer", "clinic-1"),
    "integration": (Role.integration, "EHR link", "clinic-1"),
    "admin": (Role.admin, "Ops", "clinic-1"),
    "other_reviewer": (Role.reviewer, "Reviewer elsewhere", "clinic-2"),
    "other_integration": (Role.integration, "EHR elsewhere", "clinic-2"),
    "other_admin": (Role.admin, "Ops elsewhere", "clinic-2"),
    # the same display name as "clinician": never the same person to the service
    "namesake": (Role.clinician, "Clinician A", "clinic-1"),
    "namesake_elsewhere": (Role.clinician, "Clinician A", "clinic-2"),
}

# A complete note: nothing for a reviewer to look at (no warning prompts).
DICTATION = (
    "Patient consented to dry needling. Dry needling to the left upper trapezius and left "
    "levator scapulae for a palpable taut band with local twitch response and referred pain to "
    "the temple. Patient has difficulty turning her head while driving. Neck pain 6/10 before, "
    "3/10 after. No medication injected. Tolerated well."
)
# Only a group named: muscle count unknown, so it goes to the review queue.
VAGUE = "Dry needling to the paraspinals today. Tolerated well."


@dataclass
class Api:
    """A running app (TestClient), its settings and a key per person in PEOPLE."""

    client: TestClient
    settings: Settings
    keys: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str, **headers: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}", **headers}

    def create_text(
        self, text: str = DICTATION, who: str = "clinician", **context: Any
    ) -> dict[str, Any]:
        response = self.client.post(
            "/v1/encounters/text", json={"text": text, "context": context}, headers=self.auth(who)
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


def asr_helpers(name: str) -> ModuleType:
    """A helper module of tests/asr (recordings made on the fly), by file: the name ``tests``
    is taken by an installed package, so it cannot be imported as ``tests.asr...``."""
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parents[1] / "asr" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
