"""One status per target from its ConText modifiers, plus note-level reasoning.

Muscles and groups: treated | negated | planned | historical | palpated_only | mentioned.
Substances: injected | negated | planned | historical | mentioned. Findings and problems:
negated or affirmed. Negation is scoped by target type in the rules, so "No lidocaine was
injected into the upper trapezius" negates the drug and leaves the muscle treated.

Needling words ("needled", "DN", "twitch", "injected") are evidence of treatment on their
own; generic procedure verbs ("treated", "performed", "addressed") count only in a note that
says somewhere that it needled or injected. Questions ("have you had needling in your
trapezius?") are never evidence.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import (
    by_sentence,
    doc_text,
    register_extensions,
    sentences,
    span_text,
    target_spans,
)

_MUSCLE_LIKE = ("MUSCLE", "GROUP")
_NEGATION = ("NOT_TREATED", "NEGATED_EXISTENCE")
_DEFERRING = ("NOT_TREATED", "PLANNED")
_NEEDLING = ("TREATED", "INJECTED")
_CUE_CATEGORY = {
    "negated": ("NOT_TREATED",),
    "planned": ("PLANNED",),
    "historical": ("HISTORICAL",),
    "treated": ("INJECTED", "TREATED", "PROCEDURE"),
    "palpated_only": ("PALPATED_ONLY", "PALPATED"),
    "mentioned": ("COMPLAINT",),
}


def _categories(span: Span) -> set[str]:
    """Categories of the modifiers outside the span: words inside a target ("shows no
    abnormality") describe it, they do not modify it."""
    return {
        m.category
        for m in span._.modifiers
        if not (span.start <= m.modifier_span[0] and m.modifier_span[1] <= span.end)
    }


def muscle_status(categories: set[str], *, needling_note: bool) -> str | None:
    """Status from the modifiers of one muscle mention; None when nothing decides it."""
    if "NOT_TREATED" in categories:
        return "negated"
    if "PLANNED" in categories:
        return "planned"
    if "HISTORICAL" in categories and "CURRENT" not in categories:
        return "historical"
    if "PALPATED_ONLY" in categories:
        return "palpated_only"
    if "OTHER_PROCEDURE" in categories:
        return "mentioned"  # "needle EMG of the deltoid"
    if categories & set(_NEEDLING) or ("PROCEDURE" in categories and needling_note):
        return "treated"
    if "PALPATED" in categories:
        return "palpated_only"
    if "COMPLAINT" in categories or "PROCEDURE" in categories:
        return "mentioned"
    return None


def substance_status(categories: set[str], *, beside_muscle: bool) -> str:
    """``beside_muscle``: a muscle or trigger point is named in the same sentence, so dosing
    words alone ("lidocaine 1% 2 mL to the R QL") mean an injection."""
    if categories & set(_NEGATION):
        return "negated"
    if "PLANNED" in categories:
        return "planned"
    if "HISTORICAL" in categories and "CURRENT" not in categories:
        return "historical"
    if "INJECTED" in categories:
        return "injected"
    if "OTHER_ROUTE" in categories:
        return "mentioned"  # "lidocaine 5% patch"
    if "DOSE" in categories and beside_muscle:
        return "injected"
    return "mentioned"


def _negated_statement(modifiers: list[Any], treatment: Any) -> bool:
    """A negation shortly before the treatment words: "not consented to needling"."""
    start = treatment.modifier_span[0]
    return any(
        m.category in _NEGATION and 0 < start - m.modifier_span[1] + 1 <= 4 for m in modifiers
    )


def _is_question(sent: Span) -> bool:
    doc = sent.doc
    for i in range(sent.end - 1, sent.start - 1, -1):
        if not doc[i].is_space:
            return doc[i].text == "?"
    return False


class AssertionResolver:
    def __init__(self, anaphora: list[str], none_injected: list[str]) -> None:
        self._anaphora = re.compile("|".join(f"(?:{p})" for p in anaphora), re.IGNORECASE)
        # "no injectate used" only makes sense in a note about needling
        self._none_injected = re.compile("|".join(f"(?:{p})" for p in none_injected), re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        targets = target_spans(doc)
        sents = sentences(doc)
        modifiers_by_sentence = self._modifiers_by_sentence(doc, sents)
        positive = [
            self._positive_treatment(sent, in_sent)
            for sent, in_sent in zip(sents, modifiers_by_sentence, strict=True)
        ]
        needling_note = any(positive) or bool(self._none_injected.search(doc_text(doc)))
        for sent, in_sent in zip(sents, by_sentence(doc, targets), strict=True):
            question = _is_question(sent)
            beside_muscle = any(s.label_ in ("MUSCLE", "GROUP", "FINDING") for s in in_sent)
            for span in in_sent:
                self._set_status(
                    doc,
                    span,
                    needling_note=needling_note,
                    question=question,
                    beside_muscle=beside_muscle,
                )
        muscles = [s for s in targets if s.label_ in _MUSCLE_LIKE]
        self._injected_substance_sentences(doc, targets)
        self._resolve_note_level(doc, sents, positive, muscles, needling_note=needling_note)
        return doc

    def _set_status(
        self, doc: Doc, span: Span, *, needling_note: bool, question: bool, beside_muscle: bool
    ) -> None:
        categories = _categories(span)
        if span.label_ in _MUSCLE_LIKE:
            status = muscle_status(categories, needling_note=needling_note)
            if question and status in ("treated", "palpated_only"):
                status = "mentioned"
            span._.status = status
            span._.status_cue = self._nearest_cue(doc, span, _CUE_CATEGORY.get(status or "", ()))
        elif span.label_ == "SUBSTANCE":
            status = substance_status(categories, beside_muscle=beside_muscle)
            span._.status = "mentioned" if question and status == "injected" else status
        else:
            span._.status = "negated" if categories & set(_NEGATION) else "affirmed"

    @staticmethod
    def _modifiers_by_sentence(doc: Doc, sents: list[Span]) -> list[list[Any]]:
        graph = doc._.context_graph
        grouped: list[list[Any]] = [[] for _ in sents]
        starts = [sent.start for sent in sents]
        for modifier in graph.modifiers if graph is not None else []:
            grouped[bisect_right(starts, modifier.modifier_span[0]) - 1].append(modifier)
        return grouped

    @staticmethod
    def _positive_treatment(sent: Span, modifiers: list[Any]) -> Any | None:
        """The first needling words of a sentence that states a treatment done today."""
        if _is_question(sent):
            return None
        categories = {m.category for m in modifiers}
        needling = [m for m in modifiers if m.category in _NEEDLING]
        if not needling or categories & set(_DEFERRING):
            return None
        if "HISTORICAL" in categories and "CURRENT" not in categories:
            return None
        if _negated_statement(modifiers, needling[0]):
            return None  # "she has not consented to needling yet"
        return needling[0]

    @staticmethod
    def _injected_substance_sentences(doc: Doc, targets: list[Span]) -> None:
        """ "Botox 25 units into each of L UT and L levator TrPs": the substance went into
        the muscles of its sentence, treated by injection."""
        for in_sent in by_sentence(doc, targets):
            injected = [s for s in in_sent if s.label_ == "SUBSTANCE" and s._.status == "injected"]
            if not injected:
                continue
            cue = (injected[0].start_char, injected[0].end_char)
            for span in in_sent:
                if span.label_ in _MUSCLE_LIKE and span._.status in (
                    None,
                    "palpated_only",
                    "mentioned",
                ):
                    span._.status = "treated"
                    span._.status_cue = cue

    @staticmethod
    def _nearest_cue(doc: Doc, span: Span, categories: tuple[str, ...]) -> tuple[int, int] | None:
        """The words that decided the status: the nearest modifier of those categories."""
        best: tuple[int, Any] | None = None
        for modifier in span._.modifiers:
            if modifier.category not in categories:
                continue
            start, end = modifier.modifier_span
            distance = span.start - end if end <= span.start else start - span.end
            if best is None or distance < best[0]:
                best = (distance, modifier)
        if best is None:
            return None
        cue = doc[best[1].modifier_span[0] : best[1].modifier_span[1]]
        return cue.start_char, cue.end_char

    def _resolve_note_level(
        self,
        doc: Doc,
        sents: list[Span],
        positive: list[Any | None],
        spans: list[Span],
        *,
        needling_note: bool,
    ) -> None:
        general: list[tuple[Span, tuple[int, int]]] = []  # treatment sentences naming no muscle
        for sent, named, first in zip(sents, by_sentence(doc, spans), positive, strict=True):
            if first is not None and not named:
                words = doc[first.modifier_span[0] : first.modifier_span[1]]
                general.append((sent, (words.start_char, words.end_char)))
        explicitly_treated = [s for s in spans if s._.status == "treated"]
        for sent, cue in general:
            if self._anaphora.search(span_text(sent)):
                again = "again" in span_text(sent).lower()
                self._promote(self._block_before(sent, spans), cue, again=again)
        if general and not explicitly_treated:
            self._promote([s for s in spans if s._.status == "palpated_only"], general[0][1])
        self._default_statuses(spans, needling_note=needling_note or bool(explicitly_treated))

    @staticmethod
    def _default_statuses(spans: list[Span], *, needling_note: bool) -> None:
        """Mentions no cue reached: in a note that says it needled, they are part of the
        treatment ("R UT, levator and rhomboid" listed under the procedure); elsewhere they
        are only mentioned."""
        for span in spans:
            if span._.status is None:
                span._.status = "treated" if needling_note else "mentioned"

    @staticmethod
    def _block_before(sent: Span, spans: list[Span]) -> list[Span]:
        """Mentions before a sentence, back to the last mention already treated."""
        block: list[Span] = []
        for span in reversed([s for s in spans if s.start < sent.start]):
            if span._.status == "treated":
                break
            block.append(span)
        return block

    @staticmethod
    def _promote(spans: Iterable[Span], cue: tuple[int, int], *, again: bool = False) -> None:
        promotable = {"palpated_only", "mentioned", None} | ({"historical"} if again else set())
        for span in spans:
            if span._.status in promotable:
                span._.status = "treated"
                span._.status_cue = cue


@Language.factory("scribe_assertion", default_config={"lexicon_dir": None})
def make_assertion(nlp: Language, name: str, lexicon_dir: str | None) -> AssertionResolver:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    statements = lexicons.statements.statements
    return AssertionResolver(statements.get("anaphora", []), statements["none_injected"])
