"""Wording met in dictations and notes that talk about payers, regions and visits around the
needling: a muscle described by degree ("is a bit cranky") after the needling, a name that is
the subject of a later plan in a run-on, a list that is a later passive subject, the part of the
body said before a bare list, "then" and the next region's list, a relative clause of the
muscle's response, the session's side said after "So,", a denial of the place and not of the
act, the multiplication sign of a count, one name a line with its needles, and an earlier
visit's value said as a comparison."""

from __future__ import annotations

from helpers import heard as _heard
from helpers import read_lines as _read

from scribe import Scribe


def test_a_muscle_described_by_degree_is_not_the_object_of_the_needling_before_it(
    scribe: Scribe,
) -> None:
    text = (
        "i dry needled the right infraspinatus and then the teres minor his neck is fine "
        "and the left scalene on that side is really cranky but we are leaving the left alone "
        "twitch in the infraspinatus no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert not any(side == "left" and status == "treated" for (_, side), status in muscles.items())
    assert lines == {"20560"}


def test_a_degree_word_before_dry_keeps_the_needling(scribe: Scribe) -> None:
    # "was so dry" is no description: the rule leaves procedure words alone
    muscles, _ = _heard(scribe, "dry needling today the left soleus was needled twice no injectate")
    assert muscles[("soleus", "left")] == "treated"


def test_a_later_plan_in_a_run_on_is_the_subject_of_its_own_clause(scribe: Scribe) -> None:
    text = (
        "the left teres major and the left infraspinatus were dry needled with solid filament "
        "needles without injection of any substance given how deep it sits the left "
        "subscapularis will be injected under ultrasound guidance at his next appointment he "
        "tolerated it"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles.get(("subscapularis", "left")) != "treated"
    assert lines == {"20560"}


def test_a_run_on_list_closed_by_its_and_stays_with_the_injection(scribe: Scribe) -> None:
    text = (
        "one percent lidocaine one c c each was injected into the left rhomboid major and the "
        "left levator scapulae the left infraspinatus and the left teres minor were then dry "
        "needled with no injectate she tolerated both"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("rhomboid major", "left")] == "treated"
    assert muscles[("teres minor", "left")] == "treated"
    assert lines == {"20552", "20560"}


def test_the_part_of_the_body_said_before_a_bare_list_keeps_it_a_list(scribe: Scribe) -> None:
    text = (
        "Manipulation of the thoracic spine first, then went on to dry needling. Left side of "
        "the upper back, the levator scapulae and the rhomboid minor. No injectate."
    )
    muscles, lines = _read(scribe, text)
    assert muscles[("levator scapulae", "left")] == "treated"
    assert muscles[("rhomboid minor", "left")] == "treated"
    assert lines == [("20560", ())]


def test_a_relative_clause_of_the_response_goes_on_with_the_name(scribe: Scribe) -> None:
    text = (
        "Dry needling today. The right infraspinatus and the right teres minor. Then the right "
        "supraspinatus, which produced a strong twitch. No injectate."
    )
    muscles, lines = _read(scribe, text)
    assert muscles[("supraspinatus", "right")] == "treated"
    assert lines == [("20561", ())]


def test_then_and_the_next_regions_list_go_on_with_the_needling_before(scribe: Scribe) -> None:
    text = (
        "Hip first, right gluteus minimus and right piriformis, twitch responses in both. Then "
        "the calf, right soleus. Solid needles only, nothing injected."
    )
    muscles, lines = _read(scribe, text)
    assert muscles[("soleus", "right")] == "treated"
    assert lines == [("20561", ())]


def test_then_does_not_carry_a_palpation_into_the_needling(scribe: Scribe) -> None:
    text = (
        "Palpated the right gluteus minimus and right piriformis, tender in both. Then the calf, "
        "right soleus. Dry needled the right gluteus minimus only. No injectate."
    )
    muscles, _ = _read(scribe, text)
    assert muscles.get(("soleus", "right")) != "treated"


def test_the_sessions_side_said_after_so(scribe: Scribe) -> None:
    text = (
        "So, left side only today. Dry needled the gluteus maximus and the piriformis. "
        "No injectate."
    )
    muscles, _ = _read(scribe, text)
    assert muscles[("gluteus maximus", "left")] == "treated"
    assert muscles[("piriformis", "left")] == "treated"


def test_a_denial_of_the_place_keeps_the_other_providers_time(scribe: Scribe) -> None:
    text = (
        "She had trigger point injections from her physician two years ago into the right "
        "levator scapulae, not done at this clinic. Today I dry needled the right upper "
        "trapezius. No injectate."
    )
    muscles, lines = _read(scribe, text)
    assert muscles[("levator scapulae", "right")] == "historical"
    assert lines == [("20560", ())]


def test_the_multiplication_sign_counts_needles_one_name_a_line(scribe: Scribe) -> None:
    text = (
        "Dry needling, no injectate:\n"
        "  \u2022 R vastus lateralis \u00d73 needles\n"
        "  \u2022 R rectus femoris \u00d72\n"
        "  \u2022 R vastus medialis \u00d71\n"
    )
    result = scribe.extract(text)
    assert result.note.rationale.needles_used() == 6


def test_a_value_of_an_earlier_visit_dates_no_needling(scribe: Scribe) -> None:
    text = (
        "cervical rotation sixty degrees last week it was forty five i needled the left "
        "splenius capitis and the left levator scapulae no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("splenius capitis", "left")] == "treated"
    assert lines == {"20560"}


def test_an_earlier_visits_needling_stays_in_the_past(scribe: Scribe) -> None:
    text = "last week it was the left splenius capitis we needled today nothing was done"
    muscles, lines = _heard(scribe, text)
    assert muscles.get(("splenius capitis", "left")) != "treated"
    assert lines == set()


def test_names_said_dry_after_a_switch_to_an_injection_stay_dry(scribe: Scribe) -> None:
    text = (
        "dry needling first to the right infraspinatus and the right teres minor nothing "
        "injected into those then the right supraspinatus was so reactive that i switched to a "
        "trigger point injection there one percent lidocaine one c c so the infraspinatus and "
        "teres minor were dry the supraspinatus was injected"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("infraspinatus", "right")] == "treated"
    assert lines == {"20552", "20560"}


def test_a_later_needle_word_does_not_reach_back_over_today_into_last_weeks_names(
    scribe: Scribe,
) -> None:
    text = (
        "two weeks ago we did the right soleus and the right medial gastrocnemius and she said "
        "the gastrocnemius calmed down a lot so today i went into the right soleus and the "
        "right tibialis posterior twitches in both needled dry nothing injected"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles.get(("medial gastrocnemius", "right")) != "treated"
    assert lines == {"20560"}


def test_consent_given_before_today_dates_only_the_consent(scribe: Scribe) -> None:
    text = (
        "he signed consent before today i did dry needling to the left biceps femoris the left "
        "semitendinosus and the left adductor magnus good twitches no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("semitendinosus", "left")] == "treated"
    assert lines == {"20561"}


def test_the_patients_own_naming_of_the_cause_is_not_what_was_needled(scribe: Scribe) -> None:
    text = (
        "she thinks it is her left quadratus lumborum her friend had the same thing "
        "dry needling done today to the left lumbar paraspinals no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles.get(("quadratus lumborum", "left")) != "treated"
    assert "20560" not in lines
