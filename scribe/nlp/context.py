"""medspaCy ConText configured from ``lexicons/context_rules.yaml``.

The rules decide, for each target, which modifiers reach it; ``assertion.py`` turns those
modifiers into one status per mention.

:class:`SentenceConText` runs medspaCy's algorithm sentence by sentence: a rule with a
``max_scope`` window never reaches into the next or the previous sentence (medspaCy's windows
ignore sentence ends), and modifiers are compared only with the others of their sentence.
"""

from bisect import bisect_right
from pathlib import Path
from typing import Any

from medspacy.context import ConText, ConTextGraph, ConTextModifier, ConTextRule
from spacy.language import Language
from spacy.tokens import Doc

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import TARGETS, register_extensions, sentences, target_spans
from scribe.schemas.lexicon import ContextFusion, ContextLexicon


def context_rules(lexicon: ContextLexicon) -> list[ConTextRule]:
    """Expand the grouped rule sets of the data file into medspaCy rules."""
    rules: list[ConTextRule] = []
    for rule_set in lexicon.rule_sets:
        terminated_by = set(lexicon.terminated_by.get(rule_set.category, []))
        common = {
            "category": rule_set.category,
            "direction": rule_set.direction,
            "allowed_types": set(rule_set.allowed_types) if rule_set.allowed_types else None,
            "max_scope": rule_set.max_scope,
            "terminated_by": terminated_by or None,
        }
        for literal in rule_set.literals:
            rules.append(ConTextRule(literal=literal, **common))
        for pattern in rule_set.patterns:
            literal = " ".join(str(p) for p in pattern)
            rules.append(ConTextRule(literal=literal, pattern=pattern, **common))
    return rules


class _Fusion:
    """A :class:`ContextFusion` ready to apply: word sets and the merged modifier's rule."""

    def __init__(self, spec: ContextFusion, lexicon: ContextLexicon) -> None:
        self.heads = {h.lower() for h in spec.heads}
        self.fillers = {f.lower() for f in spec.fillers}
        self.nouns = {n.lower() for n in spec.nouns}
        self.max_gap = spec.max_gap
        self.rule = ConTextRule(
            literal=f"<{spec.category.lower()} + needling>",
            category=spec.category,
            direction=spec.direction,
            allowed_types=set(spec.allowed_types),
            max_scope=spec.max_scope,
            terminated_by=set(lexicon.terminated_by.get(spec.category, [])) or None,
        )


# categories read sentence by sentence in assertion.py, targets or not
_NOTE_LEVEL = frozenset(
    {"TREATED", "INJECTED", "NOT_TREATED", "PLANNED", "HISTORICAL", "CURRENT", "NEGATED_EXISTENCE"}
)


def _text(doc: Doc, modifier: Any) -> str:
    start, end = modifier.modifier_span
    return doc[start:end].text.lower()


class SentenceConText(ConText):  # type: ignore[misc]
    fusions: tuple[_Fusion, ...] = ()

    def _fuse(self, doc: Doc, modifiers: list[Any]) -> list[Any]:
        """Merge "declined" + "DN", "consider" + "needling" into one modifier."""
        modifiers.sort(key=lambda m: m.modifier_span[0])
        out: list[Any] = []
        i = 0
        while i < len(modifiers):
            head = modifiers[i]
            fused = None
            if i + 1 < len(modifiers):
                noun = modifiers[i + 1]
                gap = doc[head.modifier_span[1] : noun.modifier_span[0]]
                for fusion in self.fusions:
                    if (
                        len(gap) <= fusion.max_gap
                        and all(t.lower_ in fusion.fillers for t in gap)
                        and _text(doc, head) in fusion.heads
                        and _text(doc, noun) in fusion.nouns
                    ):
                        start, end = head.modifier_span[0], noun.modifier_span[1]
                        fused = ConTextModifier(fusion.rule, start, end, doc)
                        break
            if fused is not None:
                out.append(fused)
                i += 2
            else:
                out.append(head)
                i += 1
        return out

    def __call__(self, doc: Doc, targets: str | None = None) -> Doc:
        spans = target_spans(doc)
        sents = sentences(doc)
        starts = [sent.start for sent in sents]
        matcher = self._ConText__matcher  # medspaCy keeps its matcher private
        by_sentence: list[list[Any]] = [[] for _ in sents]
        for match_id, start, end in matcher(doc):
            rule = matcher.rule_map[self.nlp.vocab[match_id].text]
            modifier = ConTextModifier(rule, start, end, doc, max_scope=self.max_scope)
            sent = sents[bisect_right(starts, start) - 1]
            low, high = modifier.scope_span
            modifier._scope_start, modifier._scope_end = max(low, sent.start), min(high, sent.end)
            by_sentence[bisect_right(starts, start) - 1].append(modifier)
        targets_by_sentence: list[list[Any]] = [[] for _ in sents]
        for span in spans:
            targets_by_sentence[bisect_right(starts, span.start) - 1].append(span)
        graph = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
        graph.targets = spans
        for sent, modifiers, in_sentence in zip(
            sents, by_sentence, targets_by_sentence, strict=True
        ):
            modifiers = self._fuse(doc, modifiers) if self.fusions else modifiers
            for modifier in modifiers:  # fused modifiers are built whole: keep them in the sentence
                low, high = modifier.scope_span
                modifier._scope_start, modifier._scope_end = (
                    max(low, sent.start),
                    min(high, sent.end),
                )
            part = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
            part.targets, part.modifiers = in_sentence, modifiers
            part.update_scopes()
            part.apply_modifiers()
            graph.modifiers += part.modifiers
            graph.edges += part.edges
        for target, modifier in graph.edges:
            target._.modifiers += (modifier,)
        doc._.context_graph = graph
        return doc


@Language.factory("scribe_context", default_config={"lexicon_dir": None})
def make_context(nlp: Language, name: str, lexicon_dir: str | None) -> ConText:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    context = SentenceConText(
        nlp,
        name=name,
        rules=None,
        span_attrs=None,
        input_span_type="group",
        span_group_name=TARGETS,
    )
    context.add(context_rules(lexicons.context))
    context.fusions = tuple(_Fusion(spec, lexicons.context) for spec in lexicons.context.fusions)
    return context
