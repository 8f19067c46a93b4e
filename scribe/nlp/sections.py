"""Note sections and the kind of document, from the headings in ``lexicons/sections.yaml``.

medspaCy's Sectionizer finds the headings ("Subjective:", "PLAN:", "Dry needling:", a heading
alone on its line) at the start of lines; every sentence then knows the section it is in, and
the note knows whether it is a clinical note or an operative, imaging, electrodiagnostic or
discharge report. ``events.py`` reads both: a procedure under "History:" was done before, one
under "Plan:" is to come, and the muscles listed under "Dry needling:" are the ones needled.

Reads: sentences. Writes: ``doc._.sections`` (medspaCy), ``doc._.document_kind``.
"""

from collections import Counter
from pathlib import Path
from typing import Any

from medspacy.section_detection import Sectionizer, SectionRule
from spacy.language import Language
from spacy.tokens import Doc

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import doc_text, register_extensions, sentences
from scribe.schemas.lexicon import SectionLexicon

_LINE_END = {"IS_SPACE": True, "TEXT": {"REGEX": "\n"}}


def section_rules(nlp: Language, lexicon: SectionLexicon) -> list[SectionRule]:
    """Each heading with its colon ("Plan:"), and alone on its line ("PLAN")."""
    rules: list[SectionRule] = []
    for spec in lexicon.rules:
        rules.append(SectionRule(literal=spec.literal, category=spec.category))
        words = spec.literal.rstrip(":").strip()
        if spec.literal.endswith(":") and len(words) > 2:
            pattern: list[dict[str, Any]] = [{"LOWER": t.lower_} for t in nlp.make_doc(words)]
            rules.append(
                SectionRule(literal=words, category=spec.category, pattern=[*pattern, _LINE_END])
            )
    return rules


class SectionTagger:
    def __init__(self, nlp: Language, lexicon: SectionLexicon) -> None:
        self._sectionizer = Sectionizer(
            nlp,
            name="scribe_sectionizer",
            rules=None,
            require_start_line=True,
            span_attrs=None,
            input_span_type="group",
        )
        self._sectionizer.add(section_rules(nlp, lexicon))
        self._kinds = lexicon.document_kinds

    def __call__(self, doc: Doc) -> Doc:
        doc = self._sectionizer(doc)
        headings = Counter(s.category for s in doc._.sections if s.category is not None)
        doc._.document_kind = next(
            (
                rule.kind
                for rule in self._kinds
                if sum(headings[c] for c in rule.categories) >= rule.min_headings
            ),
            "clinical_note",
        )
        return doc


def _token_at(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None else len(doc)


def sentence_sections(doc: Doc) -> list[str | None]:
    """The section category of each sentence (of its first word), built once per doc."""
    cached: list[str | None] | None = doc.user_data.get("scribe_sentence_sections")
    if cached is not None:
        return cached
    text = doc_text(doc)
    bounds = []
    for section in doc._.sections or []:
        end = section.body_end
        if section.category is not None and section.body_start < len(doc):
            # "Indication: ... text on the heading's line": the section is that paragraph
            body = doc[section.body_start]
            line_end = text.find("\n", doc[section.title_start].idx)
            if line_end == -1 or body.idx < line_end:
                blank = text.find("\n\n", body.idx)
                if blank != -1:
                    end = min(end, _token_at(doc, blank))
        bounds.append((section.body_start, end, section.category, section.body_end))
    cached = []
    k = 0
    for sent in sentences(doc):
        while k < len(bounds) and bounds[k][3] <= sent.start:
            k += 1
        # a heading line ("Dry needling:") is in the section it opens
        inside = k < len(bounds) and sent.start < bounds[k][1]
        cached.append(bounds[k][2] if inside else None)
    doc.user_data["scribe_sentence_sections"] = cached
    return cached


@Language.factory("scribe_sections", default_config={"lexicon_dir": None})
def make_sections(nlp: Language, name: str, lexicon_dir: str | None) -> SectionTagger:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    return SectionTagger(nlp, lexicons.sections)
