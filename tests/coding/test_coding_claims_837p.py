"""Every coding golden case as an 837P claim file (005010X222A1): validated by pyx12 and read
back through its parser, segment by segment; a case that must not go to an insurer (no line,
self-pay, ABN option 2, no billable diagnosis) is refused, and gets a superbill when it has a
line. The practice, patient and payer are test values (the NPIs are CMS's published examples)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from test_coding_golden import CASES

from scribe.claims.errors import ClaimError
from scribe.claims.service import charges, claim_837p, superbill_html
from scribe.claims.validate import read_loops, validate_837
from scribe.claims.x12 import Envelope
from scribe.coding import BillingRules, code
from scribe.config import ClaimSettings
from scribe.schemas.claim import ClaimParties
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note

LEXICONS = Path(__file__).resolve().parents[2] / "lexicons"
SETTINGS = ClaimSettings(
    billing_name="Test Physical Therapy",
    billing_npi="1234567893",
    billing_tax_id="12-3456789",
    billing_address="100 Test St",
    billing_city="Springfield",
    billing_state="IL",
    billing_zip="627011234",
    billing_phone="5555550100",
    rendering_npi="1245319599",
    rendering_last_name="Clinician",
    rendering_first_name="Test",
    submitter_id="TESTSUBMIT",
    submitter_name="Test Physical Therapy",
    contact_name="Billing",
    receiver_id="TESTRECEIVE",
    receiver_name="Test Clearinghouse",
)
PARTIES = ClaimParties.model_validate(
    {
        "patient": {
            "last_name": "Testpatient",
            "first_name": "Alex",
            "birth_date": "1970-05-06",
            "sex": "U",
            "member_id": "TEST00001",
            "account_number": "ACCT-1",
            "address": {
                "street": "1 Test Ave",
                "city": "Springfield",
                "state": "IL",
                "zip": "62701",
            },
        },
        "payer": {"name": "Test Payer", "payer_id": "99999"},
    }
)
ENVELOPE = Envelope(control_number=42, created=dt.datetime(2026, 1, 5, 9, 30))


def _insurer_claim(context: EncounterContext, result: CodingResult) -> bool:
    """An 837P goes to an insurer with lines that each point at a diagnosis."""
    return (
        context.payer in ("medicare", "commercial")
        and context.abn_option != 2
        and bool(result.lines)
        and all(line.diagnosis_pointers for line in result.lines)
    )


@pytest.mark.parametrize("case", CASES)
def test_coding_claims_golden_case_as_837p(
    case: dict[str, Any],
    build_note: Callable[[Mapping[str, Any]], Note],
    build_context: Callable[[Mapping[str, Any] | None], EncounterContext],
    rules_with: Callable[..., BillingRules],
) -> None:
    context = build_context(case.get("context"))
    context = context.model_copy(update={"payer": context.payer or "commercial"})
    result = code(
        build_note(case.get("note", {})), context, rules=rules_with(*case.get("policy_files", []))
    )
    if not _insurer_claim(context, result):
        with pytest.raises(ClaimError):
            claim_837p(result, context, PARTIES, SETTINGS, lexicon_dir=LEXICONS, envelope=ENVELOPE)
        if result.lines:
            html = superbill_html(result, context, PARTIES, SETTINGS, lexicon_dir=LEXICONS)
            assert all(f"<td>{line.code}</td>" in html for line in result.lines)
        return
    text = claim_837p(result, context, PARTIES, SETTINGS, lexicon_dir=LEXICONS, envelope=ENVELOPE)
    assert validate_837(text) == []
    expected_charges = charges(result, context, SETTINGS, LEXICONS)
    (claim,) = read_loops(text, "2300")
    assert claim.get_value("CLM01") == "ACCT-1"
    assert float(claim.get_value("CLM02")) == pytest.approx(sum(expected_charges))
    hi = claim.first("HI")
    assert hi is not None
    written = [hi.get_value(f"HI{i:02d}-2") for i in range(1, len(result.diagnoses) + 1)]
    assert written == [d.code.replace(".", "") for d in result.diagnoses]
    assert hi.get_value("HI01-1") == "ABK"
    assert all(hi.get_value(f"HI{i:02d}-1") == "ABF" for i in range(2, len(result.diagnoses) + 1))
    services = list(claim.select("2400"))
    assert len(services) == len(result.lines)
    for node, line, charge in zip(services, result.lines, expected_charges, strict=True):
        assert node.get_value("SV101-2") == line.code
        modifiers = [node.get_value(f"SV101-{i}") for i in range(3, 3 + len(line.modifiers))]
        assert modifiers == line.modifiers
        assert float(node.get_value("SV102")) == pytest.approx(charge)
        assert int(node.get_value("SV104")) == line.units
        pointers = [
            node.get_value(f"SV107-{i}") for i in range(1, len(line.diagnosis_pointers) + 1)
        ]
        assert [int(p) for p in pointers] == line.diagnosis_pointers
        assert node.get_value("DTP03") == (result.date_of_service or dt.date.today()).strftime(
            "%Y%m%d"
        )


def test_coding_claims_validator_finds_a_broken_file(
    build_note: Callable[[Mapping[str, Any]], Note], rules: BillingRules
) -> None:
    note = build_note({"muscles": ["right upper-trapezius"], "diagnoses": ["M79.12"]})
    context = EncounterContext(payer="commercial", dos=dt.date(2026, 1, 5))
    text = claim_837p(
        code(note, context, rules=rules),
        context,
        PARTIES,
        SETTINGS,
        lexicon_dir=LEXICONS,
        envelope=ENVELOPE,
    )
    assert validate_837(text) == []
    assert validate_837(text.replace("DMG*D8*19700506*U~\n", ""))  # a required segment gone
    assert validate_837(text.replace("ABK:M7912", "ZZZ:M7912"))  # a qualifier not in the guide
    assert validate_837(text.replace("DTP*472*D8*20260105", "DTP*472*D8*20261305"))  # no date
