"""Dry needling taken back by a later denial of the whole procedure (scribe/nlp/withdrawn.py):
its muscles are not needled and nothing is billed; a denial of only part of it, of another day,
or one that follows evidence the needling was done, takes nothing back."""

from __future__ import annotations

import pytest

from scribe import Scribe


def statuses(scribe: Scribe, text: str) -> tuple[dict[tuple[str, str], str], list[str]]:
    result = scribe.extract(text)
    muscles = {(m.name, m.laterality): m.status for m in result.note.muscles}
    return muscles, [line.code for line in result.coding.lines]


@pytest.mark.parametrize(
    "text",
    [
        # a plan for today, denied in the next sentences
        "Scheduled for DN to the left quadratus lumborum today. Vitals fine. "
        "He declined needling after all.",
        # said as if done, with no evidence it was, then denied
        "DN to L QL. No needles were inserted.",
        # the denial after the muscles of its own sentence
        "He was scheduled for needling to the left quadratus lumborum today, and when we talked "
        "it over he declined and neither one was needled.",
    ],
)
def test_a_needling_denied_as_a_whole_is_not_billed(scribe: Scribe, text: str) -> None:
    muscles, lines = statuses(scribe, text)
    assert muscles == {("quadratus lumborum", "left"): "negated"}
    assert lines == []


@pytest.mark.parametrize(
    "text",
    [
        # evidence the needling was done: the denial speaks of something else
        "DN performed to L QL, LTR x2. He declined further needling.",
        # a denial of part of the procedure
        "DN to L QL. No needling on the right side.",
        "DN to L QL. Needling deferred last visit.",
    ],
)
def test_a_partial_or_other_day_denial_takes_nothing_back(scribe: Scribe, text: str) -> None:
    muscles, lines = statuses(scribe, text)
    assert muscles == {("quadratus lumborum", "left"): "treated"}
    assert lines == ["20560"]


def test_a_plan_for_a_later_visit_stays_a_plan(scribe: Scribe) -> None:
    muscles, lines = statuses(scribe, "Plan: DN to the L QL next visit. No needling today.")
    assert muscles == {("quadratus lumborum", "left"): "planned"}
    assert lines == []
