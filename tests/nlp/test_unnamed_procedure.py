"""A note that says something was done to named muscles today ("I did the left upper trap",
"I started with the right upper trapezius") but names no procedure that reaches them: nothing
is billed, and the claim says why (prompt ``procedure-unnamed``), never silently."""

from __future__ import annotations

import pytest

from scribe import Scribe

_PROMPT = "procedure-unnamed"


def _unnamed(scribe: Scribe, text: str) -> list[str]:
    result = scribe.extract(text)
    assert result.coding.lines == []
    prompts = [p for p in result.coding.prompts if p.id == _PROMPT]
    assert len(prompts) <= 1
    return [e.text for e in prompts[0].evidence] if prompts else []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("So we did the left upper trapezius.", ["we did", "upper trapezius"]),
        (
            "I started with the right upper trapezius and then worked my way down. Pain 6 to 2.",
            ["started with", "upper trapezius"],
        ),
        # the procedure named only as declined for another muscle is not the one done
        (
            "He declined dry needling to the left SCM. So we did the left upper trapezius "
            "and the left splenius capitis.",
            ["we did", "upper trapezius", "splenius capitis"],
        ),
        # an adverb between the subject and the verb
        (
            "Then I also did the left iliocostalis thoracis.",
            ["I also did", "iliocostalis thoracis"],
        ),
        # needles in muscles name no procedure: dry needling, an injection and acupuncture
        # all put needles in
        (
            "Needles were inserted into trigger points of the left temporalis and left "
            "masseter; LTR x2.",
            ["inserted", "temporalis", "masseter"],
        ),
        ("A needle was inserted into the left masseter.", ["inserted", "masseter"]),
    ],
)
def test_a_muscle_something_was_done_to_with_no_procedure_named_is_reported(
    scribe: Scribe, text: str, words: list[str]
) -> None:
    evidence = _unnamed(scribe, text)
    assert set(words) <= set(evidence)


def test_the_prompt_names_the_muscles_and_sides(scribe: Scribe) -> None:
    result = scribe.extract("We did the left upper trapezius and the right levator scapulae.")
    (prompt,) = [p for p in result.coding.prompts if p.id == _PROMPT]
    assert "left upper trapezius" in prompt.message
    assert "right levator scapulae" in prompt.message
    assert prompt.severity == "warning"


@pytest.mark.parametrize(
    "text",
    [
        # another treatment named: not a procedure left unnamed
        "Patient was treated for right upper trapezius pain with heat and massage.",
        "Manual therapy performed to the right upper trapezius.",
        # the history and the plan
        "History: last visit I worked on the right upper trapezius.",
        "Plan: next visit we will work on the right upper trapezius.",
        # not done
        "We did not get to the right upper trapezius today.",
        # only named
        "Right upper trapezius pain for three weeks.",
    ],
)
def test_no_prompt_where_nothing_was_said_done(scribe: Scribe, text: str) -> None:
    result = scribe.extract(text)
    assert _PROMPT not in [p.id for p in result.coding.prompts]


def test_no_prompt_when_the_procedure_is_named(scribe: Scribe) -> None:
    result = scribe.extract(
        "Dry needling today. We did the left upper trapezius with a local twitch response."
    )
    assert [line.code for line in result.coding.lines] == ["20560"]
    assert _PROMPT not in [p.id for p in result.coding.prompts]
