"""Corrections a note makes of itself, written or said: an entry put in the wrong patient's
note, a side the note says it wrote wrong, words taken back as they are said, a dictation begun
again with its punctuation said aloud."""

from __future__ import annotations

from helpers import claim_lines, muscle_statuses

from scribe import Scribe


def test_an_entry_marked_as_another_patients_is_not_billed(scribe: Scribe) -> None:
    text = (
        "Procedures:\n"
        " 1. Dry needling w/o injection: L QL x3, L gluteus maximus x2. No injectate.\n"
        " 2. TPI R SCM 1 mL 1% lidocaine -- ERROR: entered in wrong note, disregard. No "
        "injection given to this patient.\n"
        "Tolerated well."
    )
    result = scribe.extract(text)
    assert {(line.code, tuple(line.modifiers)) for line in result.coding.lines} == {("20560", ())}
    assert "sternocleidomastoid" not in {m.name for m in result.note.muscles}
    assert all(s.status != "injected" for s in result.note.injectate.substances)


def test_an_entry_marked_wrong_note_without_a_denial_stands(scribe: Scribe) -> None:
    # the words alone say the entry is another's; without "no injection given" nothing is
    # taken back, so the injection stays for a reviewer to see
    text = "TPI R SCM 1 mL 1% lidocaine. Tolerated well. Vitals entered in wrong note, see chart."
    assert ("20552", ()) in claim_lines(scribe, text)


def test_a_side_the_note_corrects_moves_its_exam_findings(scribe: Scribe) -> None:
    text = (
        "Palpation: active TrPs w/ taut bands L levator scapulae, L rhomboid minor.\n"
        "*Correction: Palpation line above should read R, not L.*\n"
        "PROCEDURE: Dry needling\n"
        "Muscles: R levator scapulae, R rhomboid minor\n"
        "Injectate: none. Tolerated well."
    )
    statuses = muscle_statuses(scribe, text)
    assert statuses == {
        ("levator scapulae", "right"): "treated",
        ("rhomboid minor", "right"): "treated",
    }


def test_words_taken_back_do_not_reach_past_a_dose(scribe: Scribe) -> None:
    text = (
        "injected the right infraspinatus, teres major and rhomboid major each with one cc of "
        "one percent lidocaine plus um sorry strike that, each with one cc of one percent "
        "lidocaine mixed with ten milligrams of Kenalog. tolerated well."
    )
    statuses = muscle_statuses(scribe, text)
    assert statuses[("rhomboid major", "right")] == "treated"
    assert claim_lines(scribe, text) == {("20553", ())}


def test_a_dictation_begun_again_with_its_stop_said_aloud(scribe: Scribe) -> None:
    text = (
        "after consent I injected the left vastus lateralis and rectus femoris comma no wait "
        "comma let me start over period after consent comma the left vastus lateralis got one "
        "point five mils of point five percent bupivacaine period the left rectus femoris and "
        "adductor longus were dry needled only comma nothing injected into either of those "
        "period she tolerated it well period"
    )
    assert claim_lines(scribe, text) == {("20552", ()), ("20560", ("59",))}


def test_a_restart_command_said_inside_prose_is_no_restart(scribe: Scribe) -> None:
    text = (
        "she will start over with her walking program period new paragraph L QL dry needled "
        "comma no injectate comma tolerated well period"
    )
    assert muscle_statuses(scribe, text) == {("quadratus lumborum", "left"): "treated"}
