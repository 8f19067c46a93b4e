"""Every fact in the note keeps its evidence: ``original_text[start:end] == text``."""

from __future__ import annotations

import pytest
from helpers import evidence_objects
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scribe import Scribe

MUSCLES = [
    "upper trapezius",
    "upper traps",
    "UT",
    "levator scapulae",
    "levator",
    "QL",
    "glute med",
    "gluteus medius and minimus",
    "upper and middle trapezius",
    "TFL",
    "SCM",
    "infraspinatous",
    "teres minr",
    "semi spinalis capitis",
    "rhomboid major",
    "piriformis",
    "scalenes",
    "paraspinals",
    "rotator cuff",
    "multiple muscles",
]
SIDES = ["", "right ", "left ", "R ", "L ", "B/L ", "bilat ", "bilateral ", "left and right "]
AFTER = ["", " on the left", " bilaterally", " on both sides", ", right side"]
LEADS = [
    "Dry needling to the ",
    "DN to ",
    "we needled the ",
    "Plan to needle the ",
    "Trigger points palpated in the ",
    "Piriformis not needled. ",
    "Previously needled the ",
    "TPI with 1 mL 1% lidocaine to the ",
    "No lidocaine was injected into the ",
    "- ",
    "1. ",
]
FILLERS = [
    "No medication, saline or other substance injected.",
    "Needles only.",
    "Pain went from seven out of ten to three out of ten.",
    "NPRS 7/10 → 3/10.",
    "Cervical rotation improved from 50 to 70 degrees.",
    "Palpable taut band with local twitch response and referral to the temple.",
    "Unable to turn head to check blind spot.",
    "Pt. tolerated well.",
    "Verbal consent obtained.",
    "24 needles total in 3 muscles.",
    "Pain at L4-5.",
    "Right:",
    "Patient reports neck pain, um, for three weeks.",
    "Café visit déjà vu — résumé.",
]
SEPARATORS = [" ", "  ", "\n", "\n\n", "\t", " \n", "\r\n", ", "]


@st.composite
def dictations(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if draw(st.booleans()):
            names = draw(st.lists(st.sampled_from(MUSCLES), min_size=1, max_size=4))
            listed = []
            for name in names:
                listed.append(draw(st.sampled_from(SIDES)) + name + draw(st.sampled_from(AFTER)))
            joiner = draw(st.sampled_from([", ", " and ", "\n- ", ", then "]))
            parts.append(draw(st.sampled_from(LEADS)) + joiner.join(listed) + ".")
        else:
            parts.append(draw(st.sampled_from(FILLERS)))
        parts.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(parts)


def assert_evidence_quotes_the_text(scribe: Scribe, text: str) -> int:
    result = scribe.extract(text)
    data = result.model_dump(mode="json")
    count = 0
    for evidence in evidence_objects(data):
        start, end = evidence["start"], evidence["end"]
        assert 0 <= start <= end <= len(text), evidence
        assert text[start:end] == evidence["text"], evidence
        count += 1
    return count


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=dictations())
def test_note_offsets_generated_dictations(scribe: Scribe, text: str) -> None:
    assert_evidence_quotes_the_text(scribe, text)


FIXED = [
    "Dry needling to the right upper trapezius, levator scapulae and rhomboid major. "
    "No medication, saline or other substance injected. Pain 7/10 -> 3/10. Tolerated well.",
    "Dry needling to the right upper\ntrapezius and   levator scapulae.\tTolerated well.",
    "Muscles treated:\r\n1. R UT\r\n2. R levator\r\n\r\nNo injectate.\r\n",
    "TPI with Kenalog 40 mg and lidocaine to R QL. DN to R glute med without injection. "
    "Palpable taut band in the R QL with referral to the buttock. Consent on file.",
    "we needled the right semi spinalis capitis and the teres minr um the patient tolerated "
    "it well pain went from a seven to a three",
    "Left:\n- upper trapezius\n- levator scapulae\nBoth dry needled today. 12 needles. "
    "Three muscles were needled.",
]


@pytest.mark.parametrize("text", FIXED)
def test_note_offsets_fixed_dictations(scribe: Scribe, text: str) -> None:
    assert assert_evidence_quotes_the_text(scribe, text) >= 3


def test_note_offsets_wrapped_name_quotes_the_original_words(scribe: Scribe) -> None:
    text = "Dry needling to the right upper\ntrapezius and   levator scapulae."
    note = scribe.extract(text).note
    assert [m.text for m in note.muscles] == ["upper\ntrapezius", "levator scapulae"]
    assert note.text_length == len(text)
