"""Dictation transcribed while it is spoken: how soon the coded note is ready after the last
word, against transcribing the recording once it has ended, on the same files in one run.

Each spoken fixture (fixtures/audio/dictations.yaml) is fed to ``DictationStream`` in pieces
of ``--piece`` seconds as a browser would send them. A simulated clock lets each piece arrive
at its time in the recording and the work on it start when both it has arrived and the work
before is done, so a machine too slow to keep up shows as a backlog at the end. The latency is
from the end of the audio to the coded note. The batch figure is today's path: the whole
recording is transcribed and coded after it ends. Both transcripts are scored against the
fixtures' expectations (code lines exactly right) and against each other. (b) does the same
for longer dictations made of several fixtures end to end (latency only): a recording over one
30-second window costs the batch path a window each, the stream only its last stretch.

    .venv/bin/python bench/asr_streaming.py [--piece 0.5] [--rounds 1]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jiwer  # noqa: E402
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
import yaml  # noqa: E402

from scribe import Scribe  # noqa: E402
from scribe.asr.audio import SAMPLE_RATE, load_audio  # noqa: E402
from scribe.asr.streaming import DictationStream  # noqa: E402
from scribe.evaluation.golden import GoldenCase, compare, group_name_index  # noqa: E402
from scribe.lexicons import load_lexicons  # noqa: E402
from scribe.pipeline import AudioExtractionResult  # noqa: E402

AUDIO = ROOT / "fixtures" / "audio"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


def stream_latency(
    scribe: Scribe, audio: npt.NDArray[np.float32], piece_seconds: float
) -> tuple[float, int, AudioExtractionResult]:
    """(seconds from the end of the audio to the note, stretches done while speaking, result)."""
    piece = round(piece_seconds * SAMPLE_RATE)
    stream = DictationStream(scribe.transcriber)
    clock = 0.0  # simulated wall clock, seconds from the start of the recording
    for start in range(0, audio.size, piece):
        chunk = audio[start : start + piece]
        arrival = (start + chunk.size) / SAMPLE_RATE
        began = time.perf_counter()
        stream.feed(chunk)
        clock = max(clock, arrival) + (time.perf_counter() - began)
    began = time.perf_counter()
    result = scribe.extract_transcript(stream.finish())
    ready = clock + (time.perf_counter() - began)
    return ready - audio.size / SAMPLE_RATE, stream.stretches, result


def batch_latency(
    scribe: Scribe, audio: npt.NDArray[np.float32]
) -> tuple[float, AudioExtractionResult]:
    """Seconds from the end of the audio to the note when the whole recording is transcribed
    after it ends (the same work as ``extract_audio`` after decoding the file)."""
    began = time.perf_counter()
    transcriber = scribe.transcriber
    transcript = transcriber.assemble(transcriber.raw_segments(audio), audio.size / SAMPLE_RATE)
    result = scribe.extract_transcript(transcript)
    return time.perf_counter() - began, result


def long_dictations(scribe: Scribe, paths: list[Path], join: int, piece: float) -> None:
    """Latency only: ``join`` fixtures end to end with a second's pause, as one dictation."""
    pause = np.zeros(SAMPLE_RATE, dtype=np.float32)
    batch, streamed, seconds = [], [], []
    for first in range(0, len(paths) - join + 1, join):
        parts = [load_audio(p, max_seconds=600) for p in paths[first : first + join]]
        audio = np.concatenate([x for part in parts for x in (part, pause)])
        seconds.append(audio.size / SAMPLE_RATE)
        batch.append(batch_latency(scribe, audio)[0])
        streamed.append(stream_latency(scribe, audio, piece)[0])
    median = statistics.median
    print(
        f"(b) {len(seconds)} long dictations of {join} fixtures each "
        f"({min(seconds):.0f}-{max(seconds):.0f} s): note ready after the end, median (max): "
        f"batch {median(batch):.2f} s ({max(batch):.2f}), streamed {median(streamed):.2f} s "
        f"({max(streamed):.2f}); ratio {median(streamed) / median(batch):.2f}  (goal <= 2 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--piece", type=float, default=0.5, help="seconds of audio per piece")
    parser.add_argument("--join", type=int, default=5, help="fixtures per long dictation")
    args = parser.parse_args()
    rows = yaml.safe_load((AUDIO / "dictations.yaml").read_text())["dictations"]
    scribe = Scribe()
    groups = group_name_index(load_lexicons())
    scribe.extract_audio(AUDIO / f"{rows[0]['id']}.flac")  # load the model before timing
    batch_latencies, stream_latencies = [], []
    batch_right = stream_right = 0
    references, batch_texts, stream_texts = [], [], []
    for row in rows:
        path = AUDIO / f"{row['id']}.flac"
        case = GoldenCase(id=row["id"], text=row["text"], expect=row["expect"])
        audio = load_audio(path, max_seconds=scribe.settings.max_audio_seconds)
        latency, batch = batch_latency(scribe, audio)
        batch_latencies.append(latency)
        latency, stretches, streamed = stream_latency(scribe, audio, args.piece)
        stream_latencies.append(latency)
        batch_ok = "lines" not in compare(case, batch, groups)  # type: ignore[arg-type]
        stream_ok = "lines" not in compare(case, streamed, groups)  # type: ignore[arg-type]
        batch_right += batch_ok
        stream_right += stream_ok
        references.append(_words(row["text"]))
        batch_texts.append(_words(batch.transcript.text))
        stream_texts.append(_words(streamed.transcript.text))
        print(
            f"  {row['id']}: {batch.transcript.duration:5.1f} s audio; note after the end: "
            f"batch {batch_latencies[-1]:5.2f} s, streamed {latency:5.2f} s "
            f"({stretches} stretches before the end); lines right: batch "
            f"{'yes' if batch_ok else 'no'}, streamed {'yes' if stream_ok else 'no'}"
        )
    n = len(rows)
    median = statistics.median
    print(f"(a) {n} recordings, piece {args.piece} s")
    print(
        f"note ready after the end of audio, median (max): batch {median(batch_latencies):.2f} s "
        f"({max(batch_latencies):.2f}), streamed {median(stream_latencies):.2f} s "
        f"({max(stream_latencies):.2f})  (goal <= 2 s)"
    )
    print(
        f"ratio streamed / batch latency: {median(stream_latencies) / median(batch_latencies):.2f}"
    )
    print(f"code lines exactly right: batch {batch_right}/{n}, streamed {stream_right}/{n}")
    print(
        f"word error rate: batch {jiwer.wer(references, batch_texts):.3f}, streamed "
        f"{jiwer.wer(references, stream_texts):.3f}; streamed vs batch "
        f"{jiwer.wer(batch_texts, stream_texts):.3f}"
    )
    long_dictations(scribe, [AUDIO / f"{row['id']}.flac" for row in rows], args.join, args.piece)


if __name__ == "__main__":
    main()
