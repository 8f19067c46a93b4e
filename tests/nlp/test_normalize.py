"""Normalization of soft-wrapped and padded text, with offsets back to the dictation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scribe.nlp.normalize import normalize


def test_normalize_joins_soft_wrapped_lines() -> None:
    source = normalize("Dry needling to the right upper\ntrapezius and levator.")
    assert source.text == "Dry needling to the right upper trapezius and levator."


def test_normalize_squeezes_padding_and_tabs() -> None:
    source = normalize("Muscle:   R UT\tneedled")
    assert source.text == "Muscle: R UT needled"


def test_normalize_keeps_real_line_breaks() -> None:
    text = "Muscles treated:\nR UT\n- levator\n\nTolerated well."
    assert normalize(text).text == text


def test_normalize_leaves_clean_text_alone() -> None:
    text = "DN to R UT. No injectate."
    source = normalize(text)
    assert source.text == text
    assert source.offsets == tuple(range(len(text)))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Dry needling to the right upper\ntrapezius and levator.", "upper trapezius"),
        ("Dry needling to the right upper \n  trapezius today.", "upper trapezius"),
        ("Muscle:      levator    scapulae, right", "levator scapulae"),
        ("R UT\t\tneedled", "UT needled"),
    ],
)
def test_normalize_maps_words_back_to_the_original(text: str, words: str) -> None:
    source = normalize(text)
    start = source.text.index(words)
    original_start, original_end = source.to_original(start, start + len(words))
    quoted = text[original_start:original_end]
    assert quoted.split() == words.split()
    assert quoted[0] == words[0] and quoted[-1] == words[-1]


def test_normalize_empty_range_maps_to_a_position() -> None:
    source = normalize("R  UT")
    assert source.to_original(2, 2) == (3, 3)
    assert source.to_original(len(source.text), len(source.text)) == (5, 5)


@given(
    st.lists(
        st.sampled_from(["upper", "trapezius", "R", "UT", ",", ".", "levator", "needled", "7/10"])
        | st.sampled_from([" ", "  ", "\t", "\n", " \n ", "\n\n", "   \t "]),
        max_size=30,
    )
)
def test_normalize_every_character_maps_to_the_same_character(pieces: list[str]) -> None:
    text = "".join(pieces)
    source = normalize(text)
    assert len(source.offsets) == len(source.text)
    assert list(source.offsets) == sorted(set(source.offsets))
    for i, char in enumerate(source.text):
        original = text[source.offsets[i]]
        assert original == char or (char == " " and original.isspace())
    # no non-space character is dropped
    assert "".join(source.text.split()) == "".join(text.split())
