"""Findings a note names without having found them: a trigger point named only in a procedure's
name, of any day (tests/nlp/test_rationale.py holds today's), a nodule or knot in no muscle
(scribe/nlp/rationale.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


def kinds(note: Note) -> set[str]:
    return {f.kind for f in note.rationale.findings if not f.negated}


@pytest.mark.parametrize(
    "text",
    [
        "Tender over the lateral elbow. Plan: trigger point injection of the R ECRL next week.",
        "Prior trigger point injections in 2021 at another clinic. Tender over the R SI joint.",
        "Trigger point injections to the L QL held today for a fever. Tender lumbar paraspinals.",
    ],
)
def test_rationale_procedure_name_of_another_time_is_no_finding(note_of: NoteOf, text: str) -> None:
    assert "trigger_point" not in kinds(note_of(text))


def test_rationale_twitch_that_speaks_of_needling_is_still_a_finding(note_of: NoteOf) -> None:
    note = note_of("Plan: trigger point injections later. Local twitch responses in the R UT.")
    assert "local_twitch_response" in kinds(note)


def test_rationale_nodule_without_a_muscle_is_no_trigger_point(note_of: NoteOf) -> None:
    note = note_of("Firm nodule over the dorsal wrist ganglion, tender. Plan: aspiration.")
    assert "trigger_point" not in kinds(note)
    assert "tenderness" in kinds(note)


def test_rationale_knot_in_a_muscle_is_a_trigger_point(note_of: NoteOf) -> None:
    assert "trigger_point" in kinds(note_of("Palpable knot in the L levator scapulae."))
