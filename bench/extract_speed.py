"""Notes per second: the full scribe extraction and coding against two medspaCy baselines.

Baselines, both given the same muscle/group/substance/finding target rules, on the same
dictations and notes, in the same process:

- ``medspacy.load()``: PyRuSH sentences + TargetMatcher + ConText with medspaCy's default rules
  (PyRuSH's loguru DEBUG output disabled: it would only slow the baseline further);
- the same with spaCy's rule-based ``sentencizer`` instead of PyRuSH: the fastest
  configuration a peer would pick.

Rounds alternate the three, so load from other processes hits them alike; prints medians and
ratios. Floors for the extraction issue: >= 3x the first and >= 0.5x the second.

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
    for folder in ("extraction", "heldout", "blind", "fresh", "notes"):
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
    lexicons = load_lexicons()
    rules: list[TargetRule] = target_rules(lexicons)
    # the same abbreviations, as medspaCy takes case-sensitive rules: token patterns
    rules += [
        TargetRule(r.literal, r.category, pattern=[{"ORTH": r.literal}], attributes=r.attributes)
        for r in target_rules(lexicons, case_sensitive=True)
    ]
    default = medspacy.load()
    default.get_pipe("medspacy_target_matcher").add(rules)
    sentencizer = medspacy.load(medspacy_disable=["medspacy_pyrush"])
    sentencizer.add_pipe("sentencizer", first=True)
    sentencizer.get_pipe("medspacy_target_matcher").add(rules)

    def run_scribe(batch: list[str]) -> object:
        return [scribe.extract(t) for t in batch]

    def run_default(batch: list[str]) -> object:
        return [default(t) for t in batch]

    def run_sentencizer(batch: list[str]) -> object:
        return [sentencizer(t) for t in batch]

    for run in (run_scribe, run_default, run_sentencizer):
        run(texts[:5])  # warm up
    ours, theirs, fast, ratios, fast_ratios = [], [], [], [], []
    for _ in range(args.rounds):
        ours.append(notes_per_second(run_scribe, texts))
        theirs.append(notes_per_second(run_default, texts))
        fast.append(notes_per_second(run_sentencizer, texts))
        ratios.append(ours[-1] / theirs[-1])
        fast_ratios.append(ours[-1] / fast[-1])
    median = statistics.median
    print(f"texts per round: {len(texts)}  rounds: {args.rounds}  (medians)")
    print(f"medspaCy default pipeline (PyRuSH), same targets:  {median(theirs):8.1f} notes/s")
    print(f"medspaCy with spaCy's sentencizer, same targets:   {median(fast):8.1f} notes/s")
    print(f"scribe full extraction + coding:                   {median(ours):8.1f} notes/s")
    print(f"ratio scribe / medspaCy default:     {median(ratios):.2f}x  (floor >= 3x)")
    print(f"ratio scribe / medspaCy sentencizer: {median(fast_ratios):.2f}x  (floor >= 0.5x)")


if __name__ == "__main__":
    main()
