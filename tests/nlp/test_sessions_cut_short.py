"""Sessions that did not go as planned: stopped part-way, switched on the table, injections
given beside dry needling, fields of a visit note (DOMAIN.md sections 3, 4 and 8)."""

from __future__ import annotations

import pytest
from helpers import transcript

from scribe import Scribe


def statuses(scribe: Scribe, text: str) -> set[tuple[str, str, str]]:
    return {(m.name, m.laterality, m.status) for m in scribe.extract(text).note.muscles}


def lines(scribe: Scribe, text: str) -> set[tuple[str, tuple[str, ...]]]:
    return {(line.code, tuple(line.modifiers)) for line in scribe.extract(text).coding.lines}


def test_a_dose_ends_a_lower_case_sentence_before_a_summary_of_what_was_dry(
    scribe: Scribe,
) -> None:
    text = (
        "dry needling first, the left upper trapezius four needles, then the left levator "
        "scapula two needles, and nothing was injected into either of those. then the left "
        "rhomboid major was so irritable that I switched to a trigger point injection there, "
        "one percent lidocaine two c c. so the trapezius and levator were dry, the rhomboid "
        "major was injected."
    )
    assert lines(scribe, text) == {("20552", ()), ("20560", ("59",))}


def test_a_numbered_procedure_list_of_drugs_and_doses_is_injected(scribe: Scribe) -> None:
    text = (
        "PROCEDURE PERFORMED:\n"
        "  1. R gluteus medius - 0.5% bupivacaine 2 mL.\n"
        "  2. R piriformis - 0.5% bupivacaine 2 mL.\n"
        "  3. R quadratus lumborum - dry needling, 3 needles, no injectate.\n"
    )
    assert lines(scribe, text) == {("20552", ()), ("20560", ("59",))}


def test_a_history_field_ends_at_the_next_field_label(scribe: Scribe) -> None:
    text = (
        "History: last botulinum toxin injection 03/10/2026, good response.\n"
        "Status: NOT PERFORMED today, authorization not received.\n"
        "Interim treatment (patient request; verbal consent documented):\n"
        "  Dry needling, no injectate: L sternocleidomastoid, R splenius capitis.\n"
    )
    assert statuses(scribe, text) == {
        ("sternocleidomastoid", "left", "treated"),
        ("splenius capitis", "right", "treated"),
    }


def test_a_note_of_one_side_gives_it_to_the_names_said_without_one(scribe: Scribe) -> None:
    text = (
        "Right shoulder pain. The right infraspinatus was not needled today. Then side lying, "
        "two needles in the teres minor with a twitch, no injectate."
    )
    assert statuses(scribe, text) == {
        ("infraspinatus", "right", "negated"),
        ("teres minor", "right", "treated"),
    }
    # "right after" is no side
    text = (
        "left calf. one needle in the left medial gastrocnemius, and right after that one she "
        "asked to stop. the soleus was not needled. no injectate."
    )
    assert ("soleus", "left", "negated") in statuses(scribe, text)


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("and the left gluteus minimus wasn't reached either.", "gluteus minimus"),
        ("the left middle scalene I did not needle after that.", "middle scalene"),
    ],
)
def test_a_session_that_ended_before_a_name(scribe: Scribe, said: str, name: str) -> None:
    text = f"I needled the left quadratus lumborum, no injectate. {said}"
    assert (name, "left", "negated") in statuses(scribe, text)


def test_a_passive_denial_after_a_list_denies_the_list(scribe: Scribe) -> None:
    text = (
        "I injected the left upper trapezius with 1 cc lidocaine. The left rhomboid minor and "
        "the left infraspinatus were not injected today."
    )
    assert statuses(scribe, text) == {
        ("upper trapezius", "left", "treated"),
        ("rhomboid minor", "left", "negated"),
        ("infraspinatus", "left", "negated"),
    }


def test_an_injection_with_no_drug_and_no_trigger_point_is_never_silent(
    scribe: Scribe,
) -> None:
    result = scribe.extract("I injected the left upper trapezius.")
    assert result.coding.lines == []
    assert "procedure-unnamed" in {p.id for p in result.coding.prompts}
    # a drug given IM is no procedure of ours
    result = scribe.extract("B12 1000 mcg injected IM into the left deltoid.")
    assert "procedure-unnamed" not in {p.id for p in result.coding.prompts}


def test_what_was_discussed_before_plans_nothing_after_it(scribe: Scribe) -> None:
    said = (
        "left neck pain, he takes a daily aspirin, which we discussed, written consent signed, "
        "using one percent lidocaine one c c per muscle, I injected the left upper trapezius "
        "and the left levator scapulae"
    )
    result = scribe.extract_transcript(transcript(said))
    assert [(line.code, line.units) for line in result.coding.lines] == [("20552", 1)]


def test_a_denial_heard_without_its_last_sound(scribe: Scribe) -> None:
    said = (
        "I needled the right vastus lateralis, no injectate, he tolerated that fine, so the "
        "biceps femoris was not needle and we called it"
    )
    result = scribe.extract_transcript(transcript(said))
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("vastus lateralis", "treated"),
        ("biceps femoris", "negated"),
    }
