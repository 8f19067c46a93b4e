"""What, if anything, was injected (DOMAIN.md section 4).

``none_confirmed``: an explicit statement that nothing was injected (or a named substance
negated: "No lidocaine was injected"); ``injected``: a substance went in, or a trigger point
injection was done; ``not_documented``: the note says neither.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

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
from scribe.nlp.numbers import NUMBER

_INJECTION_CUE = re.compile(r"\b(?:inject\w*|tpis?|infiltrat\w*)\b", re.IGNORECASE)
_AMOUNT = re.compile(
    rf"(?:{NUMBER})\s*(?:ml|mls|cc|ccs|cc's|milliliters?|millilitres?|mg|milligrams?|mcg|units?|u)\b",
    re.IGNORECASE,
)
_CONCENTRATION = re.compile(rf"(?:{NUMBER})\s*%", re.IGNORECASE)
_DOSE_WINDOW = 40  # characters either side of a substance name
_NEEDLE = frozenset({"needle", "needles"})


def _gap(start: int, end: int, span: Span) -> int:
    """Characters between a [start, end) range and a span."""
    return max(span.start_char - end, start - span.end_char, 0)


@dataclass
class SubstanceFinding:
    span: Span
    status: str
    dose: tuple[int, int] | None
    muscles: list[Span] = field(default_factory=list)


@dataclass
class InjectateFindings:
    status: str = "not_documented"
    statements: list[tuple[int, int]] = field(default_factory=list)
    substances: list[SubstanceFinding] = field(default_factory=list)
    injected_muscles: list[Span] = field(default_factory=list)


class InjectateExtractor:
    def __init__(self, none_patterns: list[str], anaphora: list[str]) -> None:
        # one alternation: a single pass over each sentence
        self._none = re.compile("|".join(f"(?:{p})" for p in none_patterns), re.IGNORECASE)
        self._anaphora = [re.compile(p, re.IGNORECASE) for p in anaphora]

    def __call__(self, doc: Doc) -> Doc:
        findings = InjectateFindings()
        targets = target_spans(doc)
        previous_muscles: list[Span] = []
        for sent, in_sent in zip(sentences(doc), by_sentence(doc, targets), strict=True):
            none_here = self._none_statements(sent)
            findings.statements += none_here
            substances = [s for s in in_sent if s.label_ == "SUBSTANCE"]
            muscles = [s for s in in_sent if s.label_ == "MUSCLE" and s._.status == "treated"]
            injected_here = [s for s in substances if s._.status == "injected"]
            cue = _INJECTION_CUE.search(span_text(sent))
            negated_here = any(s._.status == "negated" for s in substances)
            injection_done = bool(injected_here) or (
                cue is not None and not none_here and not negated_here
            )
            receiving = (
                [m for m in muscles if self._injected_muscle(m, default=bool(injected_here))]
                if injection_done
                else []
            )
            if (
                injection_done
                and not muscles
                and any(p.search(span_text(sent)) for p in self._anaphora)
            ):
                receiving = previous_muscles  # "1 mL into each of these TrPs"
            if muscles:
                previous_muscles = muscles
            for substance in substances:
                findings.substances.append(
                    SubstanceFinding(
                        span=substance,
                        status=substance._.status,
                        dose=self._dose(
                            doc, sent, substance, [o for o in substances if o is not substance]
                        ),
                        muscles=receiving if substance._.status == "injected" else [],
                    )
                )
            if injection_done and receiving and not injected_here and cue is not None:
                # "Trigger point injections to the right QL": an injection with no substance named
                start = sent.start_char + cue.start()
                unnamed = doc.char_span(start, sent.start_char + cue.end(), alignment_mode="expand")
                if unnamed is not None:
                    findings.substances.append(
                        SubstanceFinding(unnamed, "injected", None, receiving)
                    )
            findings.injected_muscles += receiving
        findings.status = self._status(findings)
        doc._.injectate = findings
        return doc

    def _none_statements(self, sent: Span) -> list[tuple[int, int]]:
        offset = sent.start_char
        return [
            (offset + m.start(), offset + m.end()) for m in self._none.finditer(span_text(sent))
        ]

    @staticmethod
    def _injected_muscle(muscle: Span, *, default: bool) -> bool:
        """The nearest treatment words to the muscle speak of injection, not of needling
        alone; with no treatment words at all ("Botox 25 units into each of L UT and L
        levator"), ``default``: whether a substance was injected in the sentence."""
        best: tuple[int, bool] | None = None
        doc = muscle.doc
        for modifier in muscle._.modifiers:
            if modifier.category not in ("TREATED", "INJECTED"):
                continue
            start, end = modifier.modifier_span
            if (
                default
                and modifier.category == "TREATED"
                and doc[start:end].text.lower() in _NEEDLE
            ):
                continue  # "... injected into X with a 25 g needle": the injection's needle
            distance = muscle.start - end if end <= muscle.start else start - muscle.end
            is_injection = modifier.category == "INJECTED"
            if best is None or distance < best[0] or (distance == best[0] and is_injection):
                best = (distance, is_injection)
        return default if best is None else best[1]

    @staticmethod
    def _dose(doc: Doc, sent: Span, substance: Span, others: list[Span]) -> tuple[int, int] | None:
        """The amount said next to a substance ("2 mL", "25 units"), else its concentration
        ("1%"), never reaching past another substance named in the sentence."""
        lo = max(sent.start_char, substance.start_char - _DOSE_WINDOW)
        hi = min(sent.end_char, substance.end_char + _DOSE_WINDOW)
        for other in others:
            if other.end_char <= substance.start_char:
                lo = max(lo, other.end_char)
            elif other.start_char >= substance.end_char:
                hi = min(hi, other.start_char)
        window = doc_text(doc)[lo:hi]
        for pattern in (_AMOUNT, _CONCENTRATION):
            best: tuple[int, int] | None = None
            best_distance: int | None = None
            for match in pattern.finditer(window):
                start, end = lo + match.start(), lo + match.end()
                distance = _gap(start, end, substance)
                if any(_gap(start, end, other) < distance for other in others):
                    continue  # "Kenalog 40 mg and lidocaine": the 40 mg is Kenalog's
                if best_distance is None or distance < best_distance:
                    best, best_distance = (start, end), distance
            if best is not None:
                return best
        return None

    @staticmethod
    def _status(findings: InjectateFindings) -> str:
        if any(s.status == "injected" for s in findings.substances) or findings.injected_muscles:
            return "injected"
        if findings.statements or any(s.status == "negated" for s in findings.substances):
            return "none_confirmed"
        return "not_documented"


@Language.factory("scribe_injectate", default_config={"lexicon_dir": None})
def make_injectate(nlp: Language, name: str, lexicon_dir: str | None) -> InjectateExtractor:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    statements = lexicons.statements.statements
    return InjectateExtractor(statements["none_injected"], statements.get("anaphora", []))
