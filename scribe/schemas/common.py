"""Building blocks shared by the note and coding models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base for records that must not drift once built."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(Frozen):
    """Exact words in the source text: ``text == source[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
