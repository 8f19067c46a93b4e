"""medspaCy ConText configured from ``lexicons/context_rules.yaml``.

The rules decide, for each target, which modifiers reach it; ``assertion.py`` and
``events.py`` turn those modifiers into statuses and procedure events.

:class:`SentenceContext` runs medspaCy's ConText algorithm (its public ``MedspacyMatcher``,
``ConTextModifier`` and ``ConTextGraph``) sentence by sentence: a modifier's scope never reaches
into the next or the previous sentence, and modifiers are compared only with the others of
their sentence. Scopes are computed here from the sentence bounds, so no modifier walks the
whole document to find its sentence: the work is linear in the length of the note.
"""

import re
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medspacy.common.medspacy_matcher import MedspacyMatcher
from medspacy.common.util import prune_overlapping_matches
from medspacy.context import ConText, ConTextGraph, ConTextModifier, ConTextRule
from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import SPOKEN, doc_text, register_extensions, sentences, target_spans
from scribe.nlp.fusions import (
    Fusion,
    fuse,
    join_plan_and_time,
    scope_in_sentence,
)
from scribe.nlp.numbers import expand_number_placeholder
from scribe.nlp.scopes import (
    Asides,
    before_a_finding,
    end_scopes_before,
    from_a_distributive_subject,
    in_words,
    nearest_name_start,
    object_in_its_brackets,
    onward_through_the_list,
    terminate_inside,
    through_the_list,
    update_scopes,
    within_brackets,
)
from scribe.nlp.subject_clauses import FIRST_PERSON
from scribe.schemas.lexicon import ContextLexicon, ContextRuleSet, RunOnReach


def _rule_sets(
    lexicon: ContextLexicon, apart: bool
) -> Iterator[tuple[ContextRuleSet, dict[str, Any]]]:
    for rule_set in lexicon.rule_sets:
        if rule_set.apart != apart:
            continue
        terminated_by = set(lexicon.terminated_by.get(rule_set.category, []))
        yield (
            rule_set,
            {
                "category": rule_set.category,
                "direction": rule_set.direction,
                "allowed_types": set(rule_set.allowed_types) if rule_set.allowed_types else None,
                "max_scope": rule_set.max_scope,
                "terminated_by": terminated_by or None,
            },
        )


def context_rules(lexicon: ContextLexicon, *, apart: bool = False) -> list[ConTextRule]:
    """Expand the grouped rule sets of the data file into medspaCy rules: those matched
    together (overlapping matches keep the longest), or with ``apart`` those matched apart.
    The rule sets' regular expressions are in :func:`context_regex_rules`."""
    rules: list[ConTextRule] = []
    for rule_set, common in _rule_sets(lexicon, apart):
        for literal in rule_set.literals:
            rules.append(ConTextRule(literal=literal, **common))
        for pattern in rule_set.patterns:
            literal = " ".join(str(p) for p in pattern)
            rules.append(ConTextRule(literal=literal, pattern=pattern, **common))
    return rules


def context_regex_rules(
    lexicon: ContextLexicon, *, apart: bool = False
) -> list[tuple[re.Pattern[str], ConTextRule]]:
    """The rule sets' regular expressions over the note's text, each with its medspaCy rule."""
    return [
        (re.compile(expand_number_placeholder(regex)), ConTextRule(literal=regex, **common))
        for rule_set, common in _rule_sets(lexicon, apart)
        for regex in rule_set.regexes
    ]


_SIDE_NOUNS = frozenset({"side", "sides"})

MAX_MODIFIERS_PER_SENTENCE = 64


class SentenceContext:
    """ConText over the targets of each sentence (see the module docstring)."""

    def __init__(
        self,
        nlp: Language,
        rules: list[ConTextRule],
        fusions: tuple[Fusion, ...],
        run_on: RunOnReach | None = None,
        apart: list[ConTextRule] | None = None,
        regexes: list[tuple[re.Pattern[str], ConTextRule]] | None = None,
        apart_regexes: list[tuple[re.Pattern[str], ConTextRule]] | None = None,
        bracket_bound: list[str] | None = None,
        list_bound: list[str] | None = None,
        list_onward: list[str] | None = None,
        drug_bound: list[str] | None = None,
        said_of_a_name: list[str] | None = None,
        one_name_back: list[str] | None = None,
    ) -> None:
        self._vocab = nlp.vocab
        self._run_on_words = run_on.min_words if run_on else 0
        self._reach = dict(run_on.reach) if run_on else {}
        self._spoken_back = dict(run_on.spoken_backward_reach) if run_on else {}
        self._long_sentence = run_on.max_sentence_words if run_on else None
        self._bracket_bound = frozenset(bracket_bound or ())
        self._list_bound = frozenset(list_bound or ())
        self._list_onward = frozenset(list_onward or ())
        self._drug_bound = frozenset(drug_bound or ())
        self._said_of_a_name = frozenset(w.lower() for w in said_of_a_name or ())
        self._one_name_back = (
            re.compile(r"(?i)\b(?:" + "|".join(map(re.escape, one_name_back)) + r")\b")
            if one_name_back
            else None
        )
        self._matcher = MedspacyMatcher(
            nlp, name="scribe_context", phrase_matcher_attr="LOWER", prune=False
        )
        self._matcher.add(rules)
        # rules whose matches may overlap the others' (their own matcher prunes only them)
        self._apart = MedspacyMatcher(
            nlp, name="scribe_context_apart", phrase_matcher_attr="LOWER", prune=False
        )
        self._apart.add(apart or [])
        self._rule_of: dict[int, ConTextRule] = {}
        self._regexes = self._register(regexes or [], "scribe_context")
        self._apart_regexes = self._register(apart_regexes or [], "scribe_context_apart")
        self.fusions = fusions

    def _register(
        self, regexes: list[tuple[re.Pattern[str], ConTextRule]], prefix: str
    ) -> list[tuple[re.Pattern[str], int]]:
        registered = []
        for number, (regex, rule) in enumerate(regexes):
            match_id = self._vocab.strings.add(f"{prefix}_regex_{number}")
            self._rule_of[match_id] = rule
            registered.append((regex, match_id))
        return registered

    def _matches(
        self, doc: Doc, matcher: MedspacyMatcher, regexes: list[tuple[re.Pattern[str], int]]
    ) -> Iterator[tuple[ConTextRule, int, int]]:
        """Matches of the matcher's rules and of the regular expressions (those on token
        boundaries), overlapping ones pruned together to the longest."""
        found = matcher(doc) if matcher.rules else []
        text = doc_text(doc)
        for regex, match_id in regexes:
            for match in regex.finditer(text):
                span = doc.char_span(match.start(), match.end())
                if span is not None and len(span):
                    found.append((match_id, span.start, span.end))
        for match_id, start, end in prune_overlapping_matches(found):
            rule = self._rule_of.get(match_id)
            if rule is None:
                rule = matcher.rule_map[self._vocab.strings[match_id]]
            yield rule, start, end

    def _points_at_one_name(self, rule: ConTextRule, words: str) -> bool:
        return (
            self._one_name_back is not None
            and rule.direction.upper() == "BACKWARD"
            and self._one_name_back.search(words) is not None
        )

    def _reaching_back(self, doc: Doc, modifier: Any) -> Any:
        """The modifier with its scope ending ``spoken_backward_reach`` tokens before it (a
        run-on of a transcript; after fusion, which gives a joined plan its whole sentence)."""
        back = self._spoken_back.get(modifier.category)
        start, end = modifier.modifier_span
        low, high = modifier.scope_span
        if back is None or low >= start - back:
            return modifier
        return ConTextModifier(
            modifier.rule, start, end, doc, scope_start=start - back, scope_end=high
        )

    def _run_on(self, sent: Span, spoken: bool) -> bool:
        """A long sentence without a comma or semicolon (unpunctuated speech), one longer
        than anyone writes, or any long sentence a recogniser wrote: its commas are where the
        speaker paused, not where a clause ends ("can't lift his toner without pain exam show,
        trigger points ..., I injected ... with lidocaine")."""
        if not self._reach:
            return False
        words = 0
        commas = False
        for token in sent:
            commas = commas or token.text in (",", ";", ":")
            words += token.is_alpha
        if self._long_sentence is not None and words > self._long_sentence:
            return True
        return (spoken or not commas) and words >= self._run_on_words

    def __call__(self, doc: Doc) -> Doc:
        spans = target_spans(doc)
        sents = sentences(doc)
        spoken = bool(doc.user_data.get(SPOKEN))
        starts = [sent.start for sent in sents]
        by_sentence: list[list[Any]] = [[] for _ in sents]
        apart_by_sentence: list[list[Any]] = [[] for _ in sents]
        run_ons = [self._run_on(sent, spoken) for sent in sents]
        ordered = sorted(spans, key=lambda span: span.start)
        span_starts = [span.start for span in ordered]
        text = doc_text(doc)
        bracketed = [text.find("(", s.start_char, s.end_char) != -1 for s in sents]
        names = {
            i for span in spans if span.label_ in ("MUSCLE", "GROUP")
            for i in range(span.start, span.end)
        }  # fmt: skip
        for matcher, regexes, found in (
            (self._matcher, self._regexes, by_sentence),
            (self._apart, self._apart_regexes, apart_by_sentence),
        ):
            for rule, start, end in self._matches(doc, matcher, regexes):
                number = bisect_right(starts, start) - 1
                sent = sents[number]
                if (
                    rule.category == "TERMINATE"
                    and start - 1 in names
                    and doc[start:end].text.lower() in self._said_of_a_name
                    and not any(end <= i < sent.end for i in names)
                ):
                    # "R adductor pollicis only, one muscle, two needles": said of the name,
                    # the last one of its sentence ("R UT only, L UT was not needled" ends)
                    continue
                if (
                    rule.category == "TERMINATE"
                    and start > sent.start
                    and doc[start - 1].lower_ in _SIDE_NOUNS
                    and doc[start:end].text.lower() in self._said_of_a_name
                ):
                    # "today we did the right side only, the right upper trap, ...": said of
                    # the side, the list of its names goes on
                    continue
                low, high = scope_in_sentence(rule, start, end, sent.start, sent.end)
                if spoken and rule.max_scope and rule.category in self._list_onward:
                    low, high = in_words(doc, rule, (start, end), (low, high), sent)
                reach = self._reach.get(rule.category) if run_ons[number] else None
                if reach is not None:
                    low, high = max(low, start - reach), min(high, end + reach)
                if rule.category in self._bracket_bound:
                    high = within_brackets(doc, start, end, high, (sent.start, sent.end))
                if low < start and bracketed[number]:
                    low = object_in_its_brackets(
                        doc, rule, (start, end, low), sent, ordered, span_starts
                    )
                if rule.category in self._list_bound and low < start:
                    low = through_the_list(doc, start, low, sent.start, names)
                elif low < start:
                    low = from_a_distributive_subject(doc, start, low, names)
                if low < start and self._points_at_one_name(rule, doc[start:end].text):
                    # "the teres major was tight too but that one I only palpated": the
                    # nearest name only, not the muscles needled before it
                    low = max(low, nearest_name_start(ordered, span_starts, start, low))
                    low = _past_the_exam(ordered, span_starts, start, low, sent.start)
                if rule.category in self._list_onward and high > end:
                    high = onward_through_the_list(doc, end, high, sent.end, names)
                if rule.category in self._drug_bound and high > end:
                    high = before_a_finding(doc, end, high, ordered, span_starts)
                found[number].append(
                    ConTextModifier(rule, start, end, doc, scope_start=low, scope_end=high)
                )
        targets_by_sentence: list[list[Any]] = [[] for _ in sents]
        for span in spans:
            targets_by_sentence[bisect_right(starts, span.start) - 1].append(span)
        graph = ConTextGraph(prune_on_modifier_overlap=False)
        graph.targets = spans
        graph.modifiers = []
        graph.edges = []
        for sent, modifiers, apart, in_sentence, run_on in zip(
            sents, by_sentence, apart_by_sentence, targets_by_sentence, run_ons, strict=True
        ):
            # a sentence of nothing but modifiers ("no no no ..."): ConText compares each with
            # every other, so only the first ones are kept
            del modifiers[MAX_MODIFIERS_PER_SENTENCE:]
            if self.fusions and len(modifiers) > 1:
                modifiers = fuse(doc, self.fusions, modifiers, sent.start, sent.end)
                modifiers = join_plan_and_time(doc, modifiers, names, sent.start, sent.end)
            modifiers = [_of_its_fronted_name(doc, m, names) for m in modifiers]
            if spoken and run_on and self._spoken_back:
                modifiers = [self._reaching_back(doc, m) for m in modifiers]
            part = ConTextGraph(prune_on_modifier_overlap=False)
            part.targets, part.modifiers = in_sentence, modifiers
            if len(modifiers) > 1:
                # procedure words need their time even with no target
                limits = Asides(doc, modifiers, (sent.start, sent.end), self._said_of_a_name)
                # a pronoun of one thing said far back ("so I took it away before it went in"):
                # it points past the clauses between, at the nearest name only
                pointing = {
                    id(m): m.scope_span
                    for m in modifiers
                    if self._points_at_one_name(m.rule, doc[slice(*m.modifier_span)].text)
                    and (
                        (m.rule.max_scope or 0) >= _PAST_CLAUSES
                        or _only_findings_between(m, modifiers)
                    )
                }
                update_scopes(modifiers, limits)
                terminate_inside(doc, modifiers, limits)
                modifiers = [
                    ConTextModifier(
                        m.rule,
                        *m.modifier_span,
                        doc,
                        scope_start=pointing[id(m)][0],
                        scope_end=pointing[id(m)][1],
                    )
                    if id(m) in pointing
                    else m
                    for m in modifiers
                ]
                part.modifiers = modifiers
            if apart:
                end_scopes_before(doc, modifiers, apart)
            if in_sentence:
                part.apply_modifiers()
                graph.edges += part.edges
            graph.modifiers += part.modifiers
        for target, modifier in graph.edges:
            target._.modifiers += (modifier,)
        doc._.context_graph = graph
        return doc


_PAST_CLAUSES = 16  # a backward reach this long (tokens) is a pronoun's, not a clause's


def _of_its_fronted_name(doc: Doc, modifier: Any, names: set[int]) -> Any:
    """ "..., and the right VM, nothing injected, the left VM we may needle next week": a plan
    whose subject follows a name at once reaches back to that name only."""
    start, end = modifier.modifier_span
    low, high = modifier.scope_span
    if (
        modifier.category != "PLANNED"
        or start < 2
        or low >= start
        or doc[start - 1].lower_ not in FIRST_PERSON
        or start - 2 not in names
    ):
        return modifier
    first = start - 2
    while first - 1 >= low and first - 1 in names:
        first -= 1
    if first <= low:
        return modifier
    return ConTextModifier(modifier.rule, start, end, doc, scope_start=first, scope_end=high)


# what the exam found, said between a name and a pronoun that points back at it: "R levator I
# checked, no trigger point, I did not needle it"
_EXAM_CATEGORIES = frozenset({"PALPATED", "NEGATED_EXISTENCE", "EXAMINED"})


_EXAM_REACH = 12  # tokens back from a pronoun to its name, past what the exam found in it


def _past_the_exam(
    ordered: list[Span], starts: list[int], before: int, low: int, first: int
) -> int:
    """A pronoun's reach back to its name, past what the exam found in it ("R levator I
    checked, no trigger point, I did not needle it"): where the nearest name begins when
    only findings stand between them, a few words back; else ``low``."""
    name = nearest_name_start(ordered, starts, before, first)
    if name >= low or before - name > _EXAM_REACH:
        return low
    between = [s for s in ordered if name < s.start < before]
    if between and all(s.label_ == "FINDING" for s in between):
        return name
    return low


def _only_findings_between(pronoun: Any, modifiers: list[Any]) -> bool:
    low, start = pronoun.scope_span[0], pronoun.modifier_span[0]
    between = [
        m
        for m in modifiers
        if m is not pronoun and low <= m.modifier_span[0] and m.modifier_span[1] <= start
    ]
    return bool(between) and all(m.category in _EXAM_CATEGORIES for m in between)


@Language.factory("scribe_context", default_config={"lexicon_dir": None})
def make_context(nlp: Language, name: str, lexicon_dir: str | None) -> SentenceContext:
    register_extensions()
    ConText.register_graph_attributes()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    fusions = tuple(Fusion(spec, lexicons.context) for spec in lexicons.context.fusions)
    return SentenceContext(
        nlp,
        context_rules(lexicons.context),
        fusions,
        run_on=lexicons.context.run_on,
        apart=context_rules(lexicons.context, apart=True),
        regexes=context_regex_rules(lexicons.context),
        apart_regexes=context_regex_rules(lexicons.context, apart=True),
        bracket_bound=lexicons.context.bracket_bound,
        list_bound=lexicons.context.list_bound,
        list_onward=lexicons.context.list_onward,
        drug_bound=lexicons.context.drug_bound,
        said_of_a_name=lexicons.context.said_of_a_name,
        one_name_back=lexicons.context.one_name_back,
    )
