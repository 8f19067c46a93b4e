"""NPI check digits and tax ids, and the claim settings that use them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scribe.claims.identifiers import check_tax_id, luhn_check_digit, npi_is_valid
from scribe.config import ClaimSettings
from scribe.lexicons import summarise_validation


@pytest.mark.parametrize("npi", ["1234567893", "1245319599"])  # CMS's published examples
def test_claims_identifiers_valid_npi(npi: str) -> None:
    assert npi_is_valid(npi)


@pytest.mark.parametrize("npi", ["1234567890", "123456789", "12345678931", "12345678a3", ""])
def test_claims_identifiers_invalid_npi(npi: str) -> None:
    assert not npi_is_valid(npi)


def test_claims_identifiers_luhn_with_the_npi_prefix() -> None:
    # CMS: prefix 80840 + 123456789 gives the check digit 3
    assert luhn_check_digit("80840123456789") == 3


def test_claims_identifiers_tax_id() -> None:
    assert check_tax_id("12-3456789") == "123456789"
    with pytest.raises(ValueError, match="not a tax id"):
        check_tax_id("12-345678")


def test_claims_settings_refuse_a_bad_npi_without_repeating_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCRIBE_CLAIM_RENDERING_NPI", "1234567890")
    with pytest.raises(ValidationError) as raised:
        ClaimSettings()
    message = summarise_validation(raised.value)
    assert "rendering_npi" in message and "1234567890" not in message


def test_claims_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRIBE_CLAIM_BILLING_NPI", "1234567893")
    monkeypatch.setenv("SCRIBE_CLAIM_BILLING_TAX_ID", "12-3456789")
    settings = ClaimSettings()
    assert settings.billing_npi == "1234567893" and settings.billing_tax_id == "123456789"
    assert settings.usage == "T"  # test files unless the practice says production
