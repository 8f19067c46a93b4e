"""A trigger point named only in a procedure's name ("trigger point injections") is a finding of
today only when that procedure was done today on a muscle (scribe/nlp/rationale.py)."""

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


def test_rationale_procedure_name_done_today_still_counts(note_of: NoteOf) -> None:
    note = note_of("Trigger point injections to the R levator scapulae with 1% lidocaine 2 mL.")
    assert "trigger_point" in kinds(note)


def test_rationale_twitch_that_speaks_of_needling_is_still_a_finding(note_of: NoteOf) -> None:
    note = note_of("Plan: trigger point injections later. Local twitch responses in the R UT.")
    assert "local_twitch_response" in kinds(note)
