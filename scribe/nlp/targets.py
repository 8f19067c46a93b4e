"""Target matching from the lexicons: muscles, groups, substances and findings.

medspaCy's TargetMatcher finds the names; a second component resolves elliptical
coordination ("upper and middle trapezius", "gluteus medius and minimus") into one
mention per muscle.
"""

from pathlib import Path

from medspacy.target_matcher import TargetMatcher, TargetRule
from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons, load_lexicons
from scribe.nlp.extensions import TARGETS, register_extensions, store_target_spans

_COORDINATORS = frozenset({"and", "&", "/", "or", ",", "plus"})


def target_rules(lexicons: Lexicons, *, case_sensitive: bool = False) -> list[TargetRule]:
    """One medspaCy TargetRule per lexicon string (the case-insensitive ones, or the
    case-sensitive abbreviations such as "UT" and "QL")."""
    return [
        TargetRule(
            literal=term.text,
            category=term.label,
            attributes={"entry_id": term.entry_id},
        )
        for term in lexicons.terms()
        if term.case_sensitive == case_sensitive
    ]


@Language.factory("scribe_targets", default_config={"lexicon_dir": None})
def make_target_matcher(nlp: Language, name: str, lexicon_dir: str | None) -> TargetMatcher:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    matcher = TargetMatcher(nlp, name=name, result_type="group", span_group_name=TARGETS)
    matcher.add(target_rules(lexicons))
    return matcher


@Language.factory("scribe_abbreviations", default_config={"lexicon_dir": None})
def make_abbreviation_matcher(nlp: Language, name: str, lexicon_dir: str | None) -> TargetMatcher:
    """Case-sensitive abbreviations ("UT", "QL", "LTR") through a phrase matcher on the exact
    text: one lookup per token, where a token pattern per abbreviation would cost far more."""
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    matcher = TargetMatcher(
        nlp, name=name, phrase_matcher_attr="ORTH", result_type="group", span_group_name=TARGETS
    )
    matcher.add(target_rules(lexicons, case_sensitive=True))
    return matcher


class EllipsisResolver:
    """Adds the muscle a coordinated modifier names without repeating the head noun.

    "upper and middle trapezius" -> upper trapezius ("upper") + middle trapezius;
    "gluteus medius and minimus" -> gluteus medius + gluteus minimus ("minimus").
    """

    def __init__(self, lexicons: Lexicons) -> None:
        self._muscle_terms: dict[str, str] = {
            t.text: t.entry_id
            for t in lexicons.terms()
            if t.label == "MUSCLE" and not t.case_sensitive
        }

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans[TARGETS]
        taken = {(s.start, s.end) for s in group}
        covered = {i for s in group for i in range(s.start, s.end)}
        added: list[Span] = []
        for span in [s for s in group if s.label_ == "MUSCLE" and len(s) >= 2]:
            words = [t.lower_ for t in span]
            added += self._expand(doc, span.end, words[:-1], after=True, covered=covered)
            added += self._expand(doc, span.start, words[1:], after=False, covered=covered)
        for span in added:
            if (span.start, span.end) not in taken:
                taken.add((span.start, span.end))
                group.append(span)
        store_target_spans(doc, sorted(group, key=lambda s: (s.start, s.end)))
        return doc

    def _expand(
        self, doc: Doc, edge: int, kept: list[str], *, after: bool, covered: set[int]
    ) -> list[Span]:
        """Walk coordinated single words away from a muscle name, one hop at a time."""
        found: list[Span] = []
        step = 1 if after else -1
        i = edge if after else edge - 1
        while True:
            # one or two coordinators (", and") then a single word
            j = i
            hops = 0
            while 0 <= j < len(doc) and doc[j].lower_ in _COORDINATORS and hops < 2:
                j += step
                hops += 1
            if hops == 0 or not (0 <= j < len(doc)) or j in covered:
                return found
            word = doc[j].lower_
            phrase = " ".join([*kept, word]) if after else " ".join([word, *kept])
            entry_id = self._muscle_terms.get(phrase)
            if entry_id is None:
                return found
            span = Span(doc, j, j + 1, label="MUSCLE")
            span._.entry_id = entry_id
            found.append(span)
            covered.add(j)
            i = j + step


@Language.factory("scribe_ellipsis", default_config={"lexicon_dir": None})
def make_ellipsis_resolver(nlp: Language, name: str, lexicon_dir: str | None) -> EllipsisResolver:
    register_extensions()
    return EllipsisResolver(load_lexicons(Path(lexicon_dir) if lexicon_dir else None))
