"""Injections that are not into a trigger point, and the dose lines that belong to one
(lexicons/procedures.yaml ``not_trigger_point_sites``; scribe/nlp/injectate.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scribe import Scribe
from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


def injected(note: Note) -> set[str]:
    return {
        s.name
        for s in note.injectate.substances
        if s.status == "injected" and s.category != "unspecified"
    }


@pytest.mark.parametrize(
    "other",
    [
        "Right shoulder subacromial injection with methylprednisolone 40 mg.",
        "Left knee joint injected with methylprednisolone 40 mg.",
        "Caudal epidural injection, methylprednisolone 40 mg.",
        "Right L3 medial branch block: methylprednisolone 40 mg.",
    ],
)
def test_injection_kinds_another_site_keeps_its_drug_out_of_the_tpi(
    note_of: NoteOf, other: str
) -> None:
    note = note_of(f"{other}\nTrigger point injection to the left infraspinatus with 2 mL saline.")
    assert injected(note) == {"normal saline"}
    assert [m.name for m in note.muscles if m.status == "treated"] == ["infraspinatus"]


def test_injection_kinds_site_words_do_not_undo_an_injection_into_a_muscle(
    note_of: NoteOf,
) -> None:
    note = note_of(
        "Trigger point injection to the right gluteus medius.\n"
        "Injected 2 mL 1% lidocaine into the right gluteus medius near the hip joint."
    )
    assert injected(note) == {"lidocaine"}


def test_injection_kinds_dose_line_after_a_tpi_is_its_injectate(note_of: NoteOf) -> None:
    note = note_of(
        "TPIs to the right rhomboid major and right levator scapulae.\n"
        "0.5% bupivacaine 4 mL, 2 mL into each muscle."
    )
    assert injected(note) == {"bupivacaine"}


def test_injection_kinds_dose_line_after_a_blank_line_is_not_taken(note_of: NoteOf) -> None:
    note = note_of(
        "TPIs to the right rhomboid major and right levator scapulae.\n\n"
        "Sent home with dexamethasone 4 mg tablets."
    )
    assert "dexamethasone" not in injected(note)


def test_injection_kinds_dose_line_after_another_injection_is_that_ones(note_of: NoteOf) -> None:
    lines = (
        "Trigger point injection to the left piriformis with 3 mL 1% lidocaine.\n"
        "Then a left sacroiliac joint injection under fluoroscopy.\n"
        "Triamcinolone 40 mg and 0.25% bupivacaine 2 mL."
    )
    assert injected(note_of(lines)) == {"lidocaine"}
    # under a procedure heading a dosed drug is an injection of its own: still the joint's
    assert injected(note_of(f"Procedures:\n{lines}")) == {"lidocaine"}


def test_injection_kinds_procedure_medications_field_is_the_injectate(note_of: NoteOf) -> None:
    note = note_of(
        "Current medications:\nmeloxicam 15 mg daily\n\n"
        "PROCEDURE: trigger point injections\nLeft upper trapezius and left rhomboid minor.\n\n"
        "MEDICATIONS:\nropivacaine 0.2% 4 mL\n\n"
        "POST-PROCEDURE:\nPain 6/10 before and 3/10 after."
    )
    assert injected(note) == {"ropivacaine"}
    assert note.rationale.pain.after is not None
    assert note.rationale.pain.after.value == 3


def test_injection_kinds_needle_word_does_not_hide_a_dosed_toxin(scribe: Scribe) -> None:
    result = scribe.extract(
        "Procedure: abobotulinumtoxinA 500 units reconstituted with 2.5 mL saline, 27g needle, "
        "electrical stimulation guidance.\nRight: soleus 150 units, tibialis posterior 150 units."
    )
    assert injected(result.note) == {"botulinum toxin"}
    assert "chemodenervation-not-tpi" in {p.id for p in result.coding.prompts}
    assert result.coding.lines == []


def test_a_muscle_said_not_injected_in_a_note_of_injections_alone_is_negated(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "TPI to L infraspinatus and L teres minor, 1% lidocaine 2 mL per muscle.\n"
        "Addendum: the L teres minor was not injected today; only the infraspinatus was."
    )
    statuses = {m.name: m.status for m in result.note.muscles}
    assert statuses == {"infraspinatus": "treated", "teres minor": "negated"}
    assert "status-conflict" in {p.id for p in result.coding.prompts}


def test_a_muscle_said_not_injected_but_dry_needled_stays_treated(scribe: Scribe) -> None:
    result = scribe.extract(
        "TPI to L infraspinatus with 1% lidocaine 2 mL. The L teres minor was not injected, "
        "dry needled only, 2 needles."
    )
    statuses = {m.name: m.status for m in result.note.muscles}
    assert statuses == {"infraspinatus": "treated", "teres minor": "treated"}


def test_a_dose_into_each_site_heads_the_numbered_sites_below(scribe: Scribe) -> None:
    text = (
        "Procedure: trigger point injection(s)\n"
        "Technique: 1% lidocaine, 0.5 mL into each site:\n"
        "   1. L gluteus medius\n"
        "   2. L piriformis\n"
        "Tolerated well.\n"
    )
    result = scribe.extract(text)
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("gluteus medius", "treated"),
        ("piriformis", "treated"),
    }
    assert [line.code for line in result.coding.lines] == ["20552"]


def test_a_muscle_the_injector_says_they_did_not_inject_is_not_treated(scribe: Scribe) -> None:
    text = (
        "Trigger point injections into the left gluteus medius and left piriformis with 1% "
        "lidocaine, 2 mL each. I didn't inject the left gluteus minimus today."
    )
    muscles = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert muscles[("gluteus minimus", "left")] == "negated"
    assert muscles[("gluteus medius", "left")] == "treated"


@pytest.mark.parametrize(
    ("drug", "denied"), [("Normal saline", "no anesthetic"), ("1% lidocaine", "no steroid")]
)
def test_injection_kinds_a_drug_said_alone_then_its_dose_into_each_is_the_injectate(
    scribe: Scribe, drug: str, denied: str
) -> None:
    # "only" ends the dose's scope before it, yet the dose is the drug's; and "no anesthetic"
    # before the amount denies nothing that was given
    result = scribe.extract(
        f"Trigger point injections, neck. {drug} only, {denied}, one cc injected into each "
        "of the left levator scapulae and the left rhomboid major."
    )
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("levator scapulae", "treated"),
        ("rhomboid major", "treated"),
    }
    assert result.note.injectate.status == "injected"
    assert [line.code for line in result.coding.lines] == ["20552"]


def test_not_injected_closing_a_clause_about_one_name_is_said_of_it(scribe: Scribe) -> None:
    """ "...; not injected" after the one name of its sentence denies that muscle's injection;
    it is no statement that nothing was injected in the session, so the injection's needle
    ("25 g 1.5 in needle") proves no dry needling either."""
    text = (
        "Exam: trigger points in the R QL. L iliocostalis lumborum tender without a discrete "
        "trigger point; not injected.\n"
        "Procedure: 25 g 1.5 in needle. 2 mL of 1% lidocaine injected into the R QL.\n"
    )
    result = scribe.extract(text)
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses[("iliocostalis lumborum", "left")] == "negated"
    assert {(line.code, tuple(line.modifiers)) for line in result.coding.lines} == {("20552", ())}
    assert "muscle-names-missing" not in {p.id for p in result.coding.prompts}


def test_a_muscle_said_not_injected_is_no_session_statement(scribe: Scribe) -> None:
    """ "The L teres minor was also tender, but it was not injected today": said of that
    muscle; "no injectate" after a run-on list still says it of the session."""
    text = (
        "Trigger point injections: 0.5% bupivacaine injected into the L infraspinatus and L "
        "teres major with 25 g 1.5 in needles. The L teres minor was also tender, but it was "
        "not injected today."
    )
    result = scribe.extract(text)
    assert {(line.code, tuple(line.modifiers)) for line in result.coding.lines} == {("20552", ())}
    assert "muscle-names-missing" not in {p.id for p in result.coding.prompts}
    run_on = "twenty needles in three muscles the left QL the piriformis and the TFL no injectate"
    assert {line.code for line in scribe.extract(run_on).coding.lines} == {"20561"}
