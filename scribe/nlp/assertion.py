"""One status per target from its ConText modifiers, plus note-level reasoning.

Muscles and groups: treated | negated | planned | historical | palpated_only | mentioned.
Substances: injected | negated | planned | historical | mentioned. Findings and problems:
negated or not. Negation is scoped by target type in the rules, so "No lidocaine was
injected into the upper trapezius" negates the drug and leaves the muscle treated.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import TARGETS, by_sentence, register_extensions, sentences

_MUSCLE_LIKE = ("MUSCLE", "GROUP")
_NEGATION = ("NOT_TREATED", "NEGATED_EXISTENCE")
_DEFERRING = ("NOT_TREATED", "PLANNED")


def _cue(modifiers: Iterable[object], category: str) -> tuple[int, int] | None:
    for modifier in modifiers:
        if modifier.category == category:  # type: ignore[attr-defined]
            span = modifier.modifier_span  # type: ignore[attr-defined]
            return span[0], span[1]
    return None


def _categories(span: Span) -> set[str]:
    """Categories of the modifiers outside the span: words inside a target ("shows no
    abnormality") describe it, they do not modify it."""
    return {
        m.category
        for m in span._.modifiers
        if not (span.start <= m.modifier_span[0] and m.modifier_span[1] <= span.end)
    }


def muscle_status(categories: set[str]) -> str | None:
    """Status from the modifiers of one muscle mention; None when nothing decides it."""
    if "NOT_TREATED" in categories:
        return "negated"
    if "PLANNED" in categories:
        return "planned"
    if "HISTORICAL" in categories and "CURRENT" not in categories:
        return "historical"
    if "PALPATED_ONLY" in categories:
        return "palpated_only"
    if categories & {"TREATED", "INJECTED"}:
        return "treated"
    if "PALPATED" in categories:
        return "palpated_only"
    if "COMPLAINT" in categories:
        return "mentioned"
    return None


def substance_status(categories: set[str]) -> str:
    if categories & set(_NEGATION):
        return "negated"
    if "PLANNED" in categories:
        return "planned"
    if "HISTORICAL" in categories and "CURRENT" not in categories:
        return "historical"
    if "INJECTED" in categories:
        return "injected"
    return "mentioned"


def _negated_statement(modifiers: list[Any], treatment: Any) -> bool:
    """A negation shortly before the treatment words: "not consented to needling"."""
    start = treatment.modifier_span[0]
    return any(
        m.category in _NEGATION and 0 < start - m.modifier_span[1] + 1 <= 4 for m in modifiers
    )


class AssertionResolver:
    def __init__(self, anaphora: list[str]) -> None:
        self._anaphora = re.compile("|".join(f"(?:{p})" for p in anaphora), re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        targets = list(doc.spans[TARGETS])
        for span in targets:
            categories = _categories(span)
            if span.label_ in _MUSCLE_LIKE:
                span._.status = muscle_status(categories)
                cue_category = {
                    "negated": "NOT_TREATED",
                    "planned": "PLANNED",
                    "historical": "HISTORICAL",
                    "treated": "INJECTED" if "INJECTED" in categories else "TREATED",
                    "palpated_only": "PALPATED_ONLY"
                    if "PALPATED_ONLY" in categories
                    else "PALPATED",
                    "mentioned": "COMPLAINT",
                }.get(span._.status or "")
                if cue_category:
                    span._.status_cue = self._char_cue(doc, span, cue_category)
            elif span.label_ == "SUBSTANCE":
                span._.status = substance_status(categories)
            else:
                span._.status = "negated" if categories & set(_NEGATION) else "affirmed"
        muscles = [s for s in targets if s.label_ in _MUSCLE_LIKE]
        self._injected_substance_sentences(doc, targets)
        self._resolve_note_level(doc, muscles)
        return doc

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
    def _char_cue(doc: Doc, span: Span, category: str) -> tuple[int, int] | None:
        tokens = _cue(span._.modifiers, category)
        if tokens is None:
            return None
        cue = doc[tokens[0] : tokens[1]]
        return cue.start_char, cue.end_char

    def _resolve_note_level(self, doc: Doc, spans: list[Span]) -> None:
        graph = doc._.context_graph
        modifiers = list(graph.modifiers) if graph is not None else []
        general: list[tuple[Span, tuple[int, int]]] = []  # treatment sentences naming no muscle
        any_positive_treatment = any(s._.status == "treated" for s in spans)
        sents = sentences(doc)
        modifiers_by_sentence: list[list[Any]] = [[] for _ in sents]
        starts = [sent.start for sent in sents]
        for modifier in modifiers:
            modifiers_by_sentence[bisect_right(starts, modifier.modifier_span[0]) - 1].append(
                modifier
            )
        spans_by_sentence = by_sentence(doc, spans)
        for sent, in_sent, named in zip(
            sents, modifiers_by_sentence, spans_by_sentence, strict=True
        ):
            categories = {m.category for m in in_sent}
            treated = [m for m in in_sent if m.category in ("TREATED", "INJECTED")]
            if not treated or categories & set(_DEFERRING):
                continue
            if _negated_statement(in_sent, treated[0]):
                continue  # "she has not consented to needling yet"
            if "HISTORICAL" in categories and "CURRENT" not in categories:
                continue
            any_positive_treatment = True
            if not named:
                first = doc[treated[0].modifier_span[0] : treated[0].modifier_span[1]]
                general.append((sent, (first.start_char, first.end_char)))
        explicitly_treated = [s for s in spans if s._.status == "treated"]
        for sent, cue in general:
            if self._anaphora.search(sent.text):
                self._promote(
                    self._block_before(sent, spans), cue, again="again" in sent.text.lower()
                )
        if general and not explicitly_treated:
            self._promote([s for s in spans if s._.status == "palpated_only"], general[0][1])
        for span in spans:
            if span._.status is None:
                span._.status = "treated" if any_positive_treatment else "mentioned"

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
    return AssertionResolver(lexicons.statements.statements.get("anaphora", []))
