"""Injectate: none_confirmed, injected (substances, doses, receiving muscles), not_documented
(DOMAIN.md section 4; extraction issue, section 3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scribe import Scribe
from scribe.schemas.note import Note, Substance

NoteOf = Callable[[str], Note]


def injected(note: Note) -> list[Substance]:
    return [s for s in note.injectate.substances if s.status == "injected"]


@pytest.mark.parametrize(
    "statement",
    [
        "No medication, saline or other substance injected.",
        "Needle insertion without injection.",
        "Needles only.",
        "Nothing injected.",
        "No injectate.",
        "Needles inserted w/o injection of any substance.",
        "Just dry needling, no medication.",
        "Only dry needling was performed.",
        "Nil injectate.",
        "Nil injected.",
    ],
)
def test_injectate_none_confirmed_phrasings(note_of: NoteOf, statement: str) -> None:
    text = f"Dry needling to the right upper trapezius. {statement}"
    note = note_of(text)
    assert note.injectate.status == "none_confirmed"
    assert injected(note) == []
    assert note.injectate.statements
    for quoted in note.injectate.statements:
        assert text[quoted.start : quoted.end] == quoted.text
        assert quoted.start >= text.index(statement)


def test_injectate_not_documented_when_nothing_is_said(note_of: NoteOf) -> None:
    note = note_of("Dry needling to the right upper trapezius. Tolerated well.")
    assert note.injectate.status == "not_documented"
    assert note.injectate.statements == []


def test_injectate_negated_drug_confirms_nothing_was_injected(note_of: NoteOf) -> None:
    note = note_of(
        "Dry needling to the upper trapezius. No lidocaine was injected into the upper trapezius."
    )
    assert note.injectate.status == "none_confirmed"
    assert injected(note) == []


def test_injectate_statement_without_a_needling_session_confirms_nothing(
    note_of: NoteOf,
) -> None:
    note = note_of("Hospital course uneventful; no injections were given during the stay.")
    assert note.injectate.status == "not_documented"
    assert note.injectate.statements


def test_injectate_injected_with_dose_and_muscle(note_of: NoteOf) -> None:
    note = note_of("Right upper trapezius trigger point injection with normal saline 1 mL.")
    assert note.injectate.status == "injected"
    [saline] = injected(note)
    assert saline.name == "normal saline"
    assert saline.category == "saline"
    assert saline.dose is not None and saline.dose.text == "1 mL"
    assert [(m.id, m.laterality) for m in saline.muscles] == [("upper-trapezius", "right")]


def test_injectate_brand_name_resolves_to_the_drug(note_of: NoteOf) -> None:
    note = note_of("Injected 1 cc Marcaine 0.5% into L levator scapulae and L rhomboid major.")
    [drug] = injected(note)
    assert drug.name == "bupivacaine"
    assert drug.text == "Marcaine"
    assert drug.category == "local_anesthetic"
    assert drug.dose is not None and "1 cc" in drug.dose.text
    assert sorted((m.id, m.laterality) for m in drug.muscles) == [
        ("levator-scapulae", "left"),
        ("rhomboid-major", "left"),
    ]


@pytest.mark.parametrize(
    ("text", "name", "category"),
    [
        ("TPI with Kenalog 40 mg to the R QL.", "triamcinolone", "corticosteroid"),
        ("Injected 5 mL of dextrose into the right infraspinatus.", "dextrose", "dextrose"),
        ("Sarapin 2 cc injected into the left piriformis.", "Sarapin", None),
        (
            "Depo-Medrol 40 mg injected into the R QL trigger point.",
            "methylprednisolone",
            "corticosteroid",
        ),
        (
            "Botox 50 units injected into the L upper trapezius.",
            "botulinum toxin",
            "botulinum_toxin",
        ),
    ],
)
def test_injectate_substance_kinds(
    note_of: NoteOf, text: str, name: str, category: str | None
) -> None:
    note = note_of(text)
    assert note.injectate.status == "injected"
    drugs = injected(note)
    assert [d.name.lower() for d in drugs] == [name.lower()]
    if category is not None:
        assert drugs[0].category == category
    assert drugs[0].muscles, "the receiving muscle is recorded"


def test_injectate_each_substance_gets_its_own_muscle(note_of: NoteOf) -> None:
    note = note_of(
        "Injected 5 mL of dextrose into the right infraspinatus. "
        "Sarapin 2 cc injected into the left piriformis."
    )
    received = {d.name.lower(): [(m.id, m.laterality) for m in d.muscles] for d in injected(note)}
    assert received == {
        "dextrose": [("infraspinatus", "right")],
        "sarapin": [("piriformis", "left")],
    }


def test_injectate_dose_keeps_the_volume(note_of: NoteOf) -> None:
    note = note_of(
        "Trigger point injection to the right upper trapezius with 2 mL of 1% lidocaine."
    )
    [drug] = injected(note)
    assert drug.dose is not None and "2 mL" in drug.dose.text


def test_injectate_dose_is_not_borrowed_from_another_drug(note_of: NoteOf) -> None:
    note = note_of("TPI with Kenalog 40 mg and lidocaine to R QL.")
    doses = {d.name: d.dose.text if d.dose else None for d in injected(note)}
    assert doses == {"triamcinolone": "40 mg", "lidocaine": None}


def test_injectate_into_each_of_records_the_muscles(note_of: NoteOf) -> None:
    note = note_of("Botox 25 units into each of L UT and L levator TrPs.")
    [drug] = injected(note)
    assert sorted((m.id, m.laterality) for m in drug.muscles) == [
        ("levator-scapulae", "left"),
        ("upper-trapezius", "left"),
    ]


def test_injectate_historical_substance_is_not_today(note_of: NoteOf) -> None:
    note = note_of("Had TPI with lidocaine last year. Dry needling to the R UT today.")
    assert injected(note) == []
    assert note.injectate.status != "injected"
    assert [m.id for m in note.muscles if m.status == "treated"] == ["upper-trapezius"]


def test_injectate_mixed_session_bills_both_lines(scribe: Scribe) -> None:
    result = scribe.extract(
        "TPI with Kenalog 40 mg and lidocaine to R QL. DN to R glute med without injection."
    )
    note = result.note
    assert note.injectate.status == "injected"
    techniques = {m.id: m.techniques for m in note.muscles}
    assert techniques == {"quadratus-lumborum": ["injection"], "gluteus-medius": ["needling"]}
    lines = {line.code: line.modifiers for line in result.coding.lines}
    assert set(lines) == {"20552", "20560"}
    assert set(lines["20560"]) & {"59", "XS"}


def test_injectate_injected_session_uses_the_injection_code(scribe: Scribe) -> None:
    result = scribe.extract(
        "Trigger point injection to the right upper trapezius and right levator scapulae "
        "with 1 mL of 1% lidocaine each."
    )
    assert [line.code for line in result.coding.lines] == ["20552"]
    assert result.coding.muscle_count == 2


def test_injectate_into_each_trigger_point_points_back_at_the_muscles(scribe: Scribe) -> None:
    # no injection verb: the dosed substance "into each trigger point" is the injection, and
    # "each" points back at the muscles whose trigger points were named
    text = (
        "Trigger point injections. Active trigger points in the left upper trapezius and the "
        "left rhomboid major. I prepared one percent lidocaine, half a cc into each trigger "
        "point. Tolerated well."
    )
    result = scribe.extract(text)
    assert sorted(line.code for line in result.coding.lines) == ["20552"]
    treated = {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}
    assert treated == {("upper trapezius", "left"), ("rhomboid major", "left")}


def test_the_drug_field_of_a_trigger_point_injection_template_is_its_drug(
    scribe: Scribe,
) -> None:
    text = (
        "PROCEDURE: Trigger point injections\n"
        "Needle: 27 g 1.25 in\n"
        "Injectate used: 0.5% bupivacaine 4 mL, 1 mL per site\n"
        "Sites: L levator scapulae, L rhomboid major, L infraspinatus\n"
        "Pt tolerated well."
    )
    injectate = scribe.extract(text).note.injectate
    given = {s.name: s for s in injectate.substances if s.status == "injected"}
    assert "bupivacaine" in given
    assert {m.name for m in given["bupivacaine"].muscles} == {
        "levator scapulae",
        "rhomboid major",
        "infraspinatus",
    }
    # a drug said into another place on its own line is not the trigger points'
    knee = (
        "PROCEDURE: Trigger point injections to the R QL and R gluteus medius with 1% "
        "lidocaine 2 mL each.\nKenalog 40 mg 1 mL into the R knee joint.\nTolerated well."
    )
    statuses = {s.name: s.status for s in scribe.extract(knee).note.injectate.substances}
    assert statuses["triamcinolone"] == "mentioned"


@pytest.mark.parametrize("said", ["she reacts to lidocaine", "she reacted to bupivacaine"])
def test_a_drug_the_patient_reacts_to_is_not_the_injectate(scribe: Scribe, said: str) -> None:
    text = (
        f"trigger point injections neck {said} so we use normal saline only one cc into each of "
        "the left levator scapulae and the left rhomboid major"
    )
    substances = scribe.extract(text).note.injectate.substances
    assert {s.name for s in substances if s.status == "injected"} == {"normal saline"}


def test_normal_saline_by_its_abbreviation_and_strength(scribe: Scribe) -> None:
    text = "TPI B UT. Agent: preservative-free NS 0.9%, 1 mL per site. Tolerated well."
    result = scribe.extract(text)
    assert "normal saline" in {s.name for s in result.note.injectate.substances}
    assert {line.code for line in result.coding.lines} == {"20552"}


def test_ns_alone_is_no_saline(scribe: Scribe) -> None:
    text = "Referred to NS for evaluation. DN L UT, no injectate."
    result = scribe.extract(text)
    assert "normal saline" not in {s.name for s in result.note.injectate.substances}


def test_the_drug_field_of_an_injection_note_after_the_exam(scribe: Scribe) -> None:
    text = (
        "PROCEDURE NOTE - TRIGGER POINT INJECTIONS\n"
        "Patient: Doe, J\n\n"
        "Exam: taut bands in L gluteus medius and L piriformis.\n"
        "Consent: written consent signed.\n"
        "Injectate (per site): 2 mL 1% lidocaine + 10 mg triamcinolone.\n\n"
        "| Muscle | Side | Injected |\n"
        "| Gluteus medius | L | Yes |\n"
        "| Piriformis | L | Yes |\n"
    )
    result = scribe.extract(text)
    injected = {s.name for s in result.note.injectate.substances if s.status == "injected"}
    assert {"lidocaine", "triamcinolone"} <= injected
    assert {line.code for line in result.coding.lines} == {"20552"}


def test_a_drug_in_the_exam_field_is_not_given(scribe: Scribe) -> None:
    text = (
        "Exam: taut bands in L gluteus medius; on lidocaine 5% patch at home.\n"
        "Procedure: dry needling L gluteus medius, no injectate. Tolerated well."
    )
    result = scribe.extract(text)
    assert all(s.status != "injected" for s in result.note.injectate.substances)
