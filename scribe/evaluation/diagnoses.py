"""Golden diagnosis cases (``fixtures/golden/diagnoses.yaml``): expected ICD-10-CM codes for
golden dictations and notes, compared as sets with the codes the note puts on the claim."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from scribe.schemas.note import Note

SETS = ("extraction", "heldout", "blind", "fresh", "notes")


@dataclass(frozen=True)
class DiagnosisCase:
    id: str
    text: str
    codes: frozenset[str]


@dataclass(frozen=True)
class Score:
    """Cases with exactly the expected codes, and code-level precision and recall."""

    cases: int
    exact: int
    true_positives: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_diagnosis_cases(golden: Path, *, part: str = "cases") -> list[DiagnosisCase]:
    """The cases of ``diagnoses.yaml`` with the text of the golden case each names: ``cases``
    (written before the extractor) or ``after_tuning`` (written after its first fixes)."""
    texts: dict[str, str] = {}
    for name in SETS:
        for path in sorted((golden / name).glob("*.yaml")):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            texts[raw["id"]] = raw["text"]
    spec = yaml.safe_load((golden / "diagnoses.yaml").read_text(encoding="utf-8"))
    return [
        DiagnosisCase(item["case"], texts[item["case"]], frozenset(item["codes"]))
        for item in spec.get(part, [])
    ]


def claim_codes(note: Note) -> frozenset[str]:
    """The codes the note puts on the claim."""
    return frozenset(d.code for d in note.diagnoses if d.on_claim and d.code)


def score(pairs: list[tuple[DiagnosisCase, frozenset[str]]]) -> Score:
    """Score (case, codes found) pairs."""
    return Score(
        cases=len(pairs),
        exact=sum(case.codes == got for case, got in pairs),
        true_positives=sum(len(case.codes & got) for case, got in pairs),
        predicted=sum(len(got) for _, got in pairs),
        expected=sum(len(case.codes) for case, _ in pairs),
    )
