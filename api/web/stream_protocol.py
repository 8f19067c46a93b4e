"""The recorder's streaming protocol, without I/O: its messages, its limits, its refusals.

A dictation is streamed over a WebSocket at ``/encounters/stream``:

1. The browser opens it with the session cookie; the page's own origin must be named in
   ``Origin`` (browsers always send it on a WebSocket handshake, and a page cannot forge it).
2. Its first message is text, the start: ``{"type": "start", "csrf_token": ..., "format":
   "s16le" | "f32le", "sample_rate": 16000, "context": {form field: value}, "submission_id":
   a UUID}``; the server answers ``{"type": "started", "max_seconds": ...,
   "max_piece_bytes": ...}``. The recording's ``submission_id`` (optional) is sent again with
   the upload that replaces a stream whose answer was lost: that upload then gives back the
   streamed encounter instead of storing a second one.
3. Then binary messages: 16 kHz mono samples, little-endian int16 (``s16le``) or float32
   (``f32le``), each at most ``max_piece_bytes`` and a whole number of samples.
4. ``{"type": "end"}`` when the clinician stops (with ``"context"`` again if the form changed
   meanwhile: it replaces the start's); the answer is ``{"type": "done", "id": ...,
   "url": ..., "seconds_to_note": ...}`` once the encounter is stored with its note.

A refusal is ``{"type": "error", "message": ...}`` (when the socket was accepted) and a close
code; the message names limits, never what was sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
import numpy.typing as npt
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from api.web.forms import CONTEXT_FIELDS
from scribe.asr.audio import SAMPLE_RATE

MAX_TEXT_BYTES = 8_192  # a start or end message; the context's fields are short
SAMPLE_FORMATS: dict[str, np.dtype[np.int16] | np.dtype[np.float32]] = {
    "s16le": np.dtype("<i2"),
    "f32le": np.dtype("<f4"),
}
SCALE = {"s16le": 1.0 / 32768.0, "f32le": 1.0}


@dataclass(frozen=True)
class Refusal:
    """How the server ends a stream it will not take: the close code, the audit outcome and
    what the recorder may show (never a value that was sent)."""

    code: int
    outcome: str
    message: str


# Close codes: 1008 policy (who or where from), 1009 too big, 1003 not the protocol, 1011 the
# server failed, 1013 try again later; 4408 is this app's own (nothing arrived in time).
REFUSALS: dict[str, Refusal] = {
    "unauthenticated": Refusal(1008, "unauthenticated", "Your session has ended: sign in again."),
    "denied": Refusal(1008, "denied", "Your role does not give access to this page."),
    "origin": Refusal(1008, "csrf", "This connection did not come from this site."),
    "csrf": Refusal(
        1008,
        "csrf",
        "This form has expired or did not come from this site. Reload the page and try again.",
    ),
    "busy": Refusal(
        1013, "busy", "Too many dictations are being streamed; the recording is sent at the end."
    ),
    "too_long": Refusal(1009, "too_long", "The recording is over the limit of {max_seconds} s."),
    "too_large": Refusal(1009, "too_large", "An audio piece is over {max_piece_bytes} bytes."),
    "invalid": Refusal(1003, "invalid", "This message is not part of the recording protocol."),
    "bad_audio": Refusal(
        1003, "invalid", "Audio pieces must be whole samples in the format announced."
    ),
    "context": Refusal(1003, "invalid", "{detail}"),
    "submission": Refusal(
        1003, "invalid", "The recording's submission id is not a UUID. Reload the page."
    ),
    "idle": Refusal(4408, "idle", "Nothing arrived for {idle_seconds} s."),
    "failed": Refusal(1011, "failed", "The dictation could not be coded here; it is sent instead."),
}


class StreamRefused(Exception):
    """The stream ends with ``REFUSALS[reason]``; ``detail`` fills a message that names
    fields (a form error), never their values."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class StreamLimits:
    """Bounds of one stream: the recording's length (the upload limit), a piece's size and
    how long the server waits for the next message."""

    max_seconds: float
    max_piece_bytes: int
    idle_seconds: float

    @property
    def max_samples(self) -> int:
        return round(self.max_seconds * SAMPLE_RATE)

    def message(self, refusal: Refusal, detail: str = "") -> str:
        return refusal.message.format(
            max_seconds=f"{self.max_seconds:.0f}",
            max_piece_bytes=f"{self.max_piece_bytes:,}",
            idle_seconds=f"{self.idle_seconds:g}",
            detail=detail,
        )


def _known_fields(value: dict[str, str]) -> dict[str, str]:
    if not set(value) <= set(CONTEXT_FIELDS):
        raise ValueError("the context holds a field the form does not have")
    return value


# The new-encounter form's context fields as the form posts them (strings; checked as the
# form's own post is, see ``api.web.forms.context_from``).
FormContext = Annotated[
    dict[str, Annotated[str, Field(max_length=500)]],
    Field(max_length=len(CONTEXT_FIELDS)),
    AfterValidator(_known_fields),
]


class StreamStart(BaseModel):
    """The first message: the page's CSRF token, the sample format, the form's context and
    the recording's submission id (checked by ``api.encounters.submission_key``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["start"]
    csrf_token: str = Field(max_length=200)
    format: Literal["s16le", "f32le"]
    sample_rate: Literal[16000]
    context: FormContext = Field(default_factory=dict)
    submission_id: str | None = Field(default=None, max_length=200)


class StreamEnd(BaseModel):
    """The clinician stopped; the form's context as it is now, if sent, replaces the start's
    (the form may be filled in while dictating, as before an upload)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["end"]
    context: FormContext | None = None


def parse_start(text: str) -> StreamStart:
    """The start message, or ``invalid`` (what was wrong is not repeated)."""
    try:
        return StreamStart.model_validate_json(_bounded(text))
    except ValidationError:
        raise StreamRefused("invalid") from None


def parse_end(text: str) -> StreamEnd:
    try:
        return StreamEnd.model_validate_json(_bounded(text))
    except ValidationError:
        raise StreamRefused("invalid") from None


def _bounded(text: str) -> str:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise StreamRefused("invalid")
    return text


def decode_piece(data: bytes, sample_format: str, limits: StreamLimits) -> npt.NDArray[np.float32]:
    """A binary piece as float32 samples in [-1, 1]; ``too_large`` or ``bad_audio`` refused."""
    if len(data) > limits.max_piece_bytes:
        raise StreamRefused("too_large")
    dtype = SAMPLE_FORMATS[sample_format]
    if len(data) % dtype.itemsize:
        raise StreamRefused("bad_audio")
    samples = np.frombuffer(data, dtype=dtype).astype(np.float32) * np.float32(SCALE[sample_format])
    if not np.isfinite(samples).all():
        raise StreamRefused("bad_audio")
    return np.clip(samples, -1.0, 1.0)


def to_pcm16(samples: npt.NDArray[np.float32]) -> bytes:
    """Samples as the 16-bit PCM a WAV recording keeps."""
    return (samples * 32767.0).round().astype("<i2").tobytes()


def started(limits: StreamLimits) -> str:
    return json.dumps(
        {
            "type": "started",
            "max_seconds": limits.max_seconds,
            "max_piece_bytes": limits.max_piece_bytes,
        }
    )


def done(encounter_id: str, seconds_to_note: float, stretches: int) -> str:
    return json.dumps(
        {
            "type": "done",
            "id": encounter_id,
            "url": f"/encounters/{encounter_id}",
            "seconds_to_note": round(seconds_to_note, 3),
            "stretches": stretches,
        }
    )


def error(message: str) -> str:
    return json.dumps({"type": "error", "message": message})
