"""Claim lines and documentation prompts."""

from __future__ import annotations

import datetime as dt
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
    # Optional detail filled by the coding engine.
    service: str | None = Field(
        default=None, description="dry_needling, trigger_point_injection..."
    )
    descriptor: str | None = None
    muscle_count: int | None = Field(
        default=None, ge=0, description="Billable muscles on this line."
    )
    rvu_total: float | None = Field(default=None, description="National non-facility total RVU.")
    diagnosis_pointers: list[int] = Field(
        default_factory=list,
        description="Positions (1-based) in ``CodingResult.diagnoses`` of the diagnoses that "
        "support this line, at most four (837P SV107).",
    )


class ClaimDiagnosis(Frozen):
    """An ICD-10-CM code on the claim, in claim order (the first is the principal one)."""

    code: str
    description: str
    evidence: list[Evidence] = Field(default_factory=list)


class Prompt(Frozen):
    id: str
    severity: Severity
    message: str
    evidence: list[Evidence] = Field(default_factory=list)
    rule_id: str | None = Field(default=None, description="The rule that raised it.")


class CodingResult(Frozen):
    muscle_count: int = Field(ge=0)
    lines: list[ClaimLine] = Field(default_factory=list)
    diagnoses: list[ClaimDiagnosis] = Field(
        default_factory=list, description="The claim's diagnosis codes, principal first."
    )
    prompts: list[Prompt] = Field(default_factory=list)
    # Optional detail filled by the coding engine.
    date_of_service: dt.date | None = Field(
        default=None, description="Date the rules were taken at."
    )
    payer_policy: str | None = Field(default=None, description="Id of the payer policy applied.")
    conversion_factor: float | None = None
    total_payment: float | None = Field(
        default=None, description="Sum of the line estimates (national, non-facility)."
    )
    rules_applied: list[str] = Field(default_factory=list, description="Ids of the rules used.")
