"""Muscle names a recogniser wrote as ordinary words, read from transcripts (session 24)."""

from __future__ import annotations

import pytest
from helpers import transcript
from spacy.language import Language

from scribe import Scribe
from scribe.pipeline import AudioExtractionResult


def treated(result: AudioExtractionResult) -> set[tuple[str, str]]:
    return {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}


def lines(result: AudioExtractionResult) -> list[str]:
    return [line.code for line in result.coding.lines]


@pytest.mark.parametrize(
    "heard",
    [
        "the right tensor phase she allowed",  # "fasciae latae" as ordinary words
        "the right tensor-fast ca lat",  # and a hyphen written for the pause after "tensor"
    ],
)
def test_a_latin_first_word_and_an_ordinary_word_that_sounds_like_the_rest(
    scribe: Scribe, heard: str
) -> None:
    said = f"dry needling only to the right gluteus medius and {heard}, nothing was injected"
    result = scribe.extract_transcript(transcript(said))
    assert treated(result) == {("gluteus medius", "right"), ("tensor fasciae latae", "right")}
    assert lines(result) == ["20560"]


def test_pronator_heard_with_tears_is_the_pronator_teres(scribe: Scribe) -> None:
    said = "I needled the left pronator tears and the flexor carpi radialis, no injectate"
    assert treated(scribe.extract_transcript(transcript(said))) == {
        ("pronator teres", "left"),
        ("flexor carpi radialis", "left"),
    }


@pytest.mark.parametrize(
    "said",
    [
        # a region's adjective before an ordinary word: "cervical rotators" is a name, but
        # "cervical rotation" is a movement
        "I needled the right upper trapezius, nothing was injected, cervical rotation to the "
        "right went from fifty to seventy degrees",
        # a generic word after the noun
        "the adductor muscles were tight, so I needled the right upper trapezius, no injectate",
        # a first word that is a muscle on its own keeps its ordinary word
        "the biceps felt tight, I needled the right upper trapezius, no injectate",
        # a hyphen after a short word joins a compound, not a name: "mid-shin"
        "I needled the right upper trapezius, forward bending to fingertips mid-shinci, no "
        "injectate",
    ],
)
def test_ordinary_words_after_other_first_words_name_nothing(scribe: Scribe, said: str) -> None:
    assert treated(scribe.extract_transcript(transcript(said))) == {("upper trapezius", "right")}


def test_minor_and_major_with_a_vowel_glued_on_are_read(scribe: Scribe) -> None:
    said = (
        "on the left side we needled the lower trapezius and the rhomboid major and minora, "
        "and the tris majora, no injectate"
    )
    result = scribe.extract_transcript(transcript(said))
    assert treated(result) == {
        ("lower trapezius", "left"),
        ("rhomboid major", "left"),
        ("rhomboid minor", "left"),
        ("teres major", "left"),
    }


def test_upper_heard_as_up_her_and_right_as_write(scribe: Scribe) -> None:
    said = (
        "dry needling, write up her trapezius, and levator scapulae then left rhomboid major, "
        "nothing was injected"
    )
    assert treated(scribe.extract_transcript(transcript(said))) == {
        ("upper trapezius", "right"),
        ("levator scapulae", "right"),
        ("rhomboid major", "left"),
    }


def test_scalenes_heard_as_skulls_after_a_side(scribe: Scribe) -> None:
    said = "I needled the left upper trap, the left levator and the left skulls, no injectate"
    result = scribe.extract_transcript(transcript(said))
    assert ("scalenes", "left") in treated(result)
    assert lines(result) == ["20561"]


def test_a_skull_without_a_side_stays_a_skull(scribe: Scribe) -> None:
    said = "pain at the base of the skulls of both, I needled the right upper trap, no injectate"
    assert treated(scribe.extract_transcript(transcript(said))) == {("upper trapezius", "right")}


@pytest.mark.parametrize(
    ("heard", "name"),
    [
        ("blautius medius", "gluteus medius"),  # one sound off
        ("lugus medius", "gluteus medius"),  # two off, and still nearer than the scalenus
        ("musklinus capitis", "splenius capitis"),
        ("fastest lateralis", "vastus lateralis"),  # an ordinary word, one sound off
    ],
)
def test_a_latin_last_word_and_a_rare_word_before_it_is_the_nearest_name(
    scribe: Scribe, heard: str, name: str
) -> None:
    said = f"today I needled the left {heard}, no injectate, she tolerated it well"
    result = scribe.extract_transcript(transcript(said))
    assert treated(result) == {(name, "left")}
    # read from a guess: the claim goes to review
    assert "asr-low-confidence" in {p.id for p in result.coding.prompts}


@pytest.mark.parametrize(
    "said",
    [
        # "tibialis" also begins a name ("tibialis anterior"): no sure last word
        "she can't ride anymoreum tibialis, I needled the right upper trapezius, no injectate",
        # "carpy" is too short a sound to be read as "brachio"
        "I needled the right upper trapezius and the carpy radialis, no injectate",
        # an ordinary word two sounds off is no name's noun
        "I needled the right upper trapezius and the pastor lateralis, no injectate",
    ],
)
def test_a_last_word_that_begins_names_or_a_short_word_before_it_names_nothing(
    scribe: Scribe, said: str
) -> None:
    assert treated(scribe.extract_transcript(transcript(said))) == {("upper trapezius", "right")}


def test_soleus_heard_as_solace(scribe: Scribe) -> None:
    said = "I needled the solace bilaterally and the lateral head of the left gastrocnemius"
    assert treated(scribe.extract_transcript(transcript(said))) == {
        ("soleus", "bilateral"),
        ("lateral gastrocnemius", "left"),
    }


def test_the_first_two_words_of_one_name_only_are_that_name(scribe: Scribe) -> None:
    said = "I needled the right gluteus medius and the tensor fascia lager, no injectate"
    assert treated(scribe.extract_transcript(transcript(said))) == {
        ("gluteus medius", "right"),
        ("tensor fasciae latae", "right"),
    }


def test_a_four_word_name_misspelt(scribe: Scribe) -> None:
    said = "I needled the right extensor carpi radiolis bremis, no injectate"
    assert treated(scribe.extract_transcript(transcript(said))) == {
        ("extensor carpi radialis brevis", "right")
    }


def test_nothing_heard_as_the_thing(scribe: Scribe) -> None:
    said = (
        "I injected the upper trapezius and the levator with 1% lidocaine, and then the "
        "rhomboid major and the infraspinatus, hydrine, needled only. The thing was injected "
        "into either of them"
    )
    result = scribe.extract_transcript(transcript(said))
    assert sorted(lines(result)) == ["20552", "20560"]


def test_a_short_word_glued_before_a_one_word_name(scribe: Scribe) -> None:
    said = "on the left I needled the medial gastrocnemius and mesoleus, no injectate"
    assert treated(scribe.extract_transcript(transcript(said))) == {
        ("medial gastrocnemius", "left"),
        ("soleus", "left"),
    }


def test_vastus_heard_as_masters_before_its_latin_word(scribe: Scribe) -> None:
    said = (
        "in the right quadriceps I needled the master's lateralis and the master's medialis, "
        "no injectate, and the right master was sore"
    )
    assert treated(scribe.extract_transcript(transcript(said))) == {
        ("vastus lateralis", "right"),
        ("vastus medialis", "right"),
    }


@pytest.mark.parametrize("pause", ["", ","])
def test_a_part_named_before_the_part_that_names_its_muscle(
    scribe: Scribe, nlp: Language, pause: str
) -> None:
    text = (
        f"On the right I needled the medial head{pause} and the lateral head of the "
        "gastrocnemius and then the soleus. Nothing was injected."
    )
    assert {s._.entry_id for s in nlp(text).spans["targets"] if s.label_ == "MUSCLE"} == {
        "medial-gastrocnemius",
        "lateral-gastrocnemius",
        "soleus",
    }
    assert treated(scribe.extract_transcript(transcript(text))) == {
        ("medial gastrocnemius", "right"),
        ("lateral gastrocnemius", "right"),
        ("soleus", "right"),
    }


@pytest.mark.parametrize(
    "heard", ["both had top bands", "with taught men in both", "a taught man in each"]
)
def test_taut_bands_heard_as_other_words_are_findings(scribe: Scribe, heard: str) -> None:
    said = f"I needled the right infraspinatus and the teres minor, {heard}, no injectate"
    note = scribe.extract_transcript(transcript(said)).note
    assert "taut_band" in {f.kind for f in note.rationale.findings}


def test_twitch_heard_as_which_and_the_jump_sign_as_jump_sine(scribe: Scribe) -> None:
    said = (
        "I needled the right infraspinatus, at which responses in the infraspinatus and a jump "
        "sine in the teres minor, no injectate"
    )
    kinds = {f.kind for f in scribe.extract_transcript(transcript(said)).note.rationale.findings}
    assert {"local_twitch_response", "jump_sign"} <= kinds


@pytest.mark.parametrize(
    ("heard", "want"),
    [
        ("dry needled both q ls, no injectate", {("quadratus lumborum", "bilateral")}),
        ("dry needled the left q l, no injectate", {("quadratus lumborum", "left")}),
        ("dry needled the left v l, no injectate", {("vastus lateralis", "left")}),
        # "is" after the letters is the verb, not a plural's letter
        ("the left q l is sore, dry needled it, no injectate", {("quadratus lumborum", "left")}),
    ],
)
def test_a_two_letter_name_in_lower_case(scribe: Scribe, heard: str, want: set) -> None:
    assert treated(scribe.extract_transcript(transcript(heard))) == want


@pytest.mark.parametrize(
    "heard",
    [
        "dry needled the r f, no injectate",  # "r" may be a side
        "dry needled the l s, no injectate",
        "dry needled a b, no injectate",
    ],
)
def test_lower_case_letters_that_are_words_or_sides_name_nothing(
    scribe: Scribe, heard: str
) -> None:
    assert treated(scribe.extract_transcript(transcript(heard))) == set()


def test_a_dose_in_mils_is_an_injection(scribe: Scribe) -> None:
    heard = (
        "trigger point injection, the left vastus lateralis got one point five mils of point "
        "five percent bupivacaine, tolerated well"
    )
    assert lines(scribe.extract_transcript(transcript(heard))) == ["20552"]
