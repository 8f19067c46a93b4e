"""What the coder needs to know beyond the dictation itself."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

from pydantic import Field, field_validator

from scribe.schemas.common import Frozen
from scribe.schemas.jurisdictions import normalise_jurisdiction

# CPT (five digits, or four digits and a letter) or HCPCS level II (a letter and four digits)
_CODE = re.compile(r"^(?:\d{4}[0-9A-Z]|[A-Z]\d{4})$")

Payer = Literal["medicare", "commercial", "self-pay"]
Provider = Literal["pt", "pta", "dc", "md", "do", "np", "pa"]
#: How a provider type reads in a message.
PROVIDER_NAMES: Final[dict[Provider, str]] = {
    "pt": "physical therapist",
    "pta": "physical therapist assistant",
    "dc": "chiropractor",
    "md": "physician (MD)",
    "do": "physician (DO)",
    "np": "nurse practitioner",
    "pa": "physician assistant",
}


class EncounterContext(Frozen):
    payer: Payer | None = None
    clbp: bool = Field(default=False, description="Medicare chronic low back pain benefit applies.")
    session_number: int | None = Field(default=None, ge=1)
    abn_option: Literal[1, 2, 3] | None = None
    other_codes: list[str] = Field(default_factory=list)
    provider: Provider | None = None
    state: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2}$",
        description="Postal code of the US state (or DC, or territory) the provider practises "
        "in: dry needling is checked against that state's scope-of-practice rules.",
    )
    dos: dt.date | None = Field(default=None, description="Date of service.")
    prior_session_dates: list[dt.date] = Field(
        default_factory=list,
        description=(
            "Dates of this patient's earlier dry needling sessions (same payer), when known: "
            "the session limits and payer frequency limits are then checked, not only recalled."
        ),
    )

    @field_validator("state")
    @classmethod
    def _state_is_a_postal_code(cls, value: str | None) -> str | None:
        return None if value is None else normalise_jurisdiction(value)

    @field_validator("other_codes")
    @classmethod
    def _codes_are_cpt_like(cls, codes: list[str]) -> list[str]:
        cleaned = [c.strip().upper() for c in codes if c.strip()]
        for position, c in enumerate(cleaned, start=1):
            if not _CODE.match(c):
                # the position, not the value: an error never echoes what it refused
                raise ValueError(f"other code number {position} is not a CPT/HCPCS code")
        return cleaned
