"""Status of the targets that are not muscles: substances, findings and other problems.

Substances: injected | negated | planned | historical | mentioned. Findings and problems:
negated or affirmed. Negation is scoped by target type in the rules, so "No lidocaine was
injected into the upper trapezius" negates the drug and leaves the muscle alone. Muscles and
groups are decided by ``scribe_events``, which ties them to the procedures of the note.

Reads: targets, ConText modifiers. Writes: ``status`` on substance, finding and problem spans.
"""

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.nlp.extensions import by_sentence, register_extensions, sentences, target_spans
from scribe.nlp.procedure_event import is_question
from scribe.nlp.subject_clauses import PAST_CATEGORIES

_NEGATION = ("NOT_TREATED", "NEGATED_EXISTENCE")


def _categories(span: Span) -> set[str]:
    """Categories of the modifiers outside the span: words inside a target ("shows no
    abnormality") describe it, they do not modify it."""
    return {
        m.category
        for m in span._.modifiers
        if not (span.start <= m.modifier_span[0] and m.modifier_span[1] <= span.end)
    }


def _nearer_time(span: Span, categories: set[str]) -> set[str]:
    """A drug that both "today" and an earlier time reach takes the nearer one: "no steroid
    today, we did mix in Kenalog back in March" (run-on speech: "today" reaches the whole
    sentence); on a tie, today."""
    if "CURRENT" not in categories or not categories & PAST_CATEGORIES:
        return categories

    def apart(m: Any) -> int:
        start, end = m.modifier_span
        return int(span.start - end if end <= span.start else max(0, start - span.end))

    outside = [
        m
        for m in span._.modifiers
        if not (span.start <= m.modifier_span[0] and m.modifier_span[1] <= span.end)
    ]
    today = min(apart(m) for m in outside if m.category == "CURRENT")
    past = min(apart(m) for m in outside if m.category in PAST_CATEGORIES)
    return categories - {"CURRENT"} if past < today else categories - PAST_CATEGORIES


def substance_status(categories: set[str], *, beside_muscle: bool) -> str:
    """``beside_muscle``: a muscle or trigger point is named in the same sentence, so dosing
    words alone ("lidocaine 1% 2 mL to the R QL") mean an injection."""
    if "ALLERGY" in categories:
        return "mentioned"  # "her lidocaine allergy": the drug is named, not given or denied
    if categories & set(_NEGATION):
        return "negated"
    if "DILUENT" in categories:
        return "mentioned"  # "reconstituted with 2 mL saline": mixed into the drug
    if "PLANNED" in categories:
        return "planned"
    if categories & PAST_CATEGORIES and "CURRENT" not in categories:
        return "historical"
    if categories & {"INJECTED", "INJECTION_WORD", "CHEMODENERVATION"}:
        return "injected"
    if "OTHER_ROUTE" in categories:
        return "mentioned"  # "lidocaine 5% patch"
    if "DOSE" in categories and beside_muscle:
        return "injected"
    return "mentioned"


class AssertionResolver:
    def __call__(self, doc: Doc) -> Doc:
        targets = target_spans(doc)
        for sent, in_sent in zip(sentences(doc), by_sentence(doc, targets), strict=True):
            question = is_question(sent)
            beside_muscle = any(s.label_ in ("MUSCLE", "GROUP", "FINDING") for s in in_sent)
            for span in in_sent:
                if span.label_ in ("MUSCLE", "GROUP"):
                    continue
                categories = _categories(span)
                if span.label_ == "SUBSTANCE":
                    categories = _nearer_time(span, categories)
                    status = substance_status(categories, beside_muscle=beside_muscle)
                    span._.status = "mentioned" if question and status == "injected" else status
                else:
                    span._.status = "negated" if categories & set(_NEGATION) else "affirmed"
        return doc


@Language.factory("scribe_assertion", default_config={"lexicon_dir": None})
def make_assertion(nlp: Language, name: str, lexicon_dir: str | None) -> AssertionResolver:
    register_extensions()
    _ = Path(lexicon_dir) if lexicon_dir else None
    return AssertionResolver()
