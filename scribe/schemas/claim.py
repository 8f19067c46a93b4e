"""What a claim needs beyond the note: the patient and payer (given by the practice or the EHR,
never stored by the scribe), and the practice's fee schedule (``fee_schedule.yaml``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from scribe.schemas.billing import DatedRule
from scribe.schemas.common import Frozen
from scribe.schemas.lexicon import FileHeader

_X12_SAFE = "no X12 delimiters (~ * : ^) in claim values"


def _no_delimiters(value: str) -> str:
    if any(ch in value for ch in "~*:^"):
        raise ValueError(_X12_SAFE)
    return value.strip()


def _optional_no_delimiters(value: str | None) -> str | None:
    return None if value is None else _no_delimiters(value)


class Address(Frozen):
    street: str = Field(min_length=1, max_length=55)
    city: str = Field(min_length=1, max_length=30)
    state: str = Field(pattern=r"^[A-Z]{2}$")
    zip: str = Field(pattern=r"^\d{5}(?:\d{4})?$")

    _safe = field_validator("street", "city")(_no_delimiters)


class Patient(Frozen):
    """The patient, who is also the subscriber (the insured) on the claims written here."""

    last_name: str = Field(min_length=1, max_length=60)
    first_name: str = Field(min_length=1, max_length=35)
    birth_date: dt.date
    sex: Literal["F", "M", "U"]
    member_id: str | None = Field(
        default=None, min_length=2, max_length=80, description="The payer's member id."
    )
    address: Address
    account_number: str | None = Field(
        default=None, max_length=38, description="The practice's patient account number."
    )

    _safe = field_validator("last_name", "first_name", "member_id", "account_number")(
        _optional_no_delimiters
    )


class ClaimPayer(Frozen):
    name: str = Field(min_length=1, max_length=60)
    payer_id: str = Field(min_length=2, max_length=80, description="Payer id (NM109, PI).")

    _safe = field_validator("name", "payer_id")(_no_delimiters)


class ClaimParties(Frozen):
    """``scribe claim --patient FILE``: the people on the claim."""

    patient: Patient
    payer: ClaimPayer | None = Field(
        default=None, description="Needed for the 837P; a superbill names none."
    )


class Fee(DatedRule):
    code: str = Field(pattern=r"^(?:\d{4}[0-9A-Z]|[A-Z]\d{4})$")
    charge: float = Field(gt=0, description="The practice's charge for one unit, in dollars.")


class FeeSchedule(FileHeader):
    """A practice's charges; a code it does not list is charged ``default_multiplier`` times
    the Medicare national non-facility amount (RVUs x conversion factor) of the date."""

    fees: list[Fee] = Field(default_factory=list)
    default_multiplier: float | None = Field(
        default=None, gt=0, description="None: a code without a fee is refused."
    )
    default_source: str | None = None
