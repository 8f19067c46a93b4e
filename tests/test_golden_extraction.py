"""Golden dictations and notes (fixtures/golden/): every expected field, case by case.

Twelve sets written by different authors: ``extraction/``, ``heldout/``, ``blind/``, ``fresh/``
(dictations), ``notes/`` (whole notes from EHR templates, reports and dictation systems),
``spoken/`` (dictations as a recogniser writes them), ``voice/`` (spoken dictations written
for measuring the audio path), ``dictated/`` (spoken dictations, a fresh held-out set),
``ehr/`` (whole EHR exports), ``outside/`` (passages in outside house styles) and
``boilerplate/`` (whole notes full of template text) and ``injections/`` (physicians'
injection notes).
``known_failures.yaml`` lists the cases that still fail, on which fields and why, and the
floor of each set: the number of its cases that must get every field right. A floor only
rises: a case that starts passing leaves the list and the floor goes up by one.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from scribe import Scribe
from scribe.evaluation.golden import SETS, GoldenCase, compare, group_name_index, load_cases
from scribe.lexicons import load_lexicons

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
CASES = {name: load_cases(GOLDEN / name) for name in SETS}
ALL = [case for name in SETS for case in CASES[name]]
KNOWN_FILE: dict[str, Any] = yaml.safe_load((GOLDEN / "known_failures.yaml").read_text())
FLOORS: dict[str, int] = KNOWN_FILE["floors"]
KNOWN: dict[str, dict[str, Any]] = KNOWN_FILE["cases"]


@cache
def _scribe() -> Scribe:
    return Scribe()


@cache
def wrong_fields(case_id: str) -> frozenset[str]:
    """The fields a case gets wrong (extracted once per test run)."""
    case = next(c for c in ALL if c.id == case_id)
    result = _scribe().extract(case.text)
    return frozenset(compare(case, result, group_name_index(load_lexicons())))


def test_golden_sets_are_large_enough() -> None:
    assert len(CASES["extraction"]) >= 60
    assert len(CASES["notes"]) >= 60
    assert len({case.id for case in ALL}) == len(ALL)
    assert set(KNOWN) <= {case.id for case in ALL}
    assert set(FLOORS) == set(SETS)


@pytest.mark.parametrize("name", SETS)
def test_golden_floor_matches_the_known_failures(name: str) -> None:
    """Listing a new failure needs the floor lowered in the same file, in plain sight."""
    known_here = [c for c in CASES[name] if c.id in KNOWN]
    assert FLOORS[name] == len(CASES[name]) - len(known_here)


@pytest.mark.parametrize("case", ALL, ids=[case.id for case in ALL])
def test_golden_extraction_case(case: GoldenCase) -> None:
    wrong = wrong_fields(case.id)
    listed = set(KNOWN.get(case.id, {}).get("fields", []))
    if not listed:
        assert not wrong, f"{case.id} gets {sorted(wrong)} wrong"
        return
    assert wrong, f"{case.id} now passes: remove it from known_failures.yaml, raise the floor"
    assert wrong <= listed, f"{case.id} also gets {sorted(wrong - listed)} wrong"


@pytest.mark.parametrize("name", SETS)
def test_golden_set_stays_above_its_floor(name: str) -> None:
    right = sum(1 for case in CASES[name] if not wrong_fields(case.id))
    assert right >= FLOORS[name], f"{name}: {right} cases right, floor {FLOORS[name]}"
