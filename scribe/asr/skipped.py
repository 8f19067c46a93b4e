"""Speech the decoder stepped over.

With bias words in its prompt, Whisper sometimes opens a 30-second window with a late
timestamp and writes only the first words of the window's speech there, then moves on: a
dictation of 28 seconds comes back as 20 words stamped 19.8-28.0 s, the needling in between
gone. The voice activity detector still finds the speech the segments do not cover. Such a
stretch is decoded again without the bias words (``transcriber.py``); the new reading is kept
when it has more words.

Pure functions of times (seconds).
"""

from __future__ import annotations

from collections.abc import Sequence

from scribe.asr.guards import RawSegment

# speech no segment covers, at least this long, was stepped over (a decoder's timestamps are
# off by well under a second; 207 tuning recordings showed 2 such stretches, of 18 and 20 s)
MIN_SKIPPED_SECONDS = 2.0


def uncovered(
    speech: Sequence[tuple[float, float]],
    segments: Sequence[RawSegment],
    *,
    min_seconds: float = MIN_SKIPPED_SECONDS,
) -> list[tuple[float, float]]:
    """The stretches of ``speech`` that no segment covers, of at least ``min_seconds``."""
    spans = sorted((s.start, s.end) for s in segments)
    out: list[tuple[float, float]] = []
    for start, end in speech:
        at = start
        for seg_start, seg_end in spans:
            if seg_end <= at or seg_start >= end:
                continue
            if seg_start > at:
                out.append((at, seg_start))
            at = max(at, seg_end)
        if at < end:
            out.append((at, end))
    return [(a, b) for a, b in out if b - a >= min_seconds]


def region_to_redo(gap: tuple[float, float], segments: Sequence[RawSegment]) -> tuple[float, float]:
    """From the start of the stretch stepped over to the end of the segment stamped right
    after it (which holds the words said at the stretch's start), or to the stretch's end."""
    after = [s for s in segments if s.start >= gap[1] - 0.5]
    end = min(after, key=lambda s: s.start).end if after else gap[1]
    return gap[0], max(end, gap[1])


def word_count(segments: Sequence[RawSegment]) -> int:
    return sum(len(s.text.split()) for s in segments)
