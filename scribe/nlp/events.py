"""Procedures are events; muscles are their targets.

The words of ``lexicons/context_rules.yaml`` that name a procedure ("dry needled", "trigger
point injection", "acupuncture", "needle EMG", "injected") become :class:`ProcedureEvent`
records with a kind, a time (today, planned, past, not done, asked) and an experiencer (the
patient or someone else), decided by the ConText words whose scope covers them and by the
section they are in (``lexicons/procedures.yaml``). Injections are resolved: into a trigger
point, chemodenervation with botulinum toxin, or another injection.

``binding.py`` then ties muscles to these events; this component owns the result: a muscle
mention is ``treated`` only when a dry needling or trigger point injection done today, to the
patient, reaches it, and the event records how (needled or injected) and by which words.

Reads: sentences, sections and document kind, targets (substance statuses from
``scribe_assertion``), ConText modifiers. Writes: ``doc._.procedures`` and, on muscle and group
mentions, ``status``, ``status_cue``, ``technique``, ``binding``, ``event``, ``checkbox``.
"""

import re
from bisect import bisect_right
from pathlib import Path
from typing import Any

from medspacy.util import tuple_overlaps
from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons, load_lexicons
from scribe.nlp.binding import MuscleBinder
from scribe.nlp.dates import NoteDates
from scribe.nlp.dry_injections import doses_after, dry_injections
from scribe.nlp.extensions import (
    by_sentence,
    doc_lower,
    doc_text,
    register_extensions,
    sentences,
    span_text,
    target_spans,
)
from scribe.nlp.injections import InjectionResolver
from scribe.nlp.procedure_event import (
    BILLABLE,
    INJECTION_KINDS,
    EventTime,
    ProcedureEvent,
    is_question,
    said_done_today,
)
from scribe.nlp.sections import sentence_sections
from scribe.nlp.time_reach import gap, negates, reaches, said_before
from scribe.nlp.unreported import UnreportedProcedures, answered_not_done, in_an_unchecked_box
from scribe.nlp.wet_needling import wet_needling
from scribe.nlp.withdrawn import WithdrawnProcedures
from scribe.schemas.lexicon import ProcedureLexicon

__all__ = ["EventExtractor", "ProcedureEvent", "is_question", "modifiers_by_sentence"]
_MALE = frozenset("he him his himself mr man male gentleman".split())
_FEMALE = frozenset("she her hers herself mrs ms woman female lady".split())
_MALE_PEOPLE = frozenset(
    "husband husband's father father's dad dad's son son's brother brother's boyfriend "
    "grandfather uncle".split()
)
_FEMALE_PEOPLE = frozenset(
    "wife wife's mother mother's mom mom's daughter daughter's sister sister's girlfriend "
    "grandmother aunt".split()
)


class EventFinder:
    """Procedure events of a doc, their time, experiencer and (for injections) kind."""

    def __init__(self, lexicons: Lexicons) -> None:
        spec: ProcedureLexicon = lexicons.procedures
        self.spec = spec
        self._trigger = {t.category: t for t in spec.triggers}
        self._acupuncture_takes = frozenset(spec.acupuncture_takes)
        self._ignored = frozenset(spec.sections.ignored)
        self._not_today = frozenset(spec.sections.past) | frozenset(spec.sections.planned)
        time = spec.time
        self._time_of = {
            **dict.fromkeys(time.past, "past"),
            **dict.fromkeys(time.planned, "planned"),
            **dict.fromkeys(time.not_done, "not_done"),
        }
        self._current = frozenset(time.current)
        self._other = frozenset(time.other_person)
        self._injections = InjectionResolver(lexicons)
        self._section_kind: dict[str, str] = {
            str(c): str(k)
            for c, k in spec.sections.binding.items()
            if k in ("dry_needling", "trigger_point_injection")
        }
        statements = lexicons.statements.statements
        self._done = re.compile(
            "|".join(f"(?:{p})" for p in statements.get("done_evidence", [])) or "$^", re.I
        )
        self._nothing_injected = re.compile(
            "|".join(f"(?:{p})" for p in statements["none_injected"]), re.I
        )
        self._needles_only = re.compile(
            "|".join(f"(?:{p})" for p in statements.get("dry_needling_only", [])) or "$^", re.I
        )
        self._response = re.compile(
            "|".join(f"(?:{p})" for p in statements.get("response_words", [])) or "$^", re.I
        )
        self._dates = NoteDates(
            statements.get("service_date_label", []), statements.get("not_a_visit_date_label", [])
        )

    # --- events from words -------------------------------------------------------------------
    def find(self, doc: Doc, modifiers: list[list[Any]]) -> list[ProcedureEvent]:
        sents = sentences(doc)
        sections = sentence_sections(doc)
        targets = by_sentence(doc, target_spans(doc))
        gender = _patient_gender(doc)
        events: list[ProcedureEvent] = []
        others_before: set[str] = set()  # genders of other people named in the last sentence
        done = _done_in_section(
            [bool(self._done.search(span_text(sent))) for sent in sents], sections
        )
        for i, (sent, mods) in enumerate(zip(sents, modifiers, strict=True)):
            asked = is_question(sent)
            pronoun_other = self._pronoun_other(doc, sent, others_before, gender)
            if sections[i] in self._ignored:
                continue
            for m in mods:
                trigger = self._trigger.get(m.category)
                if trigger is None or trigger.kind is None:
                    continue
                start, end = m.modifier_span
                if trigger.strength == "weak" and _denied_finding(targets[i], start, end):
                    continue  # "tender no twitch": a twitch denied proves no needling
                event = ProcedureEvent(trigger.kind, trigger.strength, start, end, i, sections[i])
                event.category = m.category
                if trigger.strength == "weak" and sections[i] in self._section_kind:
                    # "Muscles:", "needles" under "PROCEDURE 1 - TRIGGER POINT INJECTIONS":
                    # words that prove nothing alone speak of their section's procedure
                    event.kind = self._section_kind[str(sections[i])]
                self._set_time(doc, sent, event, m, mods, sections[i], asked=asked, done=done[i])
                if pronoun_other:
                    event.experiencer = "other"
                events.append(event)
            events += self._injections.substance_events(
                sent, i, targets[i], mods, sections[i], events
            )
            others_before = self._other_people(doc, mods)
        _speak_of_the_heading(events, targets)
        if any(e.kind == "acupuncture" and e.done_today for e in events):
            for event in events:
                if event.category in self._acupuncture_takes:
                    event.kind = "acupuncture"  # "SI11 needled in the infraspinatus fossa"
        denied = [m.span() for m in self._nothing_injected.finditer(doc_text(doc))]
        # "just dry needling" in a note that names no drug injected and no trigger point
        # injection: a bare "injected" is none ("good twitch, known medication was injected,
        # just dry needling": a recogniser's "no"); in a note of both procedures, "the left
        # piriformis was dry needled only" speaks of that muscle
        needles_alone = (
            bool(self._needles_only.search(doc_text(doc)))
            and not self._injections.names_a_drug(targets)
            and not said_done_today(events, "trigger_point_injection")
        )
        for event in events:
            if event.kind in INJECTION_KINDS:
                words = doc[event.start : event.end]
                if any(a <= words.start_char and words.end_char <= b for a, b in denied):
                    event.time = "not_done"  # "nothing was injected", "no medication injected"
                    continue
                if needles_alone and event.kind == "injection" and not doses_after(doc, event):
                    event.time = "not_done"
                    continue
                self._injections.resolve(doc, event, events, targets)
        dry_injections(doc, events, targets, denied, sections, self._not_today)
        wet_needling(events, targets)
        for event in events:
            if event.done_today and event.source == "words":
                words = doc[event.start : event.end]
                text = doc_text(doc)
                if answered_not_done(text, words.start_char, words.end_char):
                    event.time = "not_done"  # "DRY NEEDLING\n[ ] Performed [x] Not performed"
                elif in_an_unchecked_box(text, words.start_char):
                    event.time = "not_done"  # "[ ] Trigger point injection  Drug: ____"
        return events

    def _set_time(
        self,
        doc: Doc,
        sent: Span,
        event: ProcedureEvent,
        modifier: Any,
        mods: list[Any],
        section: str | None,
        *,
        asked: bool,
        done: bool,
    ) -> None:
        """Today unless words whose scope covers the procedure say otherwise, or its section
        does: the history speaks of the past; the plan of the future, unless the plan section
        reports the procedure's response ("P: TDN R UT ... LTR x2. Tol well.")."""
        span = modifier.modifier_span
        found: dict[str, Any] = {}
        current = False
        current_gap = len(doc)  # tokens between the procedure and the nearest "today"
        named = {
            i
            for s in target_spans(doc)
            if s.label_ in ("MUSCLE", "GROUP") and sent.start <= s.start < sent.end
            for i in range(s.start, s.end)
        }
        for other in mods:
            if other is modifier or tuple_overlaps(other.modifier_span, span):
                continue
            covers = other.allows("MUSCLE") and reaches(other, span, sent, named)
            if other.category in self._current and covers:
                current = True
                current_gap = min(current_gap, gap(other.modifier_span, span))
            elif other.category in self._other and covers:
                event.experiencer = "other"
            elif other.category in self._time_of and covers:
                found.setdefault(self._time_of[other.category], other)
            elif other.category in ("NOT_TREATED", "NEGATED_EXISTENCE") and negates(
                doc, other, span, named
            ):
                if other.category == "NEGATED_EXISTENCE" and self._response.match(
                    doc[span[0] : span[1]].text
                ):
                    continue  # "no LTR": no twitch, not no needling
                found.setdefault("not_done", other)  # "has not consented to needling"
        times: tuple[EventTime, ...] = ("not_done", "planned", "past")
        if current:
            # run-on speech ("last visit we needled the R QL ... today I went after the R glute
            # med", "today I needled the R levator ... her mom is coming in next week"): a
            # time said before the procedure and nearer than "today" is its own; a time said
            # after it, farther than "today", is another sentence's
            past, planned = found.get("past"), found.get("planned")
            if (
                past is not None
                and said_before(past, span)
                and gap(past.modifier_span, span) < current_gap
            ):
                current = False
            if (
                planned is not None
                and not said_before(planned, span)
                and gap(planned.modifier_span, span) > current_gap
            ):
                del found["planned"]
        for time in times:
            if time in found and not (time == "past" and current):
                event.time = time
                event.time_cue = found[time].modifier_span
                break
        sections = self.spec.sections
        if event.time == "today" and (
            other_note := self._dates.document_of_another_day(doc, doc[event.start].idx)
        ):
            # the note of another visit below today's in an export of several notes
            event.time = "past"
            span = doc.char_span(*other_note, alignment_mode="expand")
            event.time_cue = (span.start, span.end) if span is not None else None
        elif event.time == "today" and not current:
            words = doc[event.start : event.end]
            # the procedure's own line first: a log's rows are often one "sentence"
            dated = self._dates.line_of_another_day(doc, words)
            if dated is None and not self._dates.line_is_dated(doc, words.start_char):
                dated = self._dates.another_day(doc, sent, words)
            if dated is not None:
                # "TDN performed 02/11 to R ECRB" in the note of 02/18
                event.time = "past"
                span = doc.char_span(*dated, alignment_mode="expand")
                event.time_cue = (span.start, span.end) if span is not None else None
            elif section in sections.past:
                event.time = "past"
            elif section in sections.planned and not done:
                event.time = "planned"
        if section in sections.other_person:
            event.experiencer = "other"
        if asked:
            event.time = "asked"

    def _other_people(self, doc: Doc, mods: list[Any]) -> set[str]:
        genders: set[str] = set()
        for m in mods:
            if m.category in self._other:
                words = {t.lower_ for t in doc[m.modifier_span[0] : m.modifier_span[1]]}
                if words & _MALE_PEOPLE:
                    genders.add("male")
                if words & _FEMALE_PEOPLE:
                    genders.add("female")
        return genders

    @staticmethod
    def _pronoun_other(doc: Doc, sent: Span, others: set[str], patient: str | None) -> bool:
        """ "Her husband came in too. His upper trapezius was needled": a sentence right after
        another person was named, speaking of "he"/"his" when the patient is "she"."""
        if not others:
            return False
        words = {t.lower_ for t in sent}
        said = {g for g, pronouns in (("male", _MALE), ("female", _FEMALE)) if words & pronouns}
        return any(g in others and g != patient for g in said)


# how many sentences back a procedure named on a line of its own still heads the words below it
_HEADING_REACH = 2


def _speak_of_the_heading(events: list[ProcedureEvent], targets: list[list[Span]]) -> None:
    """ "[X] Procedure B: Trigger point injections / Muscles: R glute med, R piriformis": words
    that imply a needle and prove nothing alone ("Muscles:", "needles", "LTR"), in a sentence
    that names no procedure of its own, speak of the procedure named just above them in a
    sentence that names no muscle (as under a section's heading)."""
    strong = [e for e in events if e.strength == "strong" and e.source == "words"]
    for event in events:
        if event.category != "NEEDLE_WORD" or event.source != "words" or event.section is not None:
            continue
        if any(e.sentence == event.sentence for e in strong):
            continue
        above = [
            e
            for e in strong
            if event.sentence - _HEADING_REACH <= e.sentence < event.sentence and e.kind in BILLABLE
        ]
        if not above:
            continue
        heading = max(above, key=lambda e: e.start)
        if not any(t.label_ == "MUSCLE" for t in targets[heading.sentence]):
            event.kind = heading.kind


def _done_in_section(done: list[bool], sections: list[str | None]) -> list[bool]:
    """Whether each sentence's section reports a procedure as done."""
    out = list(done)
    start = 0
    for i in range(1, len(sections) + 1):
        if i == len(sections) or sections[i] != sections[start]:
            if any(done[start:i]):
                out[start:i] = [True] * (i - start)
            start = i
    return out


def _denied_finding(targets: list[Span], start: int, end: int) -> bool:
    """The words [start, end) are a finding the note denies ("no twitch")."""
    return any(
        t.label_ == "FINDING" and t.start < end and start < t.end and t._.status == "negated"
        for t in targets
    )


def _patient_gender(doc: Doc) -> str | None:
    male = female = 0
    for word in doc_lower(doc):
        if word in _MALE:
            male += 1
        elif word in _FEMALE:
            female += 1
    if male == female:
        return None
    return "male" if male > female else "female"


def modifiers_by_sentence(doc: Doc) -> list[list[Any]]:
    """ConText modifiers grouped by the sentence they start in."""
    sents = sentences(doc)
    graph = doc._.context_graph
    grouped: list[list[Any]] = [[] for _ in sents]
    starts = [sent.start for sent in sents]
    for modifier in graph.modifiers if graph is not None else []:
        grouped[bisect_right(starts, modifier.modifier_span[0]) - 1].append(modifier)
    return grouped


class EventExtractor:
    """The ``scribe_events`` component: events, then the muscles tied to them."""

    def __init__(self, lexicons: Lexicons) -> None:
        self._finder = EventFinder(lexicons)
        self._binder = MuscleBinder(lexicons)
        self._unreported = UnreportedProcedures(lexicons.statements.statements)
        self._withdrawn = WithdrawnProcedures(lexicons.statements.statements)

    def __call__(self, doc: Doc) -> Doc:
        modifiers = modifiers_by_sentence(doc)
        events = self._finder.find(doc, modifiers)
        self._binder.bind(doc, events, modifiers)
        self._unreported(doc, events)
        self._withdrawn(doc, events)
        doc._.procedures = events
        return doc


@Language.factory("scribe_events", default_config={"lexicon_dir": None})
def make_events(nlp: Language, name: str, lexicon_dir: str | None) -> EventExtractor:
    register_extensions()
    return EventExtractor(load_lexicons(Path(lexicon_dir) if lexicon_dir else None))
