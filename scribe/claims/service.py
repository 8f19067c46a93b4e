"""Claim files of one coded encounter: the validated 837P, or the superbill (HTML)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scribe.claims.errors import ClaimError, InvalidClaim
from scribe.claims.fees import FILE_NAME, line_charge, load_fee_schedule
from scribe.claims.superbill import render_superbill
from scribe.claims.validate import validate_837
from scribe.claims.x12 import Envelope, build_837p
from scribe.config import ClaimSettings
from scribe.schemas.claim import ClaimParties, FeeSchedule
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext


def _schedule(settings: ClaimSettings, lexicon_dir: Path) -> FeeSchedule:
    return load_fee_schedule(settings.fee_schedule or lexicon_dir / "billing" / FILE_NAME)


def _day(coding: CodingResult, context: EncounterContext) -> dt.date:
    day = coding.date_of_service or context.dos
    if day is None:
        raise ClaimError("the claim needs the date of service")
    return day


def charges(
    coding: CodingResult, context: EncounterContext, settings: ClaimSettings, lexicon_dir: Path
) -> list[float]:
    """The practice's charge for each claim line."""
    schedule = _schedule(settings, lexicon_dir)
    day = _day(coding, context)
    return [line_charge(line, schedule, day) for line in coding.lines]


def claim_837p(
    coding: CodingResult,
    context: EncounterContext,
    parties: ClaimParties,
    settings: ClaimSettings,
    *,
    lexicon_dir: Path,
    envelope: Envelope | None = None,
) -> str:
    """The 837P text, validated by pyx12 (``InvalidClaim`` when it does not pass)."""
    now = dt.datetime.now().replace(microsecond=0)
    envelope = envelope or Envelope(control_number=int(now.timestamp()) % 1_000_000_000,
                                    created=now)  # fmt: skip
    text = build_837p(
        coding,
        context,
        parties,
        settings,
        charges(coding, context, settings, lexicon_dir),
        envelope=envelope,
    )
    problems = validate_837(text)
    if problems:
        raise InvalidClaim(problems)
    return text


def superbill_html(
    coding: CodingResult,
    context: EncounterContext,
    parties: ClaimParties,
    settings: ClaimSettings,
    *,
    lexicon_dir: Path,
) -> str:
    """The superbill a patient submits to an insurer (cash pay, ABN option 2)."""
    return render_superbill(
        coding,
        context,
        parties,
        settings,
        charges(coding, context, settings, lexicon_dir),
        day=_day(coding, context),
    )
