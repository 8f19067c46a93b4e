"""A recording reads the same whatever the host's thread settings: numpy's BLAS, which the
speech features go through, runs on one thread while speech is decoded (``one_blas_thread``)."""

from __future__ import annotations

from pathlib import Path

from asr_support import AUDIO_DIR, write_wav
from threadpoolctl import threadpool_info, threadpool_limits

from scribe import Scribe
from scribe.asr.audio import SAMPLE_RATE, load_audio
from scribe.asr.threads import one_blas_thread


def _blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_blas_is_held_to_one_thread_until_the_last_transcription_ends() -> None:
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        first, second = one_blas_thread(), one_blas_thread()
        first.__enter__()
        assert _blas_threads() == {1}
        second.__enter__()  # another transcription, in another thread of the service
        first.__exit__(None, None, None)
        assert _blas_threads() == {1}, "the second transcription still runs"
        second.__exit__(None, None, None)
        assert _blas_threads() == before


def test_transcript_does_not_depend_on_the_blas_threads(scribe: Scribe, tmp_path: Path) -> None:
    # the first seconds of a dictation that read 'to date on' on two threads, 'today to' on one
    clip = tmp_path / "clip.wav"
    samples = load_audio(AUDIO_DIR / "01-right-neck-three-muscles.flac", max_seconds=60)
    write_wav(clip, samples[: 7 * SAMPLE_RATE], rate=SAMPLE_RATE)
    texts = set()
    for threads in (1, 2):
        with threadpool_limits(limits=threads, user_api="blas"):
            texts.add(scribe.transcribe(clip).text)
    assert len(texts) == 1, texts
