"""Ties from the note's structure: template tables (boxes on names are ``boxed_names.py``),
procedure sections and header lines, the list after a procedure statement, and injected
substances (words that point back are ``anaphora.py``).

``binding.py`` first decides each mention from its own words; the ties here only lift
mentions no word decided firmly (see :mod:`scribe.nlp.mentions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from scribe.lexicons import any_of
from scribe.nlp.dates import NoteDates
from scribe.nlp.extensions import doc_text, sentences, span_text
from scribe.nlp.injections import opens_its_sentence
from scribe.nlp.mentions import (
    BILLABLE,
    FIRM,
    NOT_BILLED,
    UNDECIDED,
    WEAK,
    Mention,
    decide,
    tie,
)
from scribe.nlp.muscle_lists import (
    after_a_semicolon,
    continued_list,
    list_like,
    listed_after_its_procedure,
    on_list_line,
    sole_list_of_a_bare_procedure,
    then_the_next_list,
    today_list,
)
from scribe.nlp.sections import sentence_sections
from scribe.nlp.templates import Template, header_chains, lead_ins
from scribe.schemas.lexicon import ProcedureLexicon

if TYPE_CHECKING:
    from scribe.nlp.procedure_event import ProcedureEvent


_RUN_ON = 40  # tokens: a sentence this long is a run-on
_DRUG_REACH = 12  # tokens: how far a dosed drug reaches in a run-on for the names it went into


def _apart(span: Span, event: ProcedureEvent) -> int:
    return span.start - event.end if span.start >= event.end else event.start - span.end


class StructureTies:
    """Ties from structure, given the procedures and the mentions of one doc."""

    def __init__(self, spec: ProcedureLexicon, statements: dict[str, list[str]]) -> None:
        self._technique: dict[str, str | None] = {k.id: k.technique for k in spec.kinds}
        self._section_kind = dict(spec.sections.binding)
        self._generic_sections = frozenset(spec.sections.generic)
        self._about_the_procedure = any_of(statements.get("about_the_procedure", []))
        self._routes = any_of(list(spec.injections.not_trigger_point_routes))
        self._dates = NoteDates(
            statements.get("service_date_label", []), statements.get("not_a_visit_date_label", [])
        )

    @property
    def technique(self) -> dict[str, str | None]:
        """The technique of each procedure kind ("needling", "injection")."""
        return self._technique

    def _tie(
        self, mention: Mention, event: ProcedureEvent, how: str, cue: tuple[int, int] | None
    ) -> None:
        tie(mention, event, how, cue, self._technique.get(event.kind))

    @staticmethod
    def _set(mention: Mention, status: str, strength: str, cue: tuple[int, int] | None) -> None:
        decide(mention, status, strength, cue)

    def other_routes(self, doc: Doc, mentions: list[Mention], events: list[ProcedureEvent]) -> None:
        """ "Cyanocobalamin 1000 mcg IM, L deltoid", "Influenza vaccine 0.5 mL IM, R deltoid": a
        muscle named as the site of an intramuscular drug, in a sentence with no needling or
        trigger point injection of its own, is no treated muscle, whatever points back later
        ("Tolerated all injections well")."""
        sents = sentences(doc)
        for mention in mentions:
            if mention.strength not in (UNDECIDED, WEAK):
                continue
            if not self._routes.search(span_text(sents[mention.sentence])):
                continue
            if any(e.sentence == mention.sentence and e.kind in BILLABLE for e in events):
                continue
            self._set(mention, "mentioned", FIRM, None)

    def dated_lines(self, doc: Doc, mentions: list[Mention]) -> None:
        """ "PRIOR DN LOG | 10/02/2026 | R UT, R levator scapulae |": a muscle that a heading,
        a section or a list made treated, on a line dated another day than the date of
        service, was treated that day, not today. A muscle its own sentence's procedure
        treated is dated with that procedure (``events.py``)."""
        for mention in mentions:
            span = mention.span
            if span._.status != "treated" or span._.binding in (None, "clause"):
                continue
            dated = self._dates.line_of_another_day(doc, span)
            if dated is None:
                continue
            words = doc.char_span(*dated, alignment_mode="expand")
            self._set(
                mention, "historical", FIRM, None if words is None else (words.start, words.end)
            )

    # --- templates -------------------------------------------------------------------------
    def tables(
        self,
        mentions: list[Mention],
        template: Template,
        events: list[ProcedureEvent],
        proven: set[str],
    ) -> None:
        for mention in mentions:
            row = template.row_of(mention.span)
            if mention.strength in (UNDECIDED, WEAK):
                # "Dry needling | R UT ...\n     | R levator scapulae - TrP, jump sign |": the
                # procedure the row above names in the column this row leaves empty
                cell = template.leading_cell(mention.span)
                doc = mention.span.doc
                led = next(
                    (
                        e
                        for e in events
                        if cell is not None and cell[0] <= doc[e.start].idx < cell[1]
                    ),
                    None,
                )
                if led is not None and (row is None or template.row_verdict(row) is None):
                    self._tie(mention, led, "list", (led.start, led.end))
                    continue
            if row is None or row.is_header or not row.is_treatment:
                continue
            if mention.strength == FIRM:
                continue
            verdict = template.row_verdict(row)
            if verdict is not None:
                self._set(mention, verdict, FIRM, None)
                continue
            kind = (
                "trigger_point_injection"
                if template.row_injected(row) and "trigger_point_injection" in proven
                else "dry_needling"
            )
            event = next((e for e in events if e.kind == kind and e.billable_today), None)
            if event is not None and mention.strength in (UNDECIDED, WEAK):
                self._tie(mention, event, "list", None)

    def substances(self, mentions: list[Mention], events: list[ProcedureEvent]) -> None:
        """A dosed drug with no injection word of its own gives the names of its sentence to
        its injection; in a recogniser's run-on, only those of its clause, near it ("..., taut
        bands in the left glute med and TFL, consent signed, so the left piriformis got one cc
        of lidocaine ...")."""
        for event in events:
            if event.source != "substance":
                continue
            for mention in mentions:
                if mention.sentence != event.sentence or mention.strength not in (UNDECIDED, WEAK):
                    continue
                sent = mention.span.sent
                if len(sent) > _RUN_ON and _apart(mention.span, event) > _DRUG_REACH:
                    continue
                if event.kind == "chemodenervation":
                    event.bind(mention.span, "substance")
                    self._set(mention, "mentioned", FIRM, (event.start, event.end))
                elif event.kind == "trigger_point_injection" and event.done_today:
                    self._tie(mention, event, "substance", (event.start, event.end))

    # --- sections and header lines ------------------------------------------------------------
    def sections_and_headers(
        self,
        doc: Doc,
        mentions: list[Mention],
        events: list[ProcedureEvent],
        effective: list[ProcedureEvent],
        modifiers: list[list[Any]],
    ) -> None:
        sections = sentence_sections(doc)
        chains = header_chains(doc, sections)
        leads = lead_ins(doc, sections)
        named = {m.sentence for m in mentions if m.span.label_ == "MUSCLE"}
        listing = [e for e in events if e.kind in BILLABLE and e.proven]
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
                # "TrP also found in L) piriformis; only the glut meds and TFL were needled":
                # a sentence that says what was needled decides its own names
                own = any(
                    e.sentence == i and e.strength == "strong" and e.muscles for e in effective
                )
                if mention.strength == UNDECIDED or not own:
                    event = self._first_event(effective, kind, section_start[i], i, category)
            elif category in self._generic_sections:
                # "Procedure: dry needling\nR QL x5\nR piriformis x2": the section's list lines;
                # a line about another intervention ("NMR: ... lower trap recruitment") is not
                if list_like(sentences(doc)[i], mentions):
                    # "1) TPI, R QL ... 2) Dry needling, R glute med ... LTRs in glute med":
                    # the procedure said last before the line, else the section's first; a
                    # chemodenervation or acupuncture said last before it keeps the line
                    # ("PROCEDURE 1: Chemodenervation ...\n SCM L 40 ...\nPROCEDURE 2: DN")
                    event = self._last_event_before(doc, effective, section_start[i], i, category)
                    other = self._last_not_billed_before(events, section_start[i], i, category)
                    if other is not None and (event is None or other.start > event.start):
                        event = other
                    event = event or self._first_event(
                        effective, None, section_start[i], None, category
                    )
                event = event or self._first_event(
                    [e for e in events if e.kind in NOT_BILLED and e.strength == "strong"],
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
            if event is None and mention.strength == UNDECIDED:
                how = "list"
                # a bare list shares the time of the procedure it goes on from, today's or
                # another day's ("after DN on 07/12\n(R glute med, R piriformis)")
                event = continued_list(doc, i, mentions, listing, sections)
                event = event or listed_after_its_procedure(
                    doc, i, mentions, listing, self._about_the_procedure
                )
                event = event or then_the_next_list(doc, i, mentions, effective)
                event = event or after_a_semicolon(mention, mentions, effective)
                event = event or sole_list_of_a_bare_procedure(doc, i, mentions, listing, sections)
            # a finding said after the list ("..., taut bands in both") does not take it out
            # of today's procedure; a complaint or an exam word does
            listed = mention.strength == UNDECIDED or mention.span._.status == "palpated_only"
            if event is None and mention.strength in (UNDECIDED, WEAK) and listed:
                event = today_list(doc, mention, mentions, modifiers[i], effective)
            if event is None:
                if (
                    mention.strength == UNDECIDED
                    and self._palpation_header(chains[i], modifiers)
                    and on_list_line(doc, mention.span)
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
            if kind is None and event.kind in BILLABLE and event.billable_today:
                return event
            if kind is None and event.kind in NOT_BILLED and event.done_today:
                return event  # the muscles of a chemodenervation or acupuncture section
            if kind is not None and event.kind == kind:
                return event
        return None

    @staticmethod
    def _last_event_before(
        doc: Doc, events: list[ProcedureEvent], first: int, last: int, category: str | None
    ) -> ProcedureEvent | None:
        """The billable procedure done today named last in a section (by its name, not a
        "needle" that may be an injection's; or by the words that head a list, "Injected,
        1% lidocaine, 1 mL per site:"), from its sentence ``first`` up to ``last``."""
        sents = sentences(doc)
        return next(
            (
                e
                for e in reversed(events)
                if first <= e.sentence <= last
                and e.section == category
                and e.kind in BILLABLE
                and e.billable_today
                and (
                    e.strength == "strong"
                    or (
                        opens_its_sentence(doc, e) and sents[e.sentence].text.rstrip().endswith(":")
                    )
                )
            ),
            None,
        )

    @staticmethod
    def _last_not_billed_before(
        events: list[ProcedureEvent], first: int, last: int, category: str | None
    ) -> ProcedureEvent | None:
        """The chemodenervation or acupuncture done today named last in a section, by its name,
        from its sentence ``first`` up to ``last``."""
        return next(
            (
                e
                for e in reversed(events)
                if first <= e.sentence <= last
                and e.section == category
                and e.kind in NOT_BILLED
                and e.done_today
                and e.strength == "strong"
            ),
            None,
        )

    def same_sentence(self, mentions: list[Mention], effective: list[ProcedureEvent]) -> None:
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
                # not from beyond the words that kept a procedure from it
                and all(e.start >= end for _, end in mention.cut_from)
            ]
            if here:
                event = min(here, key=lambda e: abs(e.start - mention.span.start))
                self._tie(mention, event, "clause", (event.start, event.end))


def headings_follow_their_section(doc: Doc, events: list[ProcedureEvent]) -> None:
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


def paragraphs(doc: Doc, sents: list[Span]) -> list[int]:
    """The paragraph number of each sentence (paragraphs end at blank lines)."""
    text = doc_text(doc)
    numbers: list[int] = []
    number = 0
    previous_end = 0
    for sent in sents:
        if text.count("\n", previous_end, sent.start_char) >= 2:
            number += 1
        numbers.append(number)
        # (a sentence's span may hold the line breaks after it: "not injected.\n\n")
        previous_end = sent.start_char + len(text[sent.start_char : sent.end_char].rstrip())
    return numbers
