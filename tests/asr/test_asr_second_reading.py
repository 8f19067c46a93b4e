"""The second model reads a recording on its own thread while the first reads it, and a failed
reading leaves no work running behind it. The readings here are stand-ins (no model is loaded):
what is tested is how ``Transcriber.raw_segments`` runs them, not what they hear."""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.connection import Connection

import numpy as np
import numpy.typing as npt
import pytest

from scribe.asr.guards import RawSegment, RawWord
from scribe.asr.transcriber import Transcriber

AUDIO = np.zeros(16_000, dtype=np.float32)


def _reading(text: str, probability: float) -> list[RawSegment]:
    words = [
        RawWord(f" {w}", n * 0.5, n * 0.5 + 0.5, probability) for n, w in enumerate(text.split())
    ]
    return [RawSegment(0.0, len(words) * 0.5, "".join(w.text for w in words), -0.3, 0.01, words)]


class _SecondReader:
    """Stands in for the second model: records the thread it read on, and can wait for a
    signal before it answers."""

    def __init__(self, reading: list[RawSegment], *, started: threading.Event) -> None:
        self.reading = reading
        self.started = started
        self.thread: str | None = None
        self.release = threading.Event()
        self.finished = threading.Event()

    def raw_segments(self, audio: npt.NDArray[np.float32]) -> list[RawSegment]:
        self.thread = threading.current_thread().name
        self.started.set()
        self.release.wait(timeout=10)
        self.finished.set()
        return self.reading


def _transcriber(second: _SecondReader) -> Transcriber:
    transcriber = Transcriber(model="tiny.en")
    assert transcriber.decoding.second_reading is not None  # lexicons/asr.yaml names base
    transcriber.__dict__["second"] = second
    return transcriber


def test_the_second_model_reads_while_the_first_does(monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()
    second = _SecondReader(_reading("right levator scapulae", 0.9), started=started)
    transcriber = _transcriber(second)
    overlapped: list[bool] = []

    def first(audio: npt.NDArray[np.float32], progress: object) -> list[RawSegment]:
        # one after the other, the second would not have begun: this waits for it, bounded
        overlapped.append(started.wait(timeout=10))
        second.release.set()
        return _reading("right levator scapula", 0.3)

    monkeypatch.setattr(transcriber, "_first_reading", first)
    combined = transcriber.raw_segments(AUDIO)
    assert overlapped == [True]
    assert second.thread is not None and second.thread != threading.current_thread().name
    assert second.thread.startswith("scribe-second-reading")
    # and the readings are still combined: base was surer of "scapulae"
    assert "".join(w.text for s in combined for w in s.words) == " right levator scapulae"


def test_a_failed_first_reading_waits_for_the_second(monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()
    second = _SecondReader(_reading("right levator scapulae", 0.9), started=started)
    transcriber = _transcriber(second)

    def first(audio: npt.NDArray[np.float32], progress: object) -> list[RawSegment]:
        started.wait(timeout=10)
        second.release.set()
        raise RuntimeError("the first model failed")

    monkeypatch.setattr(transcriber, "_first_reading", first)
    with pytest.raises(RuntimeError, match="the first model failed"):
        transcriber.raw_segments(AUDIO)
    # nothing of the recording is still being read when the error reaches the caller
    assert second.finished.is_set()


class _Instant:
    """A second reader that answers at once."""

    def raw_segments(self, audio: npt.NDArray[np.float32]) -> list[RawSegment]:
        return _reading("right levator scapulae", 0.9)


def _read_in_child(transcriber: Transcriber, out: Connection) -> None:
    out.send("".join(w.text for s in transcriber.raw_segments(AUDIO) for w in s.words))


def test_a_forked_process_reads_with_a_thread_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # `scribe batch --local` forks its processes; one forked from a process that had read a
    # recording inherits the executor without its thread
    transcriber = Transcriber(model="tiny.en")
    transcriber.__dict__["second"] = _Instant()
    monkeypatch.setattr(
        transcriber,
        "_first_reading",
        lambda audio, progress: _reading("right levator scapula", 0.3),
    )
    assert transcriber.raw_segments(AUDIO)  # the parent's thread is made and used
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_read_in_child, args=(transcriber, send)
    )
    child.start()
    try:
        assert receive.poll(timeout=30), "the forked process never finished its reading"
        assert receive.recv() == " right levator scapulae"
    finally:
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
