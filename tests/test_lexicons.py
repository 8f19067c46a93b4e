"""The data files in lexicons/: each validates, and the lexicon names what clinicians say."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from scribe.errors import LexiconError
from scribe.lexicons import Lexicons, load_lexicons, plural_variants, read_model
from scribe.nlp.numbers import expand_number_placeholder
from scribe.schemas.diagnoses import DiagnosisLexicon
from scribe.schemas.lexicon import (
    AsrLexicon,
    ContextLexicon,
    FindingLexicon,
    LateralityLexicon,
    MuscleLexicon,
    ProcedureLexicon,
    SectionLexicon,
    StatementLexicon,
    SubstanceLexicon,
)

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons"

SCHEMAS: dict[str, type[BaseModel]] = {
    "muscles.yaml": MuscleLexicon,
    "substances.yaml": SubstanceLexicon,
    "findings.yaml": FindingLexicon,
    "laterality.yaml": LateralityLexicon,
    "context_rules.yaml": ContextLexicon,
    "statements.yaml": StatementLexicon,
    "asr.yaml": AsrLexicon,
    "sections.yaml": SectionLexicon,
    "procedures.yaml": ProcedureLexicon,
    "diagnoses.yaml": DiagnosisLexicon,
}

# Spoken and abbreviated forms from the extraction issue, and the entry each must name.
SPOKEN_FORMS = {
    "upper traps": "upper-trapezius",
    "upper trap": "upper-trapezius",
    "UT": "upper-trapezius",
    "levator": "levator-scapulae",
    "levator scap": "levator-scapulae",
    "QL": "quadratus-lumborum",
    "glute med": "gluteus-medius",
    "TFL": "tensor-fasciae-latae",
    "SCM": "sternocleidomastoid",
    "pec minor": "pectoralis-minor",
    "gastroc": "gastrocnemius",
    "multifidi": "multifidus",
    "infra": "infraspinatus",
    "scalenes": "scalenes",
    # Latin/English and singular/plural variants
    "levator scapula": "levator-scapulae",
    "tensor fascia lata": "tensor-fasciae-latae",
    "peroneus longus": "fibularis-longus",
    "fibularis longus": "fibularis-longus",
}

GROUP_TERMS = {
    "rotator cuff": "rotator-cuff",
    "hamstrings": "hamstrings",
    "quads": "quadriceps",
    "paraspinals": "paraspinals",
    "cervical muscles": "cervical-muscles",
    "upper back muscles": "upper-back-muscles",
    "multiple muscles": "multiple-muscles",
}


@pytest.fixture(scope="module")
def lexicons() -> Lexicons:
    return load_lexicons(LEXICON_DIR)


@pytest.fixture(scope="module")
def term_index(lexicons: Lexicons) -> dict[str, set[tuple[str, str]]]:
    """Every matcher string (abbreviations as written, phrases lower-cased) -> what it names."""
    index: dict[str, set[tuple[str, str]]] = {}
    for term in lexicons.terms():
        key = term.text if term.case_sensitive else term.text.lower()
        index.setdefault(key, set()).add((term.label, term.entry_id))
    return index


def test_lexicons_every_yaml_file_has_a_schema() -> None:
    assert {p.name for p in LEXICON_DIR.glob("*.yaml")} == set(SCHEMAS)


@pytest.mark.parametrize("file_name", sorted(SCHEMAS))
def test_lexicons_file_validates_against_its_schema(file_name: str) -> None:
    model = read_model(LEXICON_DIR / file_name, SCHEMAS[file_name])
    assert isinstance(model, SCHEMAS[file_name])
    assert model.schema_version == "1"  # type: ignore[attr-defined]


def test_lexicons_muscles_has_at_least_200_muscles(lexicons: Lexicons) -> None:
    muscles = lexicons.muscles.muscles
    assert len(muscles) >= 200
    assert len({m.id for m in muscles}) == len(muscles)


def test_lexicons_muscles_keep_the_atlas_attribution(lexicons: Lexicons) -> None:
    header = lexicons.muscles
    assert "CC BY 4.0" in (header.license or "")
    assert "Human Reference Atlas" in header.source
    assert "Human Reference Atlas" in (header.attribution or "")
    assert sum(1 for m in header.muscles if m.ontology_id) >= 150


def test_lexicons_subdivisions_point_at_their_muscle(lexicons: Lexicons) -> None:
    for subdivision in ("upper-trapezius", "middle-trapezius", "lower-trapezius"):
        assert lexicons.counting_id(subdivision) == "trapezius"
    for subdivision in ("anterior-deltoid", "middle-deltoid", "posterior-deltoid"):
        assert lexicons.counting_id(subdivision) == "deltoid"
    assert lexicons.counting_id("levator-scapulae") == "levator-scapulae"


@pytest.mark.parametrize(("form", "entry_id"), sorted(SPOKEN_FORMS.items()))
def test_lexicons_spoken_form_names_the_right_muscle(
    term_index: dict[str, set[tuple[str, str]]], form: str, entry_id: str
) -> None:
    key = form if form.isupper() else form.lower()
    assert term_index.get(key) == {("MUSCLE", entry_id)}


@pytest.mark.parametrize(("term", "group_id"), sorted(GROUP_TERMS.items()))
def test_lexicons_group_term_is_a_group_never_a_muscle(
    lexicons: Lexicons, term_index: dict[str, set[tuple[str, str]]], term: str, group_id: str
) -> None:
    assert term_index.get(term) == {("GROUP", group_id)}
    assert group_id in lexicons.group_by_id
    assert group_id not in lexicons.muscle_by_id


def test_lexicons_no_string_names_two_entries(
    term_index: dict[str, set[tuple[str, str]]],
) -> None:
    ambiguous = {text: found for text, found in term_index.items() if len(found) > 1}
    assert ambiguous == {}


def test_lexicons_plural_variants_add_the_plural_of_the_last_word() -> None:
    assert plural_variants("upper trap") == {"upper trap", "upper traps"}
    assert "levator scapulae" in plural_variants("levator scapulae")
    assert "levator scapulaes" not in plural_variants("levator scapulae")


@pytest.mark.parametrize("name", ["right", "left", "bilateral"])
def test_lexicons_laterality_has_phrases_for_each_side(lexicons: Lexicons, name: str) -> None:
    phrases = getattr(lexicons.laterality, name)
    assert phrases.phrases or phrases.abbreviations


def test_lexicons_statement_patterns_compile(lexicons: Lexicons) -> None:
    for kind, patterns in lexicons.statements.statements.items():
        for pattern in patterns:
            try:
                re.compile(expand_number_placeholder(pattern), re.IGNORECASE)
            except re.error as exc:  # pragma: no cover - the failure message is the point
                pytest.fail(f"{kind}: {pattern!r} does not compile: {exc}")


def test_lexicons_bad_file_raises_lexicon_error_naming_the_file(tmp_path: Path) -> None:
    raw = yaml.safe_load((LEXICON_DIR / "muscles.yaml").read_text(encoding="utf-8"))
    raw["muscles"][0]["unexpected_field"] = "not allowed"
    broken = tmp_path / "broken_muscles.yaml"
    broken.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"broken_muscles\.yaml"):
        read_model(broken, MuscleLexicon)


def test_lexicons_invalid_yaml_raises_lexicon_error_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "garbled_findings.yaml"
    broken.write_text("schema_version: '1'\nfindings: [unclosed\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"garbled_findings\.yaml"):
        read_model(broken, FindingLexicon)


def test_lexicons_missing_file_raises_lexicon_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="missing"):
        read_model(tmp_path / "substances.yaml", SubstanceLexicon)


def test_lexicons_folder_with_a_broken_file_fails_to_load(tmp_path: Path) -> None:
    folder = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, folder, ignore=shutil.ignore_patterns("billing", "tools"))
    raw = yaml.safe_load((folder / "laterality.yaml").read_text(encoding="utf-8"))
    del raw["right"]
    (folder / "laterality.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"laterality\.yaml"):
        load_lexicons(folder)


def test_lexicons_muscle_with_unknown_parent_is_refused() -> None:
    raw = yaml.safe_load((LEXICON_DIR / "muscles.yaml").read_text(encoding="utf-8"))
    raw["muscles"][0]["parent"] = "no-such-muscle"
    with pytest.raises(ValidationError, match="unknown parent"):
        MuscleLexicon.model_validate(raw)


def _context_file(*rule_sets: dict[str, object]) -> dict[str, object]:
    return {
        "schema_version": "1",
        "description": "context rules for a test",
        "source": "tests",
        "rule_sets": list(rule_sets),
    }


def test_lexicons_context_rules_forbid_duplicate_literals() -> None:
    data = _context_file(
        {"category": "NOT_TREATED", "direction": "BACKWARD", "literals": ["not needled"]},
        {"category": "PLANNED", "direction": "FORWARD", "literals": ["Not Needled"]},
    )
    with pytest.raises(ValidationError, match=r"(?i)not needled"):
        ContextLexicon.model_validate(data)


def test_lexicons_context_rules_duplicate_literal_in_a_file_raises_lexicon_error(
    tmp_path: Path,
) -> None:
    raw = yaml.safe_load((LEXICON_DIR / "context_rules.yaml").read_text(encoding="utf-8"))
    first = next(s for s in raw["rule_sets"] if s.get("literals"))
    other = next(s for s in raw["rule_sets"] if s is not first)
    other.setdefault("literals", []).append(first["literals"][0])
    broken = tmp_path / "context_rules.yaml"
    broken.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"context_rules\.yaml"):
        read_model(broken, ContextLexicon)


def test_lexicons_context_rules_accept_distinct_literals() -> None:
    data = _context_file(
        {"category": "NOT_TREATED", "direction": "BACKWARD", "literals": ["not needled"]},
        {"category": "PLANNED", "direction": "FORWARD", "literals": ["plan to needle"]},
    )
    assert len(ContextLexicon.model_validate(data).rule_sets) == 2


def test_lexicon_patterns_that_do_not_compile_are_refused_on_load() -> None:
    from scribe.schemas.sections import CarriedForward

    with pytest.raises(ValidationError, match="no regular expression"):
        CarriedForward(opens=["(copied forward"])
