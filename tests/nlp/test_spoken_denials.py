"""Muscles a speaker says were not needled, in a run-on transcript (no punctuation) whose first
clause needled others: the words of speech that deny, defer or limit the needling of one muscle
keep it out of the claim, however far the needling verb reaches."""

from __future__ import annotations

import pytest
from helpers import transcript

from scribe import Scribe

NEEDLED = (
    "all right so today i dry needled the right gluteus medius and the right piriformis "
    "and got a couple of nice twitches"
)


@pytest.mark.parametrize(
    "said",
    [
        "then the left quadratus lumborum i left alone today",
        "i did not get to the left quadratus lumborum",
        "the left quadratus lumborum we just palpated",
        "on the left quadratus lumborum i only did soft tissue",
        "the left quadratus lumborum will be next session",
        "he said no to the left quadratus lumborum",
        "he has a trigger point in the left quadratus lumborum too that we'll get to",
        "the left quadratus lumborum can wait",
        "he asked me to skip the left quadratus lumborum",
    ],
)
def test_a_muscle_said_not_needled_in_a_run_on_is_not_billed(scribe: Scribe, said: str) -> None:
    result = scribe.extract(f"{NEEDLED} {said}")
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses[("gluteus medius", "right")] == "treated"
    assert statuses.get(("quadratus lumborum", "left"), "mentioned") != "treated"
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_left_alone_is_no_side(scribe: Scribe) -> None:
    result = scribe.extract("Dry needled the upper trapezius. The levator I left alone today.")
    sides = {m.name: m.laterality for m in result.note.muscles}
    assert sides == {"upper trapezius": "unspecified", "levator scapulae": "unspecified"}


def test_a_refusal_with_its_object_after_it_is_said_of_that_object_only(scribe: Scribe) -> None:
    # a recogniser's run-on: the muscle named just before the subject is not declined
    text = (
        "so today I needled the left masseter and the left temporalis and on the right side "
        "just the masseter she declined the left lateral pterygoid today no injectate"
    )
    muscles = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("masseter", "left"): "treated",
        ("temporalis", "left"): "treated",
        ("masseter", "right"): "treated",
        ("lateral pterygoid", "left"): "negated",
    }


@pytest.mark.parametrize("link", ["but", "so"])
def test_a_muscle_held_with_a_pronoun_does_not_hold_the_findings_said_after_it(
    scribe: Scribe, link: str
) -> None:
    # "I held it": the pronoun is what was held; the twitch responses said right after it
    # are of the muscles needled before, said again
    text = (
        "i needled the left levator scapulae and the right upper trapezius the left upper "
        f"trapezius was tender {link} i held it today twitch responses in the upper trap and "
        "the levator"
    )
    result = scribe.extract(text)
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses[("levator scapulae", "left")] == "treated"
    assert statuses[("upper trapezius", "right")] == "treated"
    assert ("upper trapezius", "unspecified") not in statuses
    assert ("levator scapulae", "unspecified") not in statuses
    assert statuses[("upper trapezius", "left")] != "treated"


def test_a_denial_with_its_own_object_misheard_takes_back_nothing_before(scribe: Scribe) -> None:
    # "gastroc" heard as an ordinary word: the side says the denial has an object of its own
    heard = (
        "dry needled the left abductor hallucis and the left flexor digitorum brevis, nothing "
        "injected. she tolerated it. I did not needle, the left bastard, today, she had enough "
        "for one day."
    )
    result = scribe.extract_transcript(transcript(heard))
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_a_denial_noun_before_a_side_still_takes_back_the_plan(scribe: Scribe) -> None:
    text = "Plan today: DN to L UT. No needling today, the left shoulder is too irritated."
    assert scribe.extract(text).coding.lines == []


def test_a_muscle_meant_for_and_then_not_done(scribe: Scribe) -> None:
    heard = (
        "so I needled the left infraspinatus only. I was gonna do the teres minor as well, but "
        "he got a little lightheaded, so I skipped it. nothing injected, tolerated well."
    )
    result = scribe.extract_transcript(transcript(heard))
    statuses = {m.name: m.status for m in result.note.muscles}
    assert statuses["teres minor"] != "treated"
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_a_muscle_meant_for_and_then_done(scribe: Scribe) -> None:
    heard = (
        "dry needled the left infraspinatus. I was gonna do the teres minor as well, but he "
        "wanted a break first, so I did needle it after. nothing injected, tolerated well."
    )
    statuses = {m.name: m.status for m in scribe.extract_transcript(transcript(heard)).note.muscles}
    assert statuses["teres minor"] != "negated"


def test_next_visit_said_with_a_pause_plans(scribe: Scribe) -> None:
    heard = (
        "right, needled, the paraspinals, and the glutes on the right, no injectate. plan, to "
        "needle, the right, piriformis, next, visit."
    )
    statuses = {m.name: m.status for m in scribe.extract_transcript(transcript(heard)).note.muscles}
    assert statuses["piriformis"] == "planned"
