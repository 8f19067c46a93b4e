"""The encounter's professional claim as an ASC X12 837P transaction (005010X222A1).

One interchange, one functional group, one transaction with one claim: the billing provider
(2000A/2010AA) and the submitter and receiver come from the claim settings, the patient (who is
the subscriber, 2000B/2010BA) and the payer (2010BB) from the caller; the claim (2300) lists
the diagnoses of the coding (HI: ABK for the principal code, ABF for the others, without the
dot), the rendering provider (2310B) and one service line per coded line (2400: SV1 with the
modifiers, charge, units and diagnosis pointers; DTP*472 the date of service). The file is
validated by pyx12 (``scribe.claims.validate``) before it leaves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from scribe.claims.errors import ClaimError, MissingClaimData
from scribe.config import ClaimSettings
from scribe.schemas.claim import ClaimParties
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext

VERSION: Final = "005010X222A1"
SEGMENT_END: Final = "~"
ELEMENT: Final = "*"
COMPONENT: Final = ":"
REPETITION: Final = "^"
#: Claim filing indicator (SBR09) by payer kind.
FILING: Final = {"medicare": "MB", "commercial": "CI"}
#: Diagnoses one claim holds (HI, 2300).
MAX_DIAGNOSES: Final = 12
#: Settings naming the billing provider, needed on a claim file and on a superbill alike.
BILLING_PROVIDER_SETTINGS: Final = (
    "billing_name",
    "billing_npi",
    "billing_tax_id",
    "billing_address",
    "billing_city",
    "billing_state",
    "billing_zip",
)
_SETTINGS_NEEDED: Final = (
    *BILLING_PROVIDER_SETTINGS,
    "submitter_id",
    "submitter_name",
    "contact_name",
    "billing_phone",
    "receiver_id",
    "receiver_name",
)


@dataclass(frozen=True)
class Envelope:
    """Control numbers and the time the file is made."""

    control_number: int
    created: dt.datetime


def _clean(value: str) -> str:
    """Upper case, one space between words, no delimiter characters."""
    for ch in (SEGMENT_END, ELEMENT, COMPONENT, REPETITION):
        value = value.replace(ch, " ")
    return " ".join(value.upper().split())


def _amount(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _segment(*elements: str) -> str:
    parts = list(elements)
    while parts and parts[-1] == "":
        parts.pop()  # trailing empty elements are left out
    return ELEMENT.join(parts) + SEGMENT_END


def missing_settings(settings: ClaimSettings) -> list[str]:
    """The settings an 837P needs that are not set (their names, SCRIBE_CLAIM_*)."""
    missing = [n for n in _SETTINGS_NEEDED if getattr(settings, n) in (None, "")]
    if settings.billing_zip and len(settings.billing_zip) != 9:
        missing.append("billing_zip with its four extra digits (ZIP+4)")
    return [f"SCRIBE_CLAIM_{n.upper()}" if " " not in n else n for n in missing]


def build_837p(
    coding: CodingResult,
    context: EncounterContext,
    parties: ClaimParties,
    settings: ClaimSettings,
    charges: list[float],
    *,
    envelope: Envelope,
) -> str:
    """The 837P text for one encounter (see the module docstring)."""
    missing = missing_settings(settings)
    if parties.payer is None:
        missing.append("the payer (name and payer id)")
    if parties.patient.member_id is None:
        missing.append("the patient's member id")
    if parties.patient.account_number is None:
        missing.append("the patient's account number")
    if missing:
        raise MissingClaimData(missing)
    if (context.payer or "commercial") not in FILING:
        raise ClaimError("an 837P goes to an insurer: a self-pay encounter gets a superbill")
    if context.abn_option == 2:
        raise ClaimError("ABN option 2: the patient pays and Medicare is not billed (superbill)")
    if not coding.lines:
        raise ClaimError("the coding has no claim line to bill")
    if not coding.diagnoses:
        raise ClaimError("the claim has no billable diagnosis (see the diagnosis prompts)")
    if len(charges) != len(coding.lines):
        raise ClaimError("one charge per claim line is needed")
    lines = [
        *_header(settings, envelope),
        *_billing_provider(settings),
        *_subscriber(context, parties),
        *_claim(coding, context, parties, settings, charges),
    ]
    control = f"{envelope.control_number % 10_000:04d}"
    body = [*lines[2:], ""]  # ST ... claim, then SE
    body[-1] = _segment("SE", str(len(body)), control)
    trailer = [
        _segment("GE", "1", str(envelope.control_number)),
        _segment("IEA", "1", f"{envelope.control_number:09d}"),
    ]
    return "\n".join([*lines[:2], *body, *trailer]) + "\n"


def _header(settings: ClaimSettings, envelope: Envelope) -> list[str]:
    created = envelope.created
    sender = _clean(settings.submitter_id or "")
    receiver = _clean(settings.receiver_id or "")
    control = envelope.control_number
    return [
        _segment(
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            "ZZ",
            f"{sender:<15}"[:15],
            "ZZ",
            f"{receiver:<15}"[:15],
            created.strftime("%y%m%d"),
            created.strftime("%H%M"),
            REPETITION,
            "00501",
            f"{control:09d}",
            "0",
            settings.usage,
            COMPONENT,
        ),
        _segment(
            "GS",
            "HC",
            sender,
            receiver,
            created.strftime("%Y%m%d"),
            created.strftime("%H%M"),
            str(control),
            "X",
            VERSION,
        ),
        _segment("ST", "837", f"{control % 10_000:04d}", VERSION),
        _segment(
            "BHT",
            "0019",
            "00",
            f"{control:09d}",
            created.strftime("%Y%m%d"),
            created.strftime("%H%M"),
            "CH",
        ),
        _segment(
            "NM1", "41", "2", _clean(settings.submitter_name or ""), "", "", "", "", "46", sender
        ),
        _segment(
            "PER", "IC", _clean(settings.contact_name or ""), "TE", settings.billing_phone or ""
        ),
        _segment(
            "NM1", "40", "2", _clean(settings.receiver_name or ""), "", "", "", "", "46", receiver
        ),
    ]


def _billing_provider(settings: ClaimSettings) -> list[str]:
    return [
        _segment("HL", "1", "", "20", "1"),
        _segment(
            "NM1",
            "85",
            "2",
            _clean(settings.billing_name or ""),
            "",
            "",
            "",
            "",
            "XX",
            settings.billing_npi or "",
        ),
        _segment("N3", _clean(settings.billing_address or "")),
        _segment(
            "N4",
            _clean(settings.billing_city or ""),
            settings.billing_state or "",
            settings.billing_zip or "",
        ),
        _segment("REF", "EI", settings.billing_tax_id or ""),
    ]


def _subscriber(context: EncounterContext, parties: ClaimParties) -> list[str]:
    patient, payer = parties.patient, parties.payer
    if payer is None:
        raise MissingClaimData(["the payer (name and payer id)"])
    address = patient.address
    return [
        _segment("HL", "2", "1", "22", "0"),
        _segment("SBR", "P", "18", "", "", "", "", "", "", FILING[context.payer or "commercial"]),
        _segment(
            "NM1",
            "IL",
            "1",
            _clean(patient.last_name),
            _clean(patient.first_name),
            "",
            "",
            "",
            "MI",
            _clean(patient.member_id or ""),
        ),
        _segment("N3", _clean(address.street)),
        _segment("N4", _clean(address.city), address.state, address.zip),
        _segment("DMG", "D8", patient.birth_date.strftime("%Y%m%d"), patient.sex),
        _segment(
            "NM1", "PR", "2", _clean(payer.name), "", "", "", "", "PI", _clean(payer.payer_id)
        ),
    ]


def _claim(
    coding: CodingResult,
    context: EncounterContext,
    parties: ClaimParties,
    settings: ClaimSettings,
    charges: list[float],
) -> list[str]:
    day = coding.date_of_service or context.dos or dt.date.today()
    account = parties.patient.account_number or ""
    diagnoses = coding.diagnoses[:MAX_DIAGNOSES]
    codes = [
        f"{'ABK' if i == 0 else 'ABF'}{COMPONENT}{d.code.replace('.', '')}"
        for i, d in enumerate(diagnoses)
    ]
    segments = [
        _segment(
            "CLM",
            _clean(account)[:38],
            _amount(sum(charges)),
            "",
            "",
            COMPONENT.join([settings.place_of_service, "B", "1"]),
            "Y",
            "A",
            "Y",
            "Y",
        ),
        _segment("HI", *codes),
    ]
    if settings.rendering_npi and settings.rendering_last_name:
        segments.append(
            _segment(
                "NM1",
                "82",
                "1",
                _clean(settings.rendering_last_name),
                _clean(settings.rendering_first_name or ""),
                "",
                "",
                "",
                "XX",
                settings.rendering_npi,
            )
        )
    for number, (line, charge) in enumerate(zip(coding.lines, charges, strict=True), start=1):
        pointers = [p for p in line.diagnosis_pointers if p <= len(diagnoses)][:4]
        if not pointers:
            raise ClaimError(f"claim line {number} points at no diagnosis")
        procedure = COMPONENT.join(["HC", line.code, *line.modifiers[:4]])
        segments += [
            _segment("LX", str(number)),
            _segment(
                "SV1",
                procedure,
                _amount(charge),
                "UN",
                str(line.units),
                "",
                "",
                COMPONENT.join(str(p) for p in pointers),
            ),
            _segment("DTP", "472", "D8", day.strftime("%Y%m%d")),
        ]
    return segments
