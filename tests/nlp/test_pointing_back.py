"""A pronoun of one thing that points back ("that one", "it") is said of the nearest name only;
"those" and "them" take in the run of names before it."""

from __future__ import annotations

import pytest
from helpers import claim_lines, muscle_statuses

from scribe import Scribe


@pytest.mark.parametrize(
    "aside",
    [
        "but that one I only palpated",
        "but I only palpated that one",
        "but that one was palpated only",
        "but that one we just assessed",
    ],
)
def test_one_muscle_palpated_after_those_needled(scribe: Scribe, aside: str) -> None:
    text = (
        "I needled the right infraspinatus and the right teres minor, the right teres major "
        f"was tight too {aside}. No injectate."
    )
    assert muscle_statuses(scribe, text) == {
        ("infraspinatus", "right"): "treated",
        ("teres minor", "right"): "treated",
        ("teres major", "right"): "palpated_only",
    }
    assert claim_lines(scribe, text) == {("20560", ())}


def test_those_points_back_at_the_run_of_names(scribe: Scribe) -> None:
    text = (
        "I needled the right infraspinatus. The right teres minor and the right teres major were "
        "tight too but those were palpated only. No injectate."
    )
    assert muscle_statuses(scribe, text) == {
        ("infraspinatus", "right"): "treated",
        ("teres minor", "right"): "palpated_only",
        ("teres major", "right"): "palpated_only",
    }


def test_a_denial_of_it_is_said_of_the_nearest_name(scribe: Scribe) -> None:
    text = (
        "Dry needling to the left QL and the left gluteus medius, the left piriformis was "
        "tender but I held it. No injectate."
    )
    muscles = muscle_statuses(scribe, text)
    assert muscles[("quadratus lumborum", "left")] == "treated"
    assert muscles[("gluteus medius", "left")] == "treated"
    assert muscles[("piriformis", "left")] == "negated"
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_plan_for_that_one_reaches_a_name_said_with_words_about_it(scribe: Scribe) -> None:
    # the recogniser's full stop splits the plan from its time; the pronoun is the nearest name
    text = (
        "I needled the left gluteus medius and the left piriformis, no injectate, her right "
        "piriformis is quite sore as well, so I want to needle that one. Next week maybe."
    )
    assert muscle_statuses(scribe, text) == {
        ("gluteus medius", "left"): "treated",
        ("piriformis", "left"): "treated",
        ("piriformis", "right"): "planned",
    }
    assert claim_lines(scribe, text) == {("20560", ())}


def test_that_one_palpated_only_is_not_the_needling_said_after_it(scribe: Scribe) -> None:
    text = (
        "On the right side I needled the infraspinatus and the teres minor. I checked the left "
        "infraspinatus as well, it was sore, so that one was palpated only, I only needled the "
        "right side. No injectate."
    )
    assert muscle_statuses(scribe, text) == {
        ("infraspinatus", "right"): "treated",
        ("teres minor", "right"): "treated",
        ("infraspinatus", "left"): "palpated_only",
    }
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_sentence_that_opens_with_then_and_a_name_goes_on_with_the_needling(
    scribe: Scribe,
) -> None:
    text = (
        "Dry needling today, all on the left. I needled the gluteus medius with a good twitch. "
        "Then the piriformis, which brought on her buttock pain. No injectate."
    )
    assert muscle_statuses(scribe, text) == {
        ("gluteus medius", "left"): "treated",
        ("piriformis", "left"): "treated",
    }


@pytest.mark.parametrize(
    "then",
    [
        "Then the left piriformis is planned for next week.",
        "Then the left piriformis was only palpated.",
    ],
)
def test_then_with_a_status_of_its_own_keeps_it(scribe: Scribe, then: str) -> None:
    text = f"I needled the left gluteus medius today, no injectate. {then}"
    assert muscle_statuses(scribe, text)[("piriformis", "left")] in ("planned", "palpated_only")
    assert claim_lines(scribe, text) == {("20560", ())}


def test_then_after_a_needling_of_another_day_is_not_today(scribe: Scribe) -> None:
    text = "Last week I needled the left gluteus medius. Then the left piriformis."
    assert claim_lines(scribe, text) == set()


@pytest.mark.parametrize(
    "aside",
    [
        "the posterior deltoid I just palpated",
        "the posterior deltoid I didn't go into",
        "the posterior deltoid I did not go in there",
    ],
)
def test_a_name_put_before_its_own_subject_takes_the_palpation_or_denial_after_it(
    scribe: Scribe, aside: str
) -> None:
    """ "I needled the infraspinatus today, the deltoid I just palpated": the deltoid is the
    object of the words after it, said first; the needling before reaches the infraspinatus."""
    text = f"I only needled the right infraspinatus today, {aside}. No injectate."
    statuses = muscle_statuses(scribe, text)
    assert statuses[("infraspinatus", "right")] == "treated"
    assert statuses[("posterior deltoid", "right")] in ("palpated_only", "negated")
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_denial_with_no_subject_of_its_own_still_takes_in_the_list(scribe: Scribe) -> None:
    text = "Dry needling to the left gastrocnemius and soleus was deferred, INR too high."
    assert set(muscle_statuses(scribe, text).values()) == {"negated"}
    assert claim_lines(scribe, text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "I needled the left upper trapezius, I didn't go into the right levator scapulae.",
        "I needled the left upper trapezius, the right levator scapulae I didn't go in there.",
    ],
)
def test_not_going_into_a_muscle_is_not_needling_it(scribe: Scribe, text: str) -> None:
    assert muscle_statuses(scribe, text) == {
        ("upper trapezius", "left"): "treated",
        ("levator scapulae", "right"): "negated",
    }


def test_palpated_and_said_not_needled_is_palpated_only(scribe: Scribe) -> None:
    text = "I needled the right infraspinatus. The right teres minor I just palpated, not needled."
    assert muscle_statuses(scribe, text)[("teres minor", "right")] == "palpated_only"


def test_a_palpation_after_another_name_is_not_said_of_the_name_needled(scribe: Scribe) -> None:
    text = "I needled the infraspinatus today, the deltoid I just palpated. No injectate."
    assert muscle_statuses(scribe, text) == {
        ("infraspinatus", "unspecified"): "treated",
        ("deltoid", "unspecified"): "palpated_only",
    }


def test_a_dose_into_each_spelled_as_letters_points_back(scribe: Scribe) -> None:
    """An amount "into each" said as a dictation writes it ("one c c") shares the injection
    among the trigger points named in the sentence before; a substance the patient asked to
    avoid is none of today's."""
    text = (
        "On exam there was a trigger point in the right rectus abdominis and another in the "
        "right external oblique. She asked to avoid anesthetics after a bad reaction, so "
        "normal saline was used, one c c into each."
    )
    assert muscle_statuses(scribe, text) == {
        ("rectus abdominis", "right"): "treated",
        ("external oblique", "right"): "treated",
    }
    assert claim_lines(scribe, text) == {("20552", ())}
    substances = scribe.extract(text).note.injectate.substances
    assert {(s.name, s.status) for s in substances} == {
        ("normal saline", "injected"),
        ("local anesthetic", "negated"),
    }


def test_each_points_back_only_within_its_paragraph(scribe: Scribe) -> None:
    """A sentence that ends a paragraph keeps the blank line after it: "each trigger point"
    of the procedure's paragraph points at no name of the exam's paragraph."""
    text = (
        "Exam: TrPs in the quadratus lumborum bilaterally. L iliocostalis lumborum tender "
        "without a trigger point.\n\n"
        "Procedure: Each trigger point entered, 2 mL of 1% lidocaine injected.\n"
        "Muscles injected: L quadratus lumborum, R quadratus lumborum.\n"
    )
    statuses = muscle_statuses(scribe, text)
    assert statuses[("quadratus lumborum", "bilateral")] == "treated"
    assert statuses.get(("iliocostalis lumborum", "left"), "mentioned") != "treated"
    assert claim_lines(scribe, text) == {("20552", ())}


def test_the_procedure_named_again_after_a_copied_block_is_the_earlier_one(
    scribe: Scribe,
) -> None:
    """ "relief after the TPI" below a block copied from an earlier visit is that visit's
    injection: no injection of today goes without its muscles."""
    text = (
        "--- Copied forward from 10/28 visit ---\n"
        "Procedure: TPI L QL, 0.25% bupivacaine 3 mL.\n"
        "--- end copied text ---\n\n"
        "Interval: ~50% relief x 2 wks after the TPI.\n\n"
        "Procedure today: dry needling of the L QL and L glute med, no injectate.\n"
    )
    result = scribe.extract(text)
    assert {(line.code, tuple(line.modifiers)) for line in result.coding.lines} == {("20560", ())}
    assert "muscle-names-missing" not in {p.id for p in result.coding.prompts}


@pytest.mark.parametrize(
    "denial",
    [
        "The left semimembranosus was tender to palpation but no needling there today.",
        "L semimembranosus also TTP; pt declined DN there.",
        "L semimembranosus tender too, but no DN to it today.",
    ],
)
def test_a_denial_at_there_is_said_of_the_name_before(scribe: Scribe, denial: str) -> None:
    text = f"Dry needling to the left semitendinosus and the left biceps femoris. {denial}"
    muscles = muscle_statuses(scribe, text)
    assert muscles[("semitendinosus", "left")] == "treated"
    assert muscles[("semimembranosus", "left")] == "negated"
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_counted_anaphor_reaches_back_past_a_name_of_its_own_sentence(scribe: Scribe) -> None:
    text = (
        "Active trigger points in the left pectoralis major and the left pectoralis minor. "
        "Consent signed. After prep I injected 1 cc of 1% lidocaine into each of the two muscles, "
        "and got a twitch in the pec minor."
    )
    muscles = muscle_statuses(scribe, text)
    assert muscles[("pectoralis major", "left")] == "treated"
    assert muscles[("pectoralis minor", "left")] == "treated"
    assert claim_lines(scribe, text) == {("20552", ())}
