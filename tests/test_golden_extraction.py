"""Golden dictations (fixtures/golden/): every expected field, case by case.

Four sets written by different authors: ``extraction/``, ``heldout/``, ``blind/`` and
``fresh/``. Cases in ``known_failures.yaml`` must fail on exactly the fields listed there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scribe import Scribe
from scribe.evaluation.golden import GoldenCase, compare, group_name_index, load_cases
from scribe.lexicons import load_lexicons

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
CASES = [
    case
    for folder in ("extraction", "heldout", "blind", "fresh")
    for case in load_cases(GOLDEN / folder)
]
KNOWN: dict[str, dict[str, Any]] = yaml.safe_load((GOLDEN / "known_failures.yaml").read_text())


@pytest.fixture(scope="module")
def golden_scribe() -> Scribe:
    return Scribe()


def test_golden_sets_are_large_enough() -> None:
    assert len(load_cases(GOLDEN / "extraction")) >= 60
    assert len({case.id for case in CASES}) == len(CASES)
    assert set(KNOWN) <= {case.id for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_golden_extraction_case(case: GoldenCase, golden_scribe: Scribe) -> None:
    result = golden_scribe.extract(case.text)
    diffs = compare(case, result, group_name_index(load_lexicons()))
    expected_failures = set(KNOWN.get(case.id, {}).get("fields", []))
    assert set(diffs) == expected_failures, {k: v for k, v in diffs.items()}
