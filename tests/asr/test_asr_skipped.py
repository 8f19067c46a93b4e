"""Speech the decoder stepped over (scribe/asr/skipped.py): found from the voice activity
detector's speech and the segments' times, and the stretch to decode again."""

from __future__ import annotations

from scribe.asr.guards import RawSegment
from scribe.asr.skipped import region_to_redo, uncovered, word_count


def _segment(start: float, end: float, text: str = "words said here") -> RawSegment:
    return RawSegment(start, end, text, -0.3, 0.01, [])


def test_speech_before_a_late_first_segment_was_stepped_over() -> None:
    # a 28-second dictation read as one segment stamped from 19.8 s
    segments = [_segment(19.8, 27.2), _segment(27.2, 28.0)]
    assert uncovered([(0.0, 28.0)], segments) == [(0.0, 19.8)]


def test_segments_that_cover_the_speech_leave_nothing() -> None:
    segments = [_segment(0.2, 5.0), _segment(5.0, 9.6), _segment(10.1, 14.0)]
    # timestamps a little off, pauses between segments: not stepped over
    assert uncovered([(0.0, 9.8), (10.0, 14.4)], segments) == []


def test_a_stretch_inside_the_speech_is_found() -> None:
    segments = [_segment(0.0, 6.0), _segment(12.0, 20.0)]
    assert uncovered([(0.0, 20.0)], segments) == [(6.0, 12.0)]


def test_the_stretch_to_decode_again_ends_with_the_segment_stamped_after_it() -> None:
    segments = [_segment(19.8, 27.2), _segment(27.2, 28.0)]
    assert region_to_redo((0.0, 19.8), segments) == (0.0, 27.2)
    # nothing after it: the stretch alone
    assert region_to_redo((20.0, 24.0), [_segment(0.0, 20.0)]) == (20.0, 24.0)


def test_word_count() -> None:
    assert word_count([_segment(0, 1, " okay so"), _segment(1, 2, " the left levator")]) == 5
