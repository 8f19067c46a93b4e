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
    TARGETS,
    by_sentence,
    doc_text,
    register_extensions,
    sentences,
    span_text,
)
from scribe.nlp.numbers import NUMBER

_INJECTION_CUE = re.compile(r"\b(?:inject\w*|tpis?|infiltrat\w*)\b", re.IGNORECASE)
_DOSE = re.compile(
    rf"(?:{NUMBER}\s*%\s*)?(?:{NUMBER})\s*(?:ml|mls|cc|ccs|cc's|milliliters?|mg|milligrams?|mcg|units?|u)\b"
    rf"|{NUMBER}\s*%",
    re.IGNORECASE,
)
_DOSE_WINDOW = 40  # characters either side of a substance name


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
        targets = list(doc.spans[TARGETS])
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
                [m for m in muscles if self._injected_muscle(doc, m)] if injection_done else []
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
                        dose=self._dose(doc, sent, substance),
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
    def _injected_muscle(doc: Doc, muscle: Span) -> bool:
        """The nearest treatment words to the muscle speak of injection, not of needling alone."""
        best: tuple[int, bool] | None = None
        for modifier in muscle._.modifiers:
            if modifier.category not in ("TREATED", "INJECTED"):
                continue
            start, end = modifier.modifier_span
            distance = muscle.start - end if end <= muscle.start else start - muscle.end
            is_injection = modifier.category == "INJECTED"
            if best is None or distance < best[0] or (distance == best[0] and is_injection):
                best = (distance, is_injection)
        return best is not None and best[1]

    @staticmethod
    def _dose(doc: Doc, sent: Span, substance: Span) -> tuple[int, int] | None:
        lo = max(sent.start_char, substance.start_char - _DOSE_WINDOW)
        hi = min(sent.end_char, substance.end_char + _DOSE_WINDOW)
        window = doc_text(doc)[lo:hi]
        best: tuple[int, int] | None = None
        best_distance = None
        for match in _DOSE.finditer(window):
            start, end = lo + match.start(), lo + match.end()
            distance = min(abs(start - substance.end_char), abs(substance.start_char - end))
            if best_distance is None or distance < best_distance:
                best, best_distance = (start, end), distance
        return best

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
