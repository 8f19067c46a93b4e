"""Sides marked under the side columns of a ``|`` table (scribe/nlp/side_columns.py)."""

from __future__ import annotations

from helpers import claim_lines, muscle_statuses

from scribe import Scribe

TABLE = (
    "TrP DRY NEEDLING LOG | Harbor PT\n"
    "muscle           | L | R | needles (L / R) | response\n"
    "upper trapezius  | x | x | 2 / 2           | LTR both sides\n"
    "levator scapulae |   | x | - / 3           | LTR; referral to R temple\n"
    "infraspinatus    | X |   | 2 / -           | LTR\n"
    "injectate: none | consent: on file | tol: good\n"
)


def test_the_marks_under_the_side_columns_are_the_sides(scribe: Scribe) -> None:
    assert set(muscle_statuses(scribe, TABLE)) == {
        ("upper trapezius", "bilateral"),
        ("levator scapulae", "right"),
        ("infraspinatus", "left"),
    }
    assert claim_lines(scribe, TABLE) == {("20561", ())}


def test_the_side_is_quoted_from_its_column_header(scribe: Scribe) -> None:
    note = scribe.extract(TABLE).note
    [levator] = [m for m in note.muscles if m.name == "levator scapulae"]
    cues = {x.side_cue.text.strip() for x in levator.mentions if x.side_cue is not None}
    assert cues == {"R"}


def test_a_table_without_side_columns_keeps_the_sides_its_words_say(scribe: Scribe) -> None:
    text = (
        "muscle | needles | response\n"
        "R upper trapezius | 2 | LTR\n"
        "L levator scapulae | 3 | LTR\n"
        "Dry needling, no injectate.\n"
    )
    assert set(muscle_statuses(scribe, text)) == {
        ("upper trapezius", "right"),
        ("levator scapulae", "left"),
    }
