"""What a clause says of the names before it: a mixed session summed up ("the trapezius and
levator were dry, the rhomboid was injected"), a count that is the procedure's object ("I dry
needled three muscles"), a denial closing a name's line ("- not injected today")."""

from __future__ import annotations

import pytest
from helpers import claim_lines, muscle_statuses

from scribe import Scribe
from scribe.lexicons import any_of, load_lexicons


def test_a_summary_of_which_names_were_dry(scribe: Scribe) -> None:
    text = (
        "I'm dry needling first, the left upper and middle trapezius, four needles, then the "
        "left levator scapulae, two needles, then the left rhomboid major was so irritable "
        "that I switched to a trigger point, injection there, one percent lidocaine, two cc, "
        "so the trapezius, and levator were dry, the rhomboid major was injected, he "
        "tolerated both parts fine"
    )
    assert claim_lines(scribe, text) == {("20552", ()), ("20560", ("59",))}


def test_a_dry_injection_site_is_no_dry_needling(scribe: Scribe) -> None:
    text = (
        "Trigger point injection to the right upper trapezius with 1 cc 1% lidocaine. Right "
        "upper trapezius site was dry, intact, bandaid applied."
    )
    result = scribe.extract(text)
    assert {line.code for line in result.coding.lines} == {"20552"}
    assert "tpi-same-muscle" not in {p.id for p in result.coding.prompts}


def test_a_count_as_the_procedures_object_points_at_the_names_before(scribe: Scribe) -> None:
    text = (
        "trigger points with taut bands in the right E C R L, E C R B, and the supinator. I dry "
        "needled three muscles, actually make that four, I did the brachio radialis too. no "
        "injectate. tolerated it fine."
    )
    statuses = muscle_statuses(scribe, text)
    assert statuses[("supinator", "right")] == "treated"
    assert statuses[("extensor carpi radialis longus", "right")] == "treated"


def test_a_count_that_is_not_the_names_before_points_at_none(scribe: Scribe) -> None:
    text = (
        "trigger points in the right upper trapezius, levator scapulae, rhomboid major and "
        "infraspinatus. I dry needled three muscles. no injectate."
    )
    statuses = muscle_statuses(scribe, text)
    assert "treated" not in statuses.values()


def test_a_denial_closing_a_names_line_after_a_dash(scribe: Scribe) -> None:
    text = (
        "TPI QUICK-SHEET\n"
        "1) Site(s): B UT - palpable TrP + jump sign each side.\n"
        "2) Agent: NS 0.9%, 1 mL per site.\n"
        "6) L levator scap TTP - not injected today; re-eval 2 wk."
    )
    statuses = muscle_statuses(scribe, text)
    assert statuses[("levator scapulae", "left")] == "negated"
    assert claim_lines(scribe, text) == {("20552", ())}


@pytest.mark.parametrize(
    ("said", "of_the_session"),
    [
        ("L quadratus lumborum was NOT injected today.", False),
        ("the rhomboids were not injected", False),
        ("TPI x2 R UT, not injected.", True),
        ("Dry needling, nothing injected.", True),
    ],
)
def test_a_names_own_passive_denial_is_no_session_statement(
    said: str, of_the_session: bool
) -> None:
    nothing_injected = any_of(load_lexicons().statements.statements["none_injected"])
    assert bool(nothing_injected.search(said)) is of_the_session


@pytest.mark.parametrize(
    ("said", "counts"),
    [
        ("DN to R UT and R levator, two muscles, actually make that three, and R rhomboid.", [3]),
        ("Needled four muscles, make that four needles each.", [4]),
    ],
)
def test_a_stated_count_corrected_as_it_is_said(scribe: Scribe, said: str, counts: list) -> None:
    assert [c.value for c in scribe.extract(said).note.stated_muscle_counts] == counts


def test_a_twitch_in_all_of_them_then_a_name_of_its_own_points_back(scribe: Scribe) -> None:
    text = (
        "Right infraspinatus and teres minor. Local twitch responses in both of them, and the "
        "infraspinatus reproduced her arm pain. Nothing injected."
    )
    assert muscle_statuses(scribe, text) == {
        ("infraspinatus", "right"): "treated",
        ("teres minor", "right"): "treated",
    }
    assert claim_lines(scribe, text) == {("20560", ())}
