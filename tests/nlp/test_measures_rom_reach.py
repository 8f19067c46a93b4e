"""Forward bending measured by where the fingertips reach is a range of motion without degrees
(scribe/nlp/measures.py)."""

from __future__ import annotations

import re

import pytest

from scribe.nlp.measures import rom_values

NEVER = re.compile(r"$^")


@pytest.mark.parametrize(
    "sentence",
    [
        "Trunk flexion: fingertips to distal thigh.",
        "Forward flexion with fingertips reaching to the floor.",
    ],
)
def test_measures_fingertip_reach_is_a_rom_measure(sentence: str) -> None:
    values = rom_values(sentence, NEVER, NEVER)
    assert len(values) == 1
    assert values[0].motion is not None and "flexion" in values[0].motion


def test_measures_fingertips_without_a_motion_are_no_rom() -> None:
    assert rom_values("Numbness in the fingertips to the touch.", NEVER, NEVER) == []
