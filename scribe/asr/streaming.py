"""A dictation transcribed while it is spoken, so the note is ready soon after the last word.

Audio arrives in pieces (16 kHz mono float32, any size). Whenever at least ``min_pending``
seconds wait untranscribed, Silero VAD (faster-whisper's own) looks for a pause of at least
``min_pause`` seconds that the speaker has finished; the audio up to the middle of the last
such pause is transcribed at once with the recording's usual settings (bias, guards, checked
names). At :meth:`DictationStream.finish` only the audio after the last pause is left to
transcribe; the segments of every stretch then go through the same guards as a whole recording,
so the transcript has the same form and offsets as ``Transcriber.transcribe`` gives.

Nothing is cut inside speech: a stretch ends in a pause, and Whisper never sees half a word.
A stretch is transcribed without the text before it (``condition_on_previous_text`` is off for
whole recordings too).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import numpy.typing as npt
from faster_whisper.vad import VadOptions, get_speech_timestamps

from scribe.asr.audio import SAMPLE_RATE
from scribe.asr.guards import RawSegment
from scribe.asr.transcriber import Transcriber
from scribe.errors import AudioError
from scribe.schemas.transcript import Transcript


class DictationStream:
    """Feed audio as it is recorded; :meth:`finish` returns the transcript.

    >>> stream = DictationStream(scribe.transcriber)
    >>> for piece in microphone():
    ...     stream.feed(piece)
    >>> transcript = stream.finish()
    """

    def __init__(
        self,
        transcriber: Transcriber,
        *,
        min_pending: float = 3.0,
        min_pause: float = 0.3,
    ) -> None:
        if min_pending <= 0 or min_pause <= 0:
            raise ValueError("min_pending and min_pause must be positive")
        self._transcriber = transcriber
        self._min_pending = round(min_pending * SAMPLE_RATE)
        self._min_pause = round(min_pause * SAMPLE_RATE)
        self._vad = VadOptions(min_silence_duration_ms=round(min_pause * 1000), speech_pad_ms=100)
        self._max_samples = round(transcriber.settings.max_audio_seconds * SAMPLE_RATE)
        self._pending = np.zeros(0, dtype=np.float32)
        self._done = 0  # samples transcribed, before ``_pending``
        self._raw: list[RawSegment] = []
        self._finished = False
        self.stretches = 0  # stretches transcribed while audio was still arriving

    @property
    def seconds(self) -> float:
        """Audio received so far."""
        return (self._done + self._pending.size) / SAMPLE_RATE

    def feed(self, samples: npt.NDArray[np.float32]) -> None:
        """Add the next piece of the recording; transcribes a finished stretch if there is one."""
        self._append(samples)
        if self._pending.size >= self._min_pending:
            cut = self._last_pause()
            if cut is not None:
                self._transcribe(cut)
                self.stretches += 1

    def finish(self, samples: npt.NDArray[np.float32] | None = None) -> Transcript:
        """Transcribe what is left and return the whole dictation's transcript. ``samples``:
        the recording's last audio, transcribed in one go with what is left (a caller that fell
        behind the speaker then makes one decoder call, not one per pause)."""
        self._append(np.zeros(0, dtype=np.float32) if samples is None else samples)
        self._finished = True
        if self._pending.size:
            self._transcribe(self._pending.size)
        return self._transcriber.assemble(self._raw, self._done / SAMPLE_RATE)

    def _append(self, samples: npt.NDArray[np.float32]) -> None:
        if self._finished:
            raise RuntimeError("the dictation stream is finished")
        piece = np.asarray(samples, dtype=np.float32)
        if piece.ndim != 1:
            raise AudioError("stream audio must be mono samples (one dimension)")
        if not np.isfinite(piece).all():
            raise AudioError("stream audio holds samples that are not numbers")
        if self._done + self._pending.size + piece.size > self._max_samples:
            raise AudioError(
                f"the recording is over the limit of {self._max_samples // SAMPLE_RATE} seconds"
            )
        self._pending = np.concatenate([self._pending, piece])

    def _last_pause(self) -> int | None:
        """Where the last finished pause of the waiting audio is (its middle, in samples), or
        None: a pause is finished when speech follows it, or when it has lasted ``min_pause``
        up to now."""
        speech = get_speech_timestamps(self._pending, self._vad)
        if not speech:
            # nothing but silence or noise so far: keep only the last pause's worth of it, so
            # a long silence before the first word is not decoded again and again
            if self._pending.size > 2 * self._min_pause:
                return self._pending.size - self._min_pause
            return None
        # VAD splits speech only at a pause of at least ``min_pause`` (by its own measure: the
        # bounds it reports are a little inside the pause)
        cut = None
        for before, after in pairwise(speech):
            cut = (before["end"] + after["start"]) // 2
        trailing = self._pending.size - speech[-1]["end"]
        if trailing >= self._min_pause:
            cut = speech[-1]["end"] + trailing // 2
        return cut if cut is not None and cut > 0 else None

    def _transcribe(self, cut: int) -> None:
        audio, self._pending = self._pending[:cut], self._pending[cut:]
        self._raw += self._transcriber.raw_segments(audio, offset=self._done / SAMPLE_RATE)
        self._done += cut
