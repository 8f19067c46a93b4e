"""What a patient was referred for: a complaint plans nothing said after it; a procedure named
in the referral is what it asks for, not what was done today."""

from __future__ import annotations

import pytest
from helpers import claim_lines, muscle_statuses

from scribe import Scribe


@pytest.mark.parametrize(
    "referral",
    [
        "Patient referred for evaluation and dry needling of the left levator scapulae.",
        "Referred to PT for eval and treat incl. TDN to the L levator scapulae.",
        "She was referred for assessment and trigger point injections of the left levator "
        "scapulae.",
    ],
)
def test_a_procedure_named_in_a_referral_is_not_done_today(scribe: Scribe, referral: str) -> None:
    assert muscle_statuses(scribe, referral) == {("levator scapulae", "left"): "planned"}
    assert claim_lines(scribe, referral) == set()


def test_the_referral_does_not_plan_what_was_done_after_it(scribe: Scribe) -> None:
    text = (
        "Referred for evaluation and dry needling. Today I dry needled the left levator "
        "scapulae, two needles, no injectate."
    )
    assert muscle_statuses(scribe, text) == {("levator scapulae", "left"): "treated"}
    assert claim_lines(scribe, text) == {("20560", ())}


@pytest.mark.parametrize(
    "reason",
    [
        "um initial evaluation referred for right sided neck pain um she can't turn to check her "
        "blind spot",
        "Referred for evaluation of chronic neck pain.",
    ],
)
def test_a_complaint_the_patient_was_referred_for_plans_nothing(
    scribe: Scribe, reason: str
) -> None:
    text = (
        f"{reason} on palpation there are trigger points in the left levator scapulae no "
        "needling was done today it is just the evaluation"
    )
    [status] = muscle_statuses(scribe, text).values()
    assert status in ("palpated_only", "negated")  # examined, and not needled: never planned
    assert claim_lines(scribe, text) == set()
