"""Note sections and document kinds from headings (lexicons/sections.yaml)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from scribe.nlp.sections import sentence_sections


@pytest.fixture(scope="module")
def nlp() -> Language:
    from scribe import Scribe

    return Scribe().nlp


def test_sections_each_sentence_knows_its_heading(nlp: Language) -> None:
    doc = nlp(
        "Subjective: neck pain for 3 weeks.\nObjective: TrPs in R UT.\n"
        "PLAN\nDry needling next visit.\nTreatment today:\n- R UT\n"
    )
    assert sentence_sections(doc) == [
        "history",
        "exam",
        "plan",
        "plan",
        "procedure",
        "procedure",
    ]


def test_sections_inline_heading_covers_its_paragraph_only(nlp: Language) -> None:
    doc = nlp("Subjective: neck pain.\nStill sore.\n\nDry needling to R UT.\n")
    assert sentence_sections(doc) == ["history", "history", None]


def test_sections_a_one_line_field_heads_its_line_and_the_section_goes_on(nlp: Language) -> None:
    doc = nlp(
        "PROCEDURE: Trigger point injection\nIndication: active TrPs in L infraspinatus.\n"
        "Consent obtained.\nInjected 1% lidocaine 2 mL into L infraspinatus.\n"
    )
    assert sentence_sections(doc) == ["procedure", "history", "procedure", "procedure"]
    alone = nlp("Indication: active TrPs in L infraspinatus.\nInjected 2 mL lidocaine.\n")
    assert sentence_sections(alone) == ["history", None]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "PREOPERATIVE DIAGNOSIS: tear.\nANESTHESIA: general.\nFINDINGS: torn cuff.",
            "operative_report",
        ),
        ("TECHNIQUE: axial images.\nFINDINGS: edema.\nIMPRESSION: strain.", "imaging_report"),
        ("NEEDLE EMG: normal motor units in the deltoid.", "electrodiagnostic_report"),
        ("Hospital course: uneventful.\nDischarge medications: none.", "discharge_summary"),
        ("S: neck pain.\nO: TrPs R UT.\nA: myofascial pain.\nP: DN.", "clinical_note"),
    ],
)
def test_sections_document_kind_from_its_headings(nlp: Language, text: str, kind: str) -> None:
    assert nlp(text)._.document_kind == kind


def test_sections_a_capital_title_naming_a_procedure_heads_its_section(nlp: Language) -> None:
    doc = nlp(
        "PROCEDURE 1 - TRIGGER POINT INJECTIONS\nMuscles: R upper trapezius.\n"
        "PROCEDURE 2 - DRY NEEDLING (different muscles)\nMuscles: R infraspinatus.\n"
        "DRY NEEDLING SCREENING QUESTIONNAIRE\nBlood thinners? N\n"
    )
    assert sentence_sections(doc)[:4] == [
        "trigger_point_injection",
        "trigger_point_injection",
        "dry_needling",
        "dry_needling",
    ]
    titles = [doc[s.title_start : s.body_start].text for s in doc._.note_sections]
    assert not any("SCREENING" in title for title in titles)


def test_sections_medications_heading_inside_a_procedure_is_the_procedure(nlp: Language) -> None:
    doc = nlp(
        "Medications:\nibuprofen 400 mg PO\n\nProcedure:\nTrigger point injection R QL.\n\n"
        "Medications:\nbupivacaine 0.5% 3 mL\n\nPlan:\nstretches\n\nMedications:\nnaproxen\n"
    )
    assert sentence_sections(doc) == [
        "medications",
        "medications",
        "procedure",
        "procedure",
        "procedure",
        "procedure",
        "plan",
        "plan",
        "medications",
        "medications",
    ]


def test_sections_post_procedure_heading_is_the_response(nlp: Language) -> None:
    doc = nlp("Post-procedure:\npain 5/10 before, 1/10 after.\n")
    assert sentence_sections(doc) == ["response", "response"]


def _treated(text: str) -> dict[str, str]:
    from scribe import Scribe

    return {m.name: m.status for m in Scribe().extract(text).note.muscles}


def test_sections_a_block_copied_from_the_last_visit_is_history(nlp: Language) -> None:
    doc = nlp(
        "Pain 4/10.\n"
        "Previous visit (10/02) - carried forward:\n"
        "TDN L infraspinatus and L teres minor.\n"
        "\n"
        "Procedure: TDN L infraspinatus, 2 needles.\n"
    )
    assert sentence_sections(doc) == [None, "history", "history", "procedure"]


def test_sections_a_banner_copy_holds_its_own_headings_up_to_its_end_banner() -> None:
    statuses = _treated(
        "=== copied forward from 10/02 ===\n"
        "Procedure: TDN to L infraspinatus, L teres minor and L posterior deltoid.\n"
        "\n"
        "Response: tolerated well.\n"
        "=== end of copied text ===\n"
        "\n"
        "Procedure: TDN to L infraspinatus, 2 needles, LTR. Tolerated well.\n"
    )
    assert statuses == {
        "infraspinatus": "treated",
        "teres minor": "historical",
        "posterior deltoid": "historical",
    }


def test_sections_an_indented_copy_ends_where_its_indentation_does() -> None:
    statuses = _treated(
        "Visit 6.\n"
        "Needling table (pulled forward from last visit):\n"
        "    L infraspinatus   yes\n"
        "    L teres minor     yes\n"
        "Comment: TDN to L infraspinatus only, 2 needles, LTR. Tolerated well.\n"
    )
    assert statuses == {"infraspinatus": "treated"}


def test_sections_a_sentence_about_the_last_visit_opens_no_block(nlp: Language) -> None:
    # no heading, no banner: a remark, and the procedure after it is today's
    statuses = _treated("Last visit helped a lot.\nTDN to L infraspinatus, 2 needles, LTR.\n")
    assert statuses == {"infraspinatus": "treated"}


def test_sections_performed_under_a_past_heading_is_the_past_procedures() -> None:
    statuses = _treated(
        "Prior treatment:\n"
        "TDN performed to L infraspinatus and L teres minor.\n"
        "\n"
        "Procedure: TDN to L infraspinatus, 2 needles. Tolerated well.\n"
    )
    assert statuses == {"infraspinatus": "treated", "teres minor": "historical"}


def test_sections_needles_counted_in_a_copied_block_are_not_todays() -> None:
    from scribe import Scribe

    note = (
        Scribe()
        .extract(
            "Last visit - copied forward:\n"
            "TDN L infraspinatus and L teres minor, 3 needles each.\n"
            "\n"
            "Procedure: TDN to L infraspinatus, 2 needles. Tolerated well.\n"
        )
        .note
    )
    assert [c.count for c in note.rationale.needle_counts] == [2]


def test_sections_pain_and_tolerance_in_a_copied_block_are_not_todays() -> None:
    from scribe import Scribe

    scribe = Scribe()
    rationale = scribe.extract(
        "==== carried forward from 09/02 ====\n"
        "DN R QL, R glute med. NPRS 7/10 -> 4/10. Tolerated well. Lumbar flex 40 -> 60 deg.\n"
        "==== end carried forward ====\n"
        "S: NPRS 5/10 on arrival.\n"
        "Procedure: DN R QL. NPRS post 3/10.\n"
    ).note.rationale
    assert rationale.pain.before is not None and rationale.pain.before.value == 5
    assert rationale.pain.after is not None and rationale.pain.after.value == 3
    assert rationale.tolerance is None and rationale.rom == []
    # a label with its copy on its own line holds only that line
    line = scribe.extract(
        "Last DN (09/02, copied forward): R QL.\nTx today: DN R glute med. Pt tolerated well.\n"
    ).note.rationale
    assert line.tolerance is not None


def test_sections_a_code_line_in_capitals_is_no_procedure_title(nlp: Language) -> None:
    doc = nlp("CODING\n20552 - TPI (L QL)\n20560-59 - DN\n")
    assert sentence_sections(doc) == ["billing", "billing", "billing"]


def test_a_heading_in_capitals_that_says_it_was_copied_forward_holds_its_labels() -> None:
    from scribe import Scribe

    scribe = Scribe()
    text = (
        "SUBJECTIVE\nPt reports neck pain 6/10.\n\n"
        "LAST SESSION NOTE (carried forward from 02/02 - read only)\n"
        "Dry needling performed: R upper trapezius, R levator scapulae.\n\n"
        "PROCEDURE\nMuscles needled today: R upper trapezius. No injectate.\n"
    )
    muscles = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("upper trapezius", "right"): "treated",
        ("levator scapulae", "right"): "historical",
    }


def test_sections_a_bulleted_heading_heads_its_line(nlp: Language) -> None:
    """ "• Exam: TrPs in ..." is the exam, its bullet too: a title naming the procedures above
    a bulleted note gives the exam's names to no procedure."""
    doc = nlp(
        "TPI / DN - R shoulder\n• Exam: TrPs in R infraspinatus, R teres major\n- Plan: f/u 2 wks\n"
    )
    assert sentence_sections(doc)[1:] == ["exam", "plan"]


def test_sections_bulleted_exam_names_are_not_treated_by_the_title() -> None:
    from scribe import Scribe

    text = (
        "TPI / DN - R neck and shoulder\n"
        "• Exam: TrPs w/ taut bands in R levator scapulae, R upper trapezius, R infraspinatus\n"
        "• TPI: 1% lidocaine, 1 mL each → R levator scapulae, R upper trapezius\n"
        "• DN (no injectate): R infraspinatus; LTRs obtained\n"
    )
    result = Scribe().extract(text)
    techniques = {m.name: m.techniques for m in result.note.muscles}
    assert techniques == {
        "levator scapulae": ["injection"],
        "upper trapezius": ["injection"],
        "infraspinatus": ["needling"],
    }
