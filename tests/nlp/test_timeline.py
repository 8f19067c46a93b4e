"""When a procedure was done: only today's needling is billed, whatever earlier visits,
plans and asides the note also tells of (DOMAIN.md section 3). Each rule in its own words."""

from __future__ import annotations

import pytest
from helpers import claim_lines, treated_sides

from scribe import Scribe


def test_an_aside_to_the_listener_sets_no_condition(scribe: Scribe) -> None:
    text = (
        "last week if you recall we needled the right levator scapulae and today i "
        "needled the right upper trapezius only no injectate"
    )
    assert treated_sides(scribe, text) == {("upper trapezius", "right")}


@pytest.mark.parametrize(
    "plan",
    ["we'll think about needling", "we may also trial needling", "I will probably add DN to"],
)
def test_a_plan_with_its_own_verb_before_the_needling_is_a_plan(scribe: Scribe, plan: str) -> None:
    # the words between a plan and its needling may hold one verb or adverb of the plan's own
    text = f"DN to the R UT today, no injectate. Next time {plan} the R SCM."
    result = scribe.extract(text)
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("upper trapezius", "treated"),
        ("sternocleidomastoid", "planned"),
    }


def test_no_needles_at_all_points_at_no_muscles(scribe: Scribe) -> None:
    # "at all" is no "all" that points back at the muscles named before it
    text = (
        "so to recap we did dry needling on her first two visits to the left QL and the left "
        "TFL and it helped today was manual therapy only no needles at all she wanted to rest "
        "from the needling because of bruising"
    )
    assert claim_lines(scribe, text) == set()
    assert treated_sides(scribe, text) == set()


def test_a_past_time_said_before_a_muscle_outlasts_a_later_today(scribe: Scribe) -> None:
    # run-on speech: "today" reaches back over the whole sentence, the earlier time is nearer
    text = (
        "last week we did the left SCM and she had two good days after that today i needled "
        "the left splenius capitis nothing injected just the solid filament needles"
    )
    assert treated_sides(scribe, text) == {("splenius capitis", "left")}
    assert claim_lines(scribe, text) == {("20560", ())}


def test_today_said_before_an_earlier_visit_keeps_the_muscle_today(scribe: Scribe) -> None:
    text = "Today, as at the last visit, DN to the R UT and R levator. No injectate."
    assert treated_sides(scribe, text) == {
        ("upper trapezius", "right"),
        ("levator scapulae", "right"),
    }


@pytest.mark.parametrize(
    "given",
    ["with 1% lidocaine 1 mL each", "with no injectate", "without any medication"],
)
def test_what_a_procedure_gave_stands_between_it_and_its_muscles(
    scribe: Scribe, given: str
) -> None:
    text = (
        "Trigger point injections with 0.25% bupivacaine into the L QL and L glute med, 2 mL "
        f"each, then dry needling {given} into the L piriformis and L TFL."
    )
    lines = claim_lines(scribe, text)
    assert ("20552", ()) in lines
    dry = [code for code, modifiers in lines if modifiers == ("59",)]
    assert dry == ["20560"], "the glute med was injected, not also needled dry"


def test_a_procedure_scheduled_for_today_and_not_performed_bills_nothing(scribe: Scribe) -> None:
    text = (
        "Procedure: Dry needling to the L infraspinatus and L teres minor was booked for today "
        "and was not performed, pt febrile."
    )
    assert claim_lines(scribe, text) == set()
    assert treated_sides(scribe, text) == set()


@pytest.mark.parametrize(
    "same", ["same as last visit", "the same as before", "same muscles as the previous session"]
)
def test_today_the_same_as_before_is_today(scribe: Scribe, same: str) -> None:
    text = f"today i needled the right UT and the right levator {same} and i added the right SCM"
    assert treated_sides(scribe, text) == {
        ("upper trapezius", "right"),
        ("levator scapulae", "right"),
        ("sternocleidomastoid", "right"),
    }


@pytest.mark.parametrize(
    "earlier",
    [
        "the L piriformis was needled once, at the second session",
        "on the 3rd, we needled the L piriformis",
        "the L piriformis we did at visit 4 and not since",
    ],
)
def test_another_visit_named_by_its_number_is_not_today(scribe: Scribe, earlier: str) -> None:
    text = f"Visit 9. {earlier}. Today DN to the L glute med only, no injectate."
    assert treated_sides(scribe, text) == {("gluteus medius", "left")}


def test_a_visit_number_of_a_plan_is_the_plan(scribe: Scribe) -> None:
    text = "Plan: will start TDN at the second visit to the L piriformis once consent is signed."
    result = scribe.extract(text)
    assert [(m.name, m.status) for m in result.note.muscles] == [("piriformis", "planned")]


def test_the_needling_said_again_is_the_one_just_told_of(scribe: Scribe) -> None:
    text = (
        "Dear Dr Lund,\n\n"
        "During her first three sessions I needled the right infraspinatus. She found the "
        "needling helpful. No needling has been done since and none is planned.\n"
    )
    result = scribe.extract(text)
    assert result.coding.lines == []
    assert "muscle-names-missing" not in [p.id for p in result.coding.prompts]


def test_a_payers_authorization_for_the_procedure_reports_none(scribe: Scribe) -> None:
    text = (
        "Auth: 10 visits incl. DN through 12/31.\n"
        "Today: therex and manual therapy; needling not performed, pt unwell.\n"
    )
    result = scribe.extract(text)
    assert result.coding.lines == []
    assert "muscle-names-missing" not in [p.id for p in result.coding.prompts]


def test_only_said_of_a_side_does_not_end_the_list_of_its_names(scribe: Scribe) -> None:
    text = (
        "today we did the left side only, the left QL and the left glute med um each of them "
        "had a taut band. nothing injected. next week the right side"
    )
    assert treated_sides(scribe, text) == {
        ("quadratus lumborum", "left"),
        ("gluteus medius", "left"),
    }


@pytest.mark.parametrize(
    "visit", ["Next DN visit:", "At her next TPI appointment", "For the next needling session"]
)
def test_the_next_visit_named_by_its_procedure_is_a_plan(scribe: Scribe, visit: str) -> None:
    text = f"DN to the L UT today, no injectate. {visit} the L levator scapulae."
    result = scribe.extract(text)
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("upper trapezius", "treated"),
        ("levator scapulae", "planned"),
    }


def test_a_time_said_before_a_long_list_is_said_of_all_of_it(scribe: Scribe) -> None:
    # the rule's own reach would end inside the list, after its first names
    text = (
        "Back in March she had trigger point dry needling at an outside clinic to the right "
        "gluteus medius, the right gluteus minimus, the right piriformis and the right "
        "quadratus lumborum. Today we needled the right TFL only, no injectate."
    )
    result = scribe.extract(text)
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("gluteus medius", "historical"),
        ("gluteus minimus", "historical"),
        ("piriformis", "historical"),
        ("quadratus lumborum", "historical"),
        ("tensor fasciae latae", "treated"),
    }


@pytest.mark.parametrize("visits", ["at 4 of her visits", "on several sessions", "at most visits"])
def test_a_count_of_visits_is_other_visits(scribe: Scribe, visits: str) -> None:
    text = (
        f"Summary: she had trigger point dry needling {visits} to the right gluteus medius, the "
        "right lumbar multifidus at L four L five and the right piriformis. Today exercise only."
    )
    result = scribe.extract(text)
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("gluteus medius", "historical"),
        ("multifidus lumborum", "historical"),
        ("piriformis", "historical"),
    }
    assert result.coding.lines == []


@pytest.mark.parametrize(
    "said",
    [
        "Dry needling (not traditional acupuncture) to the R infraspinatus and R teres minor.",
        "Trigger point needling with acupuncture needles, rather than acupuncture points: R "
        "infraspinatus, R teres minor.",
    ],
)
def test_acupuncture_denied_is_no_acupuncture(scribe: Scribe, said: str) -> None:
    text = f"{said} No injectate. Tolerated well."
    assert treated_sides(scribe, text) == {("infraspinatus", "right"), ("teres minor", "right")}


def test_acupuncture_said_as_done_is_still_not_dry_needling(scribe: Scribe) -> None:
    text = "Traditional acupuncture to the R infraspinatus and R teres minor, GB21 and LI4."
    assert claim_lines(scribe, text) == set()
