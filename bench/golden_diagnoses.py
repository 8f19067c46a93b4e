"""Diagnosis code accuracy on the golden cases of fixtures/golden/diagnoses.yaml.

    .venv/bin/python bench/golden_diagnoses.py [--verbose]

Prints how many cases get exactly the expected set of ICD-10-CM codes on the claim, and the
code-level precision, recall and F1, for the dictations and the whole notes apart and together,
and for the cases written after the first fixes ("after tuning") apart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scribe import Scribe  # noqa: E402
from scribe.evaluation.diagnoses import claim_codes, load_diagnosis_cases, score  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="print each wrong case")
    args = parser.parse_args()
    scribe = Scribe()
    golden = ROOT / "fixtures" / "golden"
    cases = load_diagnosis_cases(golden)
    later = load_diagnosis_cases(golden, part="after_tuning")
    pairs = [(case, claim_codes(scribe.extract(case.text).note)) for case in cases]
    later_pairs = [(case, claim_codes(scribe.extract(case.text).note)) for case in later]
    groups = {
        "dictations": [p for p in pairs if not p[0].id.startswith("n")],
        "notes": [p for p in pairs if p[0].id.startswith("n")],
        "all": pairs,
        "after tuning": later_pairs,
    }
    for name, group in groups.items():
        s = score(group)
        print(
            f"{name}: {s.cases} cases, exact {s.exact} ({s.exact / s.cases:.0%}); codes "
            f"P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}"
        )
    if args.verbose:
        for case, got in [*pairs, *later_pairs]:
            if case.codes != got:
                missing, extra = sorted(case.codes - got), sorted(got - case.codes)
                print(f"  {case.id}: missing {missing}, extra {extra}")


if __name__ == "__main__":
    main()
