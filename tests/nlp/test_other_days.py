"""Days other than today said in passing (a weekday, "yesterday", coming back for the next
visit), and an activity said to be hard."""

from __future__ import annotations

import pytest
from helpers import claim_lines, muscle_statuses

from scribe import Scribe


@pytest.mark.parametrize(
    "earlier",
    [
        "she had the left infraspinatus needled yesterday at the other office",
        "last Friday we needled her left infraspinatus",
        "we needled her left infraspinatus on Wednesday and she is still sore from it",
    ],
)
def test_needling_on_another_day_of_the_week_is_not_today(scribe: Scribe, earlier: str) -> None:
    text = f"{earlier}. Today I dry needled the right infraspinatus, no injectate."
    muscles = muscle_statuses(scribe, text)
    assert muscles[("infraspinatus", "right")] == "treated"
    assert muscles.get(("infraspinatus", "left")) != "treated"
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_weekday_said_as_today_is_today(scribe: Scribe) -> None:
    text = "Seen on Thursday, today, for dry needling of the L gluteus medius. No injectate."
    assert muscle_statuses(scribe, text) == {("gluteus medius", "left"): "treated"}


def test_coming_back_for_a_muscle_plans_it(scribe: Scribe) -> None:
    text = (
        "I needled the right piriformis today, she is coming back on Monday for the left piriformis"
    )
    assert muscle_statuses(scribe, text) == {
        ("piriformis", "right"): "treated",
        ("piriformis", "left"): "planned",
    }


@pytest.mark.parametrize(
    ("said", "limited"),
    [
        ("Getting in and out of the car is still difficult.", True),
        ("Stairs are hard for him this week.", True),
        ("The needling was tough today but she got through it.", False),
        ("Pain when walking is hard to describe.", False),
    ],
)
def test_an_activity_said_to_be_hard_is_a_functional_limitation(
    scribe: Scribe, said: str, limited: bool
) -> None:
    text = f"DN R QL. {said}"
    assert bool(scribe.extract(text).note.rationale.functional_limitations) is limited


def test_a_drug_said_before_a_time_ago_is_that_time_s(scribe: Scribe) -> None:
    text = (
        "quick background doctor Lin did trigger point injections with bupivacaine into his "
        "right levator scapula about a week ago and he says it helped for a few days um "
        "today it was dry needling only no injectate so I needled the right levator and the "
        "right rhomboid major"
    )
    note = scribe.extract(text).note
    assert note.injectate.status == "none_confirmed"
    assert not [s for s in note.injectate.substances if s.status == "injected"]
    assert claim_lines(scribe, text) == {("20560", ())}


def test_an_export_s_later_note_of_another_date_is_that_visit_s() -> None:
    """An export of two notes, each opened by its own date of service: the procedures of the
    later-listed note of another day are that day's."""
    from scribe import Scribe

    text = (
        "[Document 1 of 2]  Daily Note   DOS: 03/13/2026\n"
        "Tx: Dry needling to L soleus, nothing injected.\n\n"
        "[Document 2 of 2]  Daily Note   DOS: 02/27/2026\n"
        "Tx: TDN L soleus and L peroneus longus. No injectate.\n"
    )
    result = Scribe().extract(text)
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses[("soleus", "left")] == "treated"
    assert statuses[("fibularis longus", "left")] == "historical"
    assert result.coding.muscle_count == 1
    # a date of service said in a sentence of today's note opens no note of its own
    text = "DOS: 03/13/2026\nLast visit DOS 02/27/2026 was a re-eval. Today DN to L soleus.\n"
    assert Scribe().extract(text).coding.muscle_count == 1


@pytest.mark.parametrize("name", ["piriformis", "gluteus minimus", "quadratus lumborum"])
def test_a_visit_named_by_its_number_after_any_name_is_another_visit(
    scribe: Scribe, name: str
) -> None:
    # a name ending in "-is" before "at visit 3" is no "is at visit 3" (today's place)
    text = f"Dry needled the left {name} today. We needled the right {name} at visit 3."
    muscles = muscle_statuses(scribe, text)
    assert muscles[(name, "left")] == "treated"
    assert muscles[(name, "right")] == "historical"
    text = f"She is at visit 3 of 10. Dry needled the left {name}."
    assert muscle_statuses(scribe, text) == {(name, "left"): "treated"}
