"""Diagnoses in the note: what is today's and the patient's, sides, regions, written codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scribe.schemas.note import Diagnosis, Note

NoteOf = Callable[[str], Note]


def _by_code(note: Note) -> dict[str | None, Diagnosis]:
    return {d.code: d for d in note.diagnoses}


def _claim(note: Note) -> set[str]:
    return {d.code for d in note.diagnoses if d.on_claim and d.code}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Pt denies low back pain today.", "negated"),
        ("Mother has fibromyalgia.", "other_person"),
        ("History of cervicalgia, resolved.", "negated"),
        ("Neck pain years ago.", "historical"),
        ("Risks including infection were discussed.", "hypothetical"),
        ("R/o cervical radiculopathy.", "hypothetical"),
    ],
)
def test_diagnoses_not_today_stay_off_the_claim(note_of: NoteOf, text: str, status: str) -> None:
    note = note_of(text)
    assert note.diagnoses, "the diagnosis is found"
    assert {d.status for d in note.diagnoses} == {status}
    assert not _claim(note)
    assert all(d.left_out == "not_today" for d in note.diagnoses)


def test_diagnoses_family_history_section_is_someone_elses(note_of: NoteOf) -> None:
    note = note_of("Family history:\nFibromyalgia, migraine.\n\nS: c/o R shoulder pain.")
    assert _claim(note) == {"M25.511"}
    others = {d.code for d in note.diagnoses if d.status == "other_person"}
    assert others == {"M79.7", "G43.909"}


def test_diagnoses_inability_does_not_negate_the_pain(note_of: NoteOf) -> None:
    note = note_of("She cannot read for more than 20 minutes before neck pain forces her to stop.")
    assert _claim(note) == {"M54.2"}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Pt c/o R shoulder pain.", {"M25.511"}),
        ("Pain in the left hip and knee.", {"M25.552", "M25.562"}),
        ("Neck/shoulder pain bilaterally.", {"M54.2", "M25.511", "M25.512"}),
        ("Dx: L sciatica.", {"M54.32"}),
        ("TMD on the right.", {"M26.601"}),
        ("Bilateral TMJ pain.", {"M26.623"}),
        ("Knee pain.", {"M25.569"}),
        ("R medial elbow pain (golfer's elbow).", {"M77.01"}),
    ],
)
def test_diagnoses_side_gives_the_code(note_of: NoteOf, text: str, codes: set[str]) -> None:
    assert _claim(note_of(text)) == codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("A: myofascial jaw pain.", "M79.11"),
        ("A: cervical myofascial pain.", "M79.12"),
        ("A: myofascial pain, cervicothoracic region.", "M79.18"),
        ("A: myofascial pain of the R gluteus medius.", "M79.18"),
        ("A: myofascial pain syndrome.", "M79.10"),
    ],
)
def test_diagnoses_myalgia_by_region(note_of: NoteOf, text: str, code: str) -> None:
    assert _claim(note_of(text)) == {code}


def test_diagnoses_parent_codes_are_never_suggested(note_of: NoteOf) -> None:
    note = note_of("Dx: chronic LBP and myalgia of the low back.")
    codes = _claim(note)
    assert codes == {"M54.50", "M79.18"}
    assert all(d.billable for d in note.diagnoses if d.on_claim)


def test_diagnoses_written_codes_are_the_claims(note_of: NoteOf) -> None:
    note = note_of("Dx: M54.2 Cervicalgia; M79.18 Myalgia, other site\nS: R neck pain and HA.")
    assert _claim(note) == {"M54.2", "M79.18"}
    headache = _by_code(note)["R51.9"]
    assert headache.left_out == "written_codes"
    written = _by_code(note)["M79.18"]
    assert written.source == "written_code"
    assert written.description == "Myalgia, other site"


def test_diagnoses_written_parent_code_is_not_billable(note_of: NoteOf) -> None:
    note = note_of("Dx: M54.5 low back pain.")
    parent = _by_code(note)["M54.5"]
    assert not parent.billable and parent.left_out == "not_billable"
    assert _claim(note) == {"M54.50"}


def test_diagnoses_description_inside_a_written_code_negates_nothing(note_of: NoteOf) -> None:
    note = note_of("Impression:\n1. Migraine without aura (G43.009).")
    assert _claim(note) == {"G43.009"}


def test_diagnoses_symptom_covered_by_its_diagnosis(note_of: NoteOf) -> None:
    note = note_of("S: HA 3x/wk. A: cervicogenic headache.")
    assert _claim(note) == {"G44.86"}
    assert _by_code(note)["R51.9"].covered_by == "G44.86"


def test_diagnoses_low_back_pain_and_sciatica_combine(note_of: NoteOf) -> None:
    note = note_of("Chronic LBP. Also L sciatica since March.")
    assert _claim(note) == {"M54.42"}


def test_diagnoses_evidence_quotes_the_dictation(note_of: NoteOf) -> None:
    text = "S:  Pt c/o\u00a0R-sided neck pain."
    note = note_of(text)
    for diagnosis in note.diagnoses:
        for mention in diagnosis.mentions:
            assert text[mention.start : mention.end] == mention.text
    assert note.diagnoses[0].text == "R-sided neck pain"


def test_diagnoses_specific_causes_are_marked(note_of: NoteOf) -> None:
    note = note_of("LBP. Hx of L1 compression fracture found on today's x-ray; no infection.")
    causes = [d for d in note.diagnoses if d.specific_cause]
    assert {d.concept for d in causes} == {"vertebral_fracture", "spinal_infection"}
    assert {d.concept: d.status for d in causes}["spinal_infection"] == "negated"
