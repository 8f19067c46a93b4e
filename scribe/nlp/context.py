"""medspaCy ConText configured from ``lexicons/context_rules.yaml``.

The rules decide, for each target, which modifiers reach it; ``assertion.py`` turns those
modifiers into one status per mention.
"""

from pathlib import Path

from medspacy.context import ConText, ConTextRule
from spacy.language import Language

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import TARGETS, register_extensions
from scribe.schemas.lexicon import ContextLexicon


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


@Language.factory("scribe_context", default_config={"lexicon_dir": None})
def make_context(nlp: Language, name: str, lexicon_dir: str | None) -> ConText:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    context = ConText(
        nlp,
        name=name,
        rules=None,
        span_attrs=None,
        input_span_type="group",
        span_group_name=TARGETS,
    )
    context.add(context_rules(lexicons.context))
    return context
