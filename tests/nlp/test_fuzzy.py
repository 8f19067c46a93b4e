"""Misspelt muscle names: matched approximately, marked fuzzy, never from common words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from scribe.nlp.word_sounds import is_common_word
from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


def muscles(nlp: Language, text: str) -> list[tuple[str, str, str, float]]:
    doc = nlp(text)
    return [
        (s.text, s._.entry_id, s._.match, s._.match_score)
        for s in doc.spans["targets"]
        if s.label_ == "MUSCLE"
    ]


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("teres minr", "teres-minor"),
        ("infraspinatas", "infraspinatus"),
        ("quadradus lumborum", "quadratus-lumborum"),
        ("sternocleidomastiod", "sternocleidomastoid"),
        pytest.param("infraspinatous", "infraspinatus"),
        pytest.param("pyriformis", "piriformis"),
        pytest.param("gastrocnemeus", "gastrocnemius"),
    ],
)
def test_fuzzy_misspelling_matches_and_is_marked(nlp: Language, text: str, entry_id: str) -> None:
    [(words, found_id, match, score)] = muscles(nlp, f"Dry needling to the right {text} today.")
    assert (words, found_id, match) == (text, entry_id, "fuzzy")
    assert 0.8 <= score < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "cervical rotation",
        "brachial plexus",
        "scapular retraction",
        "lateral epicondyle",
        "plantar fascia",
        "temporal headache",
        "lumbar spine",
        "thoracic outlet",
        "popliteal fossa",
        "radial nerve",
        "subclavian vein access",  # an adjective, not the subclavius
        "the patient was put in prone",
    ],
)
def test_fuzzy_common_words_never_match(nlp: Language, text: str) -> None:
    assert muscles(nlp, f"Patient reports {text}.") == []


def test_fuzzy_common_word_guard() -> None:
    assert is_common_word("rotation")
    assert is_common_word("cervical")
    assert not is_common_word("infraspinatas")


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("semi spinalis capitis", "semispinalis-capitis"),
        ("sub scapularis", "subscapularis"),
    ],
)
def test_fuzzy_asr_split_word_joins(nlp: Language, text: str, entry_id: str) -> None:
    [(words, found_id, match, score)] = muscles(nlp, f"we needled the right {text} today")
    assert (words, found_id, match) == (text, entry_id, "fuzzy")
    assert score < 1.0


def test_fuzzy_exact_names_stay_exact(nlp: Language) -> None:
    found = muscles(nlp, "Dry needling to the right infraspinatus and teres minor.")
    assert [(w, m, s) for w, _, m, s in found] == [
        ("infraspinatus", "exact", 1.0),
        ("teres minor", "exact", 1.0),
    ]


def test_fuzzy_match_reaches_the_note(note_of: NoteOf) -> None:
    text = "Dry needling to the right teres minr. No injectate."
    [muscle] = note_of(text).muscles
    assert (muscle.id, muscle.laterality, muscle.status, muscle.match) == (
        "teres-minor",
        "right",
        "treated",
        "fuzzy",
    )
    assert muscle.mentions[0].match_score < 1.0
    assert text[muscle.start : muscle.end] == "teres minr"


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # one-word names heard as a rare word that sounds like them
        ("multiphidis", "multifidus"),
        ("piriformisum", "piriformis"),
        ("temperless", "temporalis"),
        # a three-word name with one word misheard
        ("tensor fascia lat", "tensor-fasciae-latae"),
    ],
)
def test_fuzzy_names_a_recogniser_misheard_by_sound(
    nlp: Language, text: str, entry_id: str
) -> None:
    [(words, found_id, match, score)] = muscles(nlp, f"i needled the right {text} today")
    assert (words, found_id, match) == (text, entry_id, "fuzzy")
    assert score < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "popliteal fossa",  # a region named by its adjective
        "occipital headache",
        "interspinous ligament",
        "rotature cuff",  # sounds like a common word ("radiator")
        "super spininus",  # the end of a longer name, split by the recogniser
        "super spin anis",  # joined, the end of the supraspinatus, not the spinalis
        "and for spin anis",
        "pair of spinals",  # "paraspinals" split: a group, not the spinalis
    ],
)
def test_fuzzy_sound_matching_leaves_regions_and_split_names(nlp: Language, text: str) -> None:
    assert muscles(nlp, f"pain over the right {text}") == []


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("T F L", "tensor-fasciae-latae"),
        ("S.C.M.", "sternocleidomastoid"),
        ("T-F-L", "tensor-fasciae-latae"),
        ("Q L", "quadratus-lumborum"),
    ],
)
def test_fuzzy_an_abbreviation_spelled_letter_by_letter(
    nlp: Language, text: str, entry_id: str
) -> None:
    [(words, found_id, match, _)] = muscles(nlp, f"I needled the left {text} today")
    assert (words, found_id, match) == (text, entry_id, "fuzzy")


@pytest.mark.parametrize(
    ("said", "name"),
    [("the left T F L I'm leaving", "T F L"), ("the S C M I needled", "S C M")],
)
def test_fuzzy_a_spelled_abbreviation_before_the_pronoun_i(
    nlp: Language, said: str, name: str
) -> None:
    [(words, _, match, _)] = muscles(nlp, f"Then {said} today.")
    assert (words, match) == (name, "fuzzy")


@pytest.mark.parametrize(
    ("text", "name"), [("S C Ms", "S C Ms"), ("S C M's", "S C M"), ("SCMS", "SCMS")]
)
def test_fuzzy_a_spelled_abbreviation_said_in_the_plural(
    nlp: Language, text: str, name: str
) -> None:
    [(words, found_id, match, _)] = muscles(nlp, f"I needled both {text} today")
    assert (words, found_id, match) == (name, "sternocleidomastoid", "fuzzy")


@pytest.mark.parametrize("text", ["her a b c test", "plan r f next week", "grade q l"])
def test_fuzzy_single_letters_in_words_are_no_abbreviation(nlp: Language, text: str) -> None:
    assert muscles(nlp, f"Noted {text}.") == []


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # a name a recogniser wrote as several words that sound like it
        ("medial terry goid", "medial-pterygoid"),
        ("pronator terrace", "pronator-teres"),
        ("flexor carpee radiallis", "flexor-carpi-radialis"),
        # a name's first vowel heard as another, or with an h before it
        ("ellipsoas", "iliopsoas"),
        ("helipsoas", "iliopsoas"),
        # a name heard whole, then the rest of a longer name
        ("oleocostolis lumborum", "iliocostalis-lumborum"),
    ],
)
def test_fuzzy_names_heard_as_other_words(nlp: Language, text: str, entry_id: str) -> None:
    [(words, found_id, match, score)] = muscles(nlp, f"i needled the right {text} today")
    assert (words, found_id, match) == (text, entry_id, "fuzzy")
    assert score < 1.0


@pytest.mark.parametrize(
    "text",
    ["lateral elbow", "posterior shoulder", "cervical rotation", "rotator cuff", "medial knee"],
)
def test_fuzzy_ordinary_words_near_an_abbreviated_name_are_no_name(
    nlp: Language, text: str
) -> None:
    # "lateral delt", "posterior delts", "cervical rotator": abbreviations and near names
    assert muscles(nlp, f"pain over the right {text} today") == []


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # the speaker's pause inside a name, written by the recogniser as a comma
        ("gluteus, medius", "gluteus-medius"),
        ("tensor fasciae, latae", "tensor-fasciae-latae"),
        ("levator, scapulae", "levator-scapulae"),
        # two words either side of the pause, or three before it
        ("rectus capitis, posterior major", "rectus-capitis-posterior-major"),
        ("extensor carpi radialis, brevis", "extensor-carpi-radialis-brevis"),
        # one word of the name exact, the other misheard
        ("gluteus, meditus", "gluteus-medius"),
        ("spleenius, capitis", "splenius-capitis"),
    ],
)
def test_fuzzy_a_name_broken_by_a_pause(nlp: Language, text: str, entry_id: str) -> None:
    [(words, found_id, match, _)] = muscles(nlp, f"today i needled the right {text} and stopped")
    assert (words, found_id, match) == (text, entry_id, "fuzzy")


@pytest.mark.parametrize("text", ["mass-eacher", "mass, -eacher", "mass -eacher"])
def test_fuzzy_a_name_heard_as_words_across_a_pause(nlp: Language, text: str) -> None:
    # the recogniser wrote the pause inside the misheard name as a hyphen or a comma
    [(words, found_id, match, _)] = muscles(nlp, f"today i needled the right {text} and stopped")
    assert (words, found_id, match) == (text, "masseter", "fuzzy")


def test_fuzzy_a_list_is_not_joined_across_its_commas(nlp: Language) -> None:
    found = muscles(nlp, "i needled the upper trapezius, levator scapulae, rhomboid major, teres")
    assert [(w, e) for w, e, _, _ in found] == [
        ("upper trapezius", "upper-trapezius"),
        ("levator scapulae", "levator-scapulae"),
        ("rhomboid major", "rhomboid-major"),
    ]
    # "gluteus, medial gastrocnemius": the next word belongs to a name of its own
    found = muscles(nlp, "i needled the right gluteus, medial gastrocnemius")
    assert [e for _, e, _, _ in found] == ["medial-gastrocnemius"]


def test_fuzzy_pauses_are_read_only_in_what_a_recogniser_wrote(nlp: Language) -> None:
    # a typed note with lines: "Gluteus, medius" is left as written
    found = muscles(nlp, "Assessment:\nR gluteus, meditus tender.\nPlan: DN next visit.")
    assert found == []


def test_a_name_read_whole_is_not_read_again_in_part(nlp: Language) -> None:
    # "sterno cleido" alone sounds like the muscle, but here it is part of the whole name
    found = muscles(nlp, "dry needling to the right sterno cleido mastoid today")
    assert [(words, match) for words, _, match, _ in found] == [("sterno cleido mastoid", "exact")]


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # the name's last word heard, the words before it heard as words that sound like the rest
        ("a doctor brevis", "adductor-brevis"),
        ("pec toral is minor", "pectoralis-minor"),
        # and a pause before it
        ("extensor carpi radial, longus", "extensor-carpi-radialis-longus"),
    ],
)
def test_fuzzy_a_name_heard_by_its_last_word(nlp: Language, text: str, entry_id: str) -> None:
    [(words, found_id, match, _)] = muscles(nlp, f"today i needled the right {text} and stopped")
    assert (words, found_id, match) == (text, entry_id, "fuzzy")


@pytest.mark.parametrize(
    "text",
    [
        "she had some minor bruising and a major improvement in pain today",
        "her doctor longus said it was fine",  # ordinary words must sound exactly like the name
        "the patient is a minor so consent was signed by her mother",
    ],
)
def test_fuzzy_a_last_word_alone_names_nothing(nlp: Language, text: str) -> None:
    assert muscles(nlp, text) == []


def test_fuzzy_an_english_word_in_typed_text_is_meant_as_written() -> None:
    """ "tab-delimited" is no misspelt deltoid in a typed note."""
    from scribe import Scribe

    note = Scribe().extract("Export: Procedure Flowsheet (tab-delimited)\nDN to R UT.").note
    assert {m.name for m in note.muscles} == {"upper trapezius"}
    assert not note.other_mentions
