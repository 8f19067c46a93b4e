"""Building blocks shared by the note and coding models."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo


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


def _compile_each(patterns: list[str], info: ValidationInfo) -> list[str]:
    for number, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as error:
            where = f"{info.field_name}[{number}]"
            raise ValueError(f"{where} is no regular expression: {error}") from None
    return patterns


# regular expressions of a lexicon, each checked to compile when the file is loaded
Patterns = Annotated[list[str], AfterValidator(_compile_each)]
