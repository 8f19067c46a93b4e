"""Reading recordings: any format FFmpeg decodes (through faster-whisper), checked first."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
from faster_whisper.audio import decode_audio

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


def load_audio(path: Path, *, max_seconds: float) -> npt.NDArray[np.float32]:
    """16 kHz mono float32 samples, or an AudioError that names no file (PHI-safe)."""
    if not path.exists():
        raise AudioError("the audio file does not exist")
    if not path.is_file():
        raise AudioError("the audio path is not a regular file")
    if path.stat().st_size == 0:
        raise AudioError("the audio file is empty (0 bytes)")
    declared = probe_duration(path)
    if declared is not None and declared > max_seconds:
        raise AudioError(
            f"the recording lasts {declared:.0f} s, over the limit of {max_seconds:.0f} s "
            "(raise SCRIBE_MAX_AUDIO_SECONDS if this is intended)"
        )
    try:
        samples = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, OSError, ValueError, IndexError) as exc:
        raise AudioError("the file is not readable audio (unknown format or damaged)") from exc
    if samples.size == 0:
        raise AudioError("the recording holds no sound (zero length or damaged)")
    seconds = samples.size / SAMPLE_RATE
    if seconds > max_seconds:
        raise AudioError(
            f"the recording lasts {seconds:.0f} s, over the limit of {max_seconds:.0f} s "
            "(raise SCRIBE_MAX_AUDIO_SECONDS if this is intended)"
        )
    return np.asarray(samples, dtype=np.float32)
