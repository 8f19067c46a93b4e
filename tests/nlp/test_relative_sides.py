"""Sides said by reference to another side ("on the same side", "contralateral", "the
symptomatic side"), and side words as hurried typists and speakers write them (DOMAIN.md
section 3)."""

from __future__ import annotations

import pytest

from scribe import Scribe


def sides_of(scribe: Scribe, text: str) -> set[tuple[str, str, str]]:
    return {(m.name, m.laterality, m.status) for m in scribe.extract(text).note.muscles}


def test_same_and_opposite_take_the_side_said_last(scribe: Scribe) -> None:
    text = (
        "Trigger points in the right upper trap and the levator scapula. I needled the upper "
        "trap and the levator on that same side, and then the S C M on the opposite side, "
        "nothing injected."
    )
    assert sides_of(scribe, text) == {
        ("upper trapezius", "right", "treated"),
        ("levator scapulae", "right", "treated"),
        ("sternocleidomastoid", "left", "treated"),
    }


def test_a_relative_side_points_at_the_relative_side_before_it(scribe: Scribe) -> None:
    text = (
        "Dry needled the left soleus, then the lateral gastroc on the other leg, and the "
        "peroneus longus on that same leg."
    )
    assert sides_of(scribe, text) == {
        ("soleus", "left", "treated"),
        ("lateral gastrocnemius", "right", "treated"),
        ("fibularis longus", "right", "treated"),
    }


def test_ipsilateral_and_contralateral_are_said_of_the_complaint(scribe: Scribe) -> None:
    text = (
        "R neck and shoulder pain x 4 months. TPI with 1% lidocaine 1 mL into the R upper "
        "trapezius and L levator scapulae. Contralateral splenius capitis and ipsilateral "
        "rhomboid minor: dry needling, no injectate."
    )
    got = sides_of(scribe, text)
    assert ("splenius capitis", "left", "treated") in got
    assert ("rhomboid minor", "right", "treated") in got


@pytest.mark.parametrize("phrase", ["the symptomatic side", "the involved side"])
def test_the_complaint_side_is_the_first_side_of_the_note(scribe: Scribe, phrase: str) -> None:
    text = (
        "S: L-sided neck pain and headaches.\nO: R side: no TrPs found. Rotation R 70.\n"
        f"Procedure: TDN to {phrase}: levator scapulae, splenius capitis. No injectate."
    )
    assert sides_of(scribe, text) == {
        ("levator scapulae", "left", "treated"),
        ("splenius capitis", "left", "treated"),
    }


@pytest.mark.parametrize(
    "text",
    [
        # a motion, not a side
        "Right neck pain. Rotation to the other side was limited. Dry needled the levator "
        "scapulae and the splenius capitis on the right, the scalenes too.",
        # no side said before it: nothing to point at
        "Dry needled the scalenes on the same side as the levator.",
    ],
)
def test_a_relative_side_with_nothing_to_point_at_names_no_new_side(
    scribe: Scribe, text: str
) -> None:
    assert all(side != "left" for _, side, _ in sides_of(scribe, text))


def test_contraindications_are_no_side(scribe: Scribe) -> None:
    text = "Left low back pain. Contra-indications: none. Dry needled the QL, no injectate."
    assert sides_of(scribe, text) == {("quadratus lumborum", "left", "treated")}


def test_lower_case_side_letters_right_before_a_name(scribe: Scribe) -> None:
    text = "dn to r upper trap and l scm, no injectate"
    assert sides_of(scribe, text) == {
        ("upper trapezius", "right", "treated"),
        ("sternocleidomastoid", "left", "treated"),
    }
    # a letter and a number is a spinal level, not a side
    text = "dn to the lumbar multifidus at l 4 and l 5, no injectate"
    assert sides_of(scribe, text) == {("multifidus lumborum", "unspecified", "treated")}


def test_left_after_its_subject_is_a_verb_before_a_name(scribe: Scribe) -> None:
    text = (
        "Taut bands in the right upper trap and the rhomboid minor. I needled the upper trap, "
        "and we left the rhomboid minor alone today, palpated only. No injectate."
    )
    assert sides_of(scribe, text) == {
        ("upper trapezius", "right", "treated"),
        ("rhomboid minor", "right", "palpated_only"),
    }


@pytest.mark.parametrize("after", ["each of those on both sides", "bilateral for all of them"])
def test_a_side_after_a_list_reaches_over_spinal_levels(scribe: Scribe, after: str) -> None:
    text = (
        "Needled the Q L, the lumbar multifidus at L four L five and the gluteus medius, "
        f"{after}, no injectate."
    )
    assert sides_of(scribe, text) == {
        ("quadratus lumborum", "bilateral", "treated"),
        ("multifidus lumborum", "bilateral", "treated"),
        ("gluteus medius", "bilateral", "treated"),
    }


def test_each_side_written_short(scribe: Scribe) -> None:
    text = "DN today: lumbar multifidus L3-L5 ea side. No injectate."
    assert sides_of(scribe, text) == {("multifidus lumborum", "bilateral", "treated")}


def test_a_side_said_without_saying_which_stops_the_side_before_it(scribe: Scribe) -> None:
    # a run-on as a recogniser writes it: "bilateral" is the pain's, and the needling was on
    # one side, never named
    text = (
        "he has bilateral low back pain, worse on one side, trigger points in the QL and the "
        "gluteus medius on the worst side, today I only needled the QL and the glute med on his "
        "worst side, the other side got soft tissue work only, nothing injected"
    )
    result = scribe.extract(text)
    assert {(m.name, m.laterality, m.status) for m in result.note.muscles} == {
        ("quadratus lumborum", "unspecified", "treated"),
        ("gluteus medius", "unspecified", "treated"),
    }
    assert [(line.code, line.units) for line in result.coding.lines] == [("20560", 1)]


@pytest.mark.parametrize(("phrase", "side"), [("worse side", "left"), ("good side", "right")])
def test_the_worse_and_the_good_side_are_said_of_the_complaint(
    scribe: Scribe, phrase: str, side: str
) -> None:
    text = f"Left hip pain. Dry needled the gluteus medius on his {phrase}, no injectate."
    assert sides_of(scribe, text) == {("gluteus medius", side, "treated")}


def test_the_last_letter_of_a_spelled_name_is_no_side(scribe: Scribe) -> None:
    text = "needled the t f l the lumbar multifidus and the gluteus medius, no injectate"
    assert sides_of(scribe, text) == {
        ("tensor fasciae latae", "unspecified", "treated"),
        ("multifidus lumborum", "unspecified", "treated"),
        ("gluteus medius", "unspecified", "treated"),
    }
