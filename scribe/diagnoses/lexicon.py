"""Load ``lexicons/diagnoses.yaml`` and check its codes against the ICD-10-CM package."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scribe.config import get_settings
from scribe.diagnoses import icd
from scribe.errors import LexiconError
from scribe.lexicons import read_model
from scribe.schemas.diagnoses import DiagnosisLexicon

FILE_NAME = "diagnoses.yaml"


def check_codes(lexicon: DiagnosisLexicon) -> None:
    """Every code a concept lists exists and is billable in the package's release; written
    code prefixes name existing codes or headings."""
    for concept in lexicon.concepts:
        for choice in concept.codes:
            if not icd.billable(choice.code):
                state = "is not billable" if icd.exists(choice.code) else "does not exist"
                raise LexiconError(
                    f"{FILE_NAME}: concept {concept.id}: code {choice.code} {state} in "
                    f"ICD-10-CM ({icd.RELEASE})"
                )
    for prefix in lexicon.specific_cause_codes:
        if len(prefix) > 1 and not icd.exists(prefix):
            raise LexiconError(f"{FILE_NAME}: specific cause code {prefix} does not exist")


@cache
def load_diagnosis_lexicon(directory: Path | None = None) -> DiagnosisLexicon:
    """The diagnosis lexicon of a lexicon folder, validated (read once per process)."""
    folder = directory or get_settings().lexicon_dir
    lexicon = read_model(folder / FILE_NAME, DiagnosisLexicon)
    check_codes(lexicon)
    return lexicon
