"""Schema of ``lexicons/billing/scope_of_practice.yaml``: who may dry needle, state by state.

Each rule says what a cited source reports for one provider type in one state, from a date.
Errors name the field at fault (``rules.12.state``), never the value refused.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from scribe.schemas.billing import DatedRule
from scribe.schemas.common import Frozen
from scribe.schemas.context import Provider
from scribe.schemas.jurisdictions import STATES_AND_DC, normalise_jurisdiction
from scribe.schemas.lexicon import FileHeader

ScopeStatus = Literal["allowed", "restricted", "prohibited", "not_listed"]
# What the coder can find; each raises the prompt the file names for it.
ScopeFinding = Literal[
    "prohibited",
    "restricted",
    "training",
    "not_listed",
    "provider_not_covered",
    "provider_missing",
]


class TrainingRequirement(Frozen):
    """One requirement a state sets before a provider may dry needle (hours, years, cases)."""

    what: str = Field(min_length=3, description="What the hours or cases are of (our words).")
    hours: int | None = Field(default=None, ge=1)
    at_least: bool = Field(default=False, description="The source gives the hours as a minimum.")
    years_licensed: int | None = Field(default=None, ge=1)
    supervised_treatments: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _has_a_number(self) -> TrainingRequirement:
        if (
            self.hours is None
            and self.years_licensed is None
            and self.supervised_treatments is None
        ):
            raise ValueError("a training requirement needs hours, years_licensed or treatments")
        return self


class ScopeRule(DatedRule):
    """What the source reports for one provider type in one state from ``effective``."""

    state: str = Field(description="Postal code (AL... WY, DC; territories allowed).")
    provider: Provider
    status: ScopeStatus
    detail: str | None = Field(
        default=None,
        min_length=3,
        description="What the source says, in our words (required unless allowed or not listed).",
    )
    training: list[TrainingRequirement] = Field(default_factory=list)

    @field_validator("state")
    @classmethod
    def _known_state(cls, value: str) -> str:
        if value != value.strip().upper():
            raise ValueError("write the postal code in capitals")
        return normalise_jurisdiction(value)

    @model_validator(mode="after")
    def _limit_is_said(self) -> ScopeRule:
        if self.status in ("restricted", "prohibited") and self.detail is None:
            raise ValueError(f"a {self.status} rule needs its detail")
        return self


class ProviderCoverage(Frozen):
    """Whether the source's lists speak of a provider type at all, and why (or why not)."""

    covered: bool
    note: str = Field(min_length=10)


class ScopeFile(FileHeader):
    """The whole file: place names, provider types covered, the prompts raised, the rules."""

    note: str | None = None
    jurisdictions: dict[str, str] = Field(description="Postal code -> name shown in prompts.")
    providers: dict[Provider, ProviderCoverage]
    prompts: dict[ScopeFinding, str] = Field(description="Prompt key (prompts.yaml) raised.")
    sources: list[str] = Field(
        default_factory=list, description="Citations the rules share (YAML anchors)."
    )
    rules: list[ScopeRule] = Field(min_length=1)

    @field_validator("jurisdictions")
    @classmethod
    def _known_codes(cls, value: dict[str, str]) -> dict[str, str]:
        for position, code in enumerate(value, start=1):
            if code != code.strip().upper():
                raise ValueError(f"jurisdiction number {position}: write the code in capitals")
            try:
                normalise_jurisdiction(code)
            except ValueError as exc:
                raise ValueError(f"jurisdiction number {position}: {exc}") from None
        missing = sorted(STATES_AND_DC - value.keys())
        if missing:
            raise ValueError(f"every state and DC needs a name; missing: {missing}")
        return value

    @model_validator(mode="after")
    def _complete_and_consistent(self) -> ScopeFile:
        problems: list[str] = []
        missing_providers = sorted(set(get_args(Provider)) - self.providers.keys())
        if missing_providers:
            problems.append(f"providers: no entry for {missing_providers}")
        missing_prompts = sorted(set(get_args(ScopeFinding)) - self.prompts.keys())
        if missing_prompts:
            problems.append(f"prompts: no prompt for {missing_prompts}")
        covered = {p for p, c in self.providers.items() if c.covered}
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            problems.append(f"rules: duplicate ids {dupes}")
        by_key: dict[tuple[str, str], list[ScopeRule]] = {}
        for position, rule in enumerate(self.rules):
            where = f"rules.{position}"
            if rule.state not in self.jurisdictions:
                problems.append(f"{where}.state: not among the jurisdictions of this file")
            if rule.provider not in covered:
                problems.append(f"{where}.provider: not a covered provider type")
            by_key.setdefault((rule.state, rule.provider), []).append(rule)
        for kind in sorted(covered):
            absent = sorted(s for s in STATES_AND_DC if (s, kind) not in by_key)
            if absent:
                problems.append(f"rules: no {kind} rule for {absent}")
        for (state, provider), rules in sorted(by_key.items()):
            if _overlapping(rules):
                problems.append(f"rules: {provider} rules for {state} overlap in time")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _overlapping(rules: list[ScopeRule]) -> bool:
    spans = sorted((r.effective, r.end or dt.date.max) for r in rules)
    return any(later[0] <= earlier[1] for earlier, later in pairwise(spans))
