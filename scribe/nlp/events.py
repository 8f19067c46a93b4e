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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from medspacy.util import tuple_overlaps
from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons, load_lexicons
from scribe.nlp.binding import MuscleBinder
from scribe.nlp.context import scope_in_sentence
from scribe.nlp.extensions import (
    by_sentence,
    doc_text,
    register_extensions,
    sentences,
    span_text,
    target_spans,
)
from scribe.nlp.sections import sentence_sections
from scribe.schemas.lexicon import ProcedureLexicon

EventTime = Literal["today", "planned", "past", "not_done", "asked"]
Experiencer = Literal["patient", "other"]
BILLABLE = ("dry_needling", "trigger_point_injection")
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


@dataclass
class ProcedureEvent:
    """One procedure the note speaks of; ``muscles`` are the mentions tied to it."""

    kind: str
    strength: str  # "strong" | "weak"
    start: int  # token offsets of the words that name it
    end: int
    sentence: int
    section: str | None
    time: EventTime = "today"
    experiencer: Experiencer = "patient"
    time_cue: tuple[int, int] | None = None  # token offsets of the words that set the time
    source: str = "words"  # "words" | "section" | "substance"
    category: str = ""  # the ConText category of the words
    # strong words prove a procedure; weak ones only when the note proved it otherwise
    proven: bool = False
    muscles: list[Span] = field(default_factory=list)
    bindings: list[str] = field(default_factory=list)  # how each muscle was tied to it

    @property
    def done_today(self) -> bool:
        return self.time == "today" and self.experiencer == "patient"

    @property
    def billable_today(self) -> bool:
        return self.done_today and self.kind in BILLABLE

    def bind(self, span: Span, how: str) -> None:
        if all(s is not span for s in self.muscles):
            self.muscles.append(span)
            self.bindings.append(how)


def is_question(sent: Span) -> bool:
    doc = sent.doc
    for i in range(sent.end - 1, sent.start - 1, -1):
        if not doc[i].is_space:
            return doc[i].text == "?"
    return False


class EventFinder:
    """Procedure events of a doc, their time, experiencer and (for injections) kind."""

    def __init__(self, lexicons: Lexicons) -> None:
        spec: ProcedureLexicon = lexicons.procedures
        self.spec = spec
        self._trigger = {t.category: t for t in spec.triggers}
        self._acupuncture_takes = frozenset(spec.acupuncture_takes)
        self._ignored = frozenset(spec.sections.ignored)
        self._procedure_sections = frozenset(spec.sections.generic) | {
            category for category, kind in spec.sections.binding.items() if kind != "acupuncture"
        }
        time = spec.time
        self._time_of = {
            **dict.fromkeys(time.past, "past"),
            **dict.fromkeys(time.planned, "planned"),
            **dict.fromkeys(time.not_done, "not_done"),
        }
        self._current = frozenset(time.current)
        self._other = frozenset(time.other_person)
        self._routes = re.compile("|".join(spec.injections.not_trigger_point_routes) or "$^", re.I)
        self._tp_findings = frozenset(spec.injections.trigger_point_findings)
        self._chemo_substances = frozenset(spec.injections.chemodenervation_substances)
        self._substance_category = {s.id: s.category for s in lexicons.substances.substances}
        statements = lexicons.statements.statements
        self._done = re.compile(
            "|".join(f"(?:{p})" for p in statements.get("done_evidence", [])) or "$^", re.I
        )
        self._nothing_injected = re.compile(
            "|".join(f"(?:{p})" for p in statements["none_injected"]), re.I
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
                event = ProcedureEvent(trigger.kind, trigger.strength, start, end, i, sections[i])
                event.category = m.category
                self._set_time(doc, sent, event, m, mods, sections[i], asked=asked, done=done[i])
                if pronoun_other:
                    event.experiencer = "other"
                events.append(event)
            events += self._substance_events(sent, i, targets[i], mods, sections[i], events)
            others_before = self._other_people(doc, mods)
        if any(e.kind == "acupuncture" and e.done_today for e in events):
            for event in events:
                if event.category in self._acupuncture_takes:
                    event.kind = "acupuncture"  # "SI11 needled in the infraspinatus fossa"
        denied = [m.span() for m in self._nothing_injected.finditer(doc_text(doc))]
        for event in events:
            if event.kind in ("injection", "trigger_point_injection"):
                words = doc[event.start : event.end]
                if any(a <= words.start_char and words.end_char <= b for a, b in denied):
                    event.time = "not_done"  # "nothing was injected", "no medication injected"
                    continue
                self._resolve_injection(doc, event, events, targets)
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
        named = {
            i
            for s in target_spans(doc)
            if s.label_ in ("MUSCLE", "GROUP") and sent.start <= s.start < sent.end
            for i in range(s.start, s.end)
        }
        for other in mods:
            if other is modifier or tuple_overlaps(other.modifier_span, span):
                continue
            covers = other.allows("MUSCLE") and _reaches(other, span, sent, named)
            if other.category in self._current and covers:
                current = True
            elif other.category in self._other and covers:
                event.experiencer = "other"
            elif other.category in self._time_of and covers:
                found.setdefault(self._time_of[other.category], other)
            elif other.category in ("NOT_TREATED", "NEGATED_EXISTENCE") and _negates(
                doc, other, span
            ):
                found.setdefault("not_done", other)  # "has not consented to needling"
        times: tuple[EventTime, ...] = ("not_done", "planned", "past")
        for time in times:
            if time in found and not (time == "past" and current):
                event.time = time
                event.time_cue = found[time].modifier_span
                break
        sections = self.spec.sections
        if event.time == "today" and not current:
            if section in sections.past:
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

    # --- injections ----------------------------------------------------------------------------
    def _substance_events(
        self,
        sent: Span,
        number: int,
        in_sent: list[Span],
        mods: list[Any],
        section: str | None,
        events: list[ProcedureEvent],
    ) -> list[ProcedureEvent]:
        """ "Botox 25 units into each of L UT and L levator": an injected substance beside
        muscles, with no injection word, is an injection event of its own; so is a dosed
        substance under a procedure heading ("Procedure: onabotulinumtoxinA 155 units"), whose
        muscles are listed below it."""
        if any(e.sentence == number and e.kind != "acupuncture" for e in events):
            return []
        injected = [s for s in in_sent if s.label_ == "SUBSTANCE" and s._.status == "injected"]
        beside_muscles = any(s.label_ in ("MUSCLE", "GROUP") for s in in_sent)
        if not (injected and beside_muscles) and section in self._procedure_sections:
            injected = [
                s
                for s in in_sent
                if s.label_ == "SUBSTANCE"
                and s._.status == "mentioned"
                and {m.category for m in s._.modifiers} & {"DOSE"}
                and not {m.category for m in s._.modifiers} & {"OTHER_ROUTE", "DILUENT"}
            ]
            for substance in injected:
                substance._.status = "injected"
        elif not beside_muscles:
            return []
        if not injected:
            return []
        first = injected[0]
        event = ProcedureEvent("injection", "strong", first.start, first.end, number, section)
        event.source = "substance"
        sections = self.spec.sections
        if section in sections.past:
            event.time = "past"
        elif section in sections.planned:
            event.time = "planned"
        return [event]

    def _resolve_injection(
        self,
        doc: Doc,
        event: ProcedureEvent,
        events: list[ProcedureEvent],
        targets: list[list[Span]],
    ) -> None:
        """Into a trigger point, chemodenervation, or another injection (a drug given IM, an
        imaging finding such as "fatty infiltration")."""
        in_sent = targets[event.sentence]
        sent = sentences(doc)[event.sentence]
        substances = [s for s in in_sent if s.label_ == "SUBSTANCE" and s._.status == "injected"]
        if not substances and any(
            s.label_ == "SUBSTANCE" and s._.status == "negated" for s in in_sent
        ):
            # "No lidocaine was injected into the R UT": the drug is denied, so is its injection
            event.time = "not_done"
            return
        if not substances:
            # "50 units were injected in the rectus femoris": what the note injected elsewhere
            substances = [
                s
                for row in targets
                for s in row
                if s.label_ == "SUBSTANCE" and s._.status == "injected"
            ]
        categories = {self._substance_category.get(s._.entry_id or "") for s in substances}
        # trigger points in its sentence, or in the muscles it goes into ("trigger points with
        # taut bands in the L SCM ... injected onabotulinumtoxinA into each of those")
        trigger_point = (
            event.kind == "trigger_point_injection"
            or any(
                s.label_ == "FINDING"
                and s._.entry_id in self._tp_findings
                and s._.status != "negated"
                and abs(s.start - event.start) <= _NEAR
                for s in in_sent
            )
            or bool(
                {s._.entry_id for s in in_sent if s.label_ == "MUSCLE"}
                & _muscles_with_findings(targets, self._tp_findings)
            )
        )
        if categories and categories <= self._chemo_substances and not trigger_point:
            event.kind, event.strength = "chemodenervation", "strong"
            return
        if event.kind == "trigger_point_injection":
            return
        if self._routes.search(span_text(sent)):
            return  # "Toradol 60 mg IM": stays an injection
        if doc._.document_kind in self.spec.reports_without_weak_words and not trigger_point:
            return  # "the incision was infiltrated with Marcaine": surgery, not a trigger point
        named_here = bool(
            [s for s in in_sent if s.label_ == "SUBSTANCE" and s._.status == "injected"]
        )
        into_muscle = any(
            s.label_ in ("MUSCLE", "GROUP") and abs(s.start - event.start) <= _NEAR for s in in_sent
        )
        if trigger_point or ((named_here or event.source == "substance") and into_muscle):
            # "Injected 2 mL 1% lidocaine into the R piriformis TrP": proves it on its own;
            # "the incision was infiltrated with Marcaine" names no muscle: not a trigger point
            event.kind, event.strength = "trigger_point_injection", "strong"
        elif any(
            e.kind == "trigger_point_injection" and e.strength == "strong" and e.done_today
            for e in events
        ):
            # speaks of the trigger point injection the note proved
            event.kind, event.strength = "trigger_point_injection", "weak"


# words between a negation and the procedure it denies: "not consented to needling",
# "did not want any further DN", "no further"
_DENIAL_GAP = frozenset(
    "consented consent agreed agree wanted want wish wished to for any the further more yet "
    "receive have undergo proceed with a an".split()
)
_NEAR = 10  # tokens: how close a trigger point word must be to an injection to describe it


# words that may stand between a procedure and the time word after it: "needling was
# deferred", "DN held today", "needling at the next visit"
_LINKS = frozenset("was were is are has have had been be being today then also at the to".split())


def _reaches(modifier: Any, span: tuple[int, int], sent: Span, named: set[int]) -> bool:
    """Whether a time word ("deferred", "next visit") speaks of a procedure word. Its ConText
    scope covers it; or it comes right after it ("needling deferred", "needling was held",
    "needling at the next visit"), where ConText cut its scope at the procedure word; or it
    closes the procedure's own clause, with no muscle named between ("dry needling of the
    lumbopelvic region is contraindicated")."""
    if tuple_overlaps(modifier.scope_span, span):
        return True
    start, end = modifier.modifier_span
    if end <= span[0]:
        # right before it: "candidate for dry needling", "candidacy for needling"
        return span[0] - end <= 1 and all(t.lower_ in _LINKS for t in sent.doc[end : span[0]])
    if start < span[1]:
        return False
    low, _high = scope_in_sentence(
        modifier.rule, start, modifier.modifier_span[1], sent.start, sent.end
    )
    if low >= span[1]:
        return False
    gap = sent.doc[span[1] : start]
    if all(t.lower_ in _LINKS for t in gap):
        return True
    return (
        modifier.category in ("NOT_TREATED", "PLANNED")
        and len(gap) <= 6
        and not any(t.is_punct or t.i in named for t in gap)
    )


def _negates(doc: Doc, negation: Any, span: tuple[int, int]) -> bool:
    gap = span[0] - negation.modifier_span[1]
    if not 0 <= gap <= 3:
        return False
    if gap == 0:
        return True
    return all(t.lower_ in _DENIAL_GAP for t in doc[negation.modifier_span[1] : span[0]])


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


def _patient_gender(doc: Doc) -> str | None:
    male = female = 0
    for token in doc:
        word = token.lower_
        if word in _MALE:
            male += 1
        elif word in _FEMALE:
            female += 1
    if male == female:
        return None
    return "male" if male > female else "female"


def _muscles_with_findings(targets: list[list[Span]], kinds: frozenset[str]) -> set[str]:
    """Muscles named in a sentence that states a trigger point finding."""
    out: set[str] = set()
    for row in targets:
        if any(s.label_ == "FINDING" and s._.entry_id in kinds and s._.status != "negated"
               for s in row):  # fmt: skip
            out |= {s._.entry_id for s in row if s.label_ == "MUSCLE"}
    return out


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

    def __call__(self, doc: Doc) -> Doc:
        modifiers = modifiers_by_sentence(doc)
        events = self._finder.find(doc, modifiers)
        self._binder.bind(doc, events, modifiers)
        doc._.procedures = events
        return doc


@Language.factory("scribe_events", default_config={"lexicon_dir": None})
def make_events(nlp: Language, name: str, lexicon_dir: str | None) -> EventExtractor:
    register_extensions()
    return EventExtractor(load_lexicons(Path(lexicon_dir) if lexicon_dir else None))
