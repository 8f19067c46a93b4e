"""The ``scribe_diagnoses`` pipeline component: diagnoses stated in the note and their status.

Reads: sentences, sections, targets (muscles, for a myalgia's region). Writes:
``doc._.diagnoses``, a list of :class:`~scribe.diagnoses.finder.Found` (token offsets).
"""

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from scribe.diagnoses.assertion import DiagnosisAssertion
from scribe.diagnoses.finder import DiagnosisFinder
from scribe.diagnoses.lexicon import load_diagnosis_lexicon
from scribe.lexicons import load_lexicons

if not Doc.has_extension("diagnoses"):
    Doc.set_extension("diagnoses", default=None)


class DiagnosisComponent:
    def __init__(self, finder: DiagnosisFinder, assertion: DiagnosisAssertion) -> None:
        self._finder = finder
        self._assertion = assertion

    def __call__(self, doc: Doc) -> Doc:
        found = self._finder(doc)
        self._assertion(doc, found)
        doc._.diagnoses = found
        return doc


@Language.factory(
    "scribe_diagnoses",
    default_config={"lexicon_dir": None},
    assigns=["doc._.diagnoses"],
    requires=["doc._.note_sections"],
)
def make_diagnoses(nlp: Language, name: str, lexicon_dir: str | None) -> DiagnosisComponent:
    folder = Path(lexicon_dir) if lexicon_dir else None
    lexicons = load_lexicons(folder)
    lexicon = load_diagnosis_lexicon(folder)
    return DiagnosisComponent(
        DiagnosisFinder(nlp, lexicon, lexicons), DiagnosisAssertion(nlp, lexicons, lexicon)
    )
