"""Golden diagnosis codes (fixtures/golden/diagnoses.yaml): the ICD-10-CM codes each case puts
on the claim, compared as a set, with a floor per part that may only rise
(``diagnoses`` in fixtures/golden/known_failures.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from scribe import Scribe
from scribe.diagnoses import icd
from scribe.evaluation.diagnoses import DiagnosisCase, claim_codes, load_diagnosis_cases

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
PARTS = ("cases", "after_tuning")
CASES = {part: load_diagnosis_cases(GOLDEN, part=part) for part in PARTS}
ALL = [case for part in PARTS for case in CASES[part]]
KNOWN_FILE: dict[str, Any] = yaml.safe_load((GOLDEN / "known_failures.yaml").read_text())
FLOORS: dict[str, int] = KNOWN_FILE["diagnoses"]["floors"]
KNOWN: dict[str, str] = KNOWN_FILE["diagnoses"]["cases"]


@cache
def _scribe() -> Scribe:
    return Scribe()


@cache
def found(case_id: str) -> frozenset[str]:
    case = next(c for c in ALL if c.id == case_id)
    return claim_codes(_scribe().extract(case.text).note)


def test_golden_diagnoses_are_enough_and_billable() -> None:
    assert len(CASES["cases"]) >= 40
    assert len({c.id for c in ALL}) == len(ALL)
    assert set(KNOWN) <= {c.id for c in ALL}
    for case in ALL:
        for code in case.codes:
            assert icd.billable(code), f"{case.id}: {code} is not a billable ICD-10-CM code"


@pytest.mark.parametrize("part", PARTS)
def test_golden_diagnoses_floor_matches_the_known_failures(part: str) -> None:
    known_here = [c for c in CASES[part] if c.id in KNOWN]
    assert FLOORS[part] == len(CASES[part]) - len(known_here)


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_golden_diagnoses_case(case: DiagnosisCase) -> None:
    got = found(case.id)
    if case.id in KNOWN:
        assert got != case.codes, f"{case.id} now passes: remove it from the known failures"
        return
    assert got == case.codes, f"{case.id}: expected {sorted(case.codes)}, got {sorted(got)}"


@pytest.mark.parametrize("part", PARTS)
def test_golden_diagnoses_stay_above_their_floor(part: str) -> None:
    right = sum(1 for case in CASES[part] if found(case.id) == case.codes)
    assert right >= FLOORS[part], f"{part}: {right} cases right, floor {FLOORS[part]}"
