"""Numbers as clinicians dictate them, in digits or words."""

from __future__ import annotations

import re

import pytest

from scribe import Scribe
from scribe.nlp.numbers import NUMBER, expand_number_placeholder, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7),
        ("7.5", 7.5),
        ("120", 120),
        ("0", 0),
        ("zero", 0),
        ("seven", 7),
        ("Seven", 7),
        ("ten", 10),
        ("twelve", 12),
        ("nineteen", 19),
        ("twenty", 20),
        ("seventy five", 75),
        ("seventy-five", 75),
        ("one hundred twenty", 120),
        ("one hundred and twenty", 120),
        ("six point five", 6.5),
        ("  three  ", 3),
    ],
)
def test_numbers_parse_number_digits_and_words(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "   ", "banana", "seven apples", "7/10", "1,000", "-"])
def test_numbers_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_pattern_finds_numbers_inside_text() -> None:
    pattern = re.compile(rf"pain (?P<n>{NUMBER}) out of ten", re.IGNORECASE)
    match = pattern.search("Pain seven out of ten before")
    assert match is not None
    assert parse_number(match.group("n")) == 7


def test_numbers_placeholder_expands_to_the_number_pattern() -> None:
    pattern = expand_number_placeholder(r"\b{NUM}\s+needles\b")
    assert "{NUM}" not in pattern
    assert re.search(pattern, "twelve needles", re.IGNORECASE)
    assert re.search(pattern, "12 needles", re.IGNORECASE)


@pytest.mark.parametrize(
    ("text", "value"),
    [("one twenty", 120), ("one forty five", 145), ("one ten", 110), ("two oh", None)],
)
def test_numbers_spoken_hundreds_of_range_of_motion(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_numbers_range_of_motion_in_spoken_hundreds(scribe: Scribe) -> None:
    note = scribe.extract(
        "Dry needling to the right infraspinatus, no injectate. Shoulder flexion improved from "
        "one twenty to one forty five degrees."
    ).note
    assert [(r.before_degrees, r.after_degrees) for r in note.rationale.rom] == [(120, 145)]
