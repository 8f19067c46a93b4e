"""Target matching from the lexicon, and elliptical coordination ("upper and middle trapezius")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from scribe import Scribe
from scribe.lexicons import bracketed_forms
from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


def targets(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    return [(s.text, s.label_, s._.entry_id) for s in nlp(text).spans["targets"]]


@pytest.mark.parametrize(
    ("words", "entry_id"),
    [
        ("upper traps", "upper-trapezius"),
        ("UT", "upper-trapezius"),
        ("levator", "levator-scapulae"),
        ("levator scap", "levator-scapulae"),
        ("QL", "quadratus-lumborum"),
        ("glute med", "gluteus-medius"),
        ("TFL", "tensor-fasciae-latae"),
        ("SCM", "sternocleidomastoid"),
        ("pec minor", "pectoralis-minor"),
        ("gastroc", "gastrocnemius"),
        ("multifidi", "multifidus"),
        ("infra", "infraspinatus"),
        ("scalenes", "scalenes"),
        ("Upper Trapezius", "upper-trapezius"),
        ("peroneus longus", "fibularis-longus"),
    ],
)
def test_targets_spoken_forms_in_a_sentence(nlp: Language, words: str, entry_id: str) -> None:
    assert targets(nlp, f"Dry needling to the R {words} today.") == [(words, "MUSCLE", entry_id)]


@pytest.mark.parametrize(
    ("words", "group_id"),
    [
        ("rotator cuff", "rotator-cuff"),
        ("hamstrings", "hamstrings"),
        ("quads", "quadriceps"),
        ("paraspinals", "paraspinals"),
        ("cervical muscles", "cervical-muscles"),
        ("upper back muscles", "upper-back-muscles"),
        ("multiple muscles", "multiple-muscles"),
    ],
)
def test_targets_group_terms_are_groups(nlp: Language, words: str, group_id: str) -> None:
    assert targets(nlp, f"Dry needling to the {words} today.") == [(words, "GROUP", group_id)]


@pytest.mark.parametrize(
    "words", ["rotator cuff", "hamstrings", "quads", "paraspinals", "multiple muscles"]
)
def test_targets_group_terms_are_never_counted(scribe: Scribe, words: str) -> None:
    result = scribe.extract(f"Dry needling to the right {words}. No injectate.")
    assert result.note.muscles == []
    assert [g.text for g in result.note.groups] == [words]
    assert result.coding.muscle_count == 0
    assert result.coding.lines == []
    assert result.coding.prompts, "a group term raises a documentation prompt"


def test_targets_abbreviations_in_lower_case_only_when_no_english_word(nlp: Language) -> None:
    """A recogniser or a hurried typist writes "scm" and "ql"; "ut" (a word), "tra" and "ecu"
    (words), and RF or EDC (they need supporting context) count only as written."""
    found = targets(nlp, "ut, tra, ecu, rf, edc, ql and scm in lower case.")
    assert found == [
        ("ql", "MUSCLE", "quadratus-lumborum"),
        ("scm", "MUSCLE", "sternocleidomastoid"),
    ]
    assert targets(nlp, "Ql and Scm in mixed case.") == []


def test_targets_substances_and_findings(nlp: Language) -> None:
    found = targets(nlp, "Taut band in the R UT; 1 mL lidocaine injected.")
    labels = {(label, entry_id) for _, label, entry_id in found}
    assert ("FINDING", "taut_band") in labels
    assert ("MUSCLE", "upper-trapezius") in labels
    assert ("SUBSTANCE", "lidocaine") in labels


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("upper and middle trapezius", ["upper-trapezius", "middle-trapezius"]),
        (
            "upper, middle and lower trapezius",
            ["upper-trapezius", "middle-trapezius", "lower-trapezius"],
        ),
        ("gluteus medius and minimus", ["gluteus-medius", "gluteus-minimus"]),
        # the part of one of them named after a plural
        ("pectorals major and minor", ["pectoralis-major", "pectoralis-minor"]),
        # "the" said again before each part
        ("upper and the lower trapezius", ["upper-trapezius", "lower-trapezius"]),
        ("gluteus medius and the minimus", ["gluteus-medius", "gluteus-minimus"]),
    ],
)
def test_targets_ellipsis_names_each_muscle(nlp: Language, text: str, expected: list[str]) -> None:
    found = [e for _, label, e in targets(nlp, f"DN to the R {text}.") if label == "MUSCLE"]
    assert found == expected


def test_targets_ellipsis_subdivisions_count_once(scribe: Scribe) -> None:
    result = scribe.extract("DN to R upper and middle trapezius. No injectate.")
    assert [(m.name, m.laterality) for m in result.note.muscles] == [
        ("upper trapezius", "right"),
        ("middle trapezius", "right"),
    ]
    assert result.coding.muscle_count == 1
    assert any("subdivision" in p.id for p in result.coding.prompts)


def test_targets_ellipsis_distinct_muscles_count_apiece(scribe: Scribe) -> None:
    result = scribe.extract("DN to R gluteus medius and minimus. No injectate.")
    assert result.coding.muscle_count == 2


def test_targets_canonical_names_include_the_subdivision(note_of: NoteOf) -> None:
    note = note_of("DN to R UT, R levator scap, R glute med and R post. deltoid.")
    assert [m.name for m in note.muscles] == [
        "upper trapezius",
        "levator scapulae",
        "gluteus medius",
        "posterior deltoid",
    ]


def test_targets_bracketed_synonym_word_is_one_muscle(nlp: Language, note_of: NoteOf) -> None:
    """An EHR writes a synonym's word in brackets inside the name: one muscle, with its side."""
    assert targets(nlp, "Peroneus (fibularis) brevis") == [
        ("Peroneus (fibularis) brevis", "MUSCLE", "fibularis-brevis")
    ]
    note = note_of("Dry needling performed today to the left peroneus (fibularis) brevis.")
    treated = [(m.name, m.laterality) for m in note.muscles if m.status == "treated"]
    assert treated == [("fibularis brevis", "left")]


def test_targets_bracketed_forms_need_names_one_word_apart() -> None:
    assert bracketed_forms(["fibularis longus", "peroneus longus"]) == [
        "fibularis (peroneus) longus",
        "peroneus (fibularis) longus",
    ]
    assert bracketed_forms(["upper trapezius", "trapezius upper fibers"]) == []
    assert bracketed_forms(["gluteus medius", "glute med"]) == []


@pytest.mark.parametrize(
    ("text", "words", "entry_id"),
    [
        ("DN: 1) Rt gastroc, med head - 2 needles", "gastroc, med head", "medial-gastrocnemius"),
        (
            "TPI into L SCM (sternal head).",
            "SCM (sternal head)",
            "sternal-head-of-sternocleidomastoid",
        ),
        (
            "DN to the medial head of the gastrocnemius.",
            "medial head of the gastrocnemius",
            "medial-gastrocnemius",
        ),
        # a side between: the part is named, the side keeps its own words
        (
            "DN to the medial head of the right gastrocnemius.",
            "gastrocnemius",
            "medial-gastrocnemius",
        ),
    ],
)
def test_targets_a_part_named_around_the_name_is_in_the_mention(
    nlp: Language, text: str, words: str, entry_id: str
) -> None:
    assert (words, entry_id) in [(w, e) for w, _, e in targets(nlp, text)]


@pytest.mark.parametrize(
    ("sentence", "words", "group_id"),
    [
        ("Thoracic paraspinal spasm on palpation.", "paraspinal", "paraspinals"),
        ("Suboccipital tightness with headache.", "Suboccipital", "suboccipitals"),
    ],
)
def test_targets_group_named_by_its_adjective(
    nlp: Language, sentence: str, words: str, group_id: str
) -> None:
    assert (words, "GROUP", group_id) in targets(nlp, sentence)


@pytest.mark.parametrize(
    ("said", "entry_id"),
    [
        ("multifidus at L four L five", "multifidus-lumborum"),
        ("multifidus L4-5", "multifidus-lumborum"),
        ("multifidus at the C5-6 level", "multifidus-cervicis"),
        ("multifidus T7", "multifidus-thoracis"),
        ("multifidus, L QL", "multifidus"),  # a side and a name, no level
    ],
)
def test_targets_a_spinal_level_names_the_part(nlp: Language, said: str, entry_id: str) -> None:
    found = [e for _, _, e in targets(nlp, f"Dry needling to the right {said} today.")]
    assert found[0] == entry_id


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # "LS" in a list of neck muscles, or with its side, is the levator scapulae
        (
            "DN: R UT, LS; L UT. No injectate.",
            ["upper-trapezius", "levator-scapulae", "upper-trapezius"],
        ),
        ("Needled LS R/L, 1 needle each.", ["levator-scapulae"]),
        # lumbosacral: before a word of the spine, or with no muscle or side beside it
        ("TDN to the L LS paraspinals today.", []),
        ("Dry needling at the LS junction today.", []),
        ("Dry needling today. LS tender.", []),
    ],
)
def test_targets_ls_is_the_levator_only_in_a_list(
    nlp: Language, text: str, found: list[str]
) -> None:
    assert [e for _, label, e in targets(nlp, text) if label == "MUSCLE"] == found


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        # the group's name in the singular, for the one member named and needled
        ("Dry needled the L glute med, two needles in the glute. No injectate.", []),
        # the plural stays the group
        ("Dry needled the L glute med and the L glutes. No injectate.", ["gluteals"]),
        # no member needled: the group is all the note says was needled
        ("Dry needled the glute. L glute max palpated only.", ["gluteals"]),
        # a group's name that is no word of its member's name
        ("Dry needled the R infraspinatus, rotator cuff tight. No injectate.", ["rotator cuff"]),
    ],
)
def test_targets_a_group_said_short_for_its_one_needled_member(
    scribe: Scribe, text: str, groups: list[str]
) -> None:
    assert [g.name for g in scribe.extract(text).note.groups] == groups
