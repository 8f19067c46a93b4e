"""Recordings that lie: a FLAC whose header hides its length, one cut off after a second, a
long silence. Made on the fly (small, fast to write); shared by the ASR and service tests."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np

RATE = 16_000


def write_flac(path: Path, seconds: float, *, noise: bool = False) -> Path:
    """``seconds`` of 16 kHz mono FLAC: silence (a few hundred bytes a minute) or noise."""
    block = RATE * 10
    rng = np.random.default_rng(12)
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=RATE, layout="mono")
        written = 0
        while written < int(seconds * RATE):
            size = min(block, int(seconds * RATE) - written)
            samples = np.zeros((1, size), dtype=np.int16)
            if noise:
                samples = rng.integers(-3000, 3000, size=(1, size), dtype=np.int16)
            frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
            frame.sample_rate, frame.pts = RATE, written
            for packet in stream.encode(frame):
                out.mux(packet)
            written += size
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def declare_samples(path: Path, samples: int) -> Path:
    """Rewrite the total sample count in the FLAC's STREAMINFO header (0: unknown)."""
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC"
    at = 8 + 10  # "fLaC", the block header, then 10 bytes before rate/channels/bits/total
    packed = int.from_bytes(data[at : at + 8], "big")
    packed = (packed & ~((1 << 36) - 1)) | samples
    data[at : at + 8] = packed.to_bytes(8, "big")
    path.write_bytes(bytes(data))
    return path


def hidden_length_flac(path: Path, seconds: float, *, declared_seconds: float) -> Path:
    """``seconds`` of silence whose header says ``declared_seconds`` (0: unknown)."""
    write_flac(path, seconds)
    return declare_samples(path, int(declared_seconds * RATE))


def truncated_flac(
    path: Path, *, declared_seconds: float = 38.4, kept_seconds: float = 1.0
) -> Path:
    """A recording whose header announces ``declared_seconds`` but whose bytes stop after
    about ``kept_seconds`` (an upload cut off)."""
    write_flac(path, declared_seconds, noise=True)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * kept_seconds / declared_seconds)])
    return path


def silent_wav(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        chunk = b"\x00\x00" * RATE
        for _ in range(int(seconds)):
            handle.writeframes(chunk)
    return path
