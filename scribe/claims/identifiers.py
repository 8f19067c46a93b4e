"""Identifiers on a claim: the National Provider Identifier and the employer identification
number. An NPI is ten digits whose last is a Luhn check digit computed over the card issuer
prefix 80840 and the first nine (CMS, "Requirements for National Provider Identifier (NPI)
and NPI Enumeration", check digit algorithm)."""

from __future__ import annotations

import re
from typing import Final

NPI_PREFIX: Final = "80840"
_NPI = re.compile(r"^\d{10}$")
_EIN = re.compile(r"^\d{2}-?\d{7}$")


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # every second digit from the right, starting with the last
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def npi_is_valid(npi: str) -> bool:
    """Ten digits and a correct check digit."""
    return bool(_NPI.match(npi)) and luhn_check_digit(NPI_PREFIX + npi[:9]) == int(npi[9])


def check_npi(value: str | None) -> str | None:
    """A settings validator: the NPI, or a ValueError that does not repeat it."""
    if value is None:
        return None
    value = value.strip()
    if not npi_is_valid(value):
        raise ValueError("not a valid NPI (ten digits with a Luhn check digit)")
    return value


def check_tax_id(value: str | None) -> str | None:
    """An employer identification number, nine digits (a dash after two allowed), kept as
    digits only."""
    if value is None:
        return None
    value = value.strip()
    if not _EIN.match(value):
        raise ValueError("not a tax id (nine digits, e.g. 12-3456789)")
    return value.replace("-", "")
