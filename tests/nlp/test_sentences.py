"""The dictation sentence splitter, on a blank English pipeline (no lexicons needed)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import scribe.nlp.sentences  # noqa: F401  (registers the component)
from scribe import Scribe


@pytest.fixture(scope="module")
def splitter() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("scribe_sentences")
    return nlp


def split(nlp: Language, text: str) -> list[str]:
    return [sent.text.strip() for sent in nlp(text).sents]


def test_sentences_full_stops_split(splitter: Language) -> None:
    assert split(splitter, "DN to R UT. Tolerated well. Consent on file.") == [
        "DN to R UT.",
        "Tolerated well.",
        "Consent on file.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pt. tolerated well.", ["Pt. tolerated well."]),
        ("DN to R. UT and L. levator.", ["DN to R. UT and L. levator."]),
        ("Approx. 8 needles used.", ["Approx. 8 needles used."]),
        ("Seen by Dr. Smith today.", ["Seen by Dr. Smith today."]),
        ("Pain 7/10 vs. 3/10 after.", ["Pain 7/10 vs. 3/10 after."]),
        ("Pt. tolerated well. R. UT needled.", ["Pt. tolerated well.", "R. UT needled."]),
    ],
)
def test_sentences_abbreviations_do_not_end_a_sentence(
    splitter: Language, text: str, expected: list[str]
) -> None:
    assert split(splitter, text) == expected


def test_sentences_numbered_list_items_are_sentences(splitter: Language) -> None:
    text = "Muscles needled:\n1. R UT\n2. R levator\n3. L rhomboid major"
    assert split(splitter, text) == [
        "Muscles needled:",
        "1. R UT",
        "2. R levator",
        "3. L rhomboid major",
    ]


def test_sentences_list_number_does_not_split_from_its_item(splitter: Language) -> None:
    sents = split(splitter, "1. R UT\n2. R levator")
    assert "1." not in sents
    assert sents[0].startswith("1.")


@pytest.mark.parametrize("marker", ["-", "*", "•"])
def test_sentences_dashed_list_items_are_sentences(splitter: Language, marker: str) -> None:
    text = f"Treated:\n{marker} upper trapezius\n{marker} levator scapulae\n{marker} rhomboid"
    assert split(splitter, text) == [
        "Treated:",
        f"{marker} upper trapezius",
        f"{marker} levator scapulae",
        f"{marker} rhomboid",
    ]


def test_sentences_blank_line_ends_a_sentence(splitter: Language) -> None:
    text = "Dry needled the right upper trapezius\n\npatient tolerated well"
    assert split(splitter, text) == [
        "Dry needled the right upper trapezius",
        "patient tolerated well",
    ]


def test_sentences_colon_header_line_is_its_own_sentence(splitter: Language) -> None:
    text = "Muscles treated:\nR UT\nR levator"
    assert split(splitter, text) == ["Muscles treated:", "R UT", "R levator"]


def test_sentences_inline_headers_split_at_full_stops(splitter: Language) -> None:
    assert split(splitter, "Assessment: pain improved. Plan: continue DN.") == [
        "Assessment: pain improved.",
        "Plan: continue DN.",
    ]


def test_sentences_wrapped_line_continues_the_sentence(splitter: Language) -> None:
    text = "Dry needling to the right upper\ntrapezius and levator scapulae."
    assert split(splitter, text) == [
        "Dry needling to the right upper\ntrapezius and levator scapulae."
    ]


def test_sentences_unpunctuated_dictation_is_one_sentence(splitter: Language) -> None:
    text = "we needled the right upper trap and the levator she tolerated it well"
    assert split(splitter, text) == [text]


def test_sentences_every_token_belongs_to_one_sentence(splitter: Language) -> None:
    doc = splitter("1. R UT\n- levator\n\nPt. tolerated well. Plan: DN next visit")
    covered = [token.i for sent in doc.sents for token in sent]
    assert covered == list(range(len(doc)))


def test_sentences_empty_text_is_left_alone(splitter: Language) -> None:
    assert list(splitter("").sents) == []


def test_sentences_a_wrapped_line_that_goes_on_with_i_is_one_sentence(splitter: Language) -> None:
    # the pronoun is a capital letter wherever it stands: it starts no sentence of its own
    doc = splitter("Taut band at the base of the thumb. On the left hand\nI needled the thenar.")
    assert [s.text.strip() for s in doc.sents] == [
        "Taut band at the base of the thumb.",
        "On the left hand\nI needled the thenar.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Today: TDN\nR infraspinatus only, 4 needles.",
        "Dry needling to the\nL gluteus medius, 2 needles.",
        "Dry needling to L QL and\nL gluteus medius.",
        "Dizzy after prior\nSCM needling.",
    ],
)
def test_sentences_a_hard_wrap_inside_a_procedure_clause_goes_on(
    splitter: Language, text: str
) -> None:
    assert len(split(splitter, text)) == 1


def test_sentences_a_line_ending_on_a_procedure_before_other_words_still_splits(
    splitter: Language,
) -> None:
    assert len(split(splitter, "Consent for TDN\nPain 5/10 after.")) == 2


def test_sentences_an_abbreviation_the_tokenizer_keeps_with_its_stop_ends_a_sentence() -> None:
    # the product's tokenizer keeps "mL." whole, so the stop is no token of its own
    from scribe import Scribe

    nlp = Scribe().nlp
    sents = [s.text.strip() for s in nlp("Lidocaine 1% 2 mL. Tolerated well.").sents]
    assert sents == ["Lidocaine 1% 2 mL.", "Tolerated well."]


def test_a_negation_in_capitals_on_a_wrapped_line_goes_on_with_its_sentence(
    scribe: Scribe,
) -> None:
    text = (
        "DN today: R levator scapulae, 2 needles. Rash over the R upper trapezius - R UT\n"
        "NOT needled today. No injectate.\n"
    )
    result = scribe.extract(text)
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("levator scapulae", "treated"),
        ("upper trapezius", "negated"),
    }


def test_sentences_a_side_after_an_article_goes_on_to_the_next_line(splitter: Language) -> None:
    # prose wrapped by the editor: "the left" is said of the name on the next line; "on the
    # left" closes a place
    assert split(splitter, "Needled the left\nS C M and the left scalenes.") == [
        "Needled the left\nS C M and the left scalenes."
    ]
    assert split(splitter, "Pain is the same on the left\nNext visit in a week.") == [
        "Pain is the same on the left",
        "Next visit in a week.",
    ]


def test_sentences_a_name_spelled_letter_by_letter_ends_its_sentence(splitter: Language) -> None:
    assert split(splitter, "Needled the T F L. The left one was tender.") == [
        "Needled the T F L.",
        "The left one was tender.",
    ]
    assert split(splitter, "DN to R. UT today.") == ["DN to R. UT today."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a line that ends on a comma goes on
        (
            "Rx: DN R glut med x3 needles, R glut min x2,\nR piriformis x1, no injectate.",
            ["Rx: DN R glut med x3 needles, R glut min x2,\nR piriformis x1, no injectate."],
        ),
        # unless the next line opens a labelled field or a list item
        (
            "Muscles: R UT, R levator,\nPlan: reassess.",
            ["Muscles: R UT, R levator,", "Plan: reassess."],
        ),
        ("Treated: R UT,\n- R levator", ["Treated: R UT,", "- R levator"]),
    ],
)
def test_sentences_a_line_ending_on_a_comma_goes_on(
    splitter: Language, text: str, expected: list[str]
) -> None:
    assert split(splitter, text) == expected
