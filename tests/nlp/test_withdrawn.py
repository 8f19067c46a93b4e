"""Dry needling taken back by a later denial of the whole procedure (scribe/nlp/withdrawn.py):
its muscles are not needled and nothing is billed; a denial of only part of it, or of another day,
takes nothing back; one that follows evidence the needling was done is a conflict for review."""

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
        # the visit was an evaluation and nothing else
        "Tender left quadratus lumborum, dry needling today, re-evaluation only.",
        # no treatment at all at this encounter
        "Reviewed home program, DN L QL. No treatment was rendered at this visit.",
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
        # a place of its own, after a possessive
        "DN to L QL. She declined needling to her neck.",
    ],
)
def test_a_partial_or_other_day_denial_takes_nothing_back(scribe: Scribe, text: str) -> None:
    muscles, lines = statuses(scribe, text)
    assert muscles == {("quadratus lumborum", "left"): "treated"}
    assert lines == ["20560"]


@pytest.mark.parametrize(
    "text",
    [
        # a needling planned for today, stopped before it began; the denial's clause has a
        # place of its own ("to the nurse") that is not the procedure's
        "The plan for today was dry needling to the left quadratus lumborum. His temperature "
        "was high, so I sent him to the nurse and we ended up not needling any of them.",
        # "make the needling", as some speakers say it
        "Today I am planning to make dry needling in the left quadratus lumborum. But she has a "
        "fever, so we do not make the needling today.",
        # injections booked for today, declined
        "He was booked today for trigger point injections to the left quadratus lumborum. He "
        "declined the injections.",
        # a refusal with no object, after the muscles the sentence planned for today
        "TDN L QL planned today, patient refused.",
        # a procedure note's scheduled procedure, not performed
        "Scheduled procedure: TPI to the left quadratus lumborum with lidocaine.\n"
        "INR 3.9 this morning.\nDecision: procedure not performed.",
    ],
)
def test_a_procedure_planned_for_today_and_denied_is_not_billed(scribe: Scribe, text: str) -> None:
    muscles, lines = statuses(scribe, text)
    assert muscles == {("quadratus lumborum", "left"): "negated"}
    assert lines == []


def test_a_declined_injection_leaves_the_needling_done_instead(scribe: Scribe) -> None:
    text = (
        "She was booked today for TPIs to the right upper trapezius. She declined the "
        "injections, so I dry needled the right upper trapezius instead, LTR x2."
    )
    muscles, lines = statuses(scribe, text)
    assert muscles == {("upper trapezius", "right"): "treated"}
    assert lines == ["20560"]


@pytest.mark.parametrize(
    "text",
    [
        "Plan: DN to the L QL next visit. No needling today.",
        # a plan for a later visit, with today's denial in the same sentence and after it
        "Dry needling is planned but not done today: will begin at visit 3 with the L QL. "
        "No needling was performed at this visit.",
    ],
)
def test_a_plan_for_a_later_visit_stays_a_plan(scribe: Scribe, text: str) -> None:
    muscles, lines = statuses(scribe, text)
    assert muscles == {("quadratus lumborum", "left"): "planned"}
    assert lines == []


def test_a_side_written_in_error_is_replaced_by_the_corrected_one(scribe: Scribe) -> None:
    text = (
        "TDN R infraspinatus, R teres minor, LTR x2. Tol well.\n"
        "ADDENDUM: side documented in error above. TDN was to the L infraspinatus and L teres "
        "minor today."
    )
    muscles, lines = statuses(scribe, text)
    assert muscles == {
        ("infraspinatus", "right"): "negated",
        ("teres minor", "right"): "negated",
        ("infraspinatus", "left"): "treated",
        ("teres minor", "left"): "treated",
    }
    assert lines == ["20560"]


def test_a_plan_for_today_done_in_part_raises_no_conflict(scribe: Scribe) -> None:
    text = (
        "Planned today: TDN L QL, L piriformis.\n"
        "Procedure: TDN L QL, 2 needles, LTR. Then dizzy, procedure stopped; L piriformis NOT "
        "needled today.\nTolerated fair."
    )
    result = scribe.extract(text)
    muscles = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert muscles == {("quadratus lumborum", "left"): "treated", ("piriformis", "left"): "negated"}
    assert [line.code for line in result.coding.lines] == ["20560"]
    assert "status-conflict" not in {p.id for p in result.coding.prompts}


def test_a_refusal_of_something_else_takes_nothing_back(scribe: Scribe) -> None:
    muscles, lines = statuses(scribe, "DN to L QL. Offered TENS, pt declined.")
    assert muscles == {("quadratus lumborum", "left"): "treated"}
    assert lines == ["20560"]


@pytest.mark.parametrize(
    "text",
    [
        "Dry needling performed to the left quadratus lumborum, LTR x2. No needling was done.",
        "DN L QL, tolerated well. Needling was not performed today.",
        # the clinician said what they did, then denied the whole procedure
        "Today I dry needled the left quadratus lumborum. No dry needling today.",
        "We dry needled the left quadratus lumborum, then decided no needling today.",
    ],
)
def test_a_denial_after_proof_of_needling_is_a_conflict_for_review(
    scribe: Scribe, text: str
) -> None:
    """The note says both: neither is chosen, the muscle is not billed and a reviewer is told."""
    result = scribe.extract(text)
    [muscle] = result.note.muscles
    assert (muscle.name, muscle.laterality, muscle.status_conflict) == (
        "quadratus lumborum",
        "left",
        True,
    )
    assert result.coding.lines == []
    assert "status-conflict" in [p.id for p in result.coding.prompts]


@pytest.mark.parametrize(
    "text",
    [
        "No dry needling today, we did manual therapy. Dry needling to the left quadratus "
        "lumborum.",
        "Soft tissue only today, no needles at all. Needling the left quadratus lumborum.",
        # the later words may be a plan whose cue the recogniser lost ("we'll" as "wheel")
        "Soft tissue only, no needling at all. If she is up for it, think about needling the "
        "left quadratus lumborum.",
    ],
)
def test_a_denial_before_needling_said_done_is_a_conflict_for_review(
    scribe: Scribe, text: str
) -> None:
    """The note denies the whole procedure today and then says it was done: neither is chosen,
    the muscle is not billed and a reviewer is told."""
    result = scribe.extract(text)
    [muscle] = result.note.muscles
    assert (muscle.name, muscle.status_conflict) == ("quadratus lumborum", True)
    assert result.coding.lines == []
    assert "status-conflict" in [p.id for p in result.coding.prompts]


@pytest.mark.parametrize(
    "text",
    [
        # another day
        "No dry needling last visit because of bruising. Today I dry needled the left quadratus "
        "lumborum.",
        # part of the procedure
        "No needles at all on the right. Dry needled the left quadratus lumborum.",
        # another procedure
        "No injectate was used. I dry needled the left quadratus lumborum today.",
        # too far back: four sentences between
        "No needling today. Pain was six. Sleep is poor. Work is hard. Sitting is limited. "
        "Needling the left quadratus lumborum.",
    ],
)
def test_a_denial_of_something_else_before_needling_leaves_it(scribe: Scribe, text: str) -> None:
    muscles, lines = statuses(scribe, text)
    assert muscles == {("quadratus lumborum", "left"): "treated"}
    assert lines == ["20560"]


def test_a_refusal_with_no_object_leaves_a_procedure_proven_done(scribe: Scribe) -> None:
    # run-on speech: "she declined that" is said of the needling just talked about, not of the
    # injections done and tolerated
    text = (
        "trigger point injections today i injected the right gluteus medius and the right "
        "piriformis with one cc of one percent lidocaine each we discussed dry needling the "
        "right quadratus lumborum too but she declined that today she tolerated the injections "
        "well"
    )
    muscles, lines = statuses(scribe, text)
    assert muscles == {
        ("gluteus medius", "right"): "treated",
        ("piriformis", "right"): "treated",
        ("quadratus lumborum", "right"): "negated",
    }
    assert lines == ["20552"]


def test_the_plan_of_the_day_said_in_the_past_and_then_denied(scribe: Scribe) -> None:
    text = (
        "Our plan for this visit was the left supraspinatus and the left infraspinatus, but "
        "neither one was needled because of a new rash over the scapula."
    )
    muscles, lines = statuses(scribe, text)
    assert muscles == {
        ("supraspinatus", "left"): "negated",
        ("infraspinatus", "left"): "negated",
    }
    assert lines == []


@pytest.mark.parametrize(
    "but",
    [
        "but did not, as she felt faint",
        "but I didn't because of a bruise",
        "but did not needle it today",
    ],
)
def test_a_plan_for_today_that_was_not_carried_out(scribe: Scribe, but: str) -> None:
    text = (
        "Dry needling to the R gluteus medius, tolerated well, no injectate. I had meant to "
        f"needle the R piriformis as well {but}."
    )
    muscles, lines = statuses(scribe, text)
    assert muscles[("piriformis", "right")] == "negated"
    assert lines == ["20560"]


def test_names_said_needled_then_denied_in_one_sentence_all_go_to_review(scribe: Scribe) -> None:
    """ "I dry needled A and B, no needling today": the denial closes B's clause and takes back
    the whole sentence; the note says both of each, so neither is billed and both are shown."""
    text = "I dry needled the left quadratus lumborum and the right piriformis, no needling today."
    result = scribe.extract(text)
    conflicts = {(m.name, m.laterality): m.status_conflict for m in result.note.muscles}
    assert conflicts == {("quadratus lumborum", "left"): True, ("piriformis", "right"): True}
    assert result.coding.lines == []


@pytest.mark.parametrize(
    "text",
    [
        # a plan, then its denial
        "The left quadratus lumborum to be needled at the next visit - not done today.",
        # another day's needling
        "I dry needled the left quadratus lumborum last week, not today.",
        # said as a plan or a heading, not as what the clinician did
        "Dry needling to the left quadratus lumborum, not performed today.",
    ],
)
def test_a_denial_of_what_was_not_said_done_is_no_conflict(scribe: Scribe, text: str) -> None:
    result = scribe.extract(text)
    [muscle] = result.note.muscles
    assert muscle.name == "quadratus lumborum"
    assert muscle.status in ("negated", "historical")
    assert not muscle.status_conflict
    assert result.coding.lines == []
