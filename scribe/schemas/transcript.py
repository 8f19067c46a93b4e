"""What speech recognition returns: the transcript text with its segments and words."""

from __future__ import annotations

from pydantic import Field

from scribe.schemas.common import Frozen


class Word(Frozen):
    text: str
    start: float = Field(description="Seconds from the start of the audio.")
    end: float
    probability: float = Field(ge=0, le=1)
    char_start: int = Field(ge=0, description="Offset of the word in Transcript.text.")
    char_end: int = Field(ge=0)


class Segment(Frozen):
    start: float
    end: float
    text: str
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    avg_logprob: float
    no_speech_prob: float
    words: list[Word] = Field(default_factory=list)


class Removed(Frozen):
    """A recognised stretch the guards removed (silence, loops, end-of-audio inventions)."""

    start: float
    end: float
    text: str
    reason: str


class Transcript(Frozen):
    text: str
    language: str
    duration: float = Field(ge=0, description="Seconds of audio (as decoded).")
    declared_duration: float | None = Field(
        default=None,
        ge=0,
        description="Seconds the file's header announced, when it did: far more than "
        "``duration`` means the recording was cut off or damaged.",
    )
    model: str
    segments: list[Segment] = Field(default_factory=list)
    removed: list[Removed] = Field(default_factory=list)
