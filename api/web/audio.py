"""A kept recording served for playback: decoded to 16 kHz mono WAV (every browser seeks in it
exactly, which a recorder's WebM does not allow), with byte ranges."""

from __future__ import annotations

import io
import re
import wave
from functools import lru_cache
from pathlib import Path

import numpy as np
from starlette.requests import Request
from starlette.responses import Response

from scribe.asr.audio import load_audio
from scribe.errors import AudioError

RATE = 16_000
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class NoAudio(Exception):
    """The recording is not kept (or never was): the page says so."""


def wav_bytes(path: Path, max_seconds: float) -> bytes:
    """The recording as WAV; the last few are kept, since a player asks for several ranges."""
    return _wav(str(path), path.stat().st_mtime_ns, max_seconds)


@lru_cache(maxsize=4)
def _wav(name: str, _mtime: int, max_seconds: float) -> bytes:
    path = Path(name)
    samples = load_audio(path, max_seconds=max_seconds)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm)
    return out.getvalue()


def audio_response(request: Request, path: Path | None, max_seconds: float) -> Response:
    """The recording at ``path`` (a local file or copy) as WAV (206 for a byte range), 404
    when it is not kept."""
    if path is None or not path.exists():
        return Response("the recording is not kept", status_code=404, media_type="text/plain")
    try:
        body = wav_bytes(path, max_seconds)
    except AudioError:
        return Response("the recording cannot be read", status_code=404, media_type="text/plain")
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "no-store"}
    wanted = _RANGE.match(request.headers.get("range", "").strip())
    if wanted is None or wanted.groups() == ("", ""):
        return Response(body, media_type="audio/wav", headers=headers)
    first, last = wanted.groups()
    size = len(body)
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if start >= size or start > end:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return Response(body[start : end + 1], status_code=206, media_type="audio/wav", headers=headers)
