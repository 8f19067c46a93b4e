"""Needles counted item by item (DOMAIN.md section 8): a list of muscles each with its own
needles, said in prose, as "xN" before or after the word, in brackets under a heading, per side,
corrected at once; and numbers near "needle" that count no needles."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


def needles(note: Note) -> int | None:
    return note.rationale.needles_used()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # prose: the next items' counts are said without the word "needles"
        (
            "Dry needled the left infraspinatus and teres minor, five needles in the "
            "infraspinatus and one in the teres minor. No injectate.",
            6,
        ),
        (
            "I needled the R gluteus medius, piriformis and QL, 2 needles into the glute med, "
            "3 into the piriformis, 1 into the QL.",
            6,
        ),
        # a total, then how it was spread: the total is not added to its parts
        (
            "Dry needling to the R UT and R levator, 9 needles, 5 in the UT and 4 in the levator.",
            9,
        ),
        # "xN" after each name, the word "needles" only at the end
        ("Tx: TDN R UT x4, levator x2, rhomboid x1 needles. No injectate.", 7),
        # the needle's size is blanked out; the count follows the word
        ("TDN L soleus, 0.30 x 60 mm needles x5, LTR x3. Nothing injected.", 5),
        # under a heading that says the brackets hold needles
        ("Dry needling - muscle (needles): L QL (4), L glute med (2), L piriformis (3).", 9),
        # per side of a bilateral muscle
        ("Dry needling: upper trapezius bilaterally, 3 needles per side. No injectate.", 6),
        # the same written short: "/side", and "/ea" for each
        ("TDN B gastroc med head, 2 needles/side. No injectate.", 4),
        ("TDN L QL, L glute med, L piriformis, x3 needles/ea. No injectate.", 9),
        # a count corrected as it is said
        (
            "I needled the right vastus lateralis and rectus femoris. Five needles in the "
            "vastus lateralis, sorry, four needles, and two in the rectus femoris.",
            6,
        ),
        # a count said in words before "total"
        ("Dry needled the right masseter and temporalis with fine needles, about six total.", 6),
        # the parts, then their sum said again after the muscles' count
        (
            "Dry needled the right soleus with two needles and the right medial gastroc with "
            "three needles, two muscles, five needles. No injectate.",
            5,
        ),
        # a third part that happens to be the sum of the first two is still a part
        (
            "Dry needled the R UT, levator and QL: 3 needles in the UT, 2 in the levator, "
            "5 needles in the QL.",
            10,
        ),
        # "on each side" is per side
        ("Dry needled the scalenes, left and right, three needles on each side.", 6),
        # "(xN)" in brackets after each name
        ("TDN: L scalene anterior (x2), L SCM (x1), L levator (x3). No injectate.", 6),
        # counts per spinal level after one name, in a note that says "needling" only
        (
            "Dry needling: R multifidus L3-4 x2 and L4-5 x1, R QL x3, R glute med x2. "
            "No injectate.",
            8,
        ),
    ],
)
def test_needles_of_each_listed_muscle_are_added(note_of: NoteOf, text: str, expected: int) -> None:
    assert needles(note_of(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the gauge of the needle
        "Trigger point injection to the L UT. Needle: 25 g 1.5 in. Lidocaine 1% 1 mL.",
        # numbers after a needle count that count other things
        "Dry needled the R UT, 3 needles in the UT, pain went from 7 to 3 at the end of the visit.",
    ],
)
def test_numbers_near_needles_that_count_no_needles(note_of: NoteOf, text: str) -> None:
    counts = [c.count for c in note_of(text).rationale.needle_counts]
    assert counts in ([], [3])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a pipe table whose column heading names the needles; a row of none adds nothing
        (
            "Dry needling today:\n"
            "| Muscle | Side | No. of needles | Twitch |\n"
            "|---|---|---|---|\n"
            "| Gluteus medius | L | 4 | yes |\n"
            "| Piriformis | L | 0 | held, pt guarding |\n"
            "| QL | L | 3 | no |\n"
            "No injectate.",
            7,
        ),
        # a tab-separated flowsheet: the tabs are read from the note as written
        (
            "DN flowsheet\nMuscle\tSide\tNeedles\tLTR\nInfraspinatus\tR\t5\tY\n"
            "Teres minor\tR\t2\tN\nNothing injected.",
            7,
        ),
    ],
)
def test_needles_of_a_table_column_are_added(note_of: NoteOf, text: str, expected: int) -> None:
    assert needles(note_of(text)) == expected


def test_needles_of_a_table_laid_out_with_spaces_are_added(note_of: NoteOf) -> None:
    # the cells are left-aligned under their titles: the "Y" under the wide twitch title is
    # that column's, not a second word of the needles cell
    text = (
        "#   Site              Side   Needles   Twitch response   Done\n"
        "1   Gluteus medius    L      4         Y                 Y\n"
        "2   Piriformis        L      1         N                 Y\n"
        "3   QL                L      0         -                 N - declined\n"
        "\nInjectate: none. Tolerated well."
    )
    assert needles(note_of(text)) == 5


def test_a_table_without_a_needles_column_counts_no_needles(note_of: NoteOf) -> None:
    text = (
        "| Muscle | Side | Pain (0-10) | Twitch |\n|---|---|---|---|\n"
        "| Upper trapezius | R | 6 | yes |\nDry needled the R upper trapezius, no injectate."
    )
    assert needles(note_of(text)) is None


def test_a_total_said_to_correct_the_one_before_is_the_total(note_of: NoteOf) -> None:
    text = (
        "Dry needling to R infraspinatus and R teres minor, 8 needles total. Tol well.\n\n"
        "Addendum: R posterior deltoid also needled (3 needles). Revised total needles: 11."
    )
    assert needles(note_of(text)) == 11


def test_a_number_before_a_needles_label_is_not_a_needle_count(note_of: NoteOf) -> None:
    text = (
        "| Muscle | Side | Needles |\n| Soleus | L | 2 |\n| Medial gastrocnemius | L | 3 |\n"
        "Muscles treated: 2    Total needles: 5\nNo injectate. Tol well."
    )
    assert needles(note_of(text)) == 5


def test_a_muscles_label_states_the_count(note_of: NoteOf) -> None:
    note = note_of(
        "TDN: R infraspinatus, R teres minor, R posterior deltoid.\n"
        "Muscles treated today: 3     Needles: 9\nTol well."
    )
    assert [c.value for c in note.stated_muscle_counts] == [3]
    assert needles(note) == 9


@pytest.mark.parametrize(
    ("said", "count"),
    [
        ("Needles total is seven.", 7),
        ("The needles used were five.", 5),
        # a needle's size is no count
        ("The needles were 30 mm long.", None),
    ],
)
def test_needles_said_as_a_sentence(note_of: NoteOf, said: str, count: int | None) -> None:
    assert needles(note_of(f"Dry needling L QL and L glute med. {said}")) == count
