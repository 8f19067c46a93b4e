"""Was something injected, or was the needle dry, whatever the procedure is called
(DOMAIN.md section 4: no substance at all is 20560/20561; any substance is 20552/20553)."""

from __future__ import annotations

import pytest
from helpers import claim_lines, treated_sides

from scribe import Scribe


@pytest.mark.parametrize(
    "text",
    [
        # the denial in the injection's sentence, of a substance
        "Trigger point injections to the L QL and L glute med, no medication used. Tol well.",
        "Performed TPI without any medication to L QL and L gluteus medius.",
        # the denial after it, with no substance named
        "Trigger point injections to L QL and L glute med; nothing injected.",
        # the denial in a sentence of its own, in a note with no other needling
        "TPI x2: L QL, L glute med. No injectate.",
        # ... or beside dry needling, with no substance documented anywhere
        "TPI L QL. DN L glute med. Nothing injected.",
    ],
)
def test_a_trigger_point_injection_that_put_nothing_in_is_needle_insertion(
    scribe: Scribe, text: str
) -> None:
    result = scribe.extract(text)
    assert [(line.code, line.modifiers) for line in result.coding.lines] == [("20560", [])]
    assert result.note.injectate.status == "none_confirmed"
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("quadratus lumborum", "treated"),
        ("gluteus medius", "treated"),
    }
    prompts = [p for p in result.coding.prompts if p.id == "injection-without-substance"]
    assert len(prompts) == 1, "never a silent change of code"
    named = [p for p in result.note.procedures if p.named_as == "trigger_point_injection"]
    assert [p.kind for p in named] == ["dry_needling"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # another drug is denied, one went in
        ("TPI to the L QL with 2 mL 1% lidocaine. No steroid was injected.", "20552"),
        # another drug of the sentence may be the one injected
        ("TPI to the L QL; she declined lidocaine; sterile saline was used.", "20552"),
        # a denial said of the dry needling of another muscle
        (
            "Trigger point injection to the L QL with bupivacaine, then dry needling of the "
            "L glute med with no injectate.",
            "20552",
        ),
    ],
)
def test_an_injection_of_some_substance_stays_an_injection(
    scribe: Scribe, text: str, code: str
) -> None:
    result = scribe.extract(text)
    assert code in {line.code for line in result.coding.lines}
    assert "injection-without-substance" not in [p.id for p in result.coding.prompts]


def test_a_procedure_denied_by_its_own_predicate_is_not_done(scribe: Scribe) -> None:
    text = (
        "Trigger point injection to the L QL was not given; she had taken an anticoagulant. "
        "Dry needling of the L glute med instead, no injectate."
    )
    assert treated_sides(scribe, text) == {("gluteus medius", "left")}
    assert claim_lines(scribe, text) == {("20560", ())}


def test_acupuncture_needles_are_the_needles_of_dry_needling(scribe: Scribe) -> None:
    text = "Dry needling of the L QL and L glute med with acupuncture needles. No injectate."
    assert treated_sides(scribe, text) == {
        ("quadratus lumborum", "left"),
        ("gluteus medius", "left"),
    }
    assert claim_lines(scribe, text) == {("20560", ())}


@pytest.mark.parametrize("label", ["Sites:", "Sites (2 muscles):", "Injection sites:"])
def test_a_sites_line_lists_the_procedure_sites(scribe: Scribe, label: str) -> None:
    text = (
        "PROCEDURE NOTE\n"
        "Procedure: trigger point injections\n"
        "Exam: taut bands with jump sign in the L QL and L glute med.\n"
        "Injectate: 1% lidocaine 1 mL per site.\n"
        f"{label} L QL; L glute med\n"
    )
    assert treated_sides(scribe, text) == {
        ("quadratus lumborum", "left"),
        ("gluteus medius", "left"),
    }
    assert claim_lines(scribe, text) == {("20552", ())}


def test_a_site_label_inside_a_line_lists_nothing(scribe: Scribe) -> None:
    text = "DN to L glute med, no injectate. Pain site: L QL, worse sitting."
    assert treated_sides(scribe, text) == {("gluteus medius", "left")}


def test_a_product_named_with_its_strength_is_the_drug(scribe: Scribe) -> None:
    result = scribe.extract("TPI L QL with Kenalog-40 0.5 mL and 1% lidocaine 1 mL.")
    assert {s.name for s in result.note.injectate.substances if s.status == "injected"} == {
        "triamcinolone",
        "lidocaine",
    }


def test_a_consequence_with_its_own_subject_ends_a_denial(scribe: Scribe) -> None:
    text = (
        "I needled the L glute med, there wasn't a twitch or any release so we injected the "
        "L QL with 1 mL of 1% lidocaine."
    )
    result = scribe.extract(text)
    assert [s.name for s in result.note.injectate.substances if s.status == "injected"] == [
        "lidocaine"
    ]
    assert claim_lines(scribe, text) == {("20552", ()), ("20560", ("59",))}


def test_so_after_a_comma_ends_a_denial_whatever_its_subject(scribe: Scribe) -> None:
    text = "She declined lidocaine, so sterile saline was used for the TPI to the L QL."
    result = scribe.extract(text)
    assert {s.name: s.status for s in result.note.injectate.substances} == {
        "lidocaine": "negated",
        "normal saline": "injected",
    }
    assert claim_lines(scribe, text) == {("20552", ())}


def test_tolerance_written_as_a_field(scribe: Scribe) -> None:
    result = scribe.extract("DN L QL, no injectate. Tol: good.")
    assert result.note.rationale.tolerance is not None


def test_the_subject_after_so_still_begins_its_own_words(scribe: Scribe) -> None:
    text = "She declined DN to the L SCM, so we dry needled the L UT and the L splenius capitis."
    assert treated_sides(scribe, text) == {
        ("upper trapezius", "left"),
        ("splenius capitis", "left"),
    }


def test_dry_needled_only_speaks_of_its_own_muscles(scribe: Scribe) -> None:
    text = (
        "Trigger points in the L QL and L glute med with twitch responses. I injected the L QL, "
        "2 cc, then the L glute med was dry needled only, nothing injected there."
    )
    assert claim_lines(scribe, text) == {("20552", ()), ("20560", ("59",))}


def test_a_drug_line_after_the_injection_line_is_its_drug(scribe: Scribe) -> None:
    text = (
        "Procedure performed: trigger point injection, L QL and L glute med\n"
        "Findings: taut bands with twitch in both.\n"
        "Injectate: bupivacaine 0.25%, 1 mL per trigger point.\n"
    )
    result = scribe.extract(text)
    [drug] = [
        s
        for s in result.note.injectate.substances
        if s.status == "injected" and s.category != "unspecified"
    ]
    assert drug.name == "bupivacaine"
    assert {m.name for m in drug.muscles} == {"quadratus lumborum", "gluteus medius"}


def test_the_subject_of_a_passive_procedure_is_its_own(scribe: Scribe) -> None:
    text = "TPI to the L QL, then the L glute med was dry needled only. Tol well."
    assert claim_lines(scribe, text) == {("20552", ()), ("20560", ("59",))}


def test_an_injection_named_again_as_not_given_is_not_done_and_its_muscle_needled_dry_counts(
    scribe: Scribe,
) -> None:
    text = (
        "She came in for a TPI with 1% lidocaine to the R QL, but she reported a lidocaine "
        "allergy, so the injection was not given. Dry needling to the R QL instead, no injectate."
    )
    result = scribe.extract(text)
    assert claim_lines(scribe, text) == {("20560", ())}
    assert [(m.name, m.status, m.status_conflict) for m in result.note.muscles] == [
        ("quadratus lumborum", "treated", False)
    ]
    assert result.note.injectate.status == "none_confirmed"


def test_needling_that_put_a_substance_in_is_a_trigger_point_injection(scribe: Scribe) -> None:
    text = "Needling of the R infraspinatus trigger point, 1 mL 0.5% lidocaine injected, LTR x2."
    result = scribe.extract(text)
    assert claim_lines(scribe, text) == {("20552", ())}
    assert "needling-with-substance" in [p.id for p in result.coding.prompts]
    named = [p for p in result.note.procedures if p.named_as == "dry_needling"]
    assert [p.kind for p in named] == ["trigger_point_injection"]


@pytest.mark.parametrize(
    "text",
    [
        # a drug of another route
        "DN to the R infraspinatus, LTR x2. Lidocaine 5% patch at home for the neck.",
        # a mixed session names its own injection
        "TPI with 1 mL 1% lidocaine to the L QL; dry needling of the R infraspinatus.",
        "DN to R infraspinatus and R teres minor; 1 mL 1% lidocaine injected into the R QL.",
    ],
)
def test_needling_beside_a_drug_it_did_not_give_stays_needling(scribe: Scribe, text: str) -> None:
    result = scribe.extract(text)
    assert "needling-with-substance" not in [p.id for p in result.coding.prompts]
    assert any(code in ("20560", "20561") for code, _ in claim_lines(scribe, text))


@pytest.mark.parametrize("nothing", ["nothing at all was injected", "nothing else was injected"])
def test_nothing_at_all_injected_into_the_needled_muscles(scribe: Scribe, nothing: str) -> None:
    text = (
        "Trigger point injection to the R upper trapezius with 1 mL of 1% lidocaine. Then dry "
        f"needling to the R levator scapulae and R rhomboid minor, {nothing} into those."
    )
    lines = {
        (line.code, tuple(m.name for m in line.muscles))
        for line in scribe.extract(text).coding.lines
    }
    assert lines == {
        ("20552", ("upper trapezius",)),
        ("20560", ("levator scapulae", "rhomboid minor")),
    }
