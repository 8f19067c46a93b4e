"""Laterality: side words before and after names, carry-forward in lists, spinal levels,
motions, headers (DOMAIN.md section 3; extraction issue, section 3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import sides
from spacy.language import Language

from scribe import Scribe
from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


def test_laterality_side_word_carries_through_a_list(note_of: NoteOf) -> None:
    note = note_of(
        "Dry needling to the right upper trapezius, levator scapulae and rhomboid major."
    )
    assert sides(note) == {
        "upper-trapezius": "right",
        "levator-scapulae": "right",
        "rhomboid-major": "right",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Dry needled the supinator, brachioradialis and ECRL, all on left side.",
        "Muscles dry needled: supinator, brachioradialis and ECRL, all left side.",
    ],
)
def test_laterality_a_side_said_of_all_after_a_list(note_of: NoteOf, text: str) -> None:
    # another muscle with its own side: the list's side is not the note's only side
    got = sides(note_of(f"{text} Plan: the right supinator next visit."))
    assert got["brachioradialis"] == got["extensor-carpi-radialis-longus"] == "left"


def test_laterality_new_side_word_starts_a_new_run(note_of: NoteOf) -> None:
    note = note_of("DN to R UT, levator scapulae, L rhomboid major and middle trapezius.")
    assert sides(note) == {
        "upper-trapezius": "right",
        "levator-scapulae": "right",
        "rhomboid-major": "left",
        "middle-trapezius": "left",
    }


def test_laterality_side_carries_into_the_next_coordinated_list(note_of: NoteOf) -> None:
    note = note_of("DN to L QL and R glute med and TFL.")
    assert sides(note) == {
        "quadratus-lumborum": "left",
        "gluteus-medius": "right",
        "tensor-fasciae-latae": "right",
    }


@pytest.mark.parametrize(
    ("text", "muscle_id", "side"),
    [
        ("QL on the left was dry needled.", "quadratus-lumborum", "left"),
        ("Dry needled the levator scapulae, right side.", "levator-scapulae", "right"),
        ("DN to upper traps bilaterally.", "upper-trapezius", "bilateral"),
        ("DN to the gluteus medius on both sides.", "gluteus-medius", "bilateral"),
        ("DN to the QL on the left and right.", "quadratus-lumborum", "bilateral"),
    ],
)
def test_laterality_side_after_the_name(
    note_of: NoteOf, text: str, muscle_id: str, side: str
) -> None:
    assert sides(note_of(text)) == {muscle_id: side}


@pytest.mark.parametrize(
    ("text", "muscle_id"),
    [
        ("DN to B/L levator scap.", "levator-scapulae"),
        ("DN to bilat UT.", "upper-trapezius"),
        ("Bilateral upper trapezius dry needled.", "upper-trapezius"),
        ("DN to B UT.", "upper-trapezius"),
        ("Left and right levator scapulae were dry needled.", "levator-scapulae"),
    ],
)
def test_laterality_bilateral_forms(note_of: NoteOf, text: str, muscle_id: str) -> None:
    assert sides(note_of(text)) == {muscle_id: "bilateral"}


def test_laterality_bilateral_counts_two_muscles(scribe: Scribe) -> None:
    result = scribe.extract("Dry needling to bilateral upper trapezius. No injectate.")
    assert [m.laterality for m in result.note.muscles] == ["bilateral"]
    assert result.coding.muscle_count == 2


@pytest.mark.parametrize(
    ("text", "muscle_id"),
    [
        ("Upper traps needled bilaterally.", "upper-trapezius"),
        ("Gluteus medius needled on both sides.", "gluteus-medius"),
    ],
)
def test_laterality_bilateral_after_the_verb(note_of: NoteOf, text: str, muscle_id: str) -> None:
    assert sides(note_of(text)) == {muscle_id: "bilateral"}


@pytest.mark.parametrize(
    "text",
    [
        "DN to L4-5 multifidus.",
        "Dry needling to the multifidus at L4-5.",
        "we needled the multifidus at L four L five",
        "Multifidus needled at L3-L5 and L5-S1.",
    ],
)
def test_laterality_spinal_levels_are_not_sides(note_of: NoteOf, text: str) -> None:
    note = note_of(text)
    assert [m.laterality for m in note.muscles] == ["unspecified"]


def test_laterality_spinal_level_beside_a_real_side(note_of: NoteOf) -> None:
    note = note_of("DN to right lumbar multifidus at L4-L5 and L5-S1.")
    assert sides(note) == {"multifidus-lumborum": "right"}


def test_laterality_motion_to_the_right_is_not_a_side(note_of: NoteOf) -> None:
    note = note_of("Turned head to the right with pain. DN to upper trapezius.")
    assert sides(note) == {"upper-trapezius": "unspecified"}


def test_laterality_to_the_right_before_a_muscle_is_a_side(note_of: NoteOf) -> None:
    note = note_of("Cervical rotation to the left limited. DN performed to the right upper trap.")
    assert sides(note) == {"upper-trapezius": "right"}


def test_laterality_header_line_applies_to_the_list_below(note_of: NoteOf) -> None:
    note = note_of("Left:\n- upper trapezius\n- levator scapulae\nBoth dry needled today.")
    assert sides(note) == {"upper-trapezius": "left", "levator-scapulae": "left"}


def test_laterality_second_header_switches_side(note_of: NoteOf) -> None:
    note = note_of(
        "Dry needling today.\nRight:\n- upper trapezius\n- levator scapulae\n"
        "Left:\n- infraspinatus\n- teres minor\n"
    )
    assert sides(note) == {
        "upper-trapezius": "right",
        "levator-scapulae": "right",
        "infraspinatus": "left",
        "teres-minor": "left",
    }


def test_laterality_two_separate_sides_give_two_entries(note_of: NoteOf) -> None:
    note = note_of("DN to R UT. L UT also needled.")
    assert sorted(m.laterality for m in note.muscles if m.id == "upper-trapezius") == [
        "left",
        "right",
    ]


def test_laterality_no_side_word_is_unspecified(note_of: NoteOf) -> None:
    assert sides(note_of("Dry needling to the infraspinatus.")) == {"infraspinatus": "unspecified"}


def test_laterality_side_cue_quotes_the_side_words(note_of: NoteOf) -> None:
    text = "QL on the left was dry needled."
    mention = note_of(text).muscles[0].mentions[0]
    assert mention.side_cue is not None
    assert "left" in mention.side_cue.text
    assert text[mention.side_cue.start : mention.side_cue.end] == mention.side_cue.text


def test_laterality_tags_group_mentions(nlp: Language) -> None:
    doc = nlp("Dry needling to the right paraspinals.")
    groups = [s for s in doc.spans["targets"] if s.label_ == "GROUP"]
    assert [(g._.entry_id, g._.laterality) for g in groups] == [("paraspinals", "right")]


@pytest.mark.parametrize(
    "follow_up",
    ["Twitches at both multifidus levels.", "Both SCM heads were tender."],
)
def test_laterality_both_counting_what_follows_the_name_is_no_side(
    note_of: NoteOf, follow_up: str
) -> None:
    note = note_of(f"DN to the R multifidus and R sternocleidomastoid. {follow_up}")
    assert {(m.name, m.laterality) for m in note.muscles} <= {
        ("multifidus", "right"),
        ("sternocleidomastoid", "right"),
    }
    # "both" before the name alone is still both sides
    note = note_of("DN to both sternocleidomastoid muscles.")
    assert [m.laterality for m in note.muscles] == ["bilateral"]


@pytest.mark.parametrize(
    "text",
    [
        "Needled: R) glut med, piriformis. No injectate.",
        "DN to (R) gluteus medius and piriformis. No injectate.",
        "DN: R m. gluteus medius, piriformis. No injectate.",
    ],
)
def test_laterality_side_in_brackets_or_before_m_dot(note_of: NoteOf, text: str) -> None:
    assert sides(note_of(text)) == {"gluteus-medius": "right", "piriformis": "right"}


def test_laterality_a_finding_s_places_before_a_back_reference(note_of: NoteOf) -> None:
    note = note_of(
        "TDN: bilat lumbar multifidus at L4-5 and L5-S1, L QL, L glute med. "
        "LTR at L5-S1 on both sides and in QL. Nothing injected."
    )
    assert sides(note)["quadratus-lumborum"] == "left"


def test_laterality_levels_joined_by_ampersand_before_a_side(note_of: NoteOf) -> None:
    note = note_of("TDN today: lumbar multifidi L4-5 & L5-S1 bilat; L QL. No injectate.")
    assert sides(note)["multifidus-lumborum"] == "bilateral"


@pytest.mark.parametrize(
    "text",
    [
        "I needled the left QL and the lumbar multifidus at L four L five on both sides.",
        "I needled the left QL and the lumbar multifidus at L three L four bilaterally.",
    ],
)
def test_laterality_a_side_after_levels_said_aloud(note_of: NoteOf, text: str) -> None:
    assert sides(note_of(text))["multifidus-lumborum"] == "bilateral"


def test_laterality_a_side_letter_labelling_a_region_heads_its_list(note_of: NoteOf) -> None:
    note = note_of("Dry needling to L forearm: ECRL, ECRB & supinator. Nothing injected.")
    assert set(sides(note).values()) == {"left"}
    # a letter before a region in a complaint labels nothing
    note = note_of("R shoulder pain. DN: infraspinatus. Nothing injected.")
    assert sides(note) == {"infraspinatus": "unspecified"}


def test_laterality_a_side_letter_in_brackets_heads_its_list(note_of: NoteOf) -> None:
    note = note_of("Muscles treated today (L): piriformis, gluteus minimus. Nothing injected.")
    assert sides(note) == {"piriformis": "left", "gluteus-minimus": "left"}


def test_a_side_column_before_a_needle_column_is_a_side_not_a_level(scribe: Scribe) -> None:
    # "L<TAB>3" are two columns (side, needles); "L 4" in prose is a spinal level
    text = "Dry needling:\nMuscle\tSide\tNeedles\nGluteus medius\tL\t3\nPiriformis\tR\t2\n"
    sides = {m.name: m.laterality for m in scribe.extract(text).note.muscles}
    assert sides == {"gluteus medius": "left", "piriformis": "right"}
    prose = scribe.extract("Dry needling to the multifidus at L 4, 2 needles.").note
    assert [m.laterality for m in prose.muscles] == ["unspecified"]


def test_a_heading_closed_by_its_side_in_brackets_sides_the_rows_below(scribe: Scribe) -> None:
    text = (
        "Exam: TrPs in rt gluteus medius.\n"
        "Dry needling (lt only)\n"
        "  gluteus medius .... 2 needles\n"
        "  piriformis ........ 1 needle\n"
        "Tolerated well.\n"
    )
    result = scribe.extract(text)
    treated = {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}
    assert treated == {("gluteus medius", "left"), ("piriformis", "left")}


def test_a_needle_tally_points_back_at_the_muscles_named_before(scribe: Scribe) -> None:
    """ "4 each side" is said of the multifidus alone; the names after it, said again with
    their counts, are the left ones listed before."""
    text = (
        "DN: B cervical multifidus C4-C6; L splenius capitis; L levator scapulae.\n"
        "Needles: multifidus 2 each side, splenius 2, levator 1.\n"
    )
    muscles = {(m.name, m.laterality) for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("multifidus cervicis", "bilateral"),
        ("splenius capitis", "left"),
        ("levator scapulae", "left"),
    }


def test_a_side_treated_header_sides_the_rows_below_it(scribe: Scribe) -> None:
    text = (
        "Hx: right ankle sprain in 2030.\n"
        "\n"
        "Dry needling\n"
        "Side needled: LEFT\n"
        "  Soleus            2\n"
        "  Tibialis posterior  0  (held - bruising)\n"
    )
    muscles = {(m.name, m.laterality, m.status) for m in scribe.extract(text).note.muscles}
    assert muscles == {("soleus", "left", "treated"), ("tibialis posterior", "left", "negated")}


def test_on_the_left_at_a_spinal_level_is_a_side(scribe: Scribe) -> None:
    text = "TDN today: cervical multifidus on the left at C5-6, right levator palpated only."
    muscles = {(m.name, m.laterality) for m in scribe.extract(text).note.muscles}
    assert ("multifidus cervicis", "left") in muscles


def test_a_patient_who_left_at_a_time_gives_no_side(scribe: Scribe) -> None:
    text = "TDN to upper trapezius and levator, tolerated well. Pt left at 3:15 in good spirits."
    assert {m.laterality for m in scribe.extract(text).note.muscles} == {"unspecified"}


def test_a_name_joined_by_a_slash_to_a_sided_word_takes_its_side(scribe: Scribe) -> None:
    text = "Dry-needled the R ITB/TFL and R VL. DN to L UT/R levator."
    muscles = {(m.name, m.laterality) for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("tensor fasciae latae", "right"),
        ("vastus lateralis", "right"),
        ("upper trapezius", "left"),
        ("levator scapulae", "right"),
    }


def test_the_same_on_the_other_side_at_the_end_of_a_sentence_copies_its_names(
    scribe: Scribe,
) -> None:
    text = "Dry needled the left scalenes and the left levator, and then the same on the right."
    muscles = {(m.name, m.laterality, m.status) for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("scalenes", "left", "treated"),
        ("levator scapulae", "left", "treated"),
        ("scalenes", "right", "treated"),
        ("levator scapulae", "right", "treated"),
    }
    # a finding the same on the other side copies no treatment
    text = "i dry needled the left levator and his neck pain was about the same on the right"
    assert {(m.name, m.laterality) for m in scribe.extract(text).note.muscles} == {
        ("levator scapulae", "left")
    }


def test_the_same_number_on_the_other_side_copies_that_many_names(scribe: Scribe) -> None:
    text = (
        "I dry needled the left infraspinatus, teres minor and posterior deltoid, and the same "
        "two on the right. No injectate."
    )
    muscles = {(m.name, m.laterality) for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("infraspinatus", "left"),
        ("teres minor", "left"),
        ("posterior deltoid", "left"),
        ("teres minor", "right"),
        ("posterior deltoid", "right"),
    }


@pytest.mark.parametrize(
    "said",
    ["Cervical rotation is the same on the right.", "Her pain was about the same on the right."],
)
def test_a_sentence_of_its_own_the_same_on_a_side_copies_only_a_treatment(
    scribe: Scribe, said: str
) -> None:
    text = f"Dry needled the L scalenes and L levator. {said}"
    assert {m.laterality for m in scribe.extract(text).note.muscles} == {"left"}
    text = "Dry needled the L scalenes and L levator. Then I did the same on the right."
    assert {m.laterality for m in scribe.extract(text).note.muscles} == {"left", "right"}


def test_that_side_is_the_side_said_before_it(scribe: Scribe) -> None:
    text = "Dry needled the right gluteus medius. The piriformis on that side was needled too."
    sides = {m.name: m.laterality for m in scribe.extract(text).note.muscles}
    assert sides == {"gluteus medius": "right", "piriformis": "right"}


def test_laterality_a_side_corrected_by_the_body_part_first(note_of: NoteOf) -> None:
    """ "the right infraspinatus, no wait, sorry, it's his left shoulder, the left
    infraspinatus": one left infraspinatus."""
    note = note_of(
        "So today I needled the right infraspinatus, no wait, sorry, it's his left shoulder, "
        "the left infraspinatus, then the left teres minor. Nothing injected."
    )
    assert {(m.name, m.laterality) for m in note.muscles} == {
        ("infraspinatus", "left"),
        ("teres minor", "left"),
    }


def test_a_name_said_in_place_of_another_is_taken_back(note_of: NoteOf) -> None:
    """ "left flexor hallucis brevis, no, sorry, flexor digitorum brevis": the second name is
    the one meant; a bare "no" before a finding corrects nothing."""
    note = note_of(
        "Left abductor hallucis, left quadratus plantae, left flexor hallucis brevis, no, "
        "sorry, flexor digitorum brevis. Dry needled each of those, no injectate."
    )
    statuses = {m.name: m.status for m in note.muscles}
    assert "flexor hallucis brevis" not in statuses
    assert statuses["flexor digitorum brevis"] == "treated"
    note = note_of("DN to L abductor hallucis, no twitch, L quadratus plantae. No injectate.")
    assert {m.name for m in note.muscles if m.status == "treated"} == {
        "abductor hallucis",
        "quadratus plantae",
    }


@pytest.mark.parametrize(
    "after",
    ["all of those on the left foot, two needles in each", "each of them on the left side"],
)
def test_laterality_a_side_after_words_pointing_back_at_the_list(
    note_of: NoteOf, after: str
) -> None:
    note = note_of(
        "I dry needled the abductor hallucis, the quadratus plantae and the flexor digitorum "
        f"brevis, {after}. Plan: the right tibialis posterior next visit."
    )
    got = sides(note)
    assert got["abductor-hallucis"] == got["quadratus-plantae"] == "left"
    assert got["flexor-digitorum-brevis"] == "left"


@pytest.mark.parametrize("said", ["Everything is left sided today.", "All on the left today."])
def test_the_side_of_the_whole_session_said_once_reaches_the_names_after_it(
    scribe: Scribe, said: str
) -> None:
    text = (
        f"Hip pain. {said} Taut bands in the piriformis and the glute med, and I dry needled "
        "both. No injectate. Next week I will needle the right piriformis."
    )
    muscles = {(m.name, m.laterality, m.status) for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("piriformis", "left", "treated"),
        ("gluteus medius", "left", "treated"),
        ("piriformis", "right", "planned"),
    }


def test_the_same_on_a_side_in_a_run_on_that_goes_on_to_other_names(scribe: Scribe) -> None:
    text = (
        "i dry needled the infraspinatus and the teres minor on the left and then the same on "
        "the right, two needles in each, taut bands in all of them and the left infraspinatus "
        "referred down the arm, no injectate"
    )
    muscles = {(m.name, m.laterality) for m in scribe.extract(text).note.muscles}
    assert muscles == {
        ("infraspinatus", "left"),
        ("teres minor", "left"),
        ("infraspinatus", "right"),
        ("teres minor", "right"),
    }
