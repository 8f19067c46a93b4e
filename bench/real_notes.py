"""Real transcribed reports: nothing billed that was not done, nothing done left silent.

Runs every MTSamples report (../shared/data/mtsamples, read here, never copied into the project)
through ``Scribe.extract`` and prints:

- the reports that carry a dry needling or trigger point injection line (20560, 20561, 20552,
  20553) although ``bench/real_notes_expected.yaml`` does not list them as a procedure done
  today: each is a false claim;
- the listed reports whose outcome differs from the one expected there (their line, or an
  error or warning prompt where no muscle can be counted);
- the reports refused as input.

    .venv/bin/python bench/real_notes.py [--data PATH] [--expected PATH] [--verbose]

The goal is 0 false claims, every listed report right, 0 refused. The expected file holds ids
and outcomes only, no report text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scribe import Scribe  # noqa: E402
from scribe.errors import ScribeError  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mtsamples" / "mtsamples_all_unique.jsonl"
DEFAULT_EXPECTED = ROOT / "bench" / "real_notes_expected.yaml"
NEEDLE_CODES = frozenset({"20560", "20561", "20552", "20553"})


def load_expected(path: Path) -> dict[str, dict[str, Any]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return {item["id"]: item for item in (raw or {}).get("reports", [])}


def outcome_ok(expected: dict[str, Any], codes: list[str], prompts: set[str]) -> bool:
    """A listed report is right when its needling/injection codes are exactly the expected
    ones and every expected prompt was raised."""
    want_codes = sorted(str(c) for c in expected.get("codes", []))
    want_prompts = set(expected.get("prompts", []))
    return sorted(codes) == want_codes and want_prompts <= prompts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--expected", type=Path, default=DEFAULT_EXPECTED)
    parser.add_argument("--verbose", "-v", action="store_true", help="show muscles billed")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"no reports at {args.data}")
    reports = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    expected = load_expected(args.expected)
    scribe = Scribe()
    false_claims: list[str] = []
    wrong: list[str] = []
    refused: Counter[str] = Counter()
    billed = 0
    started = time.perf_counter()
    for report in reports:
        rid = report["id"]
        try:
            result = scribe.extract(report["transcription"])
        except ScribeError as error:
            refused[type(error).__name__] += 1
            print(f"  refused {rid}: {type(error).__name__}")
            continue
        codes = [line.code for line in result.coding.lines if line.code in NEEDLE_CODES]
        prompts = {p.id for p in result.coding.prompts if p.severity in ("error", "warning")}
        billed += bool(codes)
        detail = ""
        if args.verbose:
            treated = [
                f"{m.laterality} {m.name}" for m in result.note.muscles if m.status == "treated"
            ]
            detail = f"  {treated}"
        if rid in expected:
            if not outcome_ok(expected[rid], codes, prompts):
                wrong.append(rid)
                want = expected[rid]
                print(
                    f"  WRONG {rid}: expected codes {want.get('codes', [])} prompts "
                    f"{want.get('prompts', [])}; got {codes} {sorted(prompts)}{detail}"
                )
        elif codes:
            false_claims.append(rid)
            print(f"  FALSE {rid}: {codes}{detail}")
    seconds = time.perf_counter() - started
    print(
        f"reports: {len(reports)}  with a needling/injection line: {billed}  "
        f"({seconds:.0f} s, {seconds / len(reports) * 1000:.0f} ms a report)"
    )
    print(f"false claims (billed, not a procedure done today): {len(false_claims)}")
    print(f"listed procedures done today: {len(expected)}, outcome wrong: {len(wrong)}")
    print(f"refused: {sum(refused.values())} {dict(refused) if refused else ''}")
    ok = not false_claims and not wrong and not refused
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
