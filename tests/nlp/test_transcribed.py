"""What a recogniser writes for a dictation: names split into short words, a possessive on a
plural, the present tense, an injection planned and then put off in the same breath."""

from __future__ import annotations

import pytest
from helpers import claim_lines

from scribe import Scribe


def test_a_one_word_name_written_as_several_short_words(scribe: Scribe) -> None:
    result = scribe.extract("we dry needled the left pair of formis, no injectate")
    assert [(m.name, m.laterality, m.match) for m in result.note.muscles] == [
        ("piriformis", "left", "fuzzy")
    ]


def test_ordinary_short_words_are_no_name(scribe: Scribe) -> None:
    result = scribe.extract("I went over the form and he is fine. Dry needling to the R UT.")
    assert [m.name for m in result.note.muscles] == ["upper trapezius"]


def test_a_possessive_on_a_plural_keeps_the_side_after_it(scribe: Scribe) -> None:
    text = "today we needled the upper trap's bilaterally and the left levator, nothing injected"
    assert claim_lines(scribe, text) == {("20561", ())}


def test_the_present_tense_reports_an_injection(scribe: Scribe) -> None:
    text = (
        "So this is trigger point injection. The trigger point in the left levator and left "
        "rhomboid minor, with jump sign. After she sign the consent, we inject in each point one "
        "cc of the mixture, so the left levator and the left rhomboid minor."
    )
    assert claim_lines(scribe, text) == {("20552", ())}


def test_an_injection_put_off_in_its_own_sentence_is_not_coded_as_needling(
    scribe: Scribe,
) -> None:
    text = (
        "Trigger points in the L QL. We had planned a trigger point injection of the L QL today "
        "but she just started an anticoagulant so the injection was deferred, nothing was "
        "injected today."
    )
    result = scribe.extract(text)
    assert result.coding.lines == []
    assert "injection-without-substance" not in [p.id for p in result.coding.prompts]


def test_a_drug_name_written_as_several_words(scribe: Scribe) -> None:
    text = (
        "I did a trigger point injection to the left levator with one cc of triam sin alone "
        "and it went well"
    )
    result = scribe.extract(text)
    assert [(s.name, s.text) for s in result.note.injectate.substances] == [
        ("triamcinolone", "triam sin alone")
    ]


# a dictation wrapped where a sentence starts: the lines are not joined back
_WRAPPED = (
    "So this is a trigger point injection note, the patient has pain in the left neck. We\n"
    "Injected the left levator trigger point with one cc of triam sin alone and it went well.\n"
    "She tolerated it."
)


def test_a_dictation_wrapped_over_lines_is_still_read_as_speech(scribe: Scribe) -> None:
    result = scribe.extract(_WRAPPED)
    assert [s.name for s in result.note.injectate.substances] == ["triamcinolone"]


def test_a_note_with_fields_is_read_as_typed(scribe: Scribe) -> None:
    # the same words under a field label: a typed note, whose words are taken as written
    result = scribe.extract("Procedure:\n" + _WRAPPED)
    assert "triamcinolone" not in [s.name for s in result.note.injectate.substances]


@pytest.mark.parametrize(
    "heard",
    [
        "tensor fascia latissis",
        "tensor fascia, latissimus",
        # the middle word misheard too, the first exact
        "tensor facie, latissimus",
    ],
)
def test_a_three_word_name_begun_exactly_is_not_another_muscle(scribe: Scribe, heard: str) -> None:
    # the last word begins as the name's own ("lat"): the name the speaker began, never the
    # latissimus dorsi that a lone "latissis" would look like
    result = scribe.extract(f"we dry needled the right vastus lateralis and the right {heard}")
    assert sorted((m.name, m.laterality) for m in result.note.muscles) == [
        ("tensor fasciae latae", "right"),
        ("vastus lateralis", "right"),
    ]
