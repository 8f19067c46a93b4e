"""Building blocks shared by the note and coding models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base for records that must not drift once built."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FileHeader(Frozen):
    """The header every data file in ``lexicons/`` carries."""

    schema_version: Literal["1"]
    description: str = Field(min_length=10)
    source: str = Field(min_length=3)
    license: str | None = None
    attribution: str | None = None


class Evidence(Frozen):
    """Exact words in the source text: ``text == source[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
