"""Rank the lexicon's muscles by how often they are named in public text, for the
`vocabulary.muscle_order` of lexicons/asr.yaml (the words that bias recognition).

Two public corpora, dry needling first: the reference pages on dry needling documentation and
billing in ../shared/seeds (the domain brief's sources), then the MTSamples reports in
../shared/data/mtsamples (2,377 transcribed sample reports of every specialty; test data, never
shipped: only the order of our own muscle ids is kept). A muscle's count is the number of times
its name or a synonym occurs (word bounded, case-insensitive, plural "s" allowed). Muscles named
in the dry needling pages come first (by their count there), then the others by their count in
the reports; groups in `vocabulary.excluded_groups` and muscles named in neither are left out.
Our golden fixtures are not read.

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

SHARED = ROOT.parent / "shared"
REPORTS = SHARED / "data" / "mtsamples" / "mtsamples_all_unique.jsonl"
DRY_NEEDLING_PAGES = SHARED / "seeds"


def counts(text: str, excluded: list[str]) -> dict[str, int]:
    lexicons = load_lexicons()
    found: dict[str, int] = {}
    for muscle in lexicons.muscles.muscles:
        if muscle.group in excluded:
            continue
        names = sorted({muscle.name.lower(), *(s.lower() for s in muscle.synonyms)}, key=len)
        pattern = r"\b(?:" + "|".join(re.escape(n) for n in reversed(names)) + r")s?\b"
        found[muscle.id] = len(re.findall(pattern, text))
    return found


def main() -> None:
    # read as plain YAML: the file may not validate while its muscle_order is being made
    excluded = yaml.safe_load((ROOT / "lexicons" / "asr.yaml").read_text())["vocabulary"][
        "excluded_groups"
    ]
    pages = "\n".join(p.read_text().lower() for p in sorted(DRY_NEEDLING_PAGES.glob("*.txt")))
    reports = "\n".join(
        json.loads(line)["transcription"].lower() for line in REPORTS.read_text().splitlines()
    )
    first, then = counts(pages, excluded), counts(reports, excluded)
    ranked = sorted(
        (m for m in first if first[m] or then[m]), key=lambda m: (-first[m], -then[m], m)
    )
    print(f"# {len(ranked)} muscles: named in the dry needling pages first, then the reports")
    print("  muscle_order: [" + ", ".join(ranked) + "]")


if __name__ == "__main__":
    main()
