"""Reading recordings: any format FFmpeg decodes (through faster-whisper), checked first."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from scribe.errors import AudioError

SAMPLE_RATE = 16_000
AUDIO_SUFFIXES = frozenset(
    ".wav .wave .flac .mp3 .m4a .mp4 .aac .ogg .oga .opus .webm .wma .aiff .aif .amr".split()
)
# container or frame signatures: WAV, FLAC, ID3-tagged MP3, Ogg, WebM/Matroska, AMR, and bare
# MPEG audio frames (MP3 at any rate, ADTS AAC)
_MAGIC = {
    b"RIFF": "wav",
    b"fLaC": "flac",
    b"ID3": "mp3",
    b"OggS": "ogg",
    b"\x1aE\xdf\xa3": "webm",
    b"#!AMR": "amr",
}
_FRAME_SYNC = frozenset({0xFB, 0xFA, 0xF3, 0xF2, 0xE3, 0xE2, 0xF1, 0xF9})
SNIFF_BYTES = 12
# Source samples (times channels) resampled at a time, as faster-whisper groups them: few
# resampler calls, small buffers.
_GROUP_SAMPLES = 500_000


def sniff_audio_format(head: bytes) -> str | None:
    """The container a recording's first bytes announce (wav, flac, mp3, ogg, webm, amr, mp4,
    aiff, mpeg), or None: what a file claims to be by its name or content type is not trusted."""
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"FORM") and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if len(head) >= 2 and head[0] == 0xFF and head[1] in _FRAME_SYNC:
        return "mpeg"
    return None


def looks_like_audio(path: Path) -> bool:
    """By name or by the first bytes (a dictation file is text; a recording is not)."""
    if path.suffix.lower() in AUDIO_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return sniff_audio_format(head) is not None


def probe_duration(path: Path) -> float | None:
    """Seconds, from the container header when it says (no decoding). AudioError when the
    file is no audio container or holds no audio stream."""
    try:
        with av.open(str(path)) as container:
            stream = next(iter(container.streams.audio), None)
            if stream is None:
                raise AudioError("the file holds no audio stream")
            if container.duration:
                return float(container.duration) / av.time_base
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise AudioError("the file is not readable audio (unknown format or damaged)") from exc
    return None


@dataclass(frozen=True)
class Recording:
    """Decoded audio: 16 kHz mono float32 samples, and the duration the file's header
    announced (None when it announced none)."""

    samples: npt.NDArray[np.float32]
    declared_seconds: float | None

    @property
    def seconds(self) -> float:
        return self.samples.size / SAMPLE_RATE


def _too_long(seconds: float, max_seconds: float) -> AudioError:
    return AudioError(
        f"the recording lasts {seconds:.0f} s, over the limit of {max_seconds:.0f} s "
        "(raise SCRIBE_MAX_AUDIO_SECONDS if this is intended)"
    )


def _frames(container: av.container.InputContainer) -> Iterator[av.AudioFrame]:
    """The audio frames, skipping damaged ones (as faster-whisper does)."""
    frames = container.decode(audio=0)
    while True:
        try:
            yield next(frames)
        except StopIteration:
            return
        except av.error.InvalidDataError:
            continue


def _decode(path: Path, max_seconds: float) -> npt.NDArray[np.float32]:
    """Decode and resample as the file streams, and stop as soon as the audio passes
    ``max_seconds``, whatever its header said: memory stays within the limit's worth of
    samples (16-bit while decoding, 4 bytes a sample at the end), never the file's."""
    limit = int(max_seconds * SAMPLE_RATE)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[npt.NDArray[np.int16]] = []
    total = 0
    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        fifo = av.AudioFifo()
        for frame in _frames(container):
            frame.pts = None  # timestamps of damaged files may jump: ignore them
            fifo.write(frame)
            if fifo.samples * max(frame.layout.nb_channels, 1) >= _GROUP_SAMPLES:
                total += _resample(resampler, fifo.read(), chunks)
                if total > limit:
                    raise _too_long(total / SAMPLE_RATE, max_seconds)
        if fifo.samples:
            total += _resample(resampler, fifo.read(), chunks)
        total += _resample(resampler, None, chunks)  # what the resampler still holds
        if total > limit:
            raise _too_long(total / SAMPLE_RATE, max_seconds)
    del resampler
    gc.collect()  # PyAV's resampler keeps buffers until collected (faster-whisper issue 390)
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    samples = np.concatenate(chunks)
    chunks.clear()
    return samples.astype(np.float32) / 32768.0


def _resample(
    resampler: av.AudioResampler,
    frame: av.AudioFrame | None,
    chunks: list[npt.NDArray[np.int16]],
) -> int:
    """Resample ``frame`` (None: flush) into ``chunks``; how many samples were added."""
    added = 0
    for out in resampler.resample(frame):
        array = np.asarray(out.to_ndarray(), dtype=np.int16).reshape(-1)
        chunks.append(array)
        added += int(array.size)
    return added


def read_recording(path: Path, *, max_seconds: float) -> Recording:
    """The recording decoded, with the duration its header announced; an AudioError that
    names no file (PHI-safe) when it is missing, empty, unreadable or over ``max_seconds``
    (by its header, or by what decodes: a header may hide the length)."""
    if not path.exists():
        raise AudioError("the audio file does not exist")
    if not path.is_file():
        raise AudioError("the audio path is not a regular file")
    if path.stat().st_size == 0:
        raise AudioError("the audio file is empty (0 bytes)")
    declared = probe_duration(path)
    if declared is not None and declared > max_seconds:
        raise _too_long(declared, max_seconds)
    try:
        samples = _decode(path, max_seconds)
    except (av.error.FFmpegError, OSError, ValueError, IndexError) as exc:
        raise AudioError("the file is not readable audio (unknown format or damaged)") from exc
    if samples.size == 0:
        raise AudioError("the recording holds no sound (zero length or damaged)")
    return Recording(samples=samples, declared_seconds=declared)


def load_audio(path: Path, *, max_seconds: float) -> npt.NDArray[np.float32]:
    """16 kHz mono float32 samples, or an AudioError that names no file (PHI-safe)."""
    return read_recording(path, max_seconds=max_seconds).samples
