"""A muscle named by its parent beside one of its parts: the part, on the sides it covers."""

from __future__ import annotations

from scribe import Scribe


def _muscles(scribe: Scribe, text: str) -> list[tuple[str, str, str]]:
    return sorted((m.name, m.laterality, m.status) for m in scribe.extract(text).note.muscles)


def test_a_parent_named_on_one_side_of_a_part_named_on_both_is_that_part(scribe: Scribe) -> None:
    text = (
        "Obj: taut bands in the B lumbar multifidus and L QL.\n"
        "Tx: TDN B lumbar multifidus x3 each side, L QL x2. LTR on the R multifidus. "
        "No injectate."
    )
    assert _muscles(scribe, text) == [
        ("multifidus lumborum", "bilateral", "treated"),
        ("quadratus lumborum", "left", "treated"),
    ]


def test_a_parent_on_a_side_no_part_covers_stays_as_said(scribe: Scribe) -> None:
    text = "TDN to the R medial gastrocnemius and the L gastrocnemius, no injectate."
    assert _muscles(scribe, text) == [
        ("gastrocnemius", "left", "treated"),
        ("medial gastrocnemius", "right", "treated"),
    ]


def test_the_rhomboids_named_after_the_rhomboid_major_are_no_third_muscle(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "I dry needled the rhomboid major on both sides. Good twitch responses in the rhomboids."
    )
    assert [(m.name, m.laterality) for m in result.note.muscles] == [
        ("rhomboid major", "bilateral")
    ]
    assert [line.code for line in result.coding.lines] == ["20560"]
