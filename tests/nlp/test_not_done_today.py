"""A procedure the note names but says was not done today: the visit ended before it, it was
put off, it was only the plan, or the speaker says what they would have done. Each sentence
follows one that needled another muscle, so the claim must keep that one and only that one:
a muscle billed that was not needled is a false claim."""

from __future__ import annotations

import pytest

from scribe import Scribe

DONE = "Dry needling of the right upper trapezius was performed with a local twitch response."


@pytest.mark.parametrize(
    "not_done",
    [
        "He couldn't stay for the needling of the left quadratus lumborum.",
        "Patient left before the dry needling of the left quadratus lumborum.",
        "She had to leave before we could needle the left quadratus lumborum.",
        "No time for needling the left quadratus lumborum today, next visit.",
        "We ran out of time for the left quadratus lumborum.",
        "I would have needled the left quadratus lumborum but she was on anticoagulants.",
        "Left quadratus lumborum needling was postponed.",
        "Left quadratus lumborum needling was put off until her INR is checked.",
        "Dry needling of the left quadratus lumborum was planned.",
        "Dry needling of the left quadratus lumborum was planned but she had a fever, so we "
        "held it.",
        "Needling of the left quadratus lumborum was stopped before the needle went in.",
        "Plan was dry needling to the left quadratus lumborum, but she arrived late.",
        "She preferred not to have the left quadratus lumborum needled today.",
        "Needling the left quadratus lumborum would likely help; we will wait for imaging.",
        "Dry needling to the left quadratus lumborum was discussed; she will think about it.",
        "The left quadratus lumborum was assessed for needling.",
    ],
)
def test_a_procedure_not_done_today_is_not_billed(scribe: Scribe, not_done: str) -> None:
    for text in (f"{DONE} {not_done}", f"{not_done} {DONE}"):
        result = scribe.extract(text)
        statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
        assert statuses[("upper trapezius", "right")] == "treated"
        assert statuses[("quadratus lumborum", "left")] != "treated"
        assert [(line.code, line.units) for line in result.coding.lines] == [("20560", 1)]


@pytest.mark.parametrize(
    "done",
    [
        "Dry needling of the left quadratus lumborum was planned and performed.",
        "I needled the left quadratus lumborum before the right upper trapezius.",
        "There was no time lost; the left quadratus lumborum was needled.",
        "The plan was carried out: dry needling of the left quadratus lumborum.",
        "Dry needling to the left quadratus lumborum was discussed, consented and performed.",
        "The left quadratus lumborum was assessed for needling and needled with two passes.",
    ],
)
def test_the_words_of_a_procedure_not_done_leave_one_done_billed(scribe: Scribe, done: str) -> None:
    statuses = {(m.name, m.laterality): m.status for m in scribe.extract(done).note.muscles}
    assert statuses[("quadratus lumborum", "left")] == "treated"


@pytest.mark.parametrize(
    "not_done",
    [
        "he couldn't stay for the needling of the left ql so that will be next time",
        "no time for the left ql today",
        "i would have needled the left ql too but she was short on time",
        "the left ql needling was postponed",
    ],
)
def test_a_procedure_not_done_in_a_run_on_transcript_is_not_billed(
    scribe: Scribe, not_done: str
) -> None:
    text = f"today i dry needled the right upper trap and got a nice twitch {not_done}"
    result = scribe.extract(text)
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert set(statuses) == {("upper trapezius", "right"), ("quadratus lumborum", "left")}
    assert statuses[("upper trapezius", "right")] == "treated"
    assert statuses[("quadratus lumborum", "left")] in {"negated", "planned"}
    assert [(line.code, line.units) for line in result.coding.lines] == [("20560", 1)]
