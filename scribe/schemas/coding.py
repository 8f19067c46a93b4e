"""Claim lines and documentation prompts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scribe.schemas.common import Evidence, Frozen
from scribe.schemas.note import MuscleRef

Severity = Literal["error", "warning", "info"]


class ClaimLine(Frozen):
    code: str
    units: int = Field(ge=1)
    modifiers: list[str] = Field(default_factory=list)
    muscles: list[MuscleRef] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    payment_estimate: float | None = None


class Prompt(Frozen):
    id: str
    severity: Severity
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


class CodingResult(Frozen):
    muscle_count: int = Field(ge=0)
    lines: list[ClaimLine] = Field(default_factory=list)
    prompts: list[Prompt] = Field(default_factory=list)
