"""Reviewer corrections applied to a note: pure, validated against the lexicon, all or nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import TypeAdapter, ValidationError

from scribe import Scribe
from scribe.corrections import CorrectionError, apply_corrections
from scribe.schemas.corrections import Correction, NoteCorrection
from scribe.schemas.note import Note

TEXT = (
    "Dry needling to the right upper trapezius, left upper trapezius and right levator "
    "scapulae. Lidocaine 1% injected into the right levator scapulae."
)
OPS = TypeAdapter(list[Correction])


@pytest.fixture(scope="module")
def note(note_of: Callable[[str], Note]) -> Note:
    return note_of(TEXT)


def _apply(scribe: Scribe, note: Note, *ops: dict[str, object]) -> Note:
    return apply_corrections(note, OPS.validate_python(list(ops)), lexicons=scribe.lexicons)


def test_corrections_names_ids_and_synonyms_resolve(scribe: Scribe, note: Note) -> None:
    for name in ("supraspinatus", "Supraspinatus", "supraspinatus  ", "supra"):
        out = _apply(scribe, note, {"op": "add_muscle", "muscle": name, "laterality": "left"})
        assert out.muscles[-1].id == "supraspinatus", name


def test_corrections_ambiguous_side_must_be_given(scribe: Scribe, note: Note) -> None:
    with pytest.raises(CorrectionError, match="several sides"):
        _apply(scribe, note, {"op": "remove_muscle", "muscle": "upper trapezius"})
    out = _apply(scribe, note, {"op": "remove_muscle", "muscle": "upper trapezius",
                                "laterality": "left"})  # fmt: skip
    assert [(m.id, m.laterality) for m in out.muscles if m.id == "upper-trapezius"] == [
        ("upper-trapezius", "right")
    ]


def test_corrections_moving_a_side_moves_its_injection(scribe: Scribe, note: Note) -> None:
    out = _apply(scribe, note, {"op": "set_laterality", "muscle": "levator scapulae",
                                "to": "left"})  # fmt: skip
    refs = [(r.id, r.laterality) for s in out.injectate.substances for r in s.muscles]
    assert refs == [("levator-scapulae", "left")]
    assert out.muscles[-1].laterality_source == "reviewer"


def test_corrections_cannot_collide_two_sides(scribe: Scribe, note: Note) -> None:
    with pytest.raises(CorrectionError, match="already in the note"):
        _apply(scribe, note, {"op": "set_laterality", "muscle": "upper trapezius",
                              "laterality": "left", "to": "right"})  # fmt: skip


def test_corrections_status_change_clears_techniques(scribe: Scribe, note: Note) -> None:
    out = _apply(scribe, note, {"op": "set_status", "muscle": "levator scapulae",
                                "to": "negated"})  # fmt: skip
    levator = next(m for m in out.muscles if m.id == "levator-scapulae")
    assert levator.status == "negated" and levator.techniques == []
    back = _apply(scribe, out, {"op": "set_status", "muscle": "levator scapulae",
                                "to": "treated"})  # fmt: skip
    assert next(m for m in back.muscles if m.id == "levator-scapulae").techniques == ["needling"]


def test_corrections_injectate(scribe: Scribe, note: Note) -> None:
    none = _apply(scribe, note, {"op": "set_injectate", "status": "none_confirmed"})
    assert none.injectate.status == "none_confirmed" and none.injectate.substances == []
    with pytest.raises(CorrectionError, match="only with status 'injected'"):
        _apply(scribe, note, {"op": "set_injectate", "status": "not_documented",
                              "substances": [{"name": "saline"}]})  # fmt: skip
    with pytest.raises(CorrectionError, match="unknown substance"):
        _apply(scribe, note, {"op": "set_injectate", "status": "injected",
                              "substances": [{"name": "unobtainium"}]})  # fmt: skip
    saline = _apply(scribe, note, {"op": "set_injectate", "status": "injected",
                                   "substances": [{"name": "normal saline"}]})  # fmt: skip
    assert saline.injectate.substances[0].category == "saline"
    assert saline.injectate.substances[0].origin == "reviewer"


def test_corrections_leave_the_input_untouched(scribe: Scribe, note: Note) -> None:
    before = note.model_dump()
    _apply(scribe, note, {"op": "add_muscle", "muscle": "teres major", "laterality": "right"})
    assert note.model_dump() == before


def test_corrections_request_shape_is_strict() -> None:
    with pytest.raises(ValidationError):
        NoteCorrection.model_validate({"reason": "x", "operations": []})
    with pytest.raises(ValidationError):
        NoteCorrection.model_validate(
            {"reason": "because", "operations": [{"op": "rename_everything"}]}
        )
    with pytest.raises(ValidationError):
        NoteCorrection.model_validate({"reason": "because", "operations": [
            {"op": "add_muscle", "muscle": "teres major", "laterality": "up"}]})  # fmt: skip
