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
from spacy.tokens import Doc

from scribe.lexicons import load_lexicons
from scribe.nlp.counts import (
    CLAUSE_END,
    NEEDLE_COUNT,
    STATED_COUNT,
    CountItem,
    compile_lowercase,
    read_counts,
    row_needles,
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
from scribe.nlp.finding_items import FindingItem, FindingReader
from scribe.nlp.measures import PainPick, Value, pain_values
from scribe.nlp.motion import rom_values
from scribe.nlp.named_counts import (
    corrected_stated,
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
# a note that may count needles names needling: "needles", "dry needling", "TDN", "insertions"
_NEEDLING_WORD = re.compile(r"needl|insertion|\bt?dn\b")


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
    the reader's copy squeezes the tabs between a flowsheet's columns into spaces. A table laid
    out with spaces is read by the columns its rows stand under (``templates``)."""
    source = doc.user_data.get(SOURCE)
    if source is None or source.text != doc_text(doc) or "\t" not in source.original:
        items = table_counts(lowered, 0)
    else:
        place = source.offsets
        items = [
            CountItem(
                (bisect_left(place, c.span[0]), bisect_left(place, c.span[1] - 1) + 1), c.value
            )
            for c in table_counts(same_length_lower(source.original), 0)
        ]
    aligned = (row_needles(lowered, row) for row in template_of(doc).rows.values())
    return items + [
        c
        for c in aligned
        if c is not None
        and not any(a < c.span[1] and c.span[0] < b for a, b in (i.span for i in items))
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
        self._after_early = _compile_any(lists["after_cue"])
        self._after = _compile_any([*lists["after_cue"], *lists.get("after_cue_once_done", [])])
        self._findings = FindingReader(
            _compile_any(lists["not_a_referral"]),
            _compile_any(lists.get("pain_recognised", ["$^"])),
        )
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
        # the first sentence that reports a procedure done today
        done_at = min(
            (e.sentence for e in doc._.procedures or [] if e.done_today), default=len(doc)
        )
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
                item = self._findings.finding(doc, sent, span, in_sent)
                if item is not None:
                    result.findings.append(item)
            recognised = self._findings.recognised(doc, sent, in_sent_targets, result.findings)
            if recognised is not None:
                result.findings.append(recognised)
            if number in carried:
                continue  # another visit's pain, motion, consent and tolerance
            pain.add(
                text,
                offset,
                pain_values(
                    text, self._before, self._after if number >= done_at else self._after_early
                ),
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
        if _NEEDLING_WORD.search(lowered):
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
        if any(word in lowered for word in ("muscle", "needled", "injected", "all ")):
            back = [m.span() for m in self._points_back.finditer(lowered)]
            # a count said of another visit ("last session we needled four muscles") is not
            # the count of today's
            result.stated_counts = corrected_stated(
                lowered,
                [
                    c
                    for c in read_counts(STATED_COUNT, lowered, 0)
                    if not any(a <= c.span[0] and c.span[1] <= b for a, b in back)
                    and not said_of_another_visit(doc, c.span[0])
                ],
            )
        if not result.stated_counts:
            result.stated_counts = counts_closing_lists(doc, lowered)
        doc._.rationale = result
        return doc

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
