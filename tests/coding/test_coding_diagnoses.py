"""The claim's diagnoses: order, pointers from the lines, the diagnosis prompts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scribe.coding import BillingRules, code
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note

BuildNote = Callable[[Mapping[str, Any]], Note]
MUSCLES = ["right upper-trapezius", "right levator-scapulae", "right rhomboid-major"]


def test_coding_diagnoses_claim_order_and_pointers(
    build_note: BuildNote, rules: BillingRules
) -> None:
    note = build_note(
        {
            "muscles": MUSCLES,
            "diagnoses": [
                "M54.2",
                "I10",
                "G44.86",
                "M79.12",
                "R51.9",
                {"code": "M54.6", "source": "written_code"},
            ],
        }
    )
    result = code(note, EncounterContext(payer="commercial"), rules=rules)
    codes = [d.code for d in result.diagnoses]
    assert codes == ["M54.6", "M54.2", "I10", "G44.86", "M79.12", "R51.9"]  # written first
    assert all(d.description and d.evidence for d in result.diagnoses)
    (line,) = result.lines
    # at most four pointers, never at a diagnosis that does not support needling (I10)
    assert line.diagnosis_pointers == [1, 2, 4, 5]
    assert "diagnosis-missing" not in {p.id for p in result.prompts}


def test_coding_diagnoses_both_lines_point_at_the_diagnosis(
    build_note: BuildNote, rules: BillingRules
) -> None:
    note = build_note(
        {
            "muscles": MUSCLES,
            "injectate": {
                "injected": [{"name": "lidocaine", "muscles": ["right upper-trapezius"]}]
            },
            "diagnoses": ["M79.12"],
        }
    )
    result = code(note, EncounterContext(payer="commercial"), rules=rules)
    assert {line.code: line.diagnosis_pointers for line in result.lines} == {
        "20552": [1],
        "20560": [1],
    }


def test_coding_diagnoses_not_on_claim_are_not_listed(
    build_note: BuildNote, rules: BillingRules
) -> None:
    note = build_note(
        {"muscles": MUSCLES, "diagnoses": [{"code": "M54.50", "status": "negated"}, "M54.5"]}
    )
    result = code(note, EncounterContext(payer="commercial"), rules=rules)
    assert result.diagnoses == []
    assert result.lines[0].diagnosis_pointers == []
    prompts = {p.id: p for p in result.prompts}
    assert {"diagnosis-missing", "diagnosis-not-billable"} <= set(prompts)
    assert "M54.50, M54.51, M54.59" in prompts["diagnosis-not-billable"].message


def test_coding_diagnoses_a_note_without_needling_has_no_diagnosis_prompt(
    build_note: BuildNote, rules: BillingRules
) -> None:
    result = code(build_note({"muscles": [], "diagnoses": []}), EncounterContext(), rules=rules)
    assert result.lines == [] and result.diagnoses == []
    assert "diagnosis-missing" not in {p.id for p in result.prompts}
