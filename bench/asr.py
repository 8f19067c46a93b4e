"""Local dictation benchmark.

(a) End-to-end `extract` time on the fixture recordings against raw faster-whisper
    `transcribe` on the same files with the same settings, in one run (goal: ratio <= 1.10),
    with the real-time factor and peak memory. Where two models read each recording, the raw
    baseline runs them side by side on two threads, as the scribe does (and one after the
    other, for reference);
(b) word error rate on ../shared/data/speech/wer_manifest.jsonl (public clips);
(c) on the spoken golden dictations (fixtures/audio): muscle F1 against the expected muscles
    and the share of notes whose claim lines come out exactly right;
The held-out spoken set read by three engines (espeak-ng, Festival HTS, Piper), per engine,
with each loss put down to recognition or extraction, is bench/asr_spoken.py.

    .venv/bin/python bench/asr.py [--model tiny.en] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jiwer  # noqa: E402
import yaml  # noqa: E402

from scribe import Scribe  # noqa: E402
from scribe.asr.audio import SAMPLE_RATE, load_audio  # noqa: E402
from scribe.asr.transcriber import Transcriber  # noqa: E402
from scribe.config import get_settings  # noqa: E402
from scribe.evaluation.golden import (  # noqa: E402
    GoldenCase,
    compare,
    group_name_index,
)
from scribe.lexicons import load_lexicons  # noqa: E402

AUDIO = ROOT / "fixtures" / "audio"
SPEECH = ROOT.parent / "shared" / "data" / "speech"


def _normalise(text: str) -> str:
    text = text.lower().replace("counselled", "counseled")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def timing(scribe: Scribe, files: list[Path], rounds: int) -> None:
    transcriber = scribe.transcriber
    # every model that reads the audio, each with the scribe's own decoding of it: the raw
    # baseline is what faster-whisper alone spends on the same readings
    readers = [transcriber] + ([transcriber.second] if transcriber.second else [])
    audio_seconds = sum(load_audio(f, max_seconds=3600).size / SAMPLE_RATE for f in files)
    raw_times: dict[str, list[float]] = {r.model_name: [] for r in readers}
    side_by_side_times, ours_times = [], []

    def read(reader: Transcriber, path: Path) -> None:
        segments, _ = reader.model.transcribe(str(path), **reader.decode_options())
        list(segments)

    pool = ThreadPoolExecutor(max_workers=len(readers))
    for _ in range(rounds):
        for reader in readers:
            start = time.perf_counter()
            for path in files:
                read(reader, path)
            raw_times[reader.model_name].append(time.perf_counter() - start)
        # the models reading each file at once, each on its own thread: how a peer running
        # several models would run them
        start = time.perf_counter()
        for path in files:
            for future in [pool.submit(read, reader, path) for reader in readers]:
                future.result()
        side_by_side_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for path in files:
            scribe.extract_audio(path)
        ours_times.append(time.perf_counter() - start)
    each = {name: statistics.median(times) for name, times in raw_times.items()}
    raw, ours = sum(each.values()), statistics.median(ours_times)
    print(f"(a) {len(files)} recordings, {audio_seconds:.0f} s of audio, {rounds} rounds (medians)")
    print(f"    reading with {transcriber.read_by}")
    for name, seconds in each.items():
        print(f"    raw faster-whisper transcribe, {name}: {seconds:.2f} s")
    side_by_side = statistics.median(side_by_side_times)
    print(f"    raw faster-whisper, all readings one after the other: {raw:.2f} s")
    print(f"    raw faster-whisper, all readings side by side: {side_by_side:.2f} s")
    print(f"    scribe extract: {ours:.2f} s")
    print(f"    ratio extract / transcribe side by side: {ours / side_by_side:.3f}  (goal <= 1.10)")
    print(f"    ratio extract / transcribe one after the other: {ours / raw:.3f}")
    first = each[transcriber.model_name]
    print(f"    ratio extract / {transcriber.model_name} alone: {ours / first:.3f}")
    print(f"    real-time factor (extract): {ours / audio_seconds:.3f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"    peak resident memory: {peak:.0f} MiB")


def word_error_rate(scribe: Scribe) -> None:
    manifest = SPEECH / "wer_manifest.jsonl"
    if not manifest.exists():
        print("(b) skipped: ../shared/data/speech not found")
        return
    refs, hyps = [], []
    for line in manifest.read_text().splitlines():
        row = json.loads(line)
        transcript = scribe.transcribe(SPEECH / row["audio"])
        refs.append(_normalise(row["reference"]))
        hyps.append(_normalise(transcript.text))
        print(f"    {row['audio']}: WER {jiwer.wer(refs[-1], hyps[-1]):.3f}")
    print(f"(b) WER over {len(refs)} public clips: {jiwer.wer(refs, hyps):.3f}")


def spoken_golden(scribe: Scribe) -> None:
    cases = yaml.safe_load((AUDIO / "dictations.yaml").read_text())
    rows = cases["dictations"] if isinstance(cases, dict) else cases
    score(scribe, [(AUDIO / f"{row['id']}.flac", row) for row in rows], "(c) fixtures/audio")


def score(scribe: Scribe, pairs: list[tuple[Path, dict]], label: str) -> None:  # type: ignore[type-arg]
    groups = group_name_index(load_lexicons())
    rows = [row for _, row in pairs]
    tp = fp = fn = 0
    lines_right = 0
    refs, hyps = [], []
    for path, row in pairs:
        result = scribe.extract_audio(path)
        refs.append(_normalise(row["text"]))
        hyps.append(_normalise(result.transcript.text))
        case = GoldenCase(id=row["id"], text=row["text"], expect=row["expect"])
        want = {
            (m["name"], side)
            for m in row["expect"]["muscles"]
            if m["status"] == "treated"
            for side in (
                ("left", "right") if m["laterality"] == "bilateral" else (m["laterality"],)
            )
        }
        got = {
            (m.name, side)
            for m in result.note.muscles
            if m.status == "treated"
            for side in (("left", "right") if m.laterality == "bilateral" else (m.laterality,))
        }
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
        diffs = compare(case, result, groups)  # type: ignore[arg-type]
        lines_right += "lines" not in diffs
        mark = "ok" if "lines" not in diffs else "LINES WRONG"
        print(f"    {row['id']}: {mark}; missed {sorted(want - got)}; extra {sorted(got - want)}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{label}: {len(rows)} dictations, WER {jiwer.wer(refs, hyps):.3f}")
    print(
        f"    treated-muscle P {precision:.3f} R {recall:.3f} F1 {f1:.3f} (goal >= 0.93);"
        f" code lines exactly right {lines_right}/{len(rows)}"
        f" = {lines_right / len(rows):.0%} (goal >= 90%)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=None, help="registry name or model folder")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = get_settings()
    if args.model:
        settings = settings.model_copy(update={"asr_model": args.model})
    scribe = Scribe(settings=settings)
    print(
        f"model: {scribe.transcriber.read_by}  device: {settings.asr_device}  "
        f"compute: {settings.asr_compute_type}"
    )
    files = sorted(p for p in AUDIO.glob("[0-9]*.flac"))
    scribe.extract_audio(files[0])  # load and warm up
    timing(scribe, files, args.rounds)
    word_error_rate(scribe)
    spoken_golden(scribe)


if __name__ == "__main__":
    main()
