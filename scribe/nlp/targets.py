"""Target matching from the lexicons: muscles, groups, substances and findings.

medspaCy's TargetMatcher finds the names; a second component resolves elliptical
coordination ("upper and middle trapezius", "gluteus medius and minimus") into one
mention per muscle.
"""

import re
from pathlib import Path

from medspacy.target_matcher import TargetMatcher, TargetRule
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons, Term, load_lexicons, plural_variants
from scribe.nlp.extensions import (
    TARGETS,
    doc_text,
    register_extensions,
    sentence_index,
    span_text,
    store_target_spans,
    target_spans,
)
from scribe.nlp.spinal_levels import region_after
from scribe.nlp.word_sounds import common_words

_COORDINATORS = frozenset({"and", "&", "/", "or", ",", "plus"})


def _any_case_abbreviations(lexicons: Lexicons) -> list[Term]:
    """Abbreviations also read in lower case ("scm", "ql", "tfl", as a recogniser or a hurried
    typist writes them; matched on the exact text like the abbreviations themselves) when the
    lower-case form is no English word ("ut", "tra" and "ecu" stay case-sensitive) and the
    abbreviation needs no supporting context (RF, EDC: their check reads the written case)."""
    common = common_words()
    needs_context = {t.lower() for t in lexicons.muscles.context_required}
    lower = [
        (term.text.lower(), term)
        for term in lexicons.terms()
        if term.case_sensitive and term.label in ("MUSCLE", "GROUP")
    ]
    return [
        Term(text, term.label, term.entry_id, case_sensitive=True)
        for text, term in lower
        if not any(f in common or f in needs_context for f in (text, text.removesuffix("s")))
    ]


def target_rules(lexicons: Lexicons, *, case_sensitive: bool = False) -> list[TargetRule]:
    """One medspaCy TargetRule per lexicon string (the case-insensitive ones, or the
    case-sensitive abbreviations such as "UT" and "QL")."""
    extra = _any_case_abbreviations(lexicons) if case_sensitive else []
    return [
        TargetRule(
            literal=term.text,
            category=term.label,
            attributes={"entry_id": term.entry_id},
        )
        for term in [*lexicons.terms(), *lexicons.bracketed_terms(), *extra]
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


_PART_NOUNS = frozenset({"head", "fibers", "fibres", "portion", "part", "belly"})
# side words between a part's "of the" and its muscle ("medial head of the right gastrocnemius")
_SIDE_WORDS = frozenset({"right", "left", "r", "l", "rt", "lt", "bilateral", "both"})


def _part_before(before: list[str]) -> str | None:
    """ "medial head of the": the direction word of a part named before its muscle."""
    words = [w for w in before if w not in ("of", "the")]
    if len(words) >= 2 and words[-1] in _PART_NOUNS:
        return words[-2]
    return None


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
        spans = list(group)
        for k, span in enumerate(spans):
            if span.label_ == "MUSCLE":
                name = span_text(span).lower()
                spans[k] = self._qualify(doc, span, spans)
                other = self._part_before_the_part(doc, spans[k], name)
                if other is not None and not any(
                    o.start < other.end and other.start < o.end for o in spans
                ):
                    spans.append(other)
        store_target_spans(doc, sorted(spans, key=lambda s: (s.start, s.end)))
        return doc

    def _part_before_the_part(self, doc: Doc, span: Span, name: str) -> Span | None:
        """ "the medial head and the lateral head of the gastrocnemius": a part named before
        the part that names its muscle, joined to it, is the same muscle's other part."""
        words = [t.lower_ for t in span]
        if len(words) < 3 or words[1] not in _PART_NOUNS or span._.entry_id is None:
            return None
        i = span.start - 1
        while i >= 0 and doc[i].lower_ == "the":
            i -= 1
        joined = False
        while i >= 0 and doc[i].lower_ in (",", "and", "&"):
            joined, i = True, i - 1
        while i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if not joined or i < 1 or doc[i].lower_ != words[1]:
            return None
        # the muscle's own name: what the part's words end with ("lateral head of the
        # gastrocnemius", an exact name, or "gastrocnemius" read with its part)
        if "of" in words:
            name = " ".join(w for w in words[len(words) - words[::-1].index("of") :] if w != "the")
        entry_id = self._muscle_terms.get(f"{doc[i - 1].lower_} {name}")
        if entry_id is None or entry_id == span._.entry_id:
            return None
        other = Span(doc, i - 1, i + 1, label="MUSCLE")
        other._.entry_id = entry_id
        other._.match, other._.match_score = span._.match, span._.match_score
        return other

    def _qualify(self, doc: Doc, span: Span, spans: list[Span]) -> Span:
        """A part named around the name: "Multifidus (lumbar)", "gastrocnemius, medial head",
        "Gastrocnemius, medial |", "SCM (sternal head)",
        "medial head of the gastrocnemius" name the part the lexicon has ("lumbar
        multifidus", "medial gastrocnemius"); the mention then holds the part's words too."""
        name = span_text(span).lower()
        words = [t.lower_ for t in doc[span.end : span.end + 5]]
        before, sided = self._words_before(doc, span)
        qualifier, start, end = None, span.start, span.end
        bracketed = words[:1] == ["("] and words[2:3] == [")"]
        after_comma = words[:1] == [","] and words[2:3] != [] and words[2] in _PART_NOUNS
        # a pick list's order, the part's word alone after the muscle and nothing after it in
        # the cell: "| Gastrocnemius, medial  | L |" ("R upper trapezius, middle trapezius"
        # goes on with another name)
        sorted_part = (
            words[:1] == [","]
            and words[1:2] != []
            and f"{words[1]} {name}" in self._muscle_terms
            and not (words[2:3] and words[2].isalpha())
        )
        # "SCM (sternal head)"
        bracketed_part = words[:1] == ["("] and words[2:4] == ["head", ")"]
        if bracketed or after_comma:
            qualifier, end = words[1], span.end + 3
        elif bracketed_part:
            qualifier, end = words[1], span.end + 4
        elif sorted_part:
            qualifier, end = words[1], span.end + 2
        elif words[:1] and words[1:2] and words[1] in _PART_NOUNS:
            qualifier, end = words[0], span.end + 2
        elif len(before) >= 3 and before[-1] in ("the", "of") and _part_before(before):
            qualifier = _part_before(before)
            if not sided:  # the side between stays the side's own words
                start = (
                    span.start
                    - len(before)
                    + max(i for i, w in enumerate(before) if w == qualifier)
                )
        if qualifier is None:
            # "multifidus at L four L five", "rotatores C5-6": the spinal level names the part
            region = region_after(doc_text(doc), span.end_char)
            entry_id = self._muscle_terms.get(f"{region} {name}") if region else None
            if entry_id is not None:
                span._.entry_id = entry_id
            return span
        entry_id = self._muscle_terms.get(f"{qualifier} {name}")
        if entry_id is None:
            return span
        span._.entry_id = entry_id
        if any(o is not span and o.start < end and start < o.end for o in spans):
            return span  # the part's words name something else too
        longer = Span(doc, start, end, label=span.label_)
        longer._.entry_id = entry_id
        longer._.match, longer._.match_score = span._.match, span._.match_score
        return longer

    @staticmethod
    def _words_before(doc: Doc, span: Span, count: int = 4) -> tuple[list[str], bool]:
        """The ``count`` words before a name, past the side words right before it, and
        whether there were any ("head of the right gastrocnemius")."""
        start = span.start
        while start > 0 and doc[start - 1].lower_ in _SIDE_WORDS:
            start -= 1
        return [t.lower_ for t in doc[max(0, start - count) : start]], start < span.start

    def _expand(
        self, doc: Doc, edge: int, kept: list[str], *, after: bool, covered: set[int]
    ) -> list[Span]:
        """Walk coordinated single words away from a muscle name, one hop at a time."""
        found: list[Span] = []
        step = 1 if after else -1
        i = edge if after else edge - 1
        while True:
            # one or two coordinators (", and") then a single word; "the" may stand on either
            # side of them ("the medial and the lateral gastroc")
            j = i
            hops = steps = 0
            while 0 <= j < len(doc) and steps < 4:
                word = doc[j].lower_
                if word in _COORDINATORS and hops < 2:
                    hops += 1
                elif word != "the":
                    break
                j += step
                steps += 1
            if hops == 0 or not (0 <= j < len(doc)) or j in covered:
                return found
            word = doc[j].lower_
            phrase = " ".join([*kept, word]) if after else " ".join([word, *kept])
            entry_id = self._muscle_terms.get(phrase)
            if entry_id is None and after and kept and kept[-1].endswith("s"):
                # "rhomboids maj and min": the part of one of them is named in the singular
                entry_id = self._muscle_terms.get(" ".join([*kept[:-1], kept[-1][:-1], word]))
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


_LIST_JOINERS = frozenset({",", "and", "&", "/", "+", ";", "-", "(", ")"})
_SUPPORTING_CATEGORIES = ("TREATED", "NEEDLED", "NEEDLE_WORD", "INJECTED", "INJECTION_WORD")
# a word of the spine after an abbreviation: "LS junction", "LS paraspinals" (lumbosacral)
_SPINE_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:spine|spinal|junction|jxn|region|regions|paraspinals?|area|levels?|segments?|"
    r"fascia|fusion|facets?|sprain|strain|radiculopathy|stenosis|spondylosis|jt|joint)\b",
    re.IGNORECASE,
)
_COUNT = re.compile(r"^\s*(?:x\s*\d{1,2}\b|\(\s*\d{1,2}\s*\)|[:\-]?\s*\d{1,2}\s+needles?\b)", re.I)


class AmbiguousNameFilter:
    """Drops a name that is also a common word or another term ("trap" of a specimen, RF for
    radiofrequency) unless the text around it supports a muscle: a side word next to it, a
    muscle beside it in a list, a needle count after it, or needling, injection or trigger point
    words in its sentence (``context_required`` in ``lexicons/muscles.yaml``)."""

    def __init__(self, nlp: Language, lexicons: Lexicons) -> None:
        self._exact: set[str] = set()
        self._lower: set[str] = set()
        for term in lexicons.muscles.context_required:
            if term.lower() != term:
                self._exact |= {term, f"{term}s"}
            else:
                self._lower |= plural_variants(term)
        self._listed_only = frozenset(lexicons.muscles.listed_only)
        self._exact |= self._listed_only
        self._sides = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._side_abbreviations = PhraseMatcher(nlp.vocab, attr="ORTH")
        for side in ("right", "left", "bilateral"):
            phrases = getattr(lexicons.laterality, side)
            self._sides.add(side, [nlp.make_doc(p.lower()) for p in phrases.phrases])
            self._side_abbreviations.add(side, [nlp.make_doc(a) for a in phrases.abbreviations])
        self._procedures = PhraseMatcher(nlp.vocab, attr="LOWER")
        literals = [
            literal
            for rule_set in lexicons.context.rule_sets
            if rule_set.category in _SUPPORTING_CATEGORIES
            for literal in rule_set.literals
        ]
        self._procedures.add("procedure", [nlp.make_doc(x.lower()) for x in literals])

    def _ambiguous(self, span: Span) -> bool:
        text = span_text(span)
        return text in self._exact or text.lower() in self._lower

    def __call__(self, doc: Doc) -> Doc:
        spans = target_spans(doc)
        doubtful = [s for s in spans if s.label_ in ("MUSCLE", "GROUP") and self._ambiguous(s)]
        if not doubtful:
            return doc
        side_tokens = {
            i
            for matcher in (self._sides, self._side_abbreviations)
            for _, start, end in matcher(doc)
            for i in range(start, end)
        }
        index = sentence_index(doc)
        supported_sentences = {index[start] for _, start, _ in self._procedures(doc)}
        supported_sentences |= {index[s.start] for s in spans if s.label_ == "FINDING"}
        names = {i for s in spans if s.label_ == "MUSCLE" and not self._ambiguous(s)
                 for i in range(s.start, s.end)}  # fmt: skip
        text = doc_text(doc)
        dropped = set()
        for s in doubtful:
            listed_only = span_text(s) in self._listed_only
            # a name read only in a list: the sentence's procedure words support nothing
            by_sentence = set() if listed_only else supported_sentences
            if not self._supported(doc, s, side_tokens, names, by_sentence, index) or (
                listed_only and _SPINE_AFTER.match(text, s.end_char)
            ):
                dropped.add((s.start, s.end))
        if dropped:
            store_target_spans(doc, [s for s in spans if (s.start, s.end) not in dropped])
        return doc

    @staticmethod
    def _supported(
        doc: Doc,
        span: Span,
        sides: set[int],
        names: set[int],
        sentences_with_procedures: set[int],
        index: list[int],
    ) -> bool:
        if index[span.start] in sentences_with_procedures:
            return True
        near = [*range(max(0, span.start - 2), span.start), *range(span.end, span.end + 2)]
        if any(i in sides for i in near if i < len(doc)):
            return True
        for step, edge in ((-1, span.start - 1), (1, span.end)):
            i = edge
            while 0 <= i < len(doc) and (doc[i].lower_ in _LIST_JOINERS or doc[i].is_space):
                i += step
            if 0 <= i < len(doc) and i != edge and i in names:
                return True  # "R UT, traps and levator"
        return bool(_COUNT.match(doc_text(doc)[span.end_char : span.end_char + 16]))


@Language.factory("scribe_ambiguity", default_config={"lexicon_dir": None})
def make_ambiguity_filter(nlp: Language, name: str, lexicon_dir: str | None) -> AmbiguousNameFilter:
    register_extensions()
    return AmbiguousNameFilter(nlp, load_lexicons(Path(lexicon_dir) if lexicon_dir else None))
