"""Field-by-field accuracy of the extraction on the golden dictations.

    .venv/bin/python bench/golden_accuracy.py [FOLDER ...] [--verbose]

FOLDER defaults to every golden set (``scribe.evaluation.golden.SETS``: extraction ... sessions,
journal).
Prints, per set, how many cases have every field right and how many get each field right.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scribe import Scribe  # noqa: E402
from scribe.evaluation.golden import FIELDS, SETS, compare, group_name_index, load_cases  # noqa: E402
from scribe.lexicons import load_lexicons  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--verbose", "-v", action="store_true", help="print each wrong field")
    args = parser.parse_args()
    folders = args.folders or [ROOT / "fixtures/golden" / name for name in SETS]
    scribe = Scribe()
    groups = group_name_index(load_lexicons())
    for folder in folders:
        cases = load_cases(folder)
        wrong: Counter[str] = Counter()
        perfect = 0
        for case in cases:
            diffs = compare(case, scribe.extract(case.text), groups)
            wrong.update(diffs.keys())
            perfect += not diffs
            if args.verbose:
                for field, (want, got) in diffs.items():
                    print(f"  {case.id}: {field}: expected {want!r}, got {got!r}")
        share = perfect / len(cases)
        print(f"{folder.name}: {len(cases)} cases, all fields right in {perfect} ({share:.0%})")
        for field in FIELDS:
            right = len(cases) - wrong[field]
            print(f"  {field:22s} {right:4d}/{len(cases)}  {right / len(cases):6.1%}")


if __name__ == "__main__":
    main()
