"""Negative controls: musculoskeletal interviews with no needling must bill nothing.

Reads the interview transcripts in ../shared/data/conversations (CC BY 4.0; read here, never
copied into the project) and counts treated muscles and claim lines. Both must be zero.

    .venv/bin/python bench/negative_controls.py [--folder PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scribe import Scribe  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "conversations"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folder", type=Path, default=DEFAULT)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.glob("*.txt") if p.name[:3].isupper())
    if not files:
        sys.exit(f"no transcripts found in {args.folder}")
    scribe = Scribe()
    treated = lines = named = 0
    for path in files:
        result = scribe.extract(path.read_text(encoding="utf-8", errors="replace"))
        hits = [m for m in result.note.muscles if m.status == "treated"]
        named += len(result.note.muscles) + len(result.note.other_mentions)
        treated += len(hits)
        lines += len(result.coding.lines)
        if hits or result.coding.lines:
            codes = [line.code for line in result.coding.lines]
            print(f"  {path.name}: treated {[m.name for m in hits]}, lines {codes}")
    print(f"transcripts: {len(files)}  muscle mentions: {named}")
    print(f"treated: {treated}  claim lines: {lines}")
    print(
        "PASS"
        if treated == 0 and lines == 0
        else "FAIL: a conversation without needling was billed"
    )


if __name__ == "__main__":
    main()
