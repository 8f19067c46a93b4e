"""Spoken golden dictations, read by several engines, through the whole audio path.

Each spoken case of the chosen golden sets is read by each engine (bench/spoken.py: espeak-ng,
Festival HTS, Piper; speeds and conditions vary), transcribed, extracted and coded; then scored
per engine and overall: word error rate, key-term accuracy (muscle names, sides, substances),
treated-muscle F1, code lines exactly right; and each loss is put down to recognition or to
extraction by extracting the reference text too (bench/asr_scoring.py).

    .venv/bin/python bench/asr_spoken.py --set heldout [--engines espeak,festival,piper]
        [--model tiny.en] [--bias hotwords] [--beam 5] [--check on|off] [--out var/bench/run.jsonl]
        [--param margin=10 ...] [--trace] [--decode vad_filter=false ...]
    .venv/bin/python bench/asr_spoken.py --score var/bench/run.jsonl    # score a saved run
    .venv/bin/python bench/asr_spoken.py --score var/bench/run.jsonl --reread  # by today's code
    .venv/bin/python bench/asr_spoken.py --replay var/bench/run.trace.jsonl --param margin=10

Checked names (scribe/asr/checking.py): --param overrides a setting of the `check:` section of
lexicons/asr.yaml; --trace (with checking on) also writes each recording's words before
checking and every scored reading to NAME.trace.jsonl; --replay decides again from such a trace
with other settings, without the speech model: exact for `margin` and `separation`; where the
other settings check fewer runs, the scores are those of the traced windows (close, not
exact); runs the trace never scored are left as heard and counted.

Sets: heldout = the held-out and blind golden sets (never used for tuning); tuning = the
extraction, fresh and spoken sets (the ones the prompt, vocabulary and guards may be tuned on);
voice, dictated, narrated, recorded and phoned = the seventh, eighth, thirteenth, fifteenth and
sixteenth authors' spoken sets, each measured on its own; unheard = the spoken cases of the
twenty-fourth to twenty-ninth authors' sets, whose audio no setting was ever chosen on; aloud =
the thirtieth author's dictations, written to be read aloud; handover = the spoken cases of the
thirty-first author's set; bedside = the spoken cases of the thirty-second author's set;
practice = the spoken cases of the thirty-third author's set; dictation = the thirty-fourth
author's dictations, written to be read aloud; monologue = the thirty-fifth author's, the same;
docket and caseload = the spoken cases of the thirty-sixth and thirty-seventh authors' sets;
afterhours = the thirty-eighth author's spoken dictations; weekday, exports, roster, overtime,
sidelong, halfway, retake, tallied, alongside and payers = the spoken cases of the
thirty-ninth to forty-eighth authors' sets.
Transcripts go to the --out file (git-ignored var/), never to the screen.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import asr_scoring  # noqa: E402
import spoken  # noqa: E402

from scribe import Scribe  # noqa: E402
from scribe.asr.audio import SAMPLE_RATE, load_audio  # noqa: E402
from scribe.asr.checking import (  # noqa: E402
    Span,
    _replace,
    _windows,
    choose,
    find_spans,
    lexicon_names,
    protected_words,
)
from scribe.asr.guards import RawSegment, RawWord  # noqa: E402
from scribe.asr.transcriber import Transcriber  # noqa: E402
from scribe.config import get_settings  # noqa: E402
from scribe.evaluation.golden import GoldenCase, load_cases  # noqa: E402
from scribe.schemas.lexicon import AsrCheck, AsrDecoding  # noqa: E402
from scribe.schemas.transcript import Transcript  # noqa: E402

SETS = {
    "heldout": ("heldout", "blind"),
    "tuning": ("extraction", "fresh", "spoken"),
    "voice": ("voice",),
    "dictated": ("dictated",),
    "narrated": ("narrated",),
    "recorded": ("recorded",),
    "phoned": ("phoned",),
    # the spoken cases of the twenty-fourth to twenty-ninth authors' sets, first read aloud on
    # 2026-12-06 (their texts had been read by the extraction before, never their audio)
    "unheard": ("timeline", "sessions", "journal", "ledger", "rounds", "casebook"),
    "aloud": ("aloud",),
    # the thirty-first author's set, first read aloud on 2026-12-06 before any change for it
    "handover": ("handover",),
    # the thirty-second author's set, first read aloud on 2026-12-06 before any change for it
    "bedside": ("bedside",),
    # the thirty-third author's set, first read aloud on 2026-12-06 before any change for it
    "practice": ("practice",),
    # the thirty-fourth author's set, first read aloud on 2026-12-06 before any change for it
    "dictation": ("dictation",),
    # the thirty-fifth author's set, first read aloud on 2026-12-07 before any change for it
    "monologue": ("monologue",),
    # the spoken cases of the thirty-sixth author's set, first read aloud on 2026-12-07
    "docket": ("docket",),
    # the spoken cases of the thirty-seventh author's set, first read aloud on 2026-12-07
    "caseload": ("caseload",),
    # the thirty-eighth author's set, first read aloud on 2026-12-07 before any change for it
    "afterhours": ("afterhours",),
    # the thirty-ninth author's set, first read aloud on 2026-12-07 before any change for it
    "weekday": ("weekday",),
    # the spoken cases of the fortieth author's set, first read aloud on 2026-12-07
    "exports": ("exports",),
    # the spoken cases of the forty-first author's set, first read aloud on 2026-12-07
    "roster": ("roster",),
    # the spoken cases of the forty-second author's set, first read aloud on 2026-12-07
    "overtime": ("overtime",),
    # the spoken cases of the forty-third author's set, first read aloud on 2026-12-07
    "sidelong": ("sidelong",),
    # the spoken cases of the forty-fourth author's set, first read aloud on 2026-12-07
    "halfway": ("halfway",),
    # the spoken cases of the forty-fifth author's set, first read aloud on 2026-12-07
    "retake": ("retake",),
    # the spoken cases of the forty-sixth author's set, first read aloud on 2026-12-07
    "tallied": ("tallied",),
    # the spoken cases of the forty-seventh author's set, first read aloud on 2026-12-07
    "alongside": ("alongside",),
    # the spoken cases of the forty-eighth author's set, first read aloud on 2026-12-08
    "payers": ("payers",),
}


def spoken_cases(set_name: str) -> list[GoldenCase]:
    folders = SETS[set_name]
    return [
        case
        for folder in folders
        for case in load_cases(ROOT / "fixtures" / "golden" / folder)
        if case.style == "spoken"
    ]


def _row(scribe: Scribe, case: GoldenCase, how: spoken.Rendition, transcript: Any) -> dict:  # type: ignore[type-arg]
    result = scribe.extract_transcript(transcript)
    return {
        "case": case.id,
        "engine": how.engine,
        "voice": how.voice,
        "speed": how.speed,
        "condition": how.condition,
        "hypothesis": transcript.text,
        "low_confidence": any(p.id == "asr-low-confidence" for p in result.coding.prompts),
        # a procedure spoken of that nothing could code: also sent to review
        "procedure_unread": any(p.id == "asr-procedure-unread" for p in result.coding.prompts),
        "got": asr_scoring.treated(result),
        "lines": asr_scoring.lines(result),
        "diffs": sorted(asr_scoring.diffs(case, result)),
    }


def _traced(transcriber: Transcriber, store: dict[str, Any]) -> None:
    """Keep each recording's words before checking, and each window's scores, in ``store``."""
    checker = transcriber.checker
    original = checker.check

    def check(audio: Any, segments: list[RawSegment]) -> int:
        store["segments"] = [asdict(s) for s in segments]
        checker.trace = store["windows"] = []
        return original(audio, segments)

    checker.check = check  # type: ignore[method-assign]


def run(
    scribe: Scribe, cases: list[GoldenCase], engines: list[str], out: Path, *, trace: bool
) -> list[dict]:  # type: ignore[type-arg]
    transcriber = scribe.transcriber
    store: dict[str, Any] = {}
    if trace:
        _traced(transcriber, store)
    rows = []
    traces = out.with_suffix(".trace.jsonl").open("w") if trace else None
    with out.open("w") as sink:
        for engine in engines:
            for index, case in enumerate(cases):
                how = spoken.rendition(engine, index)
                path = spoken.cached(case.text, how)
                seconds = load_audio(path, max_seconds=3600).size / SAMPLE_RATE
                store.clear()
                start = time.perf_counter()
                transcript = transcriber.transcribe(path)
                elapsed = time.perf_counter() - start
                row = _row(scribe, case, how, transcript)
                row |= {"audio_seconds": round(seconds, 2), "asr_seconds": round(elapsed, 3)}
                rows.append(row)
                sink.write(json.dumps(row) + "\n")
                sink.flush()
                if traces is not None:
                    record = {"case": case.id, "engine": engine, "duration": transcript.duration}
                    traces.write(json.dumps(record | store | {"row": row}, default=_plain) + "\n")
    if traces is not None:
        traces.close()
    return rows


def reread(scribe: Scribe, cases: list[GoldenCase], rows: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """Saved rows read again by the present code, through the same path as a recording's
    transcript (``extract_transcript``: misheard words read as meant). The saved run kept no
    word probabilities, so whether recognition was unsure is the run's own; whether a procedure
    spoken of could not be coded is read again."""
    by_id = {case.id: case for case in cases}
    fresh = []
    for row in rows:
        transcript = Transcript(
            text=row["hypothesis"],
            language="en",
            duration=row["audio_seconds"],
            model="saved run",
        )
        how = spoken.Rendition(row["engine"], row["voice"], row["speed"], row["condition"])
        again = _row(scribe, by_id[row["case"]], how, transcript)
        fresh.append(row | {k: again[k] for k in ("got", "lines", "diffs", "procedure_unread")})
    return fresh


def _plain(value: Any) -> Any:
    if isinstance(value, Span):
        return asdict(value)
    raise TypeError(type(value))


def replay(scribe: Scribe, cases: list[GoldenCase], trace: Path, out: Path) -> list[dict]:  # type: ignore[type-arg]
    """Rows decided again from a trace with the transcriber's present `check` settings."""
    transcriber = scribe.transcriber
    spec = transcriber.lexicon.check
    vocabulary = transcriber.lexicon.vocabulary
    names = lexicon_names(scribe.lexicons, vocabulary.excluded_groups)
    protected = protected_words(vocabulary.terms)
    by_id = {case.id: (index, case) for index, case in enumerate(cases)}
    rows, unscored, readings = [], 0, 0
    with out.open("w") as sink:
        for line in trace.read_text().splitlines():
            record = json.loads(line)
            index, case = by_id[record["case"]]
            how = spoken.rendition(record["engine"], index)
            old = record["row"]
            if "segments" not in record:  # checking off in the traced run
                rows.append(old)
                continue
            raw = [
                RawSegment(**{**s, "words": [RawWord(**w) for w in s["words"]]})
                for s in record["segments"]
            ]
            scored: dict[tuple[int, int, int], tuple[float, dict[str, list[float]]]] = {}
            for window in record["windows"]:
                for span, options in window["spans"]:
                    key = (span["segment"], span["first"], span["last"])
                    scored[key] = (window["heard"], {o[1]: o for o in options})
            for group in _windows(raw, find_spans(raw, names, spec, protected)):
                heard, options = None, {}
                for span in group:
                    known = scored.get((span.segment, span.first, span.last))
                    got = [known[1][n] for n in span.candidates if known and n in known[1]]
                    unscored += len(span.candidates) - len(got)
                    readings += len(got)
                    if known and got:
                        heard = known[0] if heard is None else heard
                        options[span] = [(o[0], o[1], o[2]) for o in got]
                if heard is None:
                    continue
                kept = choose(heard, options, spec)
                for span, name, probability in sorted(
                    kept, key=lambda k: (-k[0].segment, -k[0].first)
                ):
                    _replace(raw[span.segment], span, name, probability)
            transcript = transcriber.assemble(raw, record["duration"])
            row = _row(scribe, case, how, transcript)
            row |= {"audio_seconds": old["audio_seconds"], "asr_seconds": old["asr_seconds"]}
            rows.append(row)
            sink.write(json.dumps(row) + "\n")
    print(
        f"replayed {len(rows)} recordings: {readings} readings scored,"
        f" {unscored} the trace never scored"
    )
    return rows


def _checking(scribe: Scribe, params: list[str]) -> AsrCheck:
    values = dict(p.split("=", 1) for p in params)
    return AsrCheck.model_validate({**scribe.transcriber.lexicon.check.model_dump(), **values})


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=sorted(SETS), default="heldout")
    parser.add_argument("--engines", default=",".join(spoken.ENGINES))
    parser.add_argument("--model", default=None, help="registry name or model folder")
    parser.add_argument("--bias", choices=["none", "prompt", "hotwords", "both"], default=None)
    parser.add_argument("--beam", type=int, default=None, help="beam size (1: greedy)")
    parser.add_argument("--check", choices=["on", "off"], default=None, help="checked names")
    parser.add_argument("--param", action="append", default=[], help="check setting=value")
    parser.add_argument(
        "--decode",
        action="append",
        default=[],
        help="WhisperModel.transcribe option=value (a JSON value), to measure a setting",
    )
    parser.add_argument("--trace", action="store_true", help="write the checked readings")
    parser.add_argument("--replay", type=Path, default=None, help="decide again from a trace")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--score", type=Path, default=None, help="score a saved run only")
    parser.add_argument(
        "--reread",
        action="store_true",
        help="with --score: extract the saved transcripts again (and save those rows to --out)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="list each case's losses")
    args = parser.parse_args()
    cases = spoken_cases(args.set)
    if args.score is not None:
        rows = [json.loads(line) for line in args.score.read_text().splitlines()]
        scribe = Scribe()
        if args.reread:
            rows = reread(scribe, cases, rows)
            if args.out is not None:
                args.out.write_text("".join(json.dumps(row) + "\n" for row in rows))
        asr_scoring.report(scribe, cases, rows, verbose=args.verbose)
        return
    settings = get_settings()
    if args.model:
        settings = settings.model_copy(update={"asr_model": args.model})
    scribe = Scribe(settings=settings)
    if args.bias is not None or args.check is not None or args.beam is not None:
        base = scribe.transcriber.decoding
        changes = {"bias": args.bias or base.bias, "check_words": base.check_words}
        if args.beam is not None:
            changes["beam_size"] = args.beam
        if args.check is not None:
            changes["check_words"] = args.check == "on"
        decoding = AsrDecoding.model_validate({**base.model_dump(), **changes})
        scribe.__dict__["transcriber"] = Transcriber(settings=settings, decoding=decoding)
    transcriber = scribe.transcriber
    if args.decode:
        overrides = {k: json.loads(v) for k, v in (d.split("=", 1) for d in args.decode)}
        defaults = transcriber.decode_options
        transcriber.decode_options = lambda: {**defaults(), **overrides}  # type: ignore[method-assign]
        print("decode: " + ", ".join(f"{k}={v}" for k, v in overrides.items()))
    if args.param:
        check_spec = _checking(scribe, args.param)
        transcriber.lexicon = transcriber.lexicon.model_copy(update={"check": check_spec})
        print("check: " + ", ".join(f"{k}={v}" for k, v in check_spec.model_dump().items()))
    if args.replay is not None:
        out = args.out or args.replay.with_name(args.replay.name.replace(".trace", ".replay"))
        rows = replay(scribe, cases, args.replay, out)
        asr_scoring.report(scribe, cases, rows, verbose=args.verbose)
        return
    bias, check = transcriber.decoding.bias, transcriber.decoding.check_words
    beam = transcriber.decoding.beam_size
    name = f"{args.set}-{transcriber.read_by}-{bias}-beam{beam}" + ("-check" if check else "")
    name += "".join(f"-{d}" for d in args.decode)
    print(f"{name} ({len(cases)} cases)")
    out = args.out or ROOT / "var" / "bench" / f"{name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = run(scribe, cases, args.engines.split(","), out, trace=args.trace and check)
    asr_scoring.report(scribe, cases, rows, verbose=args.verbose)


if __name__ == "__main__":
    main()
