"""Rank the lexicon's muscles by how often clinicians name them in public medical reports, for
the `vocabulary.muscle_order` of lexicons/asr.yaml (the words that bias recognition).

The corpus is the MTSamples reports in ../shared/data/mtsamples (2,377 transcribed sample
reports of every specialty; test data, never shipped: only the order of our own muscle ids is
kept). A muscle's count is the number of times its name or a synonym occurs (word bounded,
case-insensitive, plural "s" allowed). Groups in `vocabulary.excluded_groups` are left out, and
so are muscles never named there. Our golden fixtures are not read.

    .venv/bin/python bench/asr_vocabulary.py            # prints the YAML list to paste
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from scribe.lexicons import load_lexicons  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "mtsamples" / "mtsamples_all_unique.jsonl"


def main() -> None:
    lexicons = load_lexicons()
    # read as plain YAML: the file may not validate while its muscle_order is being made
    excluded = yaml.safe_load((ROOT / "lexicons" / "asr.yaml").read_text())["vocabulary"][
        "excluded_groups"
    ]
    text = "\n".join(
        json.loads(line)["transcription"].lower() for line in CORPUS.read_text().splitlines()
    )
    counts: dict[str, int] = {}
    for muscle in lexicons.muscles.muscles:
        if muscle.group in excluded:
            continue
        names = sorted({muscle.name.lower(), *(s.lower() for s in muscle.synonyms)}, key=len)
        pattern = r"\b(?:" + "|".join(re.escape(n) for n in reversed(names)) + r")s?\b"
        counts[muscle.id] = len(re.findall(pattern, text))
    ranked = sorted((m for m in counts if counts[m]), key=lambda m: (-counts[m], m))
    print(f"# {len(ranked)} muscles named in {CORPUS.name}, most named first")
    print("  muscle_order: [" + ", ".join(ranked) + "]")


if __name__ == "__main__":
    main()
