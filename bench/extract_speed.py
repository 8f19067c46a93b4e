"""Notes per second: the full scribe extraction against medspaCy's default pipeline.

Baseline: ``medspacy.load()`` (PyRuSH sentences + TargetMatcher + ConText with medspaCy's
default rules) given the same muscle/group/substance/finding target rules, on the same
dictations, in the same process. PyRuSH's loguru DEBUG output is disabled for both (it would
only slow the baseline further). Prints medians over several rounds and their ratio.

    .venv/bin/python bench/extract_speed.py [--rounds 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loguru import logger  # noqa: E402

logger.disable("PyRuSH")

import medspacy  # noqa: E402
from medspacy.target_matcher import TargetRule  # noqa: E402

from scribe import Scribe  # noqa: E402
from scribe.evaluation.golden import load_cases  # noqa: E402
from scribe.lexicons import load_lexicons  # noqa: E402
from scribe.nlp.targets import target_rules  # noqa: E402


def golden_texts() -> list[str]:
    texts: list[str] = []
    for folder in ("extraction", "heldout", "blind"):
        path = ROOT / "fixtures" / "golden" / folder
        if path.is_dir():
            texts += [case.text for case in load_cases(path)]
    return texts


def notes_per_second(run: Callable[[list[str]], object], texts: list[str]) -> float:
    start = time.perf_counter()
    run(texts)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (median reported)")
    parser.add_argument("--repeat", type=int, default=3, help="copies of the golden set per round")
    args = parser.parse_args()

    texts = golden_texts() * args.repeat
    scribe = Scribe()
    baseline = medspacy.load()
    lexicons = load_lexicons()
    rules: list[TargetRule] = target_rules(lexicons)
    # the same abbreviations, as medspaCy takes case-sensitive rules: token patterns
    rules += [
        TargetRule(r.literal, r.category, pattern=[{"ORTH": r.literal}], attributes=r.attributes)
        for r in target_rules(lexicons, case_sensitive=True)
    ]
    baseline.get_pipe("medspacy_target_matcher").add(rules)

    def run_scribe(batch: list[str]) -> object:
        return [scribe.extract(t) for t in batch]

    def run_baseline(batch: list[str]) -> object:
        return [baseline(t) for t in batch]

    run_scribe(texts[:5])  # warm up both
    run_baseline(texts[:5])
    # rounds alternate the two, so load from other processes hits both alike
    ours, theirs, ratios = [], [], []
    for _ in range(args.rounds):
        ours.append(notes_per_second(run_scribe, texts))
        theirs.append(notes_per_second(run_baseline, texts))
        ratios.append(ours[-1] / theirs[-1])
    print(f"dictations per round: {len(texts)}  rounds: {args.rounds}  (medians)")
    print(
        f"medspaCy default pipeline (same target rules): {statistics.median(theirs):8.1f} notes/s"
    )
    print(f"scribe full extraction + coding:               {statistics.median(ours):8.1f} notes/s")
    print(f"ratio scribe / medspaCy default: {statistics.median(ratios):.2f}x  (goal >= 3x)")


if __name__ == "__main__":
    main()
