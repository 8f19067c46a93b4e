"""lexicons/diagnoses.yaml: every code exists and is billable in the ICD-10-CM package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scribe.diagnoses import icd
from scribe.diagnoses.lexicon import FILE_NAME, check_codes, load_diagnosis_lexicon
from scribe.errors import LexiconError
from scribe.lexicons import read_model
from scribe.schemas.diagnoses import DiagnosisLexicon

LEXICONS = Path(__file__).resolve().parents[2] / "lexicons"


def test_diagnoses_lexicon_codes_are_billable() -> None:
    lexicon = load_diagnosis_lexicon(LEXICONS)
    codes = [c.code for concept in lexicon.concepts for c in concept.codes]
    assert len(codes) >= 60
    for code in codes:
        assert icd.billable(code), code
    # the FY2022 and FY2023 expansions: the children are billable, the parents are not
    for parent in ("M54.5", "M79.1"):
        assert not icd.billable(parent)
        assert set(icd.billable_children(parent)) <= set(codes) | {"M54.59"}


def test_diagnoses_lexicon_refuses_a_parent_code(tmp_path: Path) -> None:
    shutil.copy(LEXICONS / FILE_NAME, tmp_path / FILE_NAME)
    path = tmp_path / FILE_NAME
    path.write_text(path.read_text().replace("{code: M54.50}", "{code: M54.5}"))
    lexicon = read_model(path, DiagnosisLexicon)
    with pytest.raises(LexiconError, match=r"M54\.5 is not billable"):
        check_codes(lexicon)


def test_diagnoses_lexicon_refuses_an_unknown_code(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text((LEXICONS / FILE_NAME).read_text().replace("{code: M54.2}", "{code: M54.29}"))
    with pytest.raises(LexiconError, match=r"M54\.29 does not exist"):
        check_codes(read_model(path, DiagnosisLexicon))


def test_diagnoses_icd_excludes1_from_the_package() -> None:
    assert icd.excluded_together("M79.18", "M79.7")  # M79.1 Excludes1 fibromyalgia
    assert icd.excluded_together("M54.50", "M54.42")  # M54.5 Excludes1 lumbago with sciatica
    assert not icd.excluded_together("M54.2", "M79.12")
    assert icd.description("M54.50") == "Low back pain, unspecified"
