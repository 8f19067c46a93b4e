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


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u202e", "\u00ad", "\u2060", "\u200e"]
)
def test_normalize_drops_invisible_characters_inside_and_after_names(invisible: str) -> None:
    text = f"Dry needling to the right upper trape{invisible}zius{invisible} and levator."
    source = normalize(text)
    assert source.text == "Dry needling to the right upper trapezius and levator."
    start = source.text.index("upper trapezius")
    original = source.to_original(start, start + len("upper trapezius"))
    assert text[original[0] : original[1]] == f"upper trape{invisible}zius"


@pytest.mark.parametrize(
    ("given", "read"),
    [
        ("pt can\u2019t sit", "pt can't sit"),
        ("\u201cno injectate\u201d", '"no injectate"'),
        ("C5\u2013C6", "C5-C6"),
        ("R\u00a0UT", "R UT"),
        ("R\u202fUT", "R UT"),
        ("\uff32 UT", "R UT"),
        ("Line one.\r\nLine two.\rThree", "Line one.\nLine two.\nThree"),
        ("upper trap\ufffdzius", "upper trap\ufffdzius"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ],
)
def test_normalize_reads_typographic_and_odd_characters_as_plain_text(
    given: str, read: str
) -> None:
    source = normalize(given)
    assert source.text == read
    assert len(source.offsets) == len(source.text)
    assert list(source.offsets) == sorted(set(source.offsets))


@given(
    st.lists(
        st.sampled_from(["upper", "trapezius", "R", "UT", ".", "\u200b", "\u00a0", "\u2019"])
        | st.sampled_from(["\r\n", "\u00ad", "\ufeff", "\u2013", " \n ", "\ufffd", "é"]),
        max_size=30,
    )
)
def test_normalize_offsets_stay_inside_the_original(pieces: list[str]) -> None:
    text = "".join(pieces)
    source = normalize(text)
    assert len(source.offsets) == len(source.text)
    assert all(0 <= o < len(text) for o in source.offsets)
    assert list(source.offsets) == sorted(set(source.offsets))
    for i in range(len(source.text)):
        start, end = source.to_original(i, i + 1)
        assert 0 <= start < end <= len(text)


@pytest.mark.parametrize(
    "struck",
    ["~~DN R UT, R LS x 8 min~~", "<s>DN R UT, R LS x 8 min</s>", "<del>DN R UT, R LS</del>"],
)
def test_normalize_reads_struck_through_text_as_blank(struck: str) -> None:
    text = f"Tx: HEP review\n{struck}\nPost: 3/10"
    source = normalize(text)
    assert "UT" not in source.text and "DN" not in source.text
    assert source.text.startswith("Tx: HEP review") and source.text.endswith("Post: 3/10")
    assert len(source.offsets) == len(source.text)


def test_normalize_a_line_ending_on_a_comma_goes_on() -> None:
    assert normalize("R QL,\n   R piriformis were not needled").text == (
        "R QL, R piriformis were not needled"
    )


def test_punctuation_said_aloud_is_read_as_the_mark() -> None:
    text = (
        "dry needled the left gluteus medius comma piriformis and QL on the left period "
        "new paragraph no injectate period"
    )
    source = normalize(text)
    assert (
        source.text
        == "dry needled the left gluteus medius, piriformis and QL on the left.\nno injectate."
    )
    # the mark quotes the word it was read from
    comma = source.text.index(",")
    start, _ = source.to_original(comma, comma + 1)
    assert text[start:].startswith("comma piriformis")


@pytest.mark.parametrize(
    "text",
    [
        # no mark said aloud: "period" is a span of time
        "Dry needling deferred for a period of two weeks; no needling this period.",
        # one "comma" alone is not dictated punctuation
        "Pt had a brief period of dizziness, no comma or confusion noted.",
    ],
)
def test_prose_words_for_marks_stay_words(text: str) -> None:
    assert normalize(text).text == text


def test_a_span_of_time_stays_a_word_in_dictated_punctuation() -> None:
    source = normalize("needled the R UT comma levator period the grace period ends comma ok")
    assert source.text == "needled the R UT, levator. the grace period ends, ok"


def test_normalize_reads_an_open_plural_as_the_plural_in_place() -> None:
    source = normalize("Procedure: trigger point injection(s), R QL.")
    assert source.text.startswith("Procedure: trigger point injections ")
    assert len(source.offsets) == len(source.text)
    assert source.original[source.offsets[source.text.index("R QL")]] == "R"


def test_shorthand_symbols_are_read_as_their_words() -> None:
    text = "TrP c\u0304 LTR R QL; DN s\u0304 injectate; \u00d8 jump sign; p\u0304 Rx 2/10"
    source = normalize(text)
    assert source.text == "TrP with LTR R QL; DN without injectate; No jump sign; after Rx 2/10"
    # each word quotes the symbol it was read from
    start = source.text.index("without")
    assert text[slice(*source.to_original(start, start + len("without")))] == "s\u0304"
    # a name with the letter in it is a name
    assert normalize("Pt: S\u00f8ren \u00d8stergaard").text == "Pt: S\u00f8ren \u00d8stergaard"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("one c c into each", "one cc into each"),
        ("2 c.c. of lidocaine", "2 cc. of lidocaine"),
        ("half a c c", "half a cc"),
        ("the C C line", "the C C line"),  # no amount before it: left as written
    ],
)
def test_cubic_centimetres_spelled_as_letters_after_an_amount(text: str, read: str) -> None:
    source = normalize(text)
    assert source.text == read
    if "cc" in read:
        start = source.text.index("cc")
        original_start, original_end = source.to_original(start, start + 2)
        quoted = text[original_start:original_end]
        assert quoted.lower().replace(".", "").replace(" ", "") == "cc" and len(quoted) > 2


def test_a_note_exported_as_html_reads_as_shown() -> None:
    text = "<b>Tx:</b> DN to paraspinals &amp; suboccipitals.<br>\n<b>Post:</b> 2/10&nbsp;ok<br>"
    source = normalize(text)
    assert source.text == "Tx: DN to paraspinals & suboccipitals.\nPost: 2/10 ok\n"
    start = source.text.index("suboccipitals")
    a, b = source.to_original(start, start + len("suboccipitals"))
    assert text[a:b] == "suboccipitals"


def test_a_printed_note_reads_across_its_page_breaks() -> None:
    """A page's footer and the header the next page repeats are blank; a word broken with a
    hyphen at a line's end (or a page's) is one word, quoted from both pieces."""
    text = (
        "Clinic PT   Daily Note\nPatient: Sample   DOS: 03/10/2026\n\n"
        "Muscles needled: R levator scap-\nulae and R infra-\n\n"
        "Page 1 of 2     Printed 03/10/2026\nClinic PT   Daily Note\n"
        "Patient: Sample   DOS: 03/10/2026\n\nspinatus (4 needles).\n"
    )
    source = normalize(text)
    assert "levator scapulae and R infraspinatus (4 needles)" in source.text
    assert "Page 1" not in source.text and source.text.count("Daily Note") == 1
    start = source.text.index("infraspinatus")
    a, b = source.to_original(start, start + len("infraspinatus"))
    assert text[a:b].startswith("infra-") and text[a:b].endswith("spinatus")


def test_periods_said_aloud_between_words_are_stops() -> None:
    text = "dictating period medicare patient period she came in period and left"
    assert normalize(text).text == "dictating. medicare patient. she came in. and left"


def test_periods_of_time_in_prose_stay_words() -> None:
    text = (
        "The post-op period was uneventful. The waiting period lasted 6 weeks and the "
        "certification period is six weeks. Recovery period ends."
    )
    assert normalize(text).text == text


def test_letters_spelled_across_a_line_end_are_one_name() -> None:
    text = "local twitch in the E C R\n  B and the brachio radialis"
    assert normalize(text).text == "local twitch in the E C R B and the brachio radialis"


def test_a_letter_label_on_the_next_line_stays_its_own_line() -> None:
    assert normalize("Side: R L\nB: yes").text == "Side: R L\nB: yes"
