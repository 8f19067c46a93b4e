"""A tired clinician's run-on: a name said before its own subject and verb ("the lateral
gastroc I needled too"), a verb for the left of a thing ("I left it for now"), a dose a muscle
"got", a speaker going back to say it in order ("wait, let me back up"), a time to come said
right before a name, and a trigger point found in a muscle then said not needled."""

from __future__ import annotations

import pytest
from helpers import claim_lines, muscle_statuses

from scribe import Scribe


def test_names_said_before_their_verbs_in_one_run_on(scribe: Scribe) -> None:
    text = (
        "okay right calf today, the lateral gastroc I needled too, it twitched a lot, and the "
        "peroneus longus I palpated a small trigger point there but I left it for now, and the "
        "tibialis posterior I did go into, carefully, no injectate just dry needling, consent "
        "on file, so next week the soleus"
    )
    statuses = muscle_statuses(scribe, text)
    assert statuses[("lateral gastrocnemius", "right")] == "treated"
    assert statuses[("fibularis longus", "right")] == "palpated_only"
    assert statuses[("tibialis posterior", "right")] == "treated"
    assert statuses[("soleus", "right")] == "planned"
    assert claim_lines(scribe, text) == {("20560", ())}


@pytest.mark.parametrize(
    "denial",
    ["but I didn't go there today", "but I left it alone today", "but I left it for next time"],
)
def test_a_trigger_point_found_and_then_left_is_palpated_only(scribe: Scribe, denial: str) -> None:
    text = (
        "everything is the left side, the glute med and the glute min had trigger points so I "
        f"dry needled each of them, there's a trigger point in the piriformis too {denial}, "
        "no injectate"
    )
    statuses = muscle_statuses(scribe, text)
    assert statuses[("piriformis", "left")] == "palpated_only"
    assert statuses[("gluteus medius", "left")] == "treated"
    assert claim_lines(scribe, text) == {("20560", ())}


def test_left_as_a_verb_gives_no_side(scribe: Scribe) -> None:
    text = "Right calf. I needled the soleus; the gastroc I left it alone. No injectate."
    assert muscle_statuses(scribe, text)[("soleus", "right")] == "treated"


def test_muscles_that_got_a_dose_are_injected_and_the_others_dry_needled(scribe: Scribe) -> None:
    text = (
        "procedure note, left shoulder girdle, trigger "
        "points with taut bands in the left levator scapulae, the left upper trapezius, the "
        "left infraspinatus, the left teres major and the left rhomboid minor, um, the levator "
        "and the upper trap got point two five percent bupivacaine, one c c each, and the "
        "others, the infraspinatus the teres major and the rhomboid minor, were dry needled, "
        "nothing injected into those, consent signed, tolerated well"
    )
    assert claim_lines(scribe, text) == {("20552", ()), ("20561", ("59",))}


@pytest.mark.parametrize(
    "text",
    [
        "Pain got ten percent better after the left upper trap was dry needled.",
        "The left upper trap got two needles, dry needling only.",
    ],
)
def test_got_without_a_dose_injects_nothing(scribe: Scribe, text: str) -> None:
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_time_to_come_parted_from_the_name_by_a_comma_plans_nothing(scribe: Scribe) -> None:
    text = "See her next week, the right upper trap was dry needled today. No injectate."
    assert muscle_statuses(scribe, text)[("upper trapezius", "right")] == "treated"
