"""Tie muscle mentions to the procedure events of ``events.py``; decide each one's status.

A mention is ``treated`` when a dry needling or trigger point injection done today, to the
patient, reaches it:

- **clause**: the procedure's words reach it in ConText ("dry needling to the R UT"); weak words
  ("needles inserted", "treated") count only in a note that proved the procedure with strong
  ones, and never in operative, imaging, electrodiagnostic or discharge reports;
- **section**: it is listed under a heading that is the procedure ("Dry needling:", "TPI:"), or
  under a procedure heading ("Procedure:", "Treatment today:") whose section says the procedure
  was done today;
- **list**: it is on a line under a header line that names the procedure ("TDN today:"), on a
  checked box, or in a row of a table whose columns speak of needles or injections;
- **anaphora**: a later sentence points back at it ("both were needled", "into each of these");
- **substance**: an injected substance is given into it ("Botox 25 units into the L UT").

Everything else keeps the status its own words give it: negated, planned, historical, palpated
only, or mentioned. An unchecked box, another person, acupuncture points and needle EMG never
make a muscle treated. Structural bindings only lift mentions no word decided ("firm").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons
from scribe.nlp.extensions import by_sentence, doc_text, sentences, span_text, target_spans
from scribe.nlp.sections import sentence_sections
from scribe.nlp.templates import Template, header_chains, is_list_item, lead_ins, template_of
from scribe.schemas.lexicon import ProcedureKind

if TYPE_CHECKING:
    from scribe.nlp.events import ProcedureEvent

_MUSCLE_LIKE = ("MUSCLE", "GROUP")
_BILLABLE = ("dry_needling", "trigger_point_injection")
_NOT_BILLED = ("chemodenervation", "acupuncture")
_CLOSING_REACH = 12  # tokens
_COORDINATION = frozenset({"and", "&", ",", "+", "plus", "/", "with", "then", "followed", "by"})
# how firmly the words decided a mention's status: structural bindings lift only the last two
FIRM, OTHER_TREATMENT, WEAK, UNDECIDED = "firm", "other_treatment", "weak", "undecided"
_FIRM_MENTIONED = ("OTHER_PROCEDURE", "ACUPUNCTURE", "OTHER_PERSON", "CHEMODENERVATION")
_EVENT_CATEGORIES = frozenset(
    {
        "TREATED",
        "NEEDLED",
        "NEEDLE_WORD",
        "INJECTED",
        "INJECTION_WORD",
        "PROCEDURE",
        "OTHER_TREATMENT",
    }
)


def _headings_follow_their_section(doc: Doc, events: list[ProcedureEvent]) -> None:
    """ "Dry Needling:" over "contraindicated in the first trimester": a heading names the
    procedure its section is about; when every later mention of that procedure in the
    section is out of today, so is the heading."""
    sents = sentences(doc)
    for event in events:
        words = span_text(sents[event.sentence]).strip()
        if not words.endswith(":") or len(words.split()) > 5:
            continue
        later = [
            e
            for e in events
            if e.kind == event.kind and e.sentence > event.sentence and e.section == event.section
        ]
        if later and all(e.time != "today" for e in later):
            event.time = later[0].time
            event.time_cue = later[0].time_cue


def _paragraphs(doc: Doc, sents: list[Span]) -> list[int]:
    """The paragraph number of each sentence (paragraphs end at blank lines)."""
    text = doc_text(doc)
    numbers: list[int] = []
    number = 0
    previous_end = 0
    for sent in sents:
        if text.count("\n", previous_end, sent.start_char) >= 2:
            number += 1
        numbers.append(number)
        previous_end = sent.end_char
    return numbers


# words a list line of muscles may carry besides names and sides
_LIST_WORDS = frozenset(
    """x needles needle with and the to of in ltr ltrs twitch twitches trp trps tp tps sites site
    units unit ml cc mg each bilateral bilat right left r l b both side sides taut band bands
    jump sign referral refers trigger point points active latent""".split()
)


def _list_like(sent: Span, mentions: list[_Mention]) -> bool:
    """A line that is a list of muscles ("R UT x4, L levator x3 - LTR"): at most two words
    besides names, sides, counts and finding words."""
    inside = {i for m in mentions for i in range(m.span.start, m.span.end)}
    words = [t for t in sent if t.is_alpha and t.i not in inside and t.lower_ not in _LIST_WORDS]
    return len(words) <= 2


def _on_list_line(doc: Doc, span: Span) -> bool:
    text = doc_text(doc)
    start = text.rfind("\n", 0, span.start_char) + 1
    return is_list_item(text[start : span.end_char])


def _last_run(before: list[_Mention]) -> list[_Mention]:
    """The mentions of the run of consecutive sentences with muscles that ends last."""
    if not before:
        return []
    run = [before[-1]]
    for mention in reversed(before[:-1]):
        if run[-1].sentence - mention.sentence > 1:
            break
        run.append(mention)
    return run[::-1]


def _inside(modifier: Any, span: Span) -> bool:
    return bool(span.start <= modifier.modifier_span[0] and modifier.modifier_span[1] <= span.end)


def _distance(modifier: Any, span: Span) -> int:
    start, end = modifier.modifier_span
    return int(span.start - end if end <= span.start else start - span.end)


@dataclass
class _Mention:
    span: Span
    sentence: int
    strength: str = UNDECIDED


class MuscleBinder:
    def __init__(self, lexicons: Lexicons) -> None:
        spec = lexicons.procedures
        self._spec = spec
        self._kind: dict[str, ProcedureKind] = {k.id: k for k in spec.kinds}
        self._section_kind = dict(spec.sections.binding)
        self._generic_sections = frozenset(spec.sections.generic)
        self._no_weak_reports = frozenset(spec.reports_without_weak_words)
        statements = lexicons.statements.statements
        self._anaphora = re.compile(
            "|".join(f"(?:{p})" for p in statements.get("anaphora", [])) or "$^", re.I
        )
        self._anaphora_single = re.compile(
            "|".join(f"(?:{p})" for p in statements.get("anaphora_single", [])) or "$^", re.I
        )
        self._anaphora_object = re.compile(
            "|".join(f"(?:{p})" for p in statements.get("anaphora_object", [])) or "$^", re.I
        )
        self._nothing_injected = re.compile(
            "|".join(f"(?:{p})" for p in statements["none_injected"]), re.I
        )

    # --- entry point -----------------------------------------------------------------------
    def bind(self, doc: Doc, events: list[ProcedureEvent], modifiers: list[list[Any]]) -> None:
        spans = [s for s in target_spans(doc) if s.label_ in _MUSCLE_LIKE]
        proven = {e.kind for e in events if e.billable_today and e.strength == "strong"}
        weak_ok = doc._.document_kind not in self._no_weak_reports
        statement = self._nothing_injected.search(doc_text(doc)) if weak_ok else None
        if statement is not None:
            # "24 needles in 3 muscles ... No injectate": a note that says nothing was injected
            # documents its needles, or the muscles it "worked on", as dry needling
            proven |= {e.kind for e in events if e.kind == "dry_needling" and e.billable_today}
            if not proven and self._generic_treatment(modifiers, doc, statement.span()):
                events.append(self._statement_event(doc, statement.span()))
                proven.add("dry_needling")
        # the procedures that can tie muscles: strong words, or weak words of a proven one
        for event in events:
            event.proven = event.strength == "strong" or (event.kind in proven and weak_ok)
        effective = [e for e in events if e.kind in _BILLABLE and e.proven]
        if not spans:
            return
        sents = sentences(doc)
        grouped = by_sentence(doc, spans)
        mentions = [_Mention(s, i) for i, row in enumerate(grouped) for s in row]
        template = template_of(doc)
        by_modifier = {(e.start, e.end): e for e in events if e.source == "words"}
        injected_in = {
            i
            for i, row in enumerate(by_sentence(doc, target_spans(doc)))
            if any(s.label_ == "SUBSTANCE" and s._.status == "injected" for s in row)
        }
        denied: dict[tuple[int, int], set[str]] = {}
        sections = sentence_sections(doc)
        ignored = set(self._spec.sections.ignored)
        for mention in mentions:
            if sections[mention.sentence] in ignored:
                self._set(mention, "mentioned", FIRM, None)  # "Charges: 20561 (R UT, ...)"
                continue
            self._clause(
                mention,
                events,
                by_modifier,
                proven,
                weak_ok,
                injected_in,
                denied,
                modifiers[mention.sentence],
            )
        for event in effective:
            # "Dry needling to the R UT and R levator was held today": the procedure's words
            # reach only muscles its own sentence took out of today
            statuses = denied.get((event.start, event.end))
            if event.source == "words" and statuses and not event.muscles:
                event.time = "not_done" if "negated" in statuses else "planned"
        _headings_follow_their_section(doc, events)
        effective = [e for e in effective if e.billable_today]
        self._checkboxes(mentions, template)
        self._tables(mentions, template, effective, proven)
        self._substances(mentions, events)
        self._same_sentence(mentions, effective)
        self._sections_and_headers(doc, mentions, events, effective, modifiers)
        self._anaphora_back(doc, mentions, effective, sents)
        for mention in mentions:
            if mention.span._.status is None:
                mention.span._.status = "mentioned"

    def _generic_treatment(
        self, modifiers: list[list[Any]], doc: Doc, statement: tuple[int, int]
    ) -> bool:
        """ "We worked on the right gluteus medius ... nothing was injected today": a generic
        procedure verb outside the history and the plan, in the paragraph of a statement that
        says nothing was injected today."""
        sents = sentences(doc)
        sections = sentence_sections(doc)
        paragraph = _paragraphs(doc, sents)
        quiet = set(self._spec.sections.past) | set(self._spec.sections.planned)
        where = next(i for i, s in enumerate(sents) if s.start_char <= statement[0] < s.end_char)
        if not any(m.category == "CURRENT" for m in modifiers[where]):
            return False
        return any(
            m.category == "PROCEDURE"
            and sections[i] not in quiet
            and paragraph[i] == paragraph[where]
            for i, row in enumerate(modifiers)
            for m in row
        )

    @staticmethod
    def _statement_event(doc: Doc, chars: tuple[int, int]) -> ProcedureEvent:
        from scribe.nlp.events import ProcedureEvent

        words = doc.char_span(*chars, alignment_mode="expand")
        assert words is not None  # the statement was found in the doc's own text
        index = sentences(doc)
        number = next(i for i, s in enumerate(index) if s.start <= words.start < s.end)
        event = ProcedureEvent(
            "dry_needling", "strong", words.start, words.end, number, sentence_sections(doc)[number]
        )
        event.source = "statement"
        return event

    # --- clause ----------------------------------------------------------------------------
    def _clause(
        self,
        mention: _Mention,
        events: list[ProcedureEvent],
        by_modifier: dict[tuple[int, int], ProcedureEvent],
        proven: set[str],
        weak_ok: bool,
        injected_in: set[int],
        denied: dict[tuple[int, int], set[str]],
        sentence_modifiers: list[Any],
    ) -> None:
        """Status from the mention's own words (ConText modifiers); ``denied`` collects the
        procedure words that reached a mention those words took out of today."""
        span = mention.span
        modifiers = [m for m in span._.modifiers if not _inside(m, span)]
        modifiers += self._closing_denial(mention, sentence_modifiers)
        categories = {m.category for m in modifiers}
        if "OTHER_PERSON" in categories:
            # "his wife had dry needling to her upper trapezius": not the patient's, at any time
            cue = self._nearest(span, modifiers, {"OTHER_PERSON"})
            self._set(mention, "mentioned", FIRM, cue)
            return
        firm = (
            ("NOT_TREATED", "negated"),
            ("PLANNED", "planned"),
            ("HISTORICAL", "historical"),
            ("PALPATED_ONLY", "palpated_only"),
        )
        for category, status in firm:
            if category in categories and not (
                category == "HISTORICAL" and "CURRENT" in categories
            ):
                self._set(mention, status, FIRM, self._nearest(span, modifiers, {category}))
                if status in ("negated", "planned"):
                    for m in modifiers:
                        if m.category in _EVENT_CATEGORIES:
                            denied.setdefault(m.modifier_span, set()).add(status)
                return
        for category in _FIRM_MENTIONED:
            if category in categories:
                cue = self._nearest(span, modifiers, {category})
                self._set(mention, "mentioned", FIRM, cue)
                event = by_modifier.get(cue) if cue else None
                if event is not None:
                    event.bind(span, "clause")
                return
        chosen = self._reaching_event(
            mention, modifiers, by_modifier, proven, weak_ok, injected_in, events
        )
        if chosen is not None:
            event, cue = chosen
            self._tie(mention, event, "clause", cue)
            return
        if "OTHER_TREATMENT" in categories:
            self._set(mention, "mentioned", OTHER_TREATMENT, None)
        elif "PALPATED" in categories and not self._denied_findings(span, modifiers):
            cue = self._nearest(span, modifiers, {"PALPATED"})
            self._set(mention, "palpated_only", WEAK, cue)
        elif categories & {"COMPLAINT", "EXAMINED", "PROCEDURE", "INJECTION_WORD", "NEEDLE_WORD"}:
            self._set(mention, "mentioned", WEAK, None)

    @staticmethod
    def _denied_findings(span: Span, modifiers: list[Any]) -> bool:
        """ "L upper trapezius: mild tenderness, no trigger point": the trigger point words that
        reach the muscle all name a finding the note denies."""
        denied = {
            (s.start, s.end)
            for s in target_spans(span.doc)
            if s.label_ == "FINDING" and s._.status == "negated"
        }
        words = [m.modifier_span for m in modifiers if m.category == "PALPATED"]
        return bool(words) and all(any(a <= w[0] and w[1] <= b for a, b in denied) for w in words)

    @staticmethod
    def _closing_denial(mention: _Mention, sentence_modifiers: list[Any]) -> list[Any]:
        """ "R SCM to be needled at the next visit - not done today": a denial that closes the
        mention's clause, with no other muscle or clause break between them, is about it even
        past the reach ConText gives it."""
        span = mention.span
        doc = span.doc
        out = []
        for m in sentence_modifiers:
            if m.category != "NOT_TREATED" or m.direction.upper() == "FORWARD":
                continue
            start = m.modifier_span[0]
            if start < span.end or start - span.end > _CLOSING_REACH or m in span._.modifiers:
                continue
            gap = doc[span.end : start]
            if any(t.text in (",", ";", ".") for t in gap):
                continue
            if any(
                other.category == "TERMINATE" and span.end <= other.modifier_span[0] < start
                for other in sentence_modifiers
            ):
                continue
            targets = target_spans(doc)
            if any(s.label_ in _MUSCLE_LIKE and span.end <= s.start < start for s in targets):
                continue
            out.append(m)
        return out

    def _reaching_event(
        self,
        mention: _Mention,
        modifiers: list[Any],
        by_modifier: dict[tuple[int, int], ProcedureEvent],
        proven: set[str],
        weak_ok: bool,
        injected_in: set[int],
        events: list[ProcedureEvent],
    ) -> tuple[ProcedureEvent, tuple[int, int]] | None:
        """The procedure whose words reach the mention, nearest first; another treatment
        nearer than the needling ("manual therapy to R UT, then DN to L levator") keeps the
        mention out, unless the two are coordinated ("manual therapy and DN to R UT")."""
        span = mention.span
        candidates = sorted(
            (m for m in modifiers if m.category in _EVENT_CATEGORIES),
            key=lambda m: _distance(m, span),
        )
        other: Any | None = None
        for m in candidates:
            if m.category == "OTHER_TREATMENT":
                other = other or m
                continue
            event = self._event_for(m, mention, by_modifier, proven, weak_ok, injected_in, events)
            if event is None:
                continue
            if other is not None and not self._coordinated(span.doc, other, m):
                return None
            return event, m.modifier_span
        return None

    def _event_for(
        self,
        m: Any,
        mention: _Mention,
        by_modifier: dict[tuple[int, int], ProcedureEvent],
        proven: set[str],
        weak_ok: bool,
        injected_in: set[int],
        events: list[ProcedureEvent],
    ) -> ProcedureEvent | None:
        if m.category == "PROCEDURE":
            # "treated", "performed": the procedure the note proved, if it proved one
            if not (proven and weak_ok):
                return None
            here = [e for e in events if e.sentence == mention.sentence and e.billable_today]
            return here[0] if here else self._proven_event(events, proven)
        event = by_modifier.get(m.modifier_span)
        if event is None:
            return None
        if m.category == "NEEDLE_WORD" and (
            mention.sentence in injected_in
            or any(e.sentence == mention.sentence and e.kind == "acupuncture" for e in events)
            or (
                event.section in self._section_kind
                and self._section_kind[event.section] == "acupuncture"
            )
        ):
            return None  # the injection's needle; needles at acupuncture points
        if event.kind not in ("dry_needling", "trigger_point_injection"):
            return event if event.kind in ("chemodenervation", "acupuncture") else None
        if event.strength == "weak" and (event.kind not in proven or not weak_ok):
            return None
        return event

    @staticmethod
    def _proven_event(events: list[ProcedureEvent], proven: set[str]) -> ProcedureEvent | None:
        for kind in ("dry_needling", "trigger_point_injection"):
            if kind in proven:
                return next(e for e in events if e.kind == kind and e.billable_today)
        return None

    @staticmethod
    def _coordinated(doc: Doc, a: Any, b: Any) -> bool:
        first, second = sorted((a, b), key=lambda m: m.modifier_span[0])
        gap = doc[first.modifier_span[1] : second.modifier_span[0]]
        return all(t.lower_ in _COORDINATION or t.is_space for t in gap)

    # --- templates -------------------------------------------------------------------------
    def _checkboxes(self, mentions: list[_Mention], template: Template) -> None:
        previous_end = 0
        for mention in mentions:
            span = mention.span
            state = template.box_before(span, previous_end)
            previous_end = span.end_char
            span._.checkbox = state
            if state == "unchecked" and span._.status != "treated":
                # an unchecked box is no treatment, whatever the heading above says
                self._set(mention, span._.status or "mentioned", FIRM, None)

    def _tables(
        self,
        mentions: list[_Mention],
        template: Template,
        events: list[ProcedureEvent],
        proven: set[str],
    ) -> None:
        for mention in mentions:
            row = template.row_of(mention.span)
            if row is None or row.is_header or not template.is_treatment_table(row):
                continue
            if mention.strength == FIRM:
                continue
            verdict = template.row_verdict(row)
            if verdict is not None:
                self._set(mention, verdict, FIRM, None)
                continue
            kind = (
                "trigger_point_injection"
                if template.is_injection_table(row) and "trigger_point_injection" in proven
                else "dry_needling"
            )
            event = next((e for e in events if e.kind == kind and e.billable_today), None)
            if event is not None and mention.strength in (UNDECIDED, WEAK):
                self._tie(mention, event, "list", None)

    def _substances(self, mentions: list[_Mention], events: list[ProcedureEvent]) -> None:
        for event in events:
            if event.source != "substance":
                continue
            for mention in mentions:
                if mention.sentence != event.sentence or mention.strength not in (UNDECIDED, WEAK):
                    continue
                if event.kind == "chemodenervation":
                    event.bind(mention.span, "substance")
                    self._set(mention, "mentioned", FIRM, (event.start, event.end))
                elif event.kind == "trigger_point_injection" and event.done_today:
                    self._tie(mention, event, "substance", (event.start, event.end))

    # --- sections and header lines ------------------------------------------------------------
    def _sections_and_headers(
        self,
        doc: Doc,
        mentions: list[_Mention],
        events: list[ProcedureEvent],
        effective: list[ProcedureEvent],
        modifiers: list[list[Any]],
    ) -> None:
        sections = sentence_sections(doc)
        chains = header_chains(doc, sections)
        leads = lead_ins(doc, sections)
        named = {m.sentence for m in mentions if m.span.label_ == "MUSCLE"}
        section_start: dict[int, int] = {}
        for i, category in enumerate(sections):
            if i == 0 or category != sections[i - 1]:
                start = i
            section_start[i] = start
        for mention in mentions:
            if mention.strength not in (UNDECIDED, WEAK):
                continue
            i = mention.sentence
            category = sections[i]
            event: ProcedureEvent | None = None
            how = "section"
            if category in self._section_kind:
                kind = self._section_kind[category]
                if kind == "acupuncture":
                    self._set(mention, "mentioned", FIRM, None)
                    continue
                event = self._first_event(effective, kind, section_start[i], i, category)
            elif category in self._generic_sections:
                # "Procedure: dry needling\nR UT x4\nL levator x3": the section's list lines;
                # a line about another intervention ("NMR: ... lower trap recruitment") is not
                if _list_like(sentences(doc)[i], mentions):
                    event = self._first_event(effective, None, section_start[i], None, category)
                event = event or self._first_event(
                    [e for e in events if e.kind in _NOT_BILLED and e.strength == "strong"],
                    None,
                    section_start[i],
                    None,
                    category,
                )
            if event is None and (chains[i] or leads[i]):
                how = "list"
                event = next(
                    (
                        e
                        for head in [*chains[i], *leads[i]]
                        for e in effective
                        if e.sentence == head and head not in named
                    ),
                    None,
                )
            if event is None:
                if (
                    mention.strength == UNDECIDED
                    and self._palpation_header(chains[i], modifiers)
                    and _on_list_line(doc, mention.span)
                ):
                    # "TRIGGER POINTS IDENTIFIED ON EXAM:\n- R piriformis (active)"
                    self._set(mention, "palpated_only", WEAK, None)
                continue
            if event.done_today:
                self._tie(mention, event, how, (event.start, event.end))
            elif mention.strength == UNDECIDED:
                status = {"planned": "planned", "past": "historical", "not_done": "negated"}
                self._set(mention, status.get(event.time, "mentioned"), FIRM, None)

    @staticmethod
    def _palpation_header(chain: list[int], modifiers: list[list[Any]]) -> bool:
        """The nearest header above a list line speaks of trigger points found."""
        return bool(chain) and any(m.category == "PALPATED" for m in modifiers[chain[0]])

    @staticmethod
    def _first_event(
        events: list[ProcedureEvent],
        kind: str | None,
        first: int,
        last: int | None,
        category: str | None,
    ) -> ProcedureEvent | None:
        """The procedure a section is about: one of its kind in the section (from its first
        sentence on, up to ``last`` when given)."""
        for event in events:
            if event.sentence < first or (last is not None and event.sentence > last):
                continue
            if event.section != category:
                continue
            if kind is None and event.kind in _BILLABLE and event.billable_today:
                return event
            if kind is None and event.kind in _NOT_BILLED and event.done_today:
                return event  # the muscles of a chemodenervation or acupuncture section
            if kind is not None and event.kind == kind:
                return event
        return None

    # --- anaphora ------------------------------------------------------------------------------
    def _anaphora_back(
        self,
        doc: Doc,
        mentions: list[_Mention],
        events: list[ProcedureEvent],
        sents: list[Span],
    ) -> None:
        """ "Both were needled", "that muscle was dry needled only", "1 mL into each of these
        TrPs": a procedure done today that reaches no muscle ties the muscles named just
        before it (the nearest one for "that muscle"; the run of lines naming muscles right
        before it for "both", "each", "these")."""
        text = doc_text(doc)
        paragraph = _paragraphs(doc, sents)
        for event in events:
            if not event.billable_today or event.source != "words":
                continue
            sent = sents[event.sentence]
            words = doc[event.start : event.end]
            if self._anaphora_object.match(text[words.end_char : sent.end_char]):
                # "we did needle it": the nearest muscle before, whatever was planned for it
                nearest = [m for m in mentions if m.span.end <= event.start][-1:]
                for mention in nearest:
                    if mention.span._.status not in ("negated", "historical"):
                        self._tie(mention, event, "anaphora", (words.start, words.end))
                continue
            if event.muscles:
                continue
            before = [
                m
                for m in mentions
                if m.span.end <= event.start and paragraph[m.sentence] == paragraph[event.sentence]
            ]
            after = [m for m in mentions if m.span.start >= event.end]
            own = [m for m in before if m.sentence == event.sentence]
            start = own[-1].span.end_char if own else sent.start_char
            stop = sent.end_char
            if after and after[0].sentence == event.sentence:
                stop = after[0].span.start_char
            window = text[start:stop]
            if self._anaphora_single.search(window) and before:
                chosen = before[-1:]
            elif self._anaphora.search(window):
                chosen = _last_run(before)
            else:
                continue
            again = "again" in window.lower()
            for mention in chosen:
                status = mention.span._.status
                if (
                    (event.kind == "trigger_point_injection" and status == "treated")
                    or mention.strength != FIRM
                    or (again and status == "historical")
                ):
                    self._tie(mention, event, "anaphora", (words.start, words.end))

    def _same_sentence(self, mentions: list[_Mention], effective: list[ProcedureEvent]) -> None:
        """ "I needled the scalenes, the SCM and the levator; then on the right just the upper
        trap": a muscle no word decided, in the sentence of a procedure done today, is part of
        it (the verb is said once for both clauses)."""
        for mention in mentions:
            if mention.strength != UNDECIDED or mention.span._.checkbox == "unchecked":
                continue
            # after the procedure's words: the list goes on ("..., then just the upper trap")
            here = [
                e
                for e in effective
                if e.sentence == mention.sentence
                and e.billable_today
                and e.end <= mention.span.start
            ]
            if here:
                event = min(here, key=lambda e: abs(e.start - mention.span.start))
                self._tie(mention, event, "clause", (event.start, event.end))

    # --- writing ---------------------------------------------------------------------------
    def _tie(
        self,
        mention: _Mention,
        event: ProcedureEvent,
        how: str,
        cue: tuple[int, int] | None,
    ) -> None:
        span = mention.span
        event.bind(span, how)
        if event.kind == "chemodenervation" or event.kind == "acupuncture":
            self._set(mention, "mentioned", FIRM, cue)
            return
        status = {
            "today": "treated",
            "planned": "planned",
            "past": "historical",
            "not_done": "negated",
            "asked": "mentioned",
        }[event.time]
        if event.experiencer != "patient":
            status = "mentioned"
        self._set(mention, status, FIRM, cue or (event.start, event.end))
        if status == "treated":
            span._.technique = self._kind[event.kind].technique
            span._.binding = how
            span._.event = event

    @staticmethod
    def _nearest(span: Span, modifiers: list[Any], categories: set[str]) -> tuple[int, int] | None:
        best = min(
            (m for m in modifiers if m.category in categories),
            key=lambda m: _distance(m, span),
            default=None,
        )
        return best.modifier_span if best is not None else None

    @staticmethod
    def _set(mention: _Mention, status: str, strength: str, cue: tuple[int, int] | None) -> None:
        span = mention.span
        span._.status = status
        mention.strength = strength
        if cue is not None:
            words = span.doc[cue[0] : cue[1]]
            span._.status_cue = (words.start_char, words.end_char)
