"""A claim line while the engine builds it."""

from __future__ import annotations

from dataclasses import dataclass, field

from scribe.coding.muscles import MuscleSide, side_evidence
from scribe.schemas.billing import BillingCode
from scribe.schemas.common import Evidence


@dataclass
class Draft:
    """A claim line being built; ``withheld`` lines are dropped from the result."""

    service: str
    billing_code: BillingCode
    sides: tuple[MuscleSide, ...]
    muscle_count: int
    extra_evidence: list[Evidence] = field(default_factory=list)
    modifiers: list[str] = field(default_factory=list)
    withheld: bool = False

    def add_modifiers(self, modifiers: list[str]) -> None:
        for mod in modifiers:
            if mod not in self.modifiers:
                self.modifiers.append(mod)

    @property
    def evidence(self) -> list[Evidence]:
        return side_evidence(self.sides) + self.extra_evidence
