"""What, if anything, was injected (DOMAIN.md section 4).

``none_confirmed``: an explicit statement that nothing was injected (or a named substance
negated: "No lidocaine was injected"); ``injected``: a substance went in, or a trigger point
injection was done; ``not_documented``: the note says neither.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import (
    by_sentence,
    doc_text,
    register_extensions,
    same_paragraph,
    sentences,
    span_text,
    target_spans,
)
from scribe.nlp.numbers import NUMBER
from scribe.nlp.sections import sentence_sections

_AMOUNT = re.compile(
    rf"(?:{NUMBER})\s*(?:ml|mls|mils?|cc|ccs|cc's|milliliters?|millilitres?|mg|milligrams?|mcg|units?|u)\b",
    re.IGNORECASE,
)
_CONCENTRATION = re.compile(rf"(?:{NUMBER})\s*%", re.IGNORECASE)
_DOSE_WINDOW = 40  # characters either side of a substance name


def _gap(start: int, end: int, span: Span) -> int:
    """Characters between a [start, end) range and a span."""
    return max(span.start_char - end, start - span.end_char, 0)


# the label of a procedure's drug field: "Medication:", "Injectate used:", "Drug:",
# "Injectate (per site):"
_DRUG_FIELD = re.compile(
    r"\s*(?:medications?|injectates?|drugs?|agents?|solution|(?:local\s+)?anesthetic|mixture)"
    r"(?:\s+(?:used|injected|given))?(?:\s*\([^)\n]{0,30}\))?\s*:",
    re.IGNORECASE,
)


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
    """Reads the procedures of ``scribe_events``: a substance is today's injectate when it was
    given in a trigger point injection or chemodenervation done today (its sentence, or its
    section); the muscles that received it are the ones those procedures were tied to."""

    def __init__(self, none_patterns: list[str], not_today: frozenset[str]) -> None:
        # one alternation: a single pass over each sentence
        self._none = re.compile("|".join(f"(?:{p})" for p in none_patterns), re.IGNORECASE)
        self._not_today = not_today  # sections of the past, of plans, of someone else

    def __call__(self, doc: Doc) -> Doc:
        findings = InjectateFindings()
        targets = target_spans(doc)
        events = [
            e
            for e in doc._.procedures or []
            if e.done_today and e.kind in ("trigger_point_injection", "chemodenervation")
        ]
        sections = sentence_sections(doc)
        injection_sections = {e.section for e in events}
        # another injection of today, not the trigger point injection's (the drug field of a
        # trigger point injection's section is its drug: "PROCEDURE: Trigger point injections
        # ... Medication: 1% lidocaine 3 mL")
        all_sentences = sentences(doc)
        other = {
            e.sentence
            for e in doc._.procedures or []
            if e.done_today
            and e.kind == "injection"
            and not (
                e.source == "substance"
                and e.section in injection_sections - {None}
                and _DRUG_FIELD.match(span_text(all_sentences[e.sentence]))
            )
        }
        for number, (sent, in_sent) in enumerate(
            zip(sentences(doc), by_sentence(doc, targets), strict=True)
        ):
            findings.statements += self._none_statements(sent)
            here = [e for e in events if e.sentence == number]
            substances = [s for s in in_sent if s.label_ == "SUBSTANCE"]
            receiving = [
                m for e in here for m in e.muscles if m.label_ == "MUSCLE" and _injected(m, e)
            ]
            if substances and not receiving and _DRUG_FIELD.match(span_text(sent)):
                # the drug field of a trigger point injection's section: its muscles
                receiving = [
                    m
                    for e in events
                    if e.section is not None and e.section == sections[number]
                    for m in e.muscles
                    if m.label_ == "MUSCLE" and _injected(m, e)
                ]
            for substance in substances:
                muscles = receiving
                status = substance._.status
                if (
                    status == "injected"
                    and not here
                    and (
                        number in other or not events or sections[number] not in injection_sections
                    )
                ):
                    follows = None if number in other else self._follows(doc, number, sections)
                    if follows is None:
                        status = "mentioned"  # injected, but not into a trigger point today
                    else:
                        # "Procedure performed: Trigger point injection, L QL ... Findings: ...
                        # Injectate: D5W, 2 mL per trigger point": that injection's drug
                        muscles = [
                            m
                            for m in follows.muscles
                            if m.label_ == "MUSCLE" and _injected(m, follows)
                        ]
                elif (
                    status == "mentioned"
                    and not here
                    and number not in other
                    and _dosed(substance)
                    and (
                        follows := self._follows(
                            doc, number, sections, field=bool(_DRUG_FIELD.match(span_text(sent)))
                        )
                    )
                    is not None
                ):
                    # "TPI to the R QL.\n1% lidocaine 3 mL into each muscle": the dose line
                    # of the trigger point injection said just before it
                    status = "injected"
                    muscles = [
                        m for m in follows.muscles if m.label_ == "MUSCLE" and _injected(m, follows)
                    ]
                findings.substances.append(
                    SubstanceFinding(
                        span=substance,
                        status=status,
                        dose=self._dose(
                            doc, sent, substance, [o for o in substances if o is not substance]
                        ),
                        muscles=muscles if status == "injected" else [],
                    )
                )
            named = any(s._.status == "injected" for s in substances)
            for event in here:
                if not named and event.muscles and event.kind == "trigger_point_injection":
                    # "Trigger point injections to the right QL": no substance named
                    words = doc[event.start : event.end]
                    findings.substances.append(
                        SubstanceFinding(
                            words,
                            "injected",
                            None,
                            [m for m in event.muscles if m.label_ == "MUSCLE"],
                        )
                    )
            findings.injected_muscles += receiving
        for event in events:
            for muscle in event.muscles:
                if muscle.label_ != "MUSCLE":
                    continue
                if _injected(muscle, event) and muscle not in findings.injected_muscles:
                    findings.injected_muscles.append(muscle)
        findings.status = self._status(findings)
        if findings.status == "none_confirmed" and not any(
            e.done_today and e.proven and e.kind in ("dry_needling", "trigger_point_injection")
            for e in doc._.procedures or []
        ):
            # "no injections were given during the stay": no needling session to confirm
            findings.status = "not_documented"
        doc._.injectate = findings
        return doc

    def _follows(
        self, doc: Doc, number: int, sections: list[str | None], *, field: bool = False
    ) -> Any:
        """The trigger point injection or chemodenervation done today that a sentence of its
        own paragraph named last before this one, when no other injection came between; for
        the procedure's drug field ("Agent (each TrP): 1 mL 1% lidocaine"), of any
        paragraph before it."""
        if sections[number] in self._not_today:
            return None
        earlier = [
            e
            for e in doc._.procedures or []
            if e.sentence < number
            and e.kind in ("injection", "trigger_point_injection", "chemodenervation")
        ]
        if not earlier:
            return None
        last = max(earlier, key=lambda e: e.start)
        if (
            last.kind == "injection"
            or not last.done_today
            or not (field or same_paragraph(doc, last.sentence, number))
        ):
            return None
        return last

    def _none_statements(self, sent: Span) -> list[tuple[int, int]]:
        offset = sent.start_char
        return [
            (offset + m.start(), offset + m.end()) for m in self._none.finditer(span_text(sent))
        ]

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


def _dosed(substance: Span) -> bool:
    """An amount is said with the drug, and nothing says it went another way or was mixed in."""
    categories = {m.category for m in substance._.modifiers}
    return "DOSE" in categories and not categories & {"OTHER_ROUTE", "DILUENT"}


def _injected(muscle: Span, event: Any) -> bool:
    """A muscle tied to an injection event received the substance (a treated one, or one
    given botulinum toxin)."""
    return bool(muscle._.status == "treated" or event.kind == "chemodenervation")


@Language.factory("scribe_injectate", default_config={"lexicon_dir": None})
def make_injectate(nlp: Language, name: str, lexicon_dir: str | None) -> InjectateExtractor:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    sections = lexicons.procedures.sections
    return InjectateExtractor(
        lexicons.statements.statements["none_injected"],
        frozenset(sections.past) | frozenset(sections.planned) | frozenset(sections.other_person),
    )
