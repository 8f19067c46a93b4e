"""Sessions with both trigger point injections and dry needling, said in one breath: which
procedure each muscle had (scribe/nlp/reach.py), and which procedure a "no injectate" belongs
to (scribe/nlp/injections.py)."""

from __future__ import annotations

import pytest

from scribe import Scribe
from scribe.pipeline import ExtractionResult


def lines(result: ExtractionResult) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((line.code, tuple(line.modifiers)) for line in result.coding.lines)


def techniques(result: ExtractionResult) -> dict[str, list[str]]:
    return {m.name: list(m.techniques) for m in result.note.muscles if m.status == "treated"}


def test_mixed_a_muscle_named_by_the_procedure_before_it_is_that_procedures(
    scribe: Scribe,
) -> None:
    # the injection said after the levator does not reach back to the needling's own muscle
    result = scribe.extract(
        "Dry needling to the left levator scapulae, then trigger point injection to the right "
        "upper trapezius with 1% lidocaine 2 mL."
    )
    assert techniques(result) == {
        "levator scapulae": ["needling"],
        "upper trapezius": ["injection"],
    }
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_mixed_a_refused_drug_does_not_undo_the_needling_said_before(scribe: Scribe) -> None:
    result = scribe.extract(
        "Dry needling to the left levator scapulae, then trigger point injection to the R UT, "
        "no lidocaine used."
    )
    # the injection put nothing in: a needle insertion without injection (DOMAIN section 4),
    # coded with the dry needling and flagged, never dropped in silence
    assert techniques(result) == {"levator scapulae": ["needling"], "upper trapezius": ["needling"]}
    assert lines(result) == [("20560", ())]
    assert "injection-without-substance" in [p.id for p in result.coding.prompts]


def test_mixed_no_injectate_after_the_needling_is_the_needlings(scribe: Scribe) -> None:
    # the drug's name was misheard: the injection is still stated, and "no injectate" is said
    # of the dry needling that comes between
    result = scribe.extract(
        "trigger point injection with pivocaine to the right infraspinatus where there was an "
        "active trigger point and then dry needling to the right upper trapezius with no "
        "injectate the patient tolerated both well"
    )
    assert techniques(result) == {
        "infraspinatus": ["injection"],
        "upper trapezius": ["needling"],
    }
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_mixed_a_denied_drug_still_undoes_its_own_injection(scribe: Scribe) -> None:
    result = scribe.extract("No lidocaine was injected into the R UT. Dry needling to the R UT.")
    assert lines(result) == [("20560", ())]
    # no 20552: what is left of the injection is a needle insertion without injection, coded
    # as one with a prompt (it was dropped in silence before)
    result = scribe.extract("Trigger point injection to the R UT, no lidocaine used.")
    assert lines(result) == [("20560", ())]
    assert "injection-without-substance" in [p.id for p in result.coding.prompts]


def test_mixed_a_drug_the_patient_did_not_want_leaves_the_injection_done(scribe: Scribe) -> None:
    # the injectate itself misheard ("normal sailing"): the refused drugs are a choice of
    # injectate, not the injection denied
    result = scribe.extract(
        "Tender trigger point in the left piriformis, so I did a trigger point injection there "
        "with normal sailing, he did not want any steroid or lidocaine, tolerated it fine."
    )
    assert lines(result) == [("20552", ())]


def test_mixed_a_procedure_that_names_its_own_muscles_does_not_reach_back(
    scribe: Scribe,
) -> None:
    # the findings name the levator; the injection names its own muscles, and the levator is
    # needled later
    result = scribe.extract(
        "procedure note indication myofascial neck pain with active trigger points in the "
        "upper trapezius on both sides and in the right levator scapulae each with a palpable "
        "taut band consent verbal and written, trigger point injections into the upper "
        "trapezius bilaterally, one milliliter of 1% lidocame per side, the right levator "
        "scapulae was dry needled only, no medication into the levator"
    )
    assert techniques(result) == {
        "upper trapezius": ["injection"],
        "levator scapulae": ["needling"],
    }
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_mixed_a_list_right_before_the_procedure_is_its_own(scribe: Scribe) -> None:
    result = scribe.extract(
        "right upper trapezius and levator scapulae, dry needling to the right rhomboid major "
        "as well, no injectate"
    )
    assert set(techniques(result)) == {"upper trapezius", "levator scapulae", "rhomboid major"}


def test_mixed_trigger_point_injection_with_a_pause_inside_its_name(scribe: Scribe) -> None:
    result = scribe.extract(
        "trigger point, injection to the left quadratus lumborum with two milliliters of "
        "markane, then dry needling to the left gluteus medius and the left piriformis"
    )
    assert techniques(result) == {
        "quadratus lumborum": ["injection"],
        "gluteus medius": ["needling"],
        "piriformis": ["needling"],
    }


def test_mixed_an_injection_that_points_back_at_a_trigger_point(scribe: Scribe) -> None:
    result = scribe.extract(
        "Exquisitely tender trigger point in the right infraspinatus with a jump sign. I "
        "injected that one with one milliliter of lidocaine. The right teres minor I dry "
        "needled, nothing injected there."
    )
    assert techniques(result) == {"infraspinatus": ["injection"], "teres minor": ["needling"]}
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_mixed_an_injection_pointing_back_at_no_trigger_point_is_no_tpi(scribe: Scribe) -> None:
    result = scribe.extract(
        "Right knee effusion. I injected that one with 40 mg of triamcinolone. Dry needling to "
        "the right vastus lateralis."
    )
    assert lines(result) == [("20560", ())]


def test_mixed_a_bare_injected_speaks_of_the_trigger_point_injection_named(
    scribe: Scribe,
) -> None:
    # the drug's name was misheard ("lidocame"): the note names a trigger point injection and
    # dry needling, and "dry needled only" is said of one muscle
    result = scribe.extract(
        "trigger point injection and dry needling, left low back, taut bands with trigger "
        "points in the left quadratus lumborum, gluteus medius and gluteus minimus, those were "
        "injected with one percent lidocame, the left piriformis was dry needled only, no "
        "medication into that one"
    )
    assert lines(result) == [("20553", ()), ("20560", ("59",))]


def test_mixed_a_procedure_named_in_brackets_is_an_aside(scribe: Scribe) -> None:
    # the TPI in brackets says which muscles the dry needling is not; the needling reaches them
    result = scribe.extract(
        "A) TPI: L infraspinatus - 1 mL of 0.5% bupivacaine.\n"
        "B) Dry needling (separate from the TPI): L teres minor (2 needles) and L posterior "
        "deltoid (1 needle)."
    )
    assert techniques(result) == {
        "infraspinatus": ["injection"],
        "teres minor": ["needling"],
        "posterior deltoid": ["needling"],
    }
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_mixed_a_procedure_in_brackets_alone_still_names_the_procedure(scribe: Scribe) -> None:
    result = scribe.extract(
        "Procedure (TPI): R upper trapezius and R levator, 1% lidocaine 2 mL each."
    )
    assert lines(result) == [("20552", ())]


def test_mixed_each_before_the_injections_own_noun_points_at_nothing(scribe: Scribe) -> None:
    # "before each injection" counts injections; the muscles are the list that follows it
    result = scribe.extract(
        "Findings: trigger points in the R QL, R gluteus medius and R piriformis.\n\n"
        "TRIGGER POINT INJECTION\n"
        "1% lidocaine, negative aspiration before each injection:\n"
        " * R QL: 2 mL\n"
        "\n"
        "DRY NEEDLING (no injectate)\n"
        " * R gluteus medius - 2 needles\n"
        " * R piriformis - 1 needle\n"
    )
    assert techniques(result) == {
        "quadratus lumborum": ["injection"],
        "gluteus medius": ["needling"],
        "piriformis": ["needling"],
    }
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_mixed_a_list_line_in_a_procedure_section_is_the_procedure_named_last(
    scribe: Scribe,
) -> None:
    # a bare list line belongs to the procedure named last before it, not the section's first
    result = scribe.extract(
        "PROCEDURE\n"
        "Trigger point injection, L infraspinatus: 2 mL 1% lidocaine.\n"
        "Dry needling after that, no injectate.\n"
        "L teres minor x2, L posterior deltoid x1.\n"
    )
    assert techniques(result) == {
        "infraspinatus": ["injection"],
        "teres minor": ["needling"],
        "posterior deltoid": ["needling"],
    }
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_mixed_a_clinic_named_meridian_is_no_acupuncture(scribe: Scribe) -> None:
    result = scribe.extract("Meridian Spine Associates\nDN today: LTRs in L teres minor.\n")
    assert "acupuncture" not in {p.kind for p in result.note.procedures}
    assert techniques(result) == {"teres minor": ["needling"]}


def test_a_singular_predicate_after_an_injected_list_is_said_of_its_own_name(
    scribe: Scribe,
) -> None:
    # a recogniser's commas for full stops: "was dry needled" agrees with the one name right
    # before it, not with the list the injections went into
    text = (
        "trigger point injections with 1% lidocaine, half a cc each, into the right upper "
        "trapezius, levator and rhomboid major, the right infraspinatus was dry needled only, "
        "no injectate into that one, tolerated well"
    )
    result = scribe.extract(text)
    assert techniques(result) == {
        "upper trapezius": ["injection"],
        "levator scapulae": ["injection"],
        "rhomboid major": ["injection"],
        "infraspinatus": ["needling"],
    }
    assert lines(result) == [("20553", ()), ("20560", ("59",))]


@pytest.mark.parametrize(
    "text",
    [
        # what the injection gave is said between it and its muscles
        "I injected 1% lidocaine, 1 cc each, into the R glute med and R glute min, then dry "
        "needled the R piriformis, R QL and R TFL with no injectate.",
        "after consent I injected one percent lidocaine, one c c each, into the right glute med "
        "and the right glute min, then dry needled the right piriformis, the right Q L and the "
        "right T F L with no injectate",
        # the needled list is the subject of its own passive predicate
        "Lidocaine was injected into the R glute med and R glute min, then the R piriformis, R QL "
        "and R TFL were dry needled.",
    ],
)
def test_mixed_an_injection_with_its_dose_before_its_muscles_keeps_them(
    scribe: Scribe, text: str
) -> None:
    result = scribe.extract(text)
    assert techniques(result) == {
        "gluteus medius": ["injection"],
        "gluteus minimus": ["injection"],
        "piriformis": ["needling"],
        "quadratus lumborum": ["needling"],
        "tensor fasciae latae": ["needling"],
    }
    assert lines(result) == [("20552", ()), ("20561", ("59",))]


def test_mixed_a_denied_drug_before_a_muscle_leaves_it_to_the_needling(scribe: Scribe) -> None:
    result = scribe.extract(
        "I did not inject any lidocaine into the R ECRB, he's allergic, so this was dry needling "
        "only, nothing injected."
    )
    assert techniques(result) == {"extensor carpi radialis brevis": ["needling"]}
    assert lines(result) == [("20560", ())]


def test_mixed_the_injections_needle_into_a_list_puts_the_drug_into_its_muscles(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "Procedure: Trigger point injections and dry needling, L lumbar region\n"
        "Technique: Prone.\n"
        "  Injection: 1% lidocaine 4 mL + triamcinolone 40 mg, mixed; ~1.5 mL per muscle via 25G "
        "needle into\n"
        "    - L quadratus lumborum\n"
        "    - L gluteus medius\n"
        "  Dry needling (no injectate), 0.30 x 60 mm needles, to\n"
        "    - L gluteus minimus\n"
    )
    assert lines(result) == [("20552", ()), ("20560", ("59",))]
