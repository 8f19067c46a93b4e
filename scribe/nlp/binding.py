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
make a muscle treated. Structural bindings only lift mentions no word decided ("firm"). Where a
procedure's words stop reaching a muscle in run-on speech is decided in ``reach.py``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons, any_of
from scribe.nlp.anaphora import AnaphoraTies
from scribe.nlp.answer_rows import answered_rows
from scribe.nlp.boxed_names import boxed_names
from scribe.nlp.extensions import by_sentence, sentences, target_spans
from scribe.nlp.mention_denials import (
    closing_denial,
    denied_findings,
    done_then_denied,
    injection_not_given_but_needled,
    not_injected,
    session_not_injected,
)
from scribe.nlp.mentions import (
    BILLABLE,
    FIRM,
    MUSCLE_LIKE,
    OTHER_TREATMENT,
    WEAK,
    Mention,
    decide,
    tie,
)
from scribe.nlp.other_names import (
    names_another_treatment,
    opens_a_new_item,
    without_a_later_farther_plan,
    without_a_later_palpation_of_another_name,
    without_an_earlier_plan_of_another_name,
)
from scribe.nlp.procedure_event import said_done_today
from scribe.nlp.reach import cut_off, distance, said_apart
from scribe.nlp.restatements import corrected_at_once
from scribe.nlp.said_again import said_again
from scribe.nlp.said_done import keep_done_cue, mark_said_done, needle_inserted_into
from scribe.nlp.said_worked_on import generic_treatment, statement_event
from scribe.nlp.sections import sentence_sections
from scribe.nlp.structure import StructureTies, headings_follow_their_section
from scribe.nlp.subject_clauses import PAST_CATEGORIES
from scribe.nlp.templates import template_of
from scribe.nlp.time_reach import today_is_its_time
from scribe.nlp.today_again import today_after_another_day
from scribe.schemas.lexicon import ProcedureKind

if TYPE_CHECKING:
    from scribe.nlp.procedure_event import ProcedureEvent

_COORDINATION = frozenset({"and", "&", ",", "+", "plus", "/", "with", "then", "followed", "by"})
_FIRM_MENTIONED = (
    "OTHER_PROCEDURE",
    "ACUPUNCTURE",
    "OTHER_PERSON",
    "CHEMODENERVATION",
    "PATIENT_BELIEF",
)
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


def _inside(modifier: Any, span: Span) -> bool:
    return bool(span.start <= modifier.modifier_span[0] and modifier.modifier_span[1] <= span.end)


# words beside a procedure that point back at names said before it: "each of them was dry
# needled", "I dry needled all of them"
_BACK_REFERENCES = frozenset({"them", "those", "these", "each", "all", "both", "they"})
_BACK_REFERENCE_WINDOW = 3


def _object_points_back(doc: Doc, end: int) -> bool:
    """The words right after a procedure's ending at ``end`` are a back-reference as its
    object ("dry needled both", "needled them all", "needled all of them")."""
    return end < len(doc) and doc[end].lower_ in _BACK_REFERENCES


def _points_back(doc: Doc, said: tuple[int, int]) -> bool:
    low = max(0, said[0] - _BACK_REFERENCE_WINDOW)
    high = min(len(doc), said[1] + _BACK_REFERENCE_WINDOW)
    return any(doc[i].lower_ in _BACK_REFERENCES for i in range(low, high))


class MuscleBinder:
    def __init__(self, lexicons: Lexicons) -> None:
        spec = lexicons.procedures
        self._spec = spec
        # the history and the plan: a generic verb there says nothing of today
        self._quiet = frozenset(spec.sections.past) | frozenset(spec.sections.planned)
        self._kind: dict[str, ProcedureKind] = {k.id: k for k in spec.kinds}
        self._section_kind = dict(spec.sections.binding)
        self._generic_sections = frozenset(spec.sections.generic)
        self._no_weak_reports = frozenset(spec.reports_without_weak_words)
        statements = lexicons.statements.statements
        self._examiner_clause = re.compile(
            "|".join(f"(?:{p})" for p in statements.get("examiner_clause", [])) or "$^", re.I
        )
        self._structure = StructureTies(spec, statements)
        self._anaphora = AnaphoraTies(self._structure.technique, statements)
        self._nothing_injected = re.compile(
            "|".join(f"(?:{p})" for p in statements["none_injected"]), re.I
        )
        self._done_in_words = any_of(statements.get("done_in_words", []))

    # --- entry point -----------------------------------------------------------------------
    def bind(self, doc: Doc, events: list[ProcedureEvent], modifiers: list[list[Any]]) -> None:
        doc._.contradicted = []
        spans = [s for s in target_spans(doc) if s.label_ in MUSCLE_LIKE]
        proven = {e.kind for e in events if e.billable_today and e.strength == "strong"}
        weak_ok = doc._.document_kind not in self._no_weak_reports
        statement = session_not_injected(doc, self._nothing_injected) if weak_ok else None
        # a botulinum toxin injection done today: "no local anesthetic given" speaks of the
        # toxin's injection, and its needle is the injection's, never a dry needling
        if statement is not None and not said_done_today(events, "chemodenervation"):
            # "24 needles in 3 muscles ... No injectate": a note that says nothing was injected
            # documents its needles, or the muscles it "worked on", as dry needling
            proven |= {e.kind for e in events if e.kind == "dry_needling" and e.billable_today}
            if not proven and generic_treatment(modifiers, doc, statement.span(), self._quiet):
                events.append(statement_event(doc, statement.span()))
                proven.add("dry_needling")
        # the procedures that can tie muscles: strong words, or weak words of a proven one
        for event in events:
            event.proven = event.strength == "strong" or (event.kind in proven and weak_ok)
        effective = [e for e in events if e.kind in BILLABLE and e.proven]
        if not spans:
            return
        sents = sentences(doc)
        grouped = by_sentence(doc, spans)
        mentions = [Mention(s, i) for i, row in enumerate(grouped) for s in row]
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
        headings_follow_their_section(doc, events)
        said_again(doc, events, modifiers)
        effective = [e for e in effective if e.billable_today]
        structure = self._structure
        structure.other_routes(doc, mentions, events)
        boxed_names(mentions, template)
        structure.tables(mentions, template, effective, proven)
        structure.substances(mentions, events)
        structure.same_sentence(mentions, effective)
        structure.sections_and_headers(doc, mentions, events, effective, modifiers)
        self._anaphora.back(doc, mentions, effective, sents, modifiers)
        self._anaphora.then_the_next(doc, mentions, effective, sents)
        effective += today_after_another_day(doc, mentions, events, sents, structure.technique)
        answered_rows(mentions, effective, structure.technique)
        structure.dated_lines(doc, mentions)
        injection_not_given_but_needled(mentions, events)
        corrected_at_once(mentions)
        for mention in mentions:
            if mention.span._.status is None:
                mention.span._.status = "mentioned"

    # --- clause ----------------------------------------------------------------------------
    def _clause(
        self,
        mention: Mention,
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
        closing = closing_denial(mention, sentence_modifiers)
        if closing and all(m.category != "NOT_TREATED" for m in modifiers):
            # "I dry needled the left UT and the right levator, no needling today": the
            # sentence says both; the mention goes to review as a status conflict
            chosen = self._reaching_event(
                mention, modifiers, by_modifier, proven, weak_ok, injected_in, events
            )
            if chosen is not None and done_then_denied(
                mention, chosen[0], closing, self._done_in_words
            ):
                self._tie(mention, chosen[0], "clause", chosen[1])
                return
        modifiers += closing
        modifiers = without_a_later_farther_plan(modifiers, span)
        modifiers = without_an_earlier_plan_of_another_name(modifiers, span)
        modifiers = without_a_later_palpation_of_another_name(modifiers, span)
        categories = {m.category for m in modifiers}
        if "dry_needling" not in proven and (denial := not_injected(mention, sentence_modifiers)):
            # "the L upper trapezius was NOT injected today", in a note of injections alone
            self._set(mention, "negated", FIRM, denial)
            return
        if names_another_treatment(modifiers, span):
            self._set(mention, "mentioned", OTHER_TREATMENT, None)  # "piriformis stretch"
            return
        if "OTHER_PERSON" in categories:
            # "his wife had dry needling to her upper trapezius": not the patient's, at any time
            cue = self._nearest(span, modifiers, {"OTHER_PERSON"})
            self._set(mention, "mentioned", FIRM, cue)
            return
        firm = (
            ("NOT_TREATED", "negated"),
            ("PLANNED", "planned"),
            ("HISTORICAL", "historical"),
            ("OTHER_VISIT", "historical"),
            ("PALPATED_ONLY", "palpated_only"),
        )
        if (
            "NOT_TREATED" in categories
            and categories & {"PALPATED_ONLY", "PALPATED"}
            # "no trigger point, I did not needle it": nothing found, so simply not needled
            and not ("PALPATED_ONLY" not in categories and denied_findings(span, modifiers))
        ):
            # "the deltoid I just palpated, I didn't go in there", "TrP also palpated in R
            # rhomboid major; not needled": a trigger point found, and so not needled (the
            # golden README's palpated only; authors of rounds, afterhours, exports, roster
            # and overtime each wrote it so)
            categories = (categories - {"NOT_TREATED"}) | {"PALPATED_ONLY"}
        for category, status in firm:
            if category in categories and not (
                category in PAST_CATEGORIES and today_is_its_time(modifiers, span)
            ):
                self._set(mention, status, FIRM, self._nearest(span, modifiers, {category}))
                if status in ("negated", "planned"):
                    for m in modifiers:
                        # (not a procedure with its own object pointing back, said before the
                        # name: "dry needled both, no injectate, right scalenes I am holding")
                        if m.category in _EVENT_CATEGORIES and not (
                            m.modifier_span[1] <= span.start
                            and _object_points_back(span.doc, m.modifier_span[1])
                        ):
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
        elif (inserted := needle_inserted_into(span, modifiers)) is not None:
            # needles in a muscle with no procedure named: said, never billed, never silent
            self._set(mention, "mentioned", WEAK, None)
            keep_done_cue(span, inserted)
        elif "PALPATED" in categories and not denied_findings(span, modifiers):
            cue = self._nearest(span, modifiers, {"PALPATED"})
            self._set(mention, "palpated_only", WEAK, cue)
        elif categories & {"COMPLAINT", "EXAMINED", "PROCEDURE", "INJECTION_WORD", "NEEDLE_WORD"}:
            self._set(mention, "mentioned", WEAK, None)
            if categories & {"PROCEDURE", "INJECTION_WORD"}:
                self._said_done(mention, modifiers)

    def _reaching_event(
        self,
        mention: Mention,
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
            key=lambda m: distance(m, span),
        )
        other: Any | None = None
        # where a named procedure after the mention that could not reach it begins: for a name
        # the exam found something in, a word that only implies needling said past it does not
        # reach back over it either ("found taut bands in the R UT, LS and rhomboid minor, I
        # did the needling myself, the UT and the LS, twitch responses in both")
        examined = any(m.category == "PALPATED" for m in modifiers)
        stopped_after: int | None = None
        for m in candidates:
            if m.category == "OTHER_TREATMENT":
                if not opens_a_new_item(m, span):
                    other = other or m
                continue
            if (
                m.category == "NEEDLE_WORD"
                and stopped_after is not None
                and m.modifier_span[0] >= stopped_after
            ):
                continue
            event = self._event_for(m, mention, by_modifier, proven, weak_ok, injected_in, events)
            if event is None:
                continue
            if cut_off(event, m, span, modifiers, self._examiner_clause, events):
                if said_apart(m, span, self._examiner_clause, modifiers):
                    mention.cut_from.add((event.start, event.end))
                if (
                    examined
                    and m.category != "NEEDLE_WORD"
                    and m.modifier_span[0] >= span.end
                    and not _points_back(span.doc, m.modifier_span)
                ):
                    start = m.modifier_span[0]
                    stopped_after = start if stopped_after is None else min(stopped_after, start)
                continue
            if m.category == "PROCEDURE" and any(
                o is not m
                and o.modifier_span == (event.start, event.end)
                and cut_off(event, o, span, modifiers, self._examiner_clause, events)
                for o in modifiers
            ):
                continue  # "I did": as far as the procedure it says reaches, no farther
            if other is not None and not self._coordinated(span.doc, other, m):
                return None
            return event, m.modifier_span
        return None

    def _event_for(
        self,
        m: Any,
        mention: Mention,
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
            here = [e for e in events if e.sentence == mention.sentence]
            today = [e for e in here if e.billable_today]
            if today:
                # "... then for the R infraspinatus and the teres minor I did dry needling
                # only": the procedure said next to the verb, in a run-on of two
                said_at = m.modifier_span
                return min(today, key=lambda e: max(e.start - said_at[1], said_at[0] - e.end, 0))
            # "Prior treatment: DN performed to R glute max ...": the sentence's own procedure
            # is of another time, and "performed" is said of it, not of today's (unless the
            # muscle's own words say today: "last week the soleus, this week I went into ...")
            now = any(x.category == "CURRENT" for x in mention.span._.modifiers)
            return None if here and not now else self._proven_event(events, proven)
        event = by_modifier.get(m.modifier_span)
        if event is None:
            return None
        if m.category == "NEEDLE_WORD" and mention.sentence in injected_in:
            # the injection's needle: "... 1.5 mL per muscle via 25G needle into - L QL" puts
            # the drug of its sentence into the muscle (in a sentence that names no needling;
            # "injected the QL, then dry needled the TFL, two needles" keeps its needles)
            if any(
                e.sentence == mention.sentence
                and e.kind == "dry_needling"
                and e.category != m.category
                for e in events
            ):
                return None
            return next(
                (
                    e
                    for e in events
                    if e.sentence == mention.sentence
                    and e.kind == "trigger_point_injection"
                    and e.billable_today
                ),
                None,
            )
        if m.category == "NEEDLE_WORD" and (
            any(e.sentence == mention.sentence and e.kind == "acupuncture" for e in events)
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

    # --- writing ---------------------------------------------------------------------------
    def _tie(
        self, mention: Mention, event: ProcedureEvent, how: str, cue: tuple[int, int] | None
    ) -> None:
        tie(mention, event, how, cue, self._kind[event.kind].technique)

    @staticmethod
    def _nearest(span: Span, modifiers: list[Any], categories: set[str]) -> tuple[int, int] | None:
        best = min(
            (m for m in modifiers if m.category in categories),
            key=lambda m: distance(m, span),
            default=None,
        )
        return best.modifier_span if best is not None else None

    def _said_done(self, mention: Mention, modifiers: list[Any]) -> None:
        if sentence_sections(mention.span.doc)[mention.sentence] not in self._quiet:
            mark_said_done(mention.span, modifiers)

    @staticmethod
    def _set(mention: Mention, status: str, strength: str, cue: tuple[int, int] | None) -> None:
        decide(mention, status, strength, cue)
