"""The procedure note: every element shown, gaps as gaps, dictated wording verbatim, the code
billed and why, reviewer corrections marked, text and Markdown renderings."""

from __future__ import annotations

import datetime as dt

import pytest

from scribe import EncounterContext, Scribe
from scribe.coding import code
from scribe.corrections import apply_corrections
from scribe.lexicons import load_lexicons
from scribe.procedure_note import (
    ProcedureNote,
    build_procedure_note,
    render_procedure_note_markdown,
    render_procedure_note_text,
)
from scribe.schemas.corrections import NoteCorrection

COMPLETE = (
    "Pt reports R neck pain, unable to check her blind spot when driving. Palpable taut "
    "band with jump sign in the R upper trapezius. Verbal consent obtained. Dry needling to the "
    "R upper trapezius and R levator scapulae, LTR in both. No medication, saline or other "
    "substance injected. Pain 7/10 before, 3/10 after. Cervical rotation improved from 50 to 70 "
    "degrees. "
    "Tolerated well.\n"
)
BARE = "Dry needling to the left infraspinatus today.\n"
DOS = dt.date(2026, 3, 2)


def _note(scribe: Scribe, text: str) -> ProcedureNote:
    result = scribe.extract(text, EncounterContext(dos=DOS))
    return build_procedure_note(result.note, result.coding, text=text)


def _texts(note: ProcedureNote, element: str) -> list[str]:
    return [s.text for s in note.sentences if s.element == element]


def test_procedure_note_complete_dictation_has_no_gaps(scribe: Scribe) -> None:
    note = _note(scribe, COMPLETE)
    assert note.gaps == ["diagnosis"] or note.gaps == []
    assert note.date_of_service == DOS
    assert _texts(note, "muscle") == [
        "Right upper trapezius, dry needled.",
        "Right levator scapulae, dry needled.",
    ]
    assert _texts(note, "muscle_count") == [
        "Total: 2 muscles counted (right upper trapezius and right levator scapulae)."
    ]
    assert _texts(note, "injectate") == [
        'No-injectate statement, as dictated: "No medication, saline or other substance injected".'
    ]
    assert _texts(note, "pain_before") == ["Pain before needling: 7/10."]
    assert _texts(note, "pain_after") == ["Pain after needling: 3/10."]
    assert _texts(note, "consent") == ['Consent, as dictated: "Verbal consent obtained."']
    (code,) = _texts(note, "code")
    assert code.startswith("CPT 20560 x1: ") and "billed for 2 muscles" in code


def test_procedure_note_missing_elements_are_visible_gaps(scribe: Scribe) -> None:
    note = _note(scribe, BARE)
    assert set(note.gaps) >= {
        "limitation",
        "finding",
        "injectate",
        "pain_before",
        "pain_after",
        "rom",
        "tolerance",
        "consent",
    }
    gaps = [s for s in note.sentences if s.origin == "gap"]
    assert all(s.text.endswith(": not documented.") and not s.facts for s in gaps)
    assert "Consent: not documented." in _texts(note, "consent")
    text = render_procedure_note_text(note)
    assert "  - [gap] Consent: not documented." in text
    assert f"Not documented: {len(note.gaps)} elements." in text
    assert "- **Consent: not documented.**" in render_procedure_note_markdown(note)


def test_procedure_note_says_nothing_the_dictation_does_not(scribe: Scribe) -> None:
    """No pain, consent, tolerance or limitation words appear that the dictation lacks."""
    note = _note(scribe, BARE)
    rendered = " ".join(s.text for s in note.sentences if s.element != "code").lower()
    for invented in ("tolerated", "obtained", "/10", "degrees", "twitch", "injected"):
        assert invented not in rendered, invented


def test_procedure_note_spoken_numbers_are_quoted(scribe: Scribe) -> None:
    text = (
        "dry needling to the right upper trapezius pain went from seven out of ten to three "
        "out of ten no injectate\n"
    )
    note = _note(scribe, text)
    assert _texts(note, "pain_before") == [
        'Pain before needling: 7/10 (dictated "seven out of ten").'
    ]
    (fact,) = [
        f
        for s in note.sentences
        if s.element == "pain_before"
        for f in s.facts
        if f.kind == "number"
    ]
    assert text[fact.evidence.start : fact.evidence.end] == "seven out of ten"


def test_procedure_note_shared_name_rests_on_the_whole_phrase(scribe: Scribe) -> None:
    text = "DN to L anterior and middle scalene, LTR in each. No injectate.\n"
    result = scribe.extract(text, EncounterContext(dos=DOS))
    with_text = build_procedure_note(result.note, result.coding, text=text)
    muscle = next(s for s in with_text.sentences if s.text.startswith("Left anterior scalene"))
    named = next(f for f in muscle.facts if f.kind == "muscle")
    assert named.evidence.text == "anterior and middle scalene"
    # without the dictation (a note re-coded from JSON) the fact rests on its mention alone
    alone = build_procedure_note(result.note, result.coding)
    muscle = next(s for s in alone.sentences if s.text.startswith("Left anterior scalene"))
    assert next(f for f in muscle.facts if f.kind == "muscle").evidence.text == "anterior"


def test_procedure_note_side_missing_is_said(scribe: Scribe) -> None:
    note = _note(scribe, "Dry needling to the infraspinatus. No injectate.\n")
    assert _texts(note, "muscle") == ["Infraspinatus, dry needled; side not documented."]


def test_procedure_note_no_line_is_a_gap(scribe: Scribe) -> None:
    note = _note(scribe, "Pt reports neck pain. Plan dry needling next visit.\n")
    assert _texts(note, "code") == ["Code billed: none (see the coding prompts)."]
    assert "muscle" in note.gaps and "code" in note.gaps


def test_procedure_note_reviewer_corrections_are_marked(scribe: Scribe) -> None:
    result = scribe.extract(COMPLETE, EncounterContext(dos=DOS))
    correction = NoteCorrection.model_validate(
        {
            "reason": "the dictation missed one",
            "operations": [
                {"op": "add_muscle", "muscle": "infraspinatus", "laterality": "left"},
                {"op": "set_laterality", "muscle": "levator scapulae", "to": "left"},
            ],
        }
    )
    corrected = apply_corrections(result.note, correction.operations, lexicons=load_lexicons())
    coding = code(corrected, EncounterContext(dos=DOS))
    note = build_procedure_note(corrected, coding, text=COMPLETE)
    added = [s for s in note.sentences if s.element == "muscle" and s.origin == "reviewer"]
    assert [s.text for s in added] == ["Left infraspinatus (added by a reviewer)."]
    assert not added[0].facts
    moved = next(s for s in note.sentences if s.text.startswith("Levator scapulae"))
    assert moved.text.startswith("Levator scapulae (left side set by a reviewer)")
    assert not [f for f in moved.facts if f.kind == "side"]
    assert "[reviewer] Left infraspinatus" in render_procedure_note_text(note)


@pytest.mark.parametrize("text", [COMPLETE, BARE])
def test_procedure_note_is_a_pure_function(scribe: Scribe, text: str) -> None:
    result = scribe.extract(text, EncounterContext(dos=DOS))
    before = result.note.model_dump_json()
    first = build_procedure_note(result.note, result.coding, text=text)
    assert build_procedure_note(result.note, result.coding, text=text) == first
    assert result.note.model_dump_json() == before
