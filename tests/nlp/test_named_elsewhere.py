"""A misheard name that two names fit equally goes to the one the note names elsewhere
(scribe/nlp/named_elsewhere.py)."""

from __future__ import annotations

import pytest
from helpers import muscle_statuses

from scribe import Scribe


@pytest.mark.parametrize("heard", ["men", "man"])
def test_a_misheard_name_goes_to_the_name_said_before(scribe: Scribe, heard: str) -> None:
    # "men": one letter from "med" and from "min"; "man": two from "med", one from "min" and
    # "max"; only the medius is named
    text = (
        "dry needling only to the right gluteus medius and the right piriformis, a twitch "
        f"response in the glute {heard}"
    )
    assert muscle_statuses(scribe, text) == {
        ("gluteus medius", "right"): "treated",
        ("piriformis", "right"): "treated",
    }


def test_the_name_chosen_by_sound_stays_when_it_is_said_too(scribe: Scribe) -> None:
    text = "dry needling to the right gluteus minimus and the piriformis, twitch in the glute men"
    assert ("gluteus minimus", "right") in muscle_statuses(scribe, text)
    assert ("gluteus medius", "right") not in muscle_statuses(scribe, text)


def test_with_nothing_said_elsewhere_the_sound_decides(scribe: Scribe) -> None:
    text = "dry needling to the right glute men and the right piriformis"
    assert ("gluteus minimus", "right") in muscle_statuses(scribe, text)
