"""Requests generated from the service's own OpenAPI spec (schemathesis), valid (positive) and
invalid (negative) data alike: no operation answers 5xx, every refusal is problem+json, and
every answer conforms to the document (its status code, content type and schema are listed).

One app serves the generated requests of the whole module (SQLite in a temporary folder, the
session's pipeline). Each operation is called with a key of a role it allows, so requests get
past authentication and into the handlers, and about half the generated encounter ids are
swapped for encounters seeded here, so handlers also run on rows that exist. A hand-written
sweep then calls every operation that takes an id, with real and odd ids, under every role, on
SQLite and PostgreSQL; and request shapes that once answered 5xx (found by fuzzing) must keep
answering 4xx.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import schemathesis
from api_support import Api
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.types import Receive, Scope, Send

from api.app import create_app
from api.keys import KEY_PREFIX, Role, issue_key
from api.persistence.database import make_engine, make_sessions, upgrade
from scribe import Scribe
from scribe.config import Settings

PROBLEM_JSON = "application/problem+json"
DICTATIONS = (
    "Dry needling to the left upper trapezius and left levator scapulae. Taut bands with local "
    "twitch responses. Neck pain 6/10 before, 3/10 after. No medication injected.",
    "DN performed to R gluteus medius and R piriformis, LTR noted. Consent obtained. "
    "Tolerated well. No injectate.",
    "Trigger point dry needling of the bilateral upper trapezius. Pain 7/10 to 4/10.",
)
# One key per role, all in one organisation (so reviewers see what the clinician made).
ROLES = {
    "clinician": Role.clinician,
    "reviewer": Role.reviewer,
    "integration": Role.integration,
    "admin": Role.admin,
}
# A role each operation allows, so generated requests reach the handler. Operations not listed
# need no key (/health). Reviewers do most; the others get the operations only they may call,
# and the integration key takes two reads so that its visibility rule runs too.
CALLER_FOR: dict[tuple[str, str], str] = {
    ("POST", "/v1/encounters/text"): "clinician",
    ("POST", "/v1/encounters/audio"): "clinician",
    ("GET", "/v1/encounters"): "integration",
    ("GET", "/v1/encounters/{encounter_id}"): "reviewer",
    ("GET", "/v1/encounters/{encounter_id}/revisions"): "reviewer",
    ("GET", "/v1/encounters/{encounter_id}/fhir"): "integration",
    ("PATCH", "/v1/encounters/{encounter_id}/note"): "reviewer",
    ("POST", "/v1/encounters/{encounter_id}/sign-off"): "reviewer",
    ("GET", "/v1/review-queue"): "reviewer",
    ("GET", "/v1/admin/keys"): "admin",
    ("POST", "/v1/admin/keys"): "admin",
    ("DELETE", "/v1/admin/keys/{key_id}"): "admin",
    ("GET", "/v1/admin/audit"): "admin",
}
# POST /v1/encounters/audio is fuzzed too: generated bodies are random bytes, which the upload
# refuses by sniffing (415) before any model runs; nothing is excluded.


class NoLifespan:
    """The app without its lifespan. The module's TestClient runs start-up once and shuts it
    down at the end; schemathesis's ASGI transport would otherwise start it a second time and
    keep it until the interpreter exits."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return  # returning at once is how an app says it has no lifespan
        await self.app(scope, receive, send)


@dataclass
class Service:
    """The module's running app, a key per role and the encounters seeded for path ids."""

    app: FastAPI
    client: TestClient
    keys: dict[str, str]
    # Seeded ids by use, kept apart so that signing one off does not turn every later
    # correction into a 409.
    seeded: dict[str, list[str]] = field(default_factory=dict)

    def auth(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"} if who else {}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, scribe: Scribe) -> Iterator[Service]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    config = Settings(data_dir=folder / "data", database_url=f"sqlite:///{folder / 'scribe.db'}")
    engine = make_engine(config.resolved_database_url)
    upgrade(engine)
    keys: dict[str, str] = {}
    with make_sessions(engine)() as session:
        for who, role in ROLES.items():
            issued = issue_key(session, role=role, name=f"fuzz {who}", organisation="clinic-1")
            keys[who] = issued.secret
        session.commit()
    engine.dispose()
    app = create_app(config, scribe=scribe)
    with TestClient(app) as client:
        running = Service(app=app, client=client, keys=keys)
        for use, count in (("correct", 3), ("sign_off", 2), ("read", 2)):
            running.seeded[use] = [_create(running, DICTATIONS[i % 3]) for i in range(count)]
        yield running


def _create(service: Service, text: str) -> str:
    response = service.client.post(
        "/v1/encounters/text",
        json={"text": text, "context": {"payer": "medicare", "patient_ref": "P-1"}},
        headers=service.auth("clinician"),
    )
    assert response.status_code == 201, response.text
    encounter_id: str = response.json()["id"]
    return encounter_id


# The spec comes from an app that is never started (building one opens nothing). Not
# `schemathesis.pytest.from_fixture`: its lazy loader sets `Node._nodeid`, which pytest 9.2
# no longer has (AttributeError).
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


def _seeded_for(service: Service, path: str, generated: str) -> str | None:
    """A seeded encounter id for about half the generated ids (chosen from the generated value,
    so a replayed example makes the same choice), else None."""
    choice = zlib.crc32(generated.encode("utf-8", "surrogatepass"))
    if choice % 2:
        return None
    if path.endswith("/note"):
        pool = service.seeded["correct"]
    elif path.endswith("/sign-off"):
        pool = service.seeded["sign_off"]
    else:
        pool = [i for ids in service.seeded.values() for i in ids]
    return pool[choice % len(pool)]


CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _check(status: int, content_type: str, what: str) -> None:
    assert status < 500, f"{what} answered {status}"
    if 400 <= status < 500:
        assert content_type.startswith(PROBLEM_JSON), f"{what} answered {status} as {content_type}"


# Positive and negative cases (schemathesis's default modes), its examples and coverage phases
# included. 30 examples an operation keep the module under half a minute; the profile loaded in
# tests/conftest.py ("ci", derandomized) makes them the same on every run. A deeper search:
#   SCRIBE_FUZZ_EXAMPLES=500 HYPOTHESIS_PROFILE=explore pytest tests/api/test_api_schemathesis.py
@settings(
    max_examples=int(os.environ.get("SCRIBE_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@schema.parametrize()
def test_api_generated_requests_never_answer_5xx(case: schemathesis.Case, service: Service) -> None:
    method, path = case.operation.method.upper(), case.operation.path
    headers = service.auth(CALLER_FOR.get((method, path)))
    if case.path_parameters and "encounter_id" in case.path_parameters:
        real = _seeded_for(service, path, str(case.path_parameters["encounter_id"]))
        if real is not None:
            case.path_parameters["encounter_id"] = real
            # "*" matches any revision: generated corrections get applied, not just 412'd.
            if method != "GET":
                headers["If-Match"] = "*"
    response = case.call(app=NoLifespan(service.app), headers=headers)
    content_type = ", ".join(response.headers.get("content-type", []))
    _check(response.status_code, content_type, f"{method} {path}")
    # and the answer is one the OpenAPI document describes: its status, its content type and
    # (for JSON) its schema
    case.validate_response(response, checks=CONFORMANCE, headers=headers)


# --- hand-written sweep: every id operation, real and odd ids, every role, both databases ----

CORRECTION = {
    "reason": "fuzz sweep",
    "operations": [
        {"op": "add_muscle", "muscle": "upper trapezius", "laterality": "right"},
        {"op": "set_status", "muscle": "upper trapezius", "laterality": "right", "to": "negated"},
    ],
}
# (method, path template, JSON body); sign-off comes after the correction on purpose.
ID_OPERATIONS: tuple[tuple[str, str, dict[str, Any] | None], ...] = (
    ("GET", "/v1/encounters/{id}", None),
    ("GET", "/v1/encounters/{id}/revisions", None),
    ("GET", "/v1/encounters/{id}/fhir", None),
    ("PATCH", "/v1/encounters/{id}/note", CORRECTION),
    ("POST", "/v1/encounters/{id}/sign-off", None),
    ("DELETE", "/v1/admin/keys/{id}", None),
)
# Absent, short, long, path tricks, non-ASCII, SQL. NUL is in the known-5xx list below.
ODD_IDS = (
    "00000000-0000-0000-0000-000000000000",
    "x",
    "a" * 500,
    "..%2F..%2Fetc%2Fpasswd",
    "%C3%A9t%C3%A9",
    "'; DROP TABLE encounters; --",
)
SWEEP_CALLERS = (
    None,
    "clinician",
    "clinician_b",
    "reviewer",
    "other_reviewer",
    "integration",
    "admin",
)


def test_api_id_operations_answer_no_5xx_for_real_and_odd_ids(any_api: Api) -> None:
    encounter_id = any_api.create_text()["id"]
    listed = any_api.client.get("/v1/admin/keys", headers=any_api.auth("admin"))
    admin_prefix = any_api.keys["admin"][: len(KEY_PREFIX) + 6]
    admin_key_id = next(k["id"] for k in listed.json() if k["prefix"] == admin_prefix)
    statuses: dict[str, set[int]] = {}
    for method, template, body in ID_OPERATIONS:
        for who in SWEEP_CALLERS:
            for given in (encounter_id, admin_key_id, *ODD_IDS):
                headers = {**(any_api.auth(who) if who else {}), "If-Match": "*"}
                url = template.replace("{id}", given)
                response = any_api.client.request(method, url, json=body, headers=headers)
                content_type = response.headers.get("content-type", "")
                _check(response.status_code, content_type, f"{method} {url} as {who}")
                statuses.setdefault(f"{method} {template}", set()).add(response.status_code)
    # The sweep reached the handlers, not only the key check: the encounter was corrected,
    # signed off and exported, and the admin could not revoke its own key.
    assert 200 in statuses["PATCH /v1/encounters/{id}/note"]
    assert 200 in statuses["POST /v1/encounters/{id}/sign-off"]
    assert 200 in statuses["GET /v1/encounters/{id}/fhir"]
    assert 409 in statuses["DELETE /v1/admin/keys/{id}"]
    revisions = any_api.client.get(
        f"/v1/encounters/{encounter_id}/revisions", headers=any_api.auth("reviewer")
    )
    assert [r["number"] for r in revisions.json()["items"]] == [1, 2]


# --- request shapes that once answered 5xx ------------------------------------------------------

NUL_IN_TEXT = "PostgreSQL refuses NUL in text columns and parameters: DataError"


class Hostile(NamedTuple):
    """A request the service must refuse with a 4xx; ``{encounter}`` in the url is replaced
    by an encounter made for the test. ``why``: what answered 5xx before it was fixed."""

    id: str
    method: str
    url: str
    who: str
    body: dict[str, Any] | None
    why: str


HOSTILE = (
    Hostile("offset-over-int64", "GET", "/v1/encounters?offset=9223372036854775808", "reviewer",
            None, "offset has no upper bound: OverflowError (SQLite), DataError (PG)"),
    Hostile("queue-offset-over-int64", "GET", "/v1/review-queue?offset=9223372036854775808",
            "reviewer", None, "offset has no upper bound"),
    Hostile("audit-before-id-over-int64", "GET", "/v1/admin/audit?before_id=9223372036854775808",
            "admin", None, "before_id has no upper bound"),
    Hostile("blank-key-name", "POST", "/v1/admin/keys", "admin", {"name": " ", "role": "admin"},
            "issue_key raised ValueError for a blank name"),
    Hostile("dos-before-rules", "POST", "/v1/encounters/text", "clinician",
            {"text": DICTATIONS[0], "context": {"dos": "2018-12-31"}},
            "no payer policy in force then: BillingRulesError, answered 500 misconfigured"),
    Hostile("dos-year-one-with-patient", "POST", "/v1/encounters/text", "clinician",
            {"text": DICTATIONS[0], "context": {"dos": "0001-01-01", "patient_ref": "P-1"}},
            "prior_sessions computed dos - 366 days: OverflowError"),
    Hostile("nul-in-encounter-id", "GET", "/v1/encounters/%00", "reviewer", None, NUL_IN_TEXT),
    Hostile("nul-in-audit-filter", "GET", "/v1/admin/audit?action=%00", "admin", None, NUL_IN_TEXT),
    Hostile("nul-in-key-name", "POST", "/v1/admin/keys", "admin",
            {"name": "a\x00b", "role": "admin"}, NUL_IN_TEXT),
    Hostile("nul-in-revoked-key-id", "DELETE", "/v1/admin/keys/%00", "admin", None, NUL_IN_TEXT),
    Hostile("nul-in-correction-reason", "PATCH", "/v1/encounters/{encounter}/note", "reviewer",
            {**CORRECTION, "reason": "a\x00b c"}, NUL_IN_TEXT),
)  # fmt: skip


@pytest.mark.parametrize("shape", [pytest.param(h, id=h.id) for h in HOSTILE])
def test_api_hostile_inputs_answer_4xx(any_api: Api, shape: Hostile) -> None:
    url = shape.url
    if "{encounter}" in url:
        url = url.replace("{encounter}", any_api.create_text()["id"])
    what = f"{shape.method} {url}"
    headers = {**any_api.auth(shape.who), "If-Match": "*"}
    try:
        response = any_api.client.request(shape.method, url, json=shape.body, headers=headers)
    except Exception as exc:  # the test client re-raises what the app answered 500 to
        raise AssertionError(f"{what} answered 500 ({type(exc).__name__})") from exc
    _check(response.status_code, response.headers.get("content-type", ""), what)
