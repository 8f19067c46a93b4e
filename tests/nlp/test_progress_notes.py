"""Long notes in which today's needling is a small part: progress reports, re-evaluations and
discharge summaries look back over earlier visits and forward over the plan of care, and only
what was done today is billed (DOMAIN.md section 3)."""

from __future__ import annotations

import pytest
from helpers import claim_lines, treated_sides

from scribe import Scribe


@pytest.mark.parametrize(
    "look_back",
    [
        "over the course of care we dry needled the left QL and the left TFL",
        "last visit which was the ninth I needled the left QL and the left TFL",
        # visits named by their numbers, several of them
        "we needled the left QL and the left TFL during sessions two to four",
        "the left QL and the left TFL were needled on treatments 3, 5 and 7",
        "the first four sessions we needled the left QL and the left TFL",
        # a day already spoken of
        "she came in on the second as well and at that appointment I needled the left QL and "
        "the left TFL",
        # the whole span of care
        "throughout the treatment episode we needled the left QL and the left TFL",
        "for the length of the plan of care we needled the left QL and the left TFL",
    ],
)
def test_a_look_back_over_earlier_visits_is_not_today(scribe: Scribe, look_back: str) -> None:
    text = (
        f"progress note she is at visit ten {look_back} and today I dry needled the left "
        "gluteus medius only no injectate"
    )
    assert treated_sides(scribe, text) == {("gluteus medius", "left")}


def test_a_summary_of_prior_visits_is_history(scribe: Scribe) -> None:
    text = (
        "PRIOR VISITS\n"
        "TDN to L QL and L TFL with good response.\n\n"
        "TREATMENT TODAY\n"
        "TDN L gluteus medius, LTR x2. No injectate.\n"
    )
    assert treated_sides(scribe, text) == {("gluteus medius", "left")}


@pytest.mark.parametrize("title", ["EARLIER TREATMENT HISTORY", "REVIEW OF PREVIOUS SESSIONS"])
def test_a_title_ending_in_a_history_heading_is_history(scribe: Scribe, title: str) -> None:
    text = (
        f"{title}\n"
        "TDN to L QL and L TFL with good response.\n\n"
        "TREATMENT TODAY\n"
        "TDN L gluteus medius, LTR x2. No injectate.\n"
    )
    assert treated_sides(scribe, text) == {("gluteus medius", "left")}


@pytest.mark.parametrize(
    "plan",
    [
        # a heading with a note in brackets after it
        "PLAN OF CARE (recertified 03/01 - 04/12)\nTDN to L QL and L TFL.\n",
        "Plan: 2x/wk. Interventions: therex, and TDN as indicated to L QL and L TFL.\n",
        # the plan's own fields, each on its line
        "UPDATED PLAN OF CARE\nFrequency: 1x/wk x 4 wk\nTreatment: HEP, TDN to L QL, L TFL\n",
    ],
)
def test_the_plan_of_care_targets_are_planned(scribe: Scribe, plan: str) -> None:
    text = f"TREATMENT TODAY\nTDN L gluteus medius, LTR x2. No injectate.\n\n{plan}"
    assert treated_sides(scribe, text) == {("gluteus medius", "left")}
    assert claim_lines(scribe, text) == {("20560", ())}


def test_targets_per_plan_of_care_declined_today_bill_nothing(scribe: Scribe) -> None:
    text = (
        "DRY NEEDLING (03/14)\n"
        "[ ] Performed  [x] Not performed  Reason: [x] Pt declined\n"
        "Targets per POC: L QL, L TFL.\n"
    )
    result = scribe.extract(text)
    assert result.coding.lines == []
    assert not [m for m in result.note.muscles if m.status == "treated"]


def test_a_box_answered_performed_keeps_the_procedure(scribe: Scribe) -> None:
    text = "DRY NEEDLING (03/14)\n[x] Performed  [ ] Not performed\nL QL, L TFL. No injectate.\n"
    assert claim_lines(scribe, text) == {("20560", ())}


def test_each_list_goes_with_the_procedure_that_heads_it(scribe: Scribe) -> None:
    text = (
        "PROCEDURE: Trigger point injections and dry needling\n"
        "Consent obtained.\n"
        "  Injected, 1% lidocaine 1 mL per site:\n"
        "    1. L QL\n"
        "    2. L TFL\n"
        "    3. L gluteus minimus\n"
        "  Dry needled, no medication or other substance injected:\n"
        "    4. L gluteus medius\n"
    )
    assert claim_lines(scribe, text) == {("20553", ()), ("20560", ("59",))}


def test_a_code_modifier_is_no_needle_count(scribe: Scribe) -> None:
    text = "DN to L QL, 4 needles, no injectate.\nCHARGES: 20560-59 Needle insertion w/o injection"
    result = scribe.extract(text)
    assert [c.count for c in result.note.rationale.needle_counts] == [4]


def test_a_run_on_of_two_procedures_keeps_each_its_own_muscles(scribe: Scribe) -> None:
    text = (
        "exam there are trigger points in the left QL and the left TFL that reproduce her pain "
        "consent given I did trigger point injections into the left gluteus medius with one cc "
        "of one percent lidocaine then for the left QL and the left TFL I did dry needling only "
        "with no medication injected she tolerated it well"
    )
    assert claim_lines(scribe, text) == {("20552", ()), ("20560", ("59",))}


def test_a_hands_on_release_is_another_treatment(scribe: Scribe) -> None:
    text = "DN to L masseter, no injectate, LTR x2, then manual release to the R medial pterygoid."
    assert treated_sides(scribe, text) == {("masseter", "left")}


def test_pain_in_a_run_on_takes_no_cue_from_far_before_or_from_consent(scribe: Scribe) -> None:
    text = (
        "she is back to not being able to lift her grandson and the trigger point in the left "
        "levator refers into her head pain today is eight out of ten after written consent and "
        "a time out I injected the left levator with two cc of one percent lidocaine she "
        "tolerated it well pain after was four out of ten"
    )
    pain = scribe.extract(text).note.rationale.pain
    assert (
        pain.before.value if pain.before else None,
        pain.after.value if pain.after else None,
    ) == (
        8.0,
        4.0,
    )
