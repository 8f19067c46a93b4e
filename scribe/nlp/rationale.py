"""Why the muscles were needled, and how the session went (DOMAIN.md section 8).

Trigger-point findings (tied to the muscles named in their sentence), functional
limitations, pain and range of motion before/after, tolerance, consent, needle counts and
stated muscle counts. Each item keeps its character offsets.
"""

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import load_lexicons
from scribe.nlp.counts import (
    CLAUSE_END,
    NEEDLE_COUNT,
    STATED_COUNT,
    CountItem,
    compile_lowercase,
    read_counts,
    table_counts,
    without_sizes,
)
from scribe.nlp.extensions import (
    SOURCE,
    by_sentence,
    doc_lower_text,
    doc_text,
    register_extensions,
    same_length_lower,
    sentences,
    span_text,
    target_spans,
)
from scribe.nlp.measures import PainPick, Value, pain_values
from scribe.nlp.motion import rom_values
from scribe.nlp.named_counts import (
    corrected_totals,
    counts_after_names,
    counts_closing_lists,
    per_muscle,
    restated_totals,
)
from scribe.nlp.numbers import expand_number_placeholder
from scribe.nlp.sections import carried_sentences, sentence_sections
from scribe.nlp.templates import template_of
from scribe.nlp.time_reach import said_of_another_visit
from scribe.schemas.lexicon import StatementLexicon

CharSpan = tuple[int, int]

_BARE_REFERRAL = re.compile(r"^(?:refer\w*|radiat\w*)$", re.IGNORECASE)
# "referred right up into her temples": an adverb may stand before the direction
_REFERRAL_ADVERB = r"(?:(?:right|straight|all\s+the\s+way|directly)\s+)?"
_REFERRAL_TARGET = re.compile(
    r"^\s*(?:(?:the\s+|his\s+|her\s+|their\s+)?(?:pain|symptoms)\s+|pattern\s+)?"
    + _REFERRAL_ADVERB
    + r"(?:(?:in)?to(?:wards?)?|in|toward|over|across|around|→|->|-->|=>|"
    r"down(?:\s+(?:in)?to|\s+the)?|up(?:\s+(?:in)?to)?)\s+(?:the\s+|his\s+|her\s+|their\s+)?"
    r"(?P<target>[a-z][a-z /'-]{1,40}?)(?=\s*(?:[,.;:)]|\band\b|\bwith\b|\bupon\b|\bduring\b|"
    r"\bwhen\b|\bconsistent\b|\bon\b|\bthat\b|\bwhich\b|\bbut\b|\bso\b|\bno\b|\bwhere\b|\||$))",
    re.IGNORECASE,
)
_REFERRAL_DIRECTION = re.compile(
    r"^\s*(?:(?:the\s+|his\s+|her\s+|their\s+)?pain\s+)?"
    + _REFERRAL_ADVERB
    + r"(?:(?:into|to|down|along|over|toward|towards|up|across|around)\b"
    # an arrow for the direction, in shorthand: "L piriformis refers → post thigh"
    r"|(?:→|->|-->|=>)\s*[a-z])",
    re.IGNORECASE,
)
_TIE_GAP = frozenset(
    [
        *"in at of within over to the a his her their r l right left b bilateral bilat b/l".split(),
        *[":", "-", "(", ")", ","],
    ]
)


def _tied_muscles(doc: Doc, finding: Span, muscles: list[Span]) -> list[Span]:
    """The muscle a finding belongs to: the only one in its sentence, or the one right next
    to it ("taut band in the R UT", "R UT: taut band"). A finding said once for a list is
    shared, not each muscle's own."""
    if len({m._.entry_id for m in muscles}) <= 1:
        return muscles
    after = [m for m in muscles if m.start >= finding.end and m.start - finding.end <= 4]
    for muscle in after:
        if all(t.lower_ in _TIE_GAP for t in doc[finding.end : muscle.start]):
            return [muscle]
    before = [m for m in muscles if m.end <= finding.start and finding.start - m.end <= 3]
    for muscle in reversed(before):
        gap = doc[muscle.end : finding.start]
        if all(t.lower_ in _TIE_GAP | {"w/", "with", "has", "had", "shows", "showed"} for t in gap):
            return [muscle]
    return []


# the procedure a "trigger point" names, not a finding: "trigger point injections", "trigger
# point dry needling"
_PROCEDURE_AFTER = re.compile(
    r"[ \t-]*(?:injections?|inj\b|dry[ \t-]+needl\w*|needl\w*|dn\b|tdn\b"
    # the method's name, not a trigger point found: "Western trigger point approach",
    # "a trigger point technique", "trigger point certification"
    r"|(?:approach|technique|method|model|theory|concept|certification|course|training)\b)",
    re.IGNORECASE,
)


@dataclass
class FindingItem:
    span: Span
    kind: str
    negated: bool
    muscles: list[Span]
    referral_target: CharSpan | None


@dataclass
class MeasureItem:
    span: CharSpan
    value: float
    scale_max: float | None


@dataclass
class RomItem:
    span: CharSpan
    motion: str | None
    before_degrees: float | None
    after_degrees: float | None
    improved: bool | None


@dataclass
class RationaleFindings:
    findings: list[FindingItem] = field(default_factory=list)
    functional_limitations: list[CharSpan] = field(default_factory=list)
    pain_before: MeasureItem | None = None
    pain_after: MeasureItem | None = None
    rom: list[RomItem] = field(default_factory=list)
    tolerance: CharSpan | None = None
    consent: CharSpan | None = None
    needle_counts: list[CountItem] = field(default_factory=list)
    stated_counts: list[CountItem] = field(default_factory=list)


# Evidence of a statement is its clause. Where speech was transcribed without punctuation a
# "clause" can be the whole dictation: past this many words, the evidence is the cue and a few
# words either side of it.
_MAX_CLAUSE_WORDS = 24
_REACH_WORDS = 10
_CLAUSE_BEFORE = re.compile(r"[,;:\n]")
_CLAUSE_AFTER = re.compile(r"[,;\n]")
_WORD = re.compile(r"\S+")


def _apart_from(items: list[CountItem], read: list[CountItem]) -> list[CountItem]:
    """The items no count already read overlaps."""
    return [
        i for i in items if not any(r.span[0] < i.span[1] and i.span[0] < r.span[1] for r in read)
    ]


def _table_counts(doc: Doc, lowered: str) -> list[CountItem]:
    """Needles in a table's column, read from the note as written where the doc carries it:
    the reader's copy squeezes the tabs between a flowsheet's columns into spaces."""
    source = doc.user_data.get(SOURCE)
    if source is None or source.text != doc_text(doc) or "\t" not in source.original:
        return table_counts(lowered, 0)
    items = table_counts(same_length_lower(source.original), 0)
    place = source.offsets
    return [
        CountItem((bisect_left(place, c.span[0]), bisect_left(place, c.span[1] - 1) + 1), c.value)
        for c in items
    ]


def _word_count(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _after_words(text: str, position: int, limit: int) -> int:
    """Where the ``_REACH_WORDS`` words after ``position`` end (at most ``limit``)."""
    words = list(_WORD.finditer(text, position, limit))[:_REACH_WORDS]
    return words[-1].end() if words else position


def _before_words(text: str, position: int, limit: int) -> int:
    """Where the ``_REACH_WORDS`` words before ``position`` start (not before ``limit``)."""
    words = list(_WORD.finditer(text, limit, position))[-_REACH_WORDS:]
    return words[0].start() if words else position


def _statement(text: str, offset: int, cue: re.Match[str]) -> CharSpan:
    """The clause of sentence ``text`` that holds ``cue`` ("She tolerated it well" of "She
    tolerated it well, no medication was injected."), trimmed; in unpunctuated speech the cue
    and the few words around it."""
    before = [m.end() for m in _CLAUSE_BEFORE.finditer(text, 0, cue.start())]
    start = before[-1] if before else 0
    after = _CLAUSE_AFTER.search(text, cue.end())
    end = after.start() if after else len(text)
    if _word_count(text, start, end) > _MAX_CLAUSE_WORDS:
        start = _before_words(text, cue.start(), start)
        end = _after_words(text, cue.end(), end)
    clause = text[start:end]
    stripped = clause.strip()
    if not stripped:
        return offset + cue.start(), offset + cue.end()
    start += clause.index(stripped[0])
    return offset + start, offset + start + len(stripped)


def _compile_any(patterns: list[str]) -> re.Pattern[str]:
    """One alternation of many patterns: a single pass over the text."""
    joined = "|".join(f"(?:{expand_number_placeholder(p)})" for p in patterns)
    return re.compile(joined, re.IGNORECASE)


class RationaleExtractor:
    def __init__(
        self,
        statements: StatementLexicon,
        history: Iterable[str],
        needs_muscle: Iterable[str] = (),
    ) -> None:
        # sections whose values are what the patient reported on arrival
        self._history = frozenset(history)
        lists = statements.statements
        self._limitation = compile_lowercase(
            "|".join(f"(?:{p})" for p in lists["functional_limitation"])
        )
        self._tolerance = _compile_any(lists["tolerance"])
        self._consent = _compile_any(lists["consent"])
        self._consent_negated = _compile_any(lists["consent_negated"])
        self._before = _compile_any(lists["before_cue"])
        self._after = _compile_any(lists["after_cue"])
        self._not_referral = _compile_any(lists["not_a_referral"])
        self._pain_recognised = _compile_any(lists.get("pain_recognised", ["$^"]))
        self._needs_muscle = frozenset(needs_muscle)
        self._points_back = compile_lowercase(
            "|".join(f"(?:{p})" for p in lists.get("count_points_back", [])) or "$^"
        )

    def __call__(self, doc: Doc) -> Doc:
        result = RationaleFindings()
        targets = target_spans(doc)
        sections = sentence_sections(doc)
        pain = PainPick()
        template = template_of(doc)
        carried = carried_sentences(doc)
        for number, (sent, in_sent_targets) in enumerate(
            zip(sentences(doc), by_sentence(doc, targets), strict=True)
        ):
            text, offset = span_text(sent), sent.start_char
            in_sent = [m for m in in_sent_targets if m.label_ == "MUSCLE"]
            previous_end = 0
            for span in (s for s in in_sent_targets if s.label_ == "FINDING"):
                if span.text.lower() in self._needs_muscle and not any(
                    t.label_ in ("MUSCLE", "GROUP") for t in in_sent_targets
                ):
                    continue  # "a nodule over the A1 pulley": no muscle, no trigger point
                box = template.box_before(span, previous_end)
                previous_end = span.end_char
                if box == "unchecked":
                    continue  # "[x] Jump sign  [ ] Referred pain": a box left empty finds nothing
                item = self._finding(doc, sent, span, in_sent)
                if item is not None:
                    result.findings.append(item)
            recognised = self._recognised(doc, sent, in_sent_targets, result.findings)
            if recognised is not None:
                result.findings.append(recognised)
            if number in carried:
                continue  # another visit's pain, motion, consent and tolerance
            pain.add(
                text,
                offset,
                pain_values(text, self._before, self._after),
                history=sections[number] in self._history,
            )
            for rom in rom_values(text, self._before, self._after):
                result.rom.append(
                    RomItem(
                        (offset + rom.start, offset + rom.end),
                        rom.motion,
                        rom.before_degrees,
                        rom.after_degrees,
                        rom.improved,
                    )
                )
            if result.tolerance is None and (cue := self._tolerance.search(text)):
                result.tolerance = _statement(text, offset, cue)
            if (
                result.consent is None
                and (cue := self._consent.search(text))
                and not self._consent_negated.search(text)
            ):
                result.consent = _statement(text, offset, cue)
        before, after = (
            None if v is None else self._measure(v.text, v.offset, v.value) for v in pain.chosen()
        )
        result.pain_before, result.pain_after = before, after
        # whole-note passes: one regex scan each
        lowered = doc_lower_text(doc)
        result.functional_limitations = self._limitations(lowered, 0)
        if "needle" in lowered or "insertion" in lowered:
            counts = read_counts(NEEDLE_COUNT, without_sizes(lowered), 0, per_item=True)
            # needles counted in the history ("copied forward from the last visit: ... 2
            # needles each") are another visit's
            earlier = [
                (sent.start_char, sent.end_char)
                for sent, section in zip(sentences(doc), sections, strict=True)
                if section == "history"
            ]
            result.needle_counts = sorted(
                (
                    c
                    for c in restated_totals(
                        doc,
                        [per_muscle(doc, c) if c.each or c.per_side else c for c in counts],
                        counts,
                    )
                    + _table_counts(doc, lowered)
                    + _apart_from(counts_after_names(doc, lowered), counts)
                    if not any(a <= c.span[0] < b for a, b in earlier)
                ),
                key=lambda c: c.span,
            )
            result.needle_counts = corrected_totals(lowered, result.needle_counts)
        if "muscle" in lowered or "needled" in lowered or "injected" in lowered:
            back = [m.span() for m in self._points_back.finditer(lowered)]
            # a count said of another visit ("last session we needled four muscles") is not
            # the count of today's
            result.stated_counts = [
                c
                for c in read_counts(STATED_COUNT, lowered, 0)
                if not any(a <= c.span[0] and c.span[1] <= b for a, b in back)
                and not said_of_another_visit(doc, c.span[0])
            ]
        if not result.stated_counts:
            result.stated_counts = counts_closing_lists(doc, lowered)
        doc._.rationale = result
        return doc

    def _recognised(
        self, doc: Doc, sent: Span, targets: list[Span], found: list[FindingItem]
    ) -> FindingItem | None:
        """ "... the serratus anterior, and she said that's her rib pain": the patient
        recognising the pain as their own, in a sentence that names a muscle or a trigger
        point finding, is symptom reproduction (unless a word of the lexicon found it)."""
        if not any(t.label_ in ("MUSCLE", "FINDING") for t in targets):
            return None
        if any(f.kind == "symptom_reproduction" and f.span.sent == sent for f in found):
            return None
        match = self._pain_recognised.search(span_text(sent))
        if match is None:
            return None
        words = doc.char_span(
            sent.start_char + match.start(), sent.start_char + match.end(), alignment_mode="expand"
        )
        if words is None:
            return None
        muscles = [t for t in targets if t.label_ == "MUSCLE"]
        return FindingItem(
            words, "symptom_reproduction", False, _tied_muscles(doc, words, muscles), None
        )

    def _finding(self, doc: Doc, sent: Span, span: Span, muscles: list[Span]) -> FindingItem | None:
        kind = span._.entry_id
        if kind == "trigger_point" and _PROCEDURE_AFTER.match(doc_text(doc), span.end_char):
            # "trigger point injection", "trigger point dry needling": the procedure (or its
            # method: "trigger point approach")
            return None
        referral = None
        if kind == "referred_pain":
            target = _REFERRAL_TARGET.match(doc_text(doc)[span.end_char : sent.end_char])
            if target:
                referral = (
                    span.end_char + target.start("target"),
                    span.end_char + target.end("target"),
                )
            window = doc_text(doc)[max(sent.start_char, span.start_char - 20) : span.end_char + 40]
            if self._not_referral.search(window):
                return None
            if _BARE_REFERRAL.match(span.text) and referral is None:
                following = doc_text(doc)[span.end_char : span.end_char + 16]
                if not _REFERRAL_DIRECTION.match(following):
                    return None
        return FindingItem(
            span, kind, span._.status == "negated", _tied_muscles(doc, span, muscles), referral
        )

    def _limitations(self, text: str, offset: int) -> list[CharSpan]:
        spans: list[CharSpan] = []
        for match in self._limitation.finditer(text):
            end = CLAUSE_END.search(text, match.end())
            stop = end.start() if end else len(text)
            if _word_count(text, match.end(), stop) > 2 * _REACH_WORDS:
                stop = _after_words(text, match.end(), stop)  # unpunctuated speech
            if any(s <= offset + match.start() < e for s, e in spans):
                continue
            spans.append((offset + match.start(), offset + stop))
        return spans

    @staticmethod
    def _measure(text: str, offset: int, value: Value) -> MeasureItem:
        scaled = "/" in text[value.start : value.end] or "of" in text[value.start : value.end]
        return MeasureItem(
            (offset + value.start, offset + value.end), value.value, 10.0 if scaled else None
        )


@Language.factory("scribe_rationale", default_config={"lexicon_dir": None})
def make_rationale(nlp: Language, name: str, lexicon_dir: str | None) -> RationaleExtractor:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    return RationaleExtractor(
        lexicons.statements,
        lexicons.procedures.sections.past,
        (p.lower() for spec in lexicons.findings.findings.values() for p in spec.needs_muscle),
    )
