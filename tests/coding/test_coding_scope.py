"""Scope of practice (lexicons/billing/scope_of_practice.yaml): the data against the source,
state by state, and the prompt the coder raises for each state and provider type.

The expectations below were typed by hand from the seed page's "State Scope of Practice
Considerations" section (seed 002_d6207410e057024e.txt), not derived from the data file, so a
rule that drifts from the source fails here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from scribe.coding import BillingRules, BillingRulesError, code
from scribe.coding.scope import SCOPE_FILE, load_scope, rule_in_force
from scribe.schemas.context import EncounterContext
from scribe.schemas.jurisdictions import STATES_AND_DC
from scribe.schemas.note import Note
from scribe.schemas.scope import ScopeFile

BILLING_DIR = Path(__file__).resolve().parents[2] / "lexicons" / "billing"
DOS = dt.date(2025, 6, 2)

# --- by hand, from the seed -----------------------------------------------------------------
# "States explicitly allowing dry needling by PTs" (Nevada is listed "with restrictions").
PT_ALLOWED = {
    "AL", "AK", "AZ", "AR", "CO", "CT", "DE", "FL", "GA", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MI", "MN", "MS", "MO", "MT", "NE", "NH", "NM", "NC", "ND", "OH", "OK",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WV", "WI", "WY",
}  # fmt: skip
# Oregon (Attorney General), Washington (not within scope), California ("PTs cannot perform").
PT_PROHIBITED = {"OR", "WA", "CA"}
# Nevada ("with restrictions"), New York ("requires specific legislation (currently restricted)").
PT_RESTRICTED = {"NV", "NY"}
# Training requirements for PTs: hours, years of licensure, supervised treatments.
PT_TRAINING = {
    "CO": {"hours": [46], "years": [2], "treatments": []},
    "IL": {"hours": [50, 30, 54], "years": [], "treatments": [200]},
    "FL": {"hours": [54], "years": [], "treatments": []},
}
# Chiropractors: Illinois allows, Maryland with PT privileges after 80+ hours, Nevada prohibits.
DC_ALLOWED = {"IL"}
DC_RESTRICTED = {"MD"}
DC_PROHIBITED = {"NV"}
DC_TRAINING = {"MD": {"hours": [80], "years": [], "treatments": []}}
# The seed's lists name neither assistants nor physicians, NPs or PAs.
NOT_COVERED = ("pta", "md", "do", "np", "pa")
SOME_NAMES = {"DC": "District of Columbia", "NV": "Nevada", "OR": "Oregon", "WV": "West Virginia"}


def expected_status(state: str, provider: str) -> str:
    if provider == "pt":
        groups = {"allowed": PT_ALLOWED, "prohibited": PT_PROHIBITED, "restricted": PT_RESTRICTED}
    else:
        groups = {"allowed": DC_ALLOWED, "prohibited": DC_PROHIBITED, "restricted": DC_RESTRICTED}
    return next((status for status, states in groups.items() if state in states), "not_listed")


def expected_training(state: str, provider: str) -> dict[str, list[int]]:
    table = PT_TRAINING if provider == "pt" else DC_TRAINING
    return table.get(state, {"hours": [], "years": [], "treatments": []})


# prompt id and severity by status; "allowed" raises the training prompt only when it has some
EXPECTED_PROMPT = {
    "prohibited": ("scope-prohibited", "error"),
    "restricted": ("scope-restricted", "error"),
    "not_listed": ("scope-unknown", "warning"),
    "training": ("scope-training-required", "info"),
}
SCOPE_IDS = {"scope-prohibited", "scope-restricted", "scope-unknown", "scope-training-required"}


@pytest.fixture(scope="module")
def scope(rules: BillingRules) -> ScopeFile:
    return load_scope(BILLING_DIR, prompt_keys={p.key for p in rules.prompts})


def _file_rules() -> list[Any]:
    data = yaml.safe_load((BILLING_DIR / SCOPE_FILE).read_text(encoding="utf-8"))
    return [pytest.param(rule, id=rule["id"]) for rule in data["rules"]]


def test_scope_hand_lists_are_the_seed_lists() -> None:
    """The hand lists add up: 42 + Nevada allowing, 3 + New York limiting, 51 places."""
    assert len(PT_ALLOWED) == 42
    assert not PT_ALLOWED & PT_PROHIBITED and not PT_ALLOWED & PT_RESTRICTED
    listed = PT_ALLOWED | PT_PROHIBITED | PT_RESTRICTED
    assert STATES_AND_DC - listed == {"HI", "MA", "NJ", "DC"}


def test_scope_file_covers_every_state_and_dc(scope: ScopeFile) -> None:
    for provider in ("pt", "dc"):
        assert scope.providers[provider].covered
        for state in sorted(STATES_AND_DC):
            assert rule_in_force(scope, state, provider, DOS) is not None, (state, provider)
    for provider in NOT_COVERED:
        assert not scope.providers[provider].covered, provider
        assert not [r for r in scope.rules if r.provider == provider]
    assert {k: scope.jurisdictions[k] for k in SOME_NAMES} == SOME_NAMES


@pytest.mark.parametrize("rule", _file_rules())
def test_scope_rule_matches_the_source(rule: Mapping[str, Any]) -> None:
    state, provider = rule["state"], rule["provider"]
    assert rule["status"] == expected_status(state, provider)
    training = rule.get("training", [])
    got = {
        "hours": [t["hours"] for t in training if "hours" in t],
        "years": [t["years_licensed"] for t in training if "years_licensed" in t],
        "treatments": [
            t["supervised_treatments"] for t in training if "supervised_treatments" in t
        ],
    }
    assert got == expected_training(state, provider)
    assert "002_d6207410e057024e" in rule["source"]
    assert rule["id"] == f"{provider}-{state.lower()}"


@pytest.mark.parametrize("provider", ["pt", "dc"])
@pytest.mark.parametrize("state", sorted(STATES_AND_DC))
def test_scope_prompt_for_every_state(
    state: str,
    provider: str,
    rules: BillingRules,
    scope: ScopeFile,
    build_note: Callable[[Mapping[str, Any]], Note],
) -> None:
    note = build_note({"muscles": ["right upper-trapezius", "left levator-scapulae"]})
    context = EncounterContext(state=state, provider=provider, dos=DOS)  # type: ignore[arg-type]
    result = code(note, context, rules=rules, scope=scope)
    got = [p for p in result.prompts if p.id in SCOPE_IDS]
    status = expected_status(state, provider)
    training = expected_training(state, provider)
    if status == "allowed" and not any(training.values()):
        assert got == [], f"{state} {provider}: {[p.id for p in got]}"
        assert f"{provider}-{state.lower()}" in result.rules_applied
        return
    key = "training" if status == "allowed" else status
    assert [(p.id, p.severity) for p in got] == [EXPECTED_PROMPT[key]]
    message = got[0].message
    assert scope.jurisdictions[state] in message
    for hours in training["hours"]:
        assert f"{hours} hours" in message
    for number in training["years"] + training["treatments"]:
        assert str(number) in message
    # the prompt points at the muscles needled, and the line is still coded
    assert {e.text for e in got[0].evidence} == {"right upper trapezius", "left levator scapulae"}
    assert [line.code for line in result.lines] == ["20560"]


@pytest.mark.parametrize("provider", NOT_COVERED)
def test_scope_uncovered_provider_types_say_so(
    provider: str, rules: BillingRules, build_note: Callable[[Mapping[str, Any]], Note]
) -> None:
    note = build_note({"muscles": ["right upper-trapezius"]})
    context = EncounterContext(state="OR", provider=provider, dos=DOS)  # type: ignore[arg-type]
    got = [p for p in code(note, context, rules=rules).prompts if p.id in SCOPE_IDS]
    assert [(p.id, p.severity) for p in got] == [("scope-unknown", "warning")]
    assert "not checked" in got[0].message and "Oregon" in got[0].message


@pytest.mark.parametrize(
    ("context", "words"),
    [
        ({"state": "TX"}, "not the provider type"),  # state without provider type
        ({"state": "PR", "provider": "pt"}, "PR"),  # a territory the data has no rule for
        ({"state": "TX", "provider": "pt", "dos": dt.date(2024, 12, 31)}, "2024-12-31"),
    ],
)
def test_scope_without_a_rule_is_never_silent(
    context: dict[str, Any],
    words: str,
    rules: BillingRules,
    build_note: Callable[[Mapping[str, Any]], Note],
) -> None:
    note = build_note({"muscles": ["right upper-trapezius"]})
    got = [
        p
        for p in code(note, EncounterContext(**{"dos": DOS, **context}), rules=rules).prompts
        if p.id in SCOPE_IDS
    ]
    assert [(p.id, p.severity) for p in got] == [("scope-unknown", "warning")]
    assert words in got[0].message


@pytest.mark.parametrize(
    ("context", "spec"),
    [
        ({"provider": "pt"}, {"muscles": ["right upper-trapezius"]}),  # no state given
        ({"state": "OR", "provider": "pt"}, {"muscles": []}),  # no needling documented
        (  # injected, not dry needled: the seed's lists are about dry needling
            {"state": "OR", "provider": "pt"},
            {
                "muscles": ["right upper-trapezius"],
                "injectate": {
                    "injected": [{"name": "lidocaine", "muscles": ["right upper-trapezius"]}]
                },
            },
        ),
    ],
)
def test_scope_checked_only_for_dry_needling_with_a_state(
    context: dict[str, Any],
    spec: dict[str, Any],
    rules: BillingRules,
    build_note: Callable[[Mapping[str, Any]], Note],
) -> None:
    result = code(build_note(spec), EncounterContext(dos=DOS, **context), rules=rules)
    assert not [p for p in result.prompts if p.id in SCOPE_IDS]


def test_scope_context_refuses_a_code_without_echoing_it() -> None:
    assert EncounterContext(state=" or ".strip()).state == "OR"
    for bad in ("QQ", "Oregon", "O1"):
        with pytest.raises(ValueError) as caught:
            EncounterContext(state=bad)
        message = "; ".join(str(e["msg"]) for e in caught.value.errors())  # type: ignore[attr-defined]
        assert bad not in message


# --- the file is validated on load; errors name the field, never the value ------------------


def _write(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load((BILLING_DIR / SCOPE_FILE).read_text(encoding="utf-8"))
    change(data)
    (tmp_path / SCOPE_FILE).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return tmp_path


def _rule_index(data: dict[str, Any], rule_id: str) -> int:
    return next(i for i, r in enumerate(data["rules"]) if r["id"] == rule_id)


def _set(rule_id: str, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["rules"][_rule_index(data, rule_id)][key] = value

    return change


def _drop(rule_id: str, key: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del data["rules"][_rule_index(data, rule_id)][key]

    return change


def _remove_rule(rule_id: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del data["rules"][_rule_index(data, rule_id)]

    return change


def _prompt(data: dict[str, Any]) -> None:
    data["prompts"]["prohibited"] = "no-such-prompt-here"


INDEX_OF_TX = 43  # position of pt-tx in the file; checked in the test


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        (_set("pt-tx", "state", "ZQ"), f"rules.{INDEX_OF_TX}.state", "ZQ"),
        (_drop("pt-tx", "source"), f"rules.{INDEX_OF_TX}.source", None),
        (_set("pt-tx", "effective", "2025-13-45"), f"rules.{INDEX_OF_TX}.effective", "2025-13-45"),
        (_set("pt-tx", "status", "maybe"), f"rules.{INDEX_OF_TX}.status", "maybe"),
        (_drop("pt-or", "detail"), "rules", None),
        (_remove_rule("pt-tx"), "no pt rule for ['TX']", None),
        (_prompt, "prompts.prohibited", "no-such-prompt-here"),
    ],
    ids=[
        "unknown-state",
        "no-citation",
        "bad-date",
        "bad-status",
        "no-detail",
        "state-missing",
        "unknown-prompt",
    ],
)
def test_scope_file_errors_name_the_field_not_the_value(
    tmp_path: Path,
    rules: BillingRules,
    change: Callable[[dict[str, Any]], None],
    field: str,
    value: str | None,
) -> None:
    data = yaml.safe_load((BILLING_DIR / SCOPE_FILE).read_text(encoding="utf-8"))
    assert _rule_index(data, "pt-tx") == INDEX_OF_TX
    folder = _write(tmp_path, change)
    with pytest.raises(BillingRulesError) as caught:
        load_scope(folder, prompt_keys={p.key for p in rules.prompts})
    message = str(caught.value)
    assert field in message
    if value is not None:
        assert value not in message


def test_scope_check_is_switched_off_in_documentation_yaml(
    rules: BillingRules, build_note: Callable[[Mapping[str, Any]], Note]
) -> None:
    """The check runs because documentation.yaml lists it: without it, no scope prompt."""
    checks = [c for c in rules.documentation if c.check == "scope_of_practice"]
    assert [c.prompt for c in checks] == ["scope-no-rule"]
    without = rules.model_copy(
        update={"documentation": [c for c in rules.documentation if c.check != "scope_of_practice"]}
    )
    note = build_note({"muscles": ["right upper-trapezius"]})
    context = EncounterContext(state="OR", provider="pt", dos=DOS)
    assert "scope-prohibited" in {p.id for p in code(note, context, rules=rules).prompts}
    assert not [p for p in code(note, context, rules=without).prompts if p.id in SCOPE_IDS]
