"""A count of muscles that points back at the muscles just named is not a count the clinician
states for the session (lexicons/statements.yaml ``count_points_back``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


@pytest.mark.parametrize(
    "text",
    [
        "Dry needling to the L ECRL and L supinator. Twitches in both muscles.",
        "I needled all 3 trigger points in the R SCM.",
        "Needled the R scalenes, R SCM and R levator. Nothing injected into those three muscles.",
        "DN to the L ECRL, L supinator and L ECU; twitch responses in all these three muscles.",
    ],
)
def test_rationale_count_pointing_back_is_not_stated(note_of: NoteOf, text: str) -> None:
    assert note_of(text).stated_muscle_counts == []


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("TrPs in the R FDS, R pronator teres and R FDI. I needled those three muscles.", 3),
        ("So I dry needled those two muscles, left QL and left glute med, no injectate.", 2),
        ("Today dry needling was done in these two muscles, the R gluteus minimus and R TFL.", 2),
        ("TrPs R SCM, R anterior & middle scalenes, L splenius cervicis. TDN to all 4.", 4),
        ("Gluteus medius, minimus and piriformis tender, so I needled all three of those.", 3),
    ],
)
def test_rationale_count_said_of_what_was_done_to_them_is_stated(
    note_of: NoteOf, text: str, count: int
) -> None:
    """ "I needled those three muscles": the clinician states how many were needled."""
    assert [c.value for c in note_of(text).stated_muscle_counts] == [count]


def test_rationale_count_of_the_session_is_still_stated(note_of: NoteOf) -> None:
    note = note_of("Dry needling of 2 muscles: the L ECRL and L supinator.")
    assert [c.value for c in note.stated_muscle_counts] == [2]


@pytest.mark.parametrize(
    "text",
    [
        "Previously we needled five muscles on the left. Today DN to the L UT and L levator.",
        "At her last visit 4 muscles were needled; today DN to the L UT and L levator only.",
    ],
)
def test_rationale_count_of_another_visit_is_not_stated(note_of: NoteOf, text: str) -> None:
    assert note_of(text).stated_muscle_counts == []


def test_rationale_count_said_after_another_visit_and_today_is_stated(note_of: NoteOf) -> None:
    note = note_of("Last visit we did the L QL; today 2 muscles: the L UT and L levator.")
    assert [c.value for c in note.stated_muscle_counts] == [2]


def test_rationale_a_pain_scale_over_a_table_of_muscles_states_no_count(
    note_of: NoteOf,
) -> None:
    text = (
        "Pain (NPRS) pre ........ 6/10\n\nMuscle       | Side | Needles\nInfraspinatus | R   | 2\n"
    )
    assert note_of(text).stated_muscle_counts == []


def test_rationale_a_count_wrapped_onto_the_next_line_is_still_stated(note_of: NoteOf) -> None:
    text = "Today I dry needled three\nmuscles: R UT, R levator and R rhomboid major."
    assert [c.value for c in note_of(text).stated_muscle_counts] == [3]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("TDN L QL, L glute med, L piriformis.\nNumber of muscles: 3     Needles used: 7", 3),
        ("# of muscles treated = 2\nDN: L UT, L levator scapulae", 2),
    ],
)
def test_rationale_a_number_of_muscles_field_is_stated(
    note_of: NoteOf, text: str, count: int
) -> None:
    """A template's "Number of muscles: 3" states the count; the needles field beside it is
    the needle count, the 3 none of it."""
    note = note_of(text)
    assert [c.value for c in note.stated_muscle_counts] == [count]
    if "Needles used: 7" in text:
        assert note.rationale.needles_used() == 7
