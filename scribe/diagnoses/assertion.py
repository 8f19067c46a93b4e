"""Is a diagnosis the patient's, today? medspaCy ConText over the diagnoses of each sentence.

The modifiers are those ``scribe_context`` already found with the rules of
``context_rules.yaml`` that reach PROBLEM targets (generic negation, other people, clause ends),
with the scopes it gave them, plus the matches of the diagnosis rules of ``diagnoses.yaml``
(past episodes, uncertain or conditional statements, pseudo-triggers such as "cannot"). A
diagnosis rule's match wins over a shared modifier inside it, as the longest match wins in
ConText. Scopes stay inside their sentence. A diagnosis under a family history heading is
someone else's.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from medspacy.common.medspacy_matcher import MedspacyMatcher
from medspacy.context import ConTextGraph, ConTextModifier
from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.diagnoses.finder import Found
from scribe.lexicons import Lexicons
from scribe.nlp.context import MAX_MODIFIERS_PER_SENTENCE, context_rules
from scribe.nlp.extensions import sentences
from scribe.nlp.fusions import scope_in_sentence
from scribe.nlp.sections import sentence_sections
from scribe.nlp.templates import template_of
from scribe.schemas.diagnoses import DiagnosisLexicon
from scribe.schemas.lexicon import ContextLexicon

TARGET = "PROBLEM"
# the first status found wins: what is denied is not the patient's, then someone else's ...
_STATUS_ORDER = ("negated", "other_person", "hypothetical", "historical")


def diagnosis_rules(lexicons: Lexicons, lexicon: DiagnosisLexicon) -> ContextLexicon:
    """The diagnosis rule sets as one rule file, with the clause ends of the shared file."""
    return ContextLexicon(
        schema_version="1",
        description="diagnoses.yaml rules for PROBLEM targets",
        source=lexicon.source,
        terminated_by={**lexicons.context.terminated_by, **lexicon.context.terminated_by},
        rule_sets=list(lexicon.context.rule_sets),
    )


def _reaches_problems(modifier: Any) -> bool:
    allowed = modifier.rule.allowed_types
    return allowed is None or TARGET in allowed


def _unchecked(doc: Doc, found: list[Found]) -> None:
    """A diagnosis in an unchecked box of a template is not the patient's: "CHIEF COMPLAINT:
    [X] Low back pain  [ ] Neck pain  [ ] Headache" diagnoses low back pain alone."""
    template = template_of(doc)
    previous_end = 0
    for item in sorted(found, key=lambda f: f.start):
        span = doc[item.start : item.end]
        box = template.box_in_front(span, previous_end)
        previous_end = span.end_char
        if box is None or box[2]:
            continue
        cue = doc.char_span(box[0], box[1], alignment_mode="expand")
        item.status = "negated"
        item.status_cue = (cue.start, cue.end) if cue is not None else None


class DiagnosisAssertion:
    """Sets ``status`` and ``status_cue`` of the diagnoses found in a doc."""

    def __init__(self, nlp: Language, lexicons: Lexicons, lexicon: DiagnosisLexicon) -> None:
        self._vocab = nlp.vocab
        self._matcher = MedspacyMatcher(nlp, name="scribe_diagnoses", phrase_matcher_attr="LOWER")
        self._matcher.add(context_rules(diagnosis_rules(lexicons, lexicon)))
        self._statuses = lexicon.context.statuses
        self._other_sections = frozenset(lexicon.context.other_person_sections)

    def __call__(self, doc: Doc, found: list[Found]) -> None:
        if not found:
            return
        _unchecked(doc, found)
        sents = sentences(doc)
        starts = [s.start for s in sents]
        sections = sentence_sections(doc)
        targets: dict[int, list[tuple[Span, Found]]] = {}
        for item in found:
            number = bisect_right(starts, item.start) - 1
            start, end = item.context or (item.start, item.end)
            span = Span(doc, start, end, label=TARGET)
            targets.setdefault(number, []).append((span, item))
            if sections[number] in self._other_sections:
                item.status = "other_person"
        modifiers: dict[int, list[Any]] = {}
        for match_id, start, end in self._matcher(doc):
            number = bisect_right(starts, start) - 1
            if number not in targets:
                continue
            rule = self._matcher.rule_map[self._vocab.strings[match_id]]
            sent = sents[number]
            low, high = scope_in_sentence(rule, start, end, sent.start, sent.end)
            modifiers.setdefault(number, []).append(
                ConTextModifier(rule, start, end, doc, scope_start=low, scope_end=high)
            )
        graph = doc._.context_graph
        for shared in graph.modifiers if graph is not None else []:
            start, end = shared.modifier_span
            number = bisect_right(starts, start) - 1
            if number not in targets or not _reaches_problems(shared):
                continue
            own = modifiers.get(number, [])
            if any(m.modifier_span[0] <= start and end <= m.modifier_span[1] for m in own):
                continue  # inside a diagnosis rule's match ("not" in "cannot")
            low, high = shared.scope_span
            copy = ConTextModifier(shared.rule, start, end, doc, scope_start=low, scope_end=high)
            modifiers.setdefault(number, []).append(copy)
        for number, pairs in targets.items():
            mods = modifiers.get(number, [])[:MAX_MODIFIERS_PER_SENTENCE]
            if not mods:
                continue
            graph = ConTextGraph(prune_on_modifier_overlap=False)
            graph.targets = [span for span, _ in pairs]
            graph.modifiers = mods
            graph.update_scopes()
            graph.apply_modifiers()
            self._assert(pairs, graph.edges)

    def _assert(self, pairs: list[tuple[Span, Found]], edges: list[Any]) -> None:
        for span, item in pairs:
            if item.status != "current":
                continue
            reached = [
                (self._statuses[m.category], m.modifier_span)
                for target, m in edges
                if target is span
                and m.category in self._statuses
                # words inside the diagnosis describe it ("pain-free" is no negation of it)
                and not (span.start <= m.modifier_span[0] and m.modifier_span[1] <= span.end)
            ]
            for status in _STATUS_ORDER:
                cues = [cue for s, cue in reached if s == status]
                if cues:
                    item.status = status
                    item.status_cue = cues[0]
                    break
