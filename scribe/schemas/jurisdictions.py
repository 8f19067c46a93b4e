"""US postal codes of the places a practice can be licensed in (USPS Publication 28)."""

from __future__ import annotations

from typing import Final

#: The fifty states and the District of Columbia: the scope-of-practice data must cover each.
STATES_AND_DC: Final = frozenset(
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
        "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
        "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
        "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    }
)  # fmt: skip
#: Territories with their own licensing boards: accepted as a practice's state; the data may
#: hold rules for them but need not.
TERRITORIES: Final = frozenset({"AS", "GU", "MP", "PR", "VI"})
JURISDICTIONS: Final = STATES_AND_DC | TERRITORIES


def normalise_jurisdiction(value: str) -> str:
    """The upper-case postal code; a ``ValueError`` that never repeats the value otherwise."""
    code = value.strip().upper()
    if code not in JURISDICTIONS:
        raise ValueError("not the postal code of a US state, DC or territory (e.g. TX)")
    return code
