"""Spoken golden dictations, read by several engines, through the whole audio path.

Each spoken case of the chosen golden sets is read by each engine (bench/spoken.py: espeak-ng,
Festival HTS, Piper; speeds and conditions vary), transcribed, extracted and coded; then scored
per engine and overall: word error rate, key-term accuracy (muscle names, sides, substances),
treated-muscle F1, code lines exactly right; and each loss is put down to recognition or to
extraction by extracting the reference text too (bench/asr_scoring.py).

    .venv/bin/python bench/asr_spoken.py --set heldout [--engines espeak,festival,piper]
        [--model tiny.en] [--bias hotwords] [--check on|off] [--out var/bench/run.jsonl]
    .venv/bin/python bench/asr_spoken.py --score var/bench/run.jsonl    # score a saved run

Sets: heldout = the held-out and blind golden sets (never used for tuning); tuning = the
extraction and fresh sets (the ones the prompt, vocabulary and guards may be tuned on).
Transcripts go to the --out file (git-ignored var/), never to the screen.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import asr_scoring  # noqa: E402
import spoken  # noqa: E402

from scribe import Scribe  # noqa: E402
from scribe.asr.audio import SAMPLE_RATE, load_audio  # noqa: E402
from scribe.config import get_settings  # noqa: E402
from scribe.evaluation.golden import GoldenCase, load_cases  # noqa: E402
from scribe.schemas.lexicon import AsrDecoding  # noqa: E402

SETS = {"heldout": ("heldout", "blind"), "tuning": ("extraction", "fresh")}


def spoken_cases(set_name: str) -> list[GoldenCase]:
    folders = SETS[set_name]
    return [
        case
        for folder in folders
        for case in load_cases(ROOT / "fixtures" / "golden" / folder)
        if case.style == "spoken"
    ]


def run(scribe: Scribe, cases: list[GoldenCase], engines: list[str], out: Path) -> list[dict]:  # type: ignore[type-arg]
    transcriber = scribe.transcriber
    rows = []
    with out.open("w") as sink:
        for engine in engines:
            for index, case in enumerate(cases):
                how = spoken.rendition(engine, index)
                path = spoken.cached(case.text, how)
                seconds = load_audio(path, max_seconds=3600).size / SAMPLE_RATE
                start = time.perf_counter()
                transcript = transcriber.transcribe(path)
                elapsed = time.perf_counter() - start
                result = scribe.extract_transcript(transcript)
                row = {
                    "case": case.id,
                    "engine": engine,
                    "voice": how.voice,
                    "speed": how.speed,
                    "condition": how.condition,
                    "audio_seconds": round(seconds, 2),
                    "asr_seconds": round(elapsed, 3),
                    "hypothesis": transcript.text,
                    "low_confidence": any(
                        p.id == "asr-low-confidence" for p in result.coding.prompts
                    ),
                    "got": asr_scoring.treated(result),
                    "diffs": sorted(asr_scoring.diffs(case, result)),
                }
                rows.append(row)
                sink.write(json.dumps(row) + "\n")
                sink.flush()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=sorted(SETS), default="heldout")
    parser.add_argument("--engines", default=",".join(spoken.ENGINES))
    parser.add_argument("--model", default=None, help="registry name or model folder")
    parser.add_argument("--bias", choices=["none", "prompt", "hotwords", "both"], default=None)
    parser.add_argument("--check", choices=["on", "off"], default=None, help="checked names")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--score", type=Path, default=None, help="score a saved run only")
    parser.add_argument("--verbose", "-v", action="store_true", help="list each case's losses")
    args = parser.parse_args()
    cases = spoken_cases(args.set)
    if args.score is not None:
        rows = [json.loads(line) for line in args.score.read_text().splitlines()]
        asr_scoring.report(Scribe(), cases, rows, verbose=args.verbose)
        return
    settings = get_settings()
    if args.model:
        settings = settings.model_copy(update={"asr_model": args.model})
    scribe = Scribe(settings=settings)
    if args.bias is not None or args.check is not None:
        from scribe.asr.transcriber import Transcriber

        base = scribe.transcriber.decoding
        changes = {"bias": args.bias or base.bias, "check_words": base.check_words}
        if args.check is not None:
            changes["check_words"] = args.check == "on"
        decoding = AsrDecoding.model_validate({**base.model_dump(), **changes})
        scribe.__dict__["transcriber"] = Transcriber(settings=settings, decoding=decoding)
    transcriber = scribe.transcriber
    bias, check = transcriber.decoding.bias, transcriber.decoding.check_words
    name = f"{args.set}-{transcriber.model_name}-{bias}" + ("-check" if check else "")
    print(f"{name} ({len(cases)} cases)")
    out = args.out or ROOT / "var" / "bench" / f"{name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = run(scribe, cases, args.engines.split(","), out)
    asr_scoring.report(scribe, cases, rows, verbose=args.verbose)


if __name__ == "__main__":
    main()
