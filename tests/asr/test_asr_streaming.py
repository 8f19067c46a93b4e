"""A dictation transcribed while it is spoken (scribe.asr.streaming)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from faster_whisper.vad import VadOptions, get_speech_timestamps

from scribe import Scribe
from scribe.asr.audio import SAMPLE_RATE, load_audio
from scribe.asr.guards import RawSegment
from scribe.asr.streaming import DictationStream
from scribe.errors import AudioError

PIECE = SAMPLE_RATE // 2


class RecordingTranscriber:
    """Stands in for the model: notes which stretches of audio it was given."""

    class settings:
        max_audio_seconds = 60.0

    def __init__(self) -> None:
        self.stretches: list[tuple[float, int]] = []  # (offset seconds, samples)

    def raw_segments(self, audio: npt.NDArray[np.float32], *, offset: float = 0.0) -> list[Any]:
        self.stretches.append((offset, audio.size))
        return [RawSegment(offset, offset + audio.size / SAMPLE_RATE, " words", -0.1, 0.0, [])]

    def assemble(self, raw: list[RawSegment], duration: float) -> tuple[int, float]:
        return len(raw), duration


def _feed(stream: DictationStream, audio: npt.NDArray[np.float32]) -> None:
    for start in range(0, audio.size, PIECE):
        stream.feed(audio[start : start + PIECE])


def test_streaming_cuts_only_in_pauses_and_covers_the_whole_recording(audio_dir: Path) -> None:
    audio = load_audio(audio_dir / "13-left-shoulder-lidocaine-negated.flac", max_seconds=60)
    fake = RecordingTranscriber()
    stream = DictationStream(fake)  # type: ignore[arg-type]
    _feed(stream, audio)
    during = list(fake.stretches)
    assert during, "a 14 s dictation with pauses has stretches done before its end"
    count, duration = stream.finish()  # type: ignore[misc]
    assert count == len(fake.stretches) == stream.stretches + 1
    assert duration == pytest.approx(audio.size / SAMPLE_RATE)
    # the stretches follow each other with no gap and no overlap
    position = 0
    for offset, size in fake.stretches:
        assert offset == pytest.approx(position / SAMPLE_RATE)
        position += size
    assert position == audio.size
    # every cut is in a pause: no speech VAD finds in the whole recording crosses it
    speech = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300, speech_pad_ms=0))
    for offset, _ in fake.stretches[1:]:
        cut = round(offset * SAMPLE_RATE)
        assert not any(s["start"] < cut < s["end"] for s in speech)


def test_streaming_silence_is_not_decoded_again_and_again() -> None:
    fake = RecordingTranscriber()
    stream = DictationStream(fake)  # type: ignore[arg-type]
    _feed(stream, np.zeros(20 * SAMPLE_RATE, dtype=np.float32))
    waiting = stream.seconds - sum(size for _, size in fake.stretches) / SAMPLE_RATE
    assert waiting < 3.5  # the silence before a first word is let go as it comes


def test_streaming_refuses_what_is_not_mono_audio() -> None:
    stream = DictationStream(RecordingTranscriber())  # type: ignore[arg-type]
    with pytest.raises(AudioError, match="mono"):
        stream.feed(np.zeros((2, 100), dtype=np.float32))
    with pytest.raises(AudioError, match="not numbers"):
        stream.feed(np.array([0.0, np.nan], dtype=np.float32))


def test_streaming_refuses_audio_past_the_length_limit() -> None:
    stream = DictationStream(RecordingTranscriber())  # type: ignore[arg-type]
    with pytest.raises(AudioError, match="60 seconds"):
        stream.feed(np.zeros(61 * SAMPLE_RATE, dtype=np.float32))


def test_streaming_a_finished_stream_takes_no_more_audio() -> None:
    stream = DictationStream(RecordingTranscriber())  # type: ignore[arg-type]
    stream.feed(np.zeros(PIECE, dtype=np.float32))
    stream.finish()
    with pytest.raises(RuntimeError, match="finished"):
        stream.feed(np.zeros(PIECE, dtype=np.float32))
    with pytest.raises(RuntimeError, match="finished"):
        stream.finish()


def test_streaming_transcript_codes_like_the_recording(scribe: Scribe, audio_dir: Path) -> None:
    path = audio_dir / "01-right-neck-three-muscles.flac"
    audio = load_audio(path, max_seconds=60)
    stream = DictationStream(scribe.transcriber)
    _feed(stream, audio)
    transcript = stream.finish()
    assert transcript.duration == pytest.approx(audio.size / SAMPLE_RATE, abs=0.001)
    starts = [word.start for segment in transcript.segments for word in segment.words]
    assert starts == sorted(starts) and starts[0] >= 0 and starts[-1] < transcript.duration
    for segment in transcript.segments:
        assert transcript.text[segment.char_start : segment.char_end] == segment.text
    streamed = scribe.extract_transcript(transcript)
    whole = scribe.extract_audio(path)
    assert {(m.name, m.laterality) for m in streamed.note.muscles if m.status == "treated"} == {
        (m.name, m.laterality) for m in whole.note.muscles if m.status == "treated"
    }
