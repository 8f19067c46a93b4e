"""Charges of the claim lines from the practice's fee schedule (``fee_schedule.yaml``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scribe.claims.errors import ClaimError
from scribe.coding.rules import applies_on
from scribe.lexicons import read_model
from scribe.schemas.claim import FeeSchedule
from scribe.schemas.coding import ClaimLine

FILE_NAME = "fee_schedule.yaml"


def load_fee_schedule(path: Path) -> FeeSchedule:
    return read_model(path, FeeSchedule)


def line_charge(line: ClaimLine, schedule: FeeSchedule, day: dt.date) -> float:
    """The practice's charge for a line (all its units), in dollars."""
    fee = next((f for f in schedule.fees if f.code == line.code and applies_on(f, day)), None)
    if fee is not None:
        return round(fee.charge * line.units, 2)
    if schedule.default_multiplier is None or line.payment_estimate is None:
        raise ClaimError(f"the fee schedule has no charge for {line.code} on the date of service")
    return round(line.payment_estimate * schedule.default_multiplier * line.units, 2)
