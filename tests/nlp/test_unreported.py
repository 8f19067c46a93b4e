"""Template and boilerplate procedure words report no procedure and raise no prompt."""

from __future__ import annotations

import pytest

from scribe import Scribe


def _prompts(scribe: Scribe, text: str) -> set[str]:
    return {p.id for p in scribe.extract(text).coding.prompts}


def _codes(scribe: Scribe, text: str) -> list[str]:
    return [line.code for line in scribe.extract(text).coding.lines]


@pytest.mark.parametrize(
    "text",
    [
        "[x] Dry needling   [ ] Trigger point injection\nDN R UT and R levator. No injectate.",
        "Dry needling:  [ ] performed   [x] deferred\nNeck pain 6/10, fever today.",
        "DRY NEEDLING SCREENING QUESTIONNAIRE (patient-completed)\nBlood thinners? N",
        "Dry needling uses a thin solid needle inserted into a trigger point. Risks explained.",
        "Muscles needled: ______     Side: ______",
        "Alternatives discussed: physical therapy, dry needling, acupuncture.",
        # patient education: a leaflet, and the soreness to expect after needling
        "Gave her the clinic leaflet on dry needling to read at home.",
        "Education: expected post-needling soreness and bruising discussed.",
        # a heading, and under it a field that asks whether it was performed
        "DRY NEEDLING PROCEDURE\n  Procedure performed:    [ ] Yes   [x] No\n"
        "  Reason not performed:   new anticoagulant.",
    ],
)
def test_unreported_template_words_raise_no_muscle_prompt(scribe: Scribe, text: str) -> None:
    assert "muscle-names-missing" not in _prompts(scribe, text)


@pytest.mark.parametrize(
    "text",
    [
        "Dry needling performed to the low back after risks were explained. Tolerated well.",
        # the clinician saying they did it, after the consent words
        "After verbal consent, I did a trigger point injection with normal saline.",
        "Consent signed, then we did dry needling over the sore spots.",
    ],
)
def test_unreported_a_real_procedure_without_muscles_is_still_prompted(
    scribe: Scribe, text: str
) -> None:
    assert "muscle-names-missing" in _prompts(scribe, text)


def test_unreported_we_did_discuss_is_no_procedure_done(scribe: Scribe) -> None:
    assert "muscle-names-missing" not in _prompts(scribe, "We did discuss dry needling, consent.")


def test_unreported_never_takes_a_line_off(scribe: Scribe) -> None:
    text = "Risks of dry needling explained; consent signed. DN to R UT and L levator. Tol well."
    assert _codes(scribe, text) == ["20560"]


def test_unreported_an_offered_procedure_and_a_next_visit_bill_nothing(scribe: Scribe) -> None:
    text = (
        "DN to the R infraspinatus was offered after education; pt declined needling.\n\n"
        "PLAN\nDry needling not performed today (evaluation only).\n"
        "Next visit: DN to L gluteus medius and L piriformis.\n"
    )
    assert _codes(scribe, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Dry needling performed today:   ☐ Yes   ☒ No - deferred (new anticoagulant)\n"
        "Trigger point injection:   ☐\nTherapeutic exercise 30 min.",
        "Dry needling performed today: [ ] Yes [x] No\nExercise only.",
        "Exercise and taping. No needling or injection of any kind was performed today.",
        "HEP reviewed. No TPI or dry needling today.",
    ],
)
def test_unreported_a_procedure_answered_no_or_denied_whole_raises_no_prompt(
    scribe: Scribe, text: str
) -> None:
    assert "muscle-names-missing" not in _prompts(scribe, text)
    assert _codes(scribe, text) == []


def test_unreported_a_box_checked_yes_keeps_the_procedure(scribe: Scribe) -> None:
    text = "Dry needling performed today: ☒ Yes ☐ No\nTDN R upper trapezius x2, no injectate."
    assert _codes(scribe, text) == ["20560"]


def test_unreported_a_heading_over_a_field_of_another_question_is_still_prompted(
    scribe: Scribe,
) -> None:
    text = (
        "DRY NEEDLING PROCEDURE\n  Anticoagulants:   [ ] Yes   [x] No\n"
        "Needles placed into the low back, LTR x2. Tolerated well."
    )
    assert "muscle-names-missing" in _prompts(scribe, text)
