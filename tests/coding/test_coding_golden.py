"""Golden coding cases from fixtures/coding/*.yaml (format in fixtures/coding/README.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from scribe.coding import BillingRules, code
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "coding"
CASE_KEYS = {"id", "description", "note", "context", "policy_files", "expect"}
EXPECT_KEYS = {
    "muscle_count",
    "lines",
    "prompts",
    "absent",
    "only_prompts",
    "severities",
    "total_payment",
}


def _merge(defaults: Mapping[str, Any], case: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(case)
    for key, value in defaults.items():
        if isinstance(value, Mapping):
            merged[key] = {**value, **case.get(key, {})}
        else:
            merged.setdefault(key, value)
    return merged


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(FIXTURE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = data.get("defaults", {})
        for case in data["cases"]:
            merged = _merge(defaults, case)
            params.append(pytest.param(merged, id=f"{path.stem}:{case['id']}"))
    return params


CASES = _load_cases()


def test_golden_has_enough_cases() -> None:
    assert len(CASES) >= 50
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)), "golden case ids must be unique"


def _line_tuples(lines: list[Mapping[str, Any]]) -> list[tuple[str, int, tuple[str, ...]]]:
    return sorted(
        (str(line["code"]), int(line.get("units", 1)), tuple(sorted(line.get("modifiers", []))))
        for line in lines
    )


@pytest.mark.parametrize("case", CASES)
def test_golden_case(
    case: dict[str, Any],
    build_note: Callable[[Mapping[str, Any]], Note],
    build_context: Callable[[Mapping[str, Any] | None], EncounterContext],
    rules_with: Callable[..., BillingRules],
) -> None:
    assert set(case) <= CASE_KEYS, f"unknown keys: {set(case) - CASE_KEYS}"
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, f"unknown expect keys: {set(expect) - EXPECT_KEYS}"
    note = build_note(case.get("note", {}))
    context = build_context(case.get("context"))
    result = code(note, context, rules=rules_with(*case.get("policy_files", [])))

    got_ids = {p.id for p in result.prompts}
    summary = f"lines={[(x.code, x.modifiers) for x in result.lines]} prompts={sorted(got_ids)}"
    if "muscle_count" in expect:
        assert result.muscle_count == expect["muscle_count"], summary
    if "lines" in expect:
        got = _line_tuples([line.model_dump() for line in result.lines])
        assert got == _line_tuples(expect["lines"]), summary
    missing = set(expect.get("prompts", [])) - got_ids
    assert not missing, f"missing prompts {sorted(missing)}; {summary}"
    unwanted = set(expect.get("absent", [])) & got_ids
    assert not unwanted, f"unexpected prompts {sorted(unwanted)}; {summary}"
    if expect.get("only_prompts"):
        assert got_ids == set(expect.get("prompts", [])), summary
    for prompt_id, severity in expect.get("severities", {}).items():
        severities = {p.severity for p in result.prompts if p.id == prompt_id}
        assert severities == {severity}, f"{prompt_id}: {severities}"
    if "total_payment" in expect:
        assert result.total_payment == expect["total_payment"], summary
    # Invariants every case must keep.
    assert all(line.units == 1 for line in result.lines)
    assert len({line.code for line in result.lines}) == len(result.lines)
