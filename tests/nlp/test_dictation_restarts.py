"""Speech taken back as it is said. A dictation begun again: what was said before the
command, in its paragraph, was taken back by the one who said it and documents nothing; what
follows is the dictation. A pain rating corrected at once: the second is the rating."""

from __future__ import annotations

import pytest
from helpers import claim_lines, muscle_statuses

from scribe import Scribe
from scribe.nlp.normalize import normalize


@pytest.mark.parametrize(
    "command",
    [
        "disregard everything so far, let me start again.",
        "wrong patient, delete all of that.",
        "ok let me start over from the top.",
        "strike this whole dictation, I'll begin again.",
    ],
)
def test_words_before_a_restart_are_read_as_blank(command: str) -> None:
    text = f"left gluteus medius and left piriformis, five needles, pain eight to five, {command} "
    text += "right infraspinatus needled"
    source = normalize(text)
    assert "gluteus" not in source.text and "eight" not in source.text
    assert source.text.strip().endswith("right infraspinatus needled")
    assert len(source.offsets) == len(source.text)


@pytest.mark.parametrize(
    "text",
    [
        "We will start over with the home program next visit.",
        "Pt told to ignore all of that advice from the gym; DN to R UT.",
        "She is starting over with her walking program. L QL needled.",
        "R UT needled, scratch that, L UT needled.",
    ],
)
def test_words_that_only_look_like_a_restart_are_kept(text: str) -> None:
    assert normalize(text).text == text


def test_a_restart_takes_back_only_its_own_paragraph() -> None:
    text = "HPI: neck pain 6/10.\n\nProcedure: DN L UT, disregard all of that. DN R UT."
    source = normalize(text)
    assert source.text.startswith("HPI: neck pain 6/10.")
    assert "L UT" not in source.text


def test_a_dictation_begun_again_reads_only_what_follows(scribe: Scribe) -> None:
    text = (
        "okay this is for Mrs Ortega. left hamstring, eight needles, pain went from nine to "
        "three, hang on I have the wrong chart open, disregard everything I just said. let me "
        "start again. Mrs Ortega, right gluteus medius and right piriformis dry needled, no "
        "injectate, four needles, pain five before and two after, she tolerated it well"
    )
    result = scribe.extract(text)
    note = result.note
    assert {(m.name, m.laterality, m.status) for m in note.muscles} == {
        ("gluteus medius", "right", "treated"),
        ("piriformis", "right", "treated"),
    }
    pain = note.rationale.pain
    assert pain.before is not None and pain.before.value == 5
    assert pain.after is not None and pain.after.value == 2
    assert [c.count for c in note.rationale.needle_counts] == [4]


@pytest.mark.parametrize(
    ("said", "before", "after"),
    [
        ("pain before was a six, sorry, a seven, and after the needling a three", 7, 3),
        ("coming in she rated it a three no actually a four, leaving a one", 4, 1),
        ("pain was eight out of ten, she corrected me, nine out of ten, and after a five", 9, 5),
    ],
)
def test_a_pain_rating_corrected_as_it_is_said_is_the_second(
    scribe: Scribe, said: str, before: int, after: int
) -> None:
    pain = scribe.extract(f"right infraspinatus dry needled, {said}").note.rationale.pain
    assert pain.before is not None and pain.before.value == before
    assert pain.after is not None and pain.after.value == after


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("right gluteus medius, right piriformis and the left QL, that's three, dry needled", [3]),
        ("dry needling to the calf, medial gastroc and soleus, so two in all, tolerated well", [2]),
        (
            "twitches in the left infraspinatus, teres minor and supraspinatus, and those are "
            "the three I needled, no injectate",
            [3],
        ),
        # a number of needles is no number of muscles
        ("dry needled the right QL, that's two needles, and the right multifidus", []),
    ],
)
def test_a_count_said_at_the_end_of_a_list_of_names_is_stated(
    scribe: Scribe, text: str, stated: list[int]
) -> None:
    counts = scribe.extract(text).note.stated_muscle_counts
    assert [c.value for c in counts] == stated


def test_a_plan_said_of_one_name_does_not_plan_the_next_one_needled(scribe: Scribe) -> None:
    text = (
        "left hip today, the left gluteus medius got needled, the left piriformis we'll leave "
        "for next session and then the left gluteus minimus, that one was needled as well"
    )
    muscles = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("gluteus medius", "left"): "treated",
        ("piriformis", "left"): "planned",
        ("gluteus minimus", "left"): "treated",
    }
    # with no needling word of its own, the next name stays in the plan
    plan = "the left piriformis we'll leave for next session and then the left gluteus minimus"
    assert {m.status for m in scribe.extract(plan).note.muscles} == {"planned"}


def test_a_denial_right_after_a_name_with_nothing_after_it_is_said_of_the_name(
    scribe: Scribe,
) -> None:
    text = "DN R infraspinatus, R teres minor s\u0304 injectate. R supraspinatus \u00d8 DN today."
    muscles = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("infraspinatus", "right"): "treated",
        ("teres minor", "right"): "treated",
        ("supraspinatus", "right"): "negated",
    }
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_needle_sum_said_after_its_items_is_the_total(scribe: Scribe) -> None:
    text = (
        "dry needled the left QL and left gluteus medius, five needles in the QL and three in "
        "the glute med, so eight needles altogether, no injectate"
    )
    counts = scribe.extract(text).note.rationale.needle_counts
    assert [c.count for c in counts if c.total] == [8]


@pytest.mark.parametrize(
    ("correction", "status"),
    [
        ("no wait, sorry, the right levator scapulae was last session", "historical"),
        ("I mean the right levator scapulae is planned for next week", "planned"),
        ("actually the right levator scapulae was palpated only", "palpated_only"),
    ],
)
def test_a_muscle_named_again_after_a_correction_takes_its_second_status(
    scribe: Scribe, correction: str, status: str
) -> None:
    text = (
        "so today I dry needled the right upper trapezius and the right levator scapulae, "
        f"{correction}, no injectate"
    )
    muscles = muscle_statuses(scribe, text)
    assert muscles[("upper trapezius", "right")] == "treated"
    assert muscles[("levator scapulae", "right")] == status
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_muscle_named_twice_with_no_correction_between_keeps_both_sayings(
    scribe: Scribe,
) -> None:
    text = (
        "I dry needled the right levator scapulae today and the right levator scapulae was "
        "needled last week too, no injectate"
    )
    assert muscle_statuses(scribe, text) == {("levator scapulae", "right"): "treated"}
