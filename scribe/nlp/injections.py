"""Injections: the events a dosed substance makes on its own, and what an injection was.

An injection word ("injected", "infiltrated") or an injected substance is a trigger point
injection when its sentence names a trigger point, or names the substance and the muscle it
went into; botulinum toxin into muscles without trigger points is chemodenervation; a drug given
IM, a surgical infiltration or an imaging finding ("fatty infiltration") is another injection.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons
from scribe.nlp.dry_injections import INJECTION, doses_after, injected_anywhere, inserted_dry
from scribe.nlp.extensions import same_paragraph, sentences, span_text
from scribe.nlp.procedure_event import ProcedureEvent, said_done_today
from scribe.nlp.reach import given_before_its_object
from scribe.schemas.lexicon import ProcedureLexicon

_NEAR = 10  # tokens: how close a trigger point word must be to an injection to describe it
_INTO_REACH = 4  # tokens after what an injection gave to the muscle it went into ("into the R")
_INTO_EACH = re.compile(r"\binto\s+(?:each|every|all)\b", re.IGNORECASE)


# a recogniser's run-on that goes on to the next procedure: "... the left piriformis got one
# cc of lidocaine under ultrasound, then the left glute med and TFL were dry needled, ..."
_THEN = frozenset({"then", "next", "afterwards", "after"})
_APART = 8  # tokens at least between a dosed drug and the procedure words of another clause


def _another_clause(sent: Span, event: ProcedureEvent, substances: list[Span]) -> bool:
    """The procedure words ``event`` are another clause of the sentence than the dosed drugs
    given in it: a later one opened by "then" (or "next") and far from them, or one said far
    before them (a recogniser's run-on: "procedure note for trigger point injection and dry
    needling, left hip, ... so the left piriformis got one cc of lidocaine ..."). Such words
    do not say what the drugs were given in ("no medication into those" after them denies
    nothing before)."""
    given = [
        s
        for s in substances
        if s._.status != "negated" and {m.category for m in s._.modifiers} & {"DOSE"}
    ]
    if not given:
        return False
    first, last = min(s.start for s in given), max(s.end for s in given)
    if event.end <= first:
        return first - event.end >= 2 * _APART
    if event.start < last + _APART:
        return False
    return any(t.lower_ in _THEN for t in sent.doc[last : event.start])


class InjectionResolver:
    def __init__(self, lexicons: Lexicons) -> None:
        spec: ProcedureLexicon = lexicons.procedures
        self.spec = spec
        self._procedure_sections = frozenset(spec.sections.generic) | {
            category for category, kind in spec.sections.binding.items() if kind != "acupuncture"
        }
        self._routes = re.compile("|".join(spec.injections.not_trigger_point_routes) or "$^", re.I)
        self._sites = re.compile("|".join(spec.injections.not_trigger_point_sites) or "$^", re.I)
        self._tp_findings = frozenset(spec.injections.trigger_point_findings)
        self._chemo_substances = frozenset(spec.injections.chemodenervation_substances)
        self._substance_category = {s.id: s.category for s in lexicons.substances.substances}
        statements = lexicons.statements.statements
        self._points_back = re.compile(
            "|".join(
                f"(?:{p})"
                for p in statements.get("anaphora", []) + statements.get("anaphora_single", [])
            )
            or "$^",
            re.IGNORECASE,
        )

    def substance_events(
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
        substances = [s for s in in_sent if s.label_ == "SUBSTANCE"]
        if any(
            e.sentence == number
            and e.kind != "acupuncture"
            and e.category != "NEEDLE_WORD"
            and not _another_clause(sent, e, substances)
            for e in events
        ):
            # (a needling word that proves nothing alone, "e-stim guidance", "25g needle", does
            # not stop the dosed drug of its sentence from being the injection)
            return []
        injected = [s for s in in_sent if s.label_ == "SUBSTANCE" and s._.status == "injected"]
        beside_muscles = any(s.label_ in ("MUSCLE", "GROUP") for s in in_sent)
        # "0.25% bupivacaine, 1 mL into each site:" says where a dose went as plainly as a
        # procedure heading does
        into_each = bool(_INTO_EACH.search(span_text(sent)))
        if not (injected and beside_muscles) and (
            section in self._procedure_sections or (into_each and not injected)
        ):
            injected = [
                s
                for s in in_sent
                if s.label_ == "SUBSTANCE"
                and s._.status == "mentioned"
                and (
                    {m.category for m in s._.modifiers} & {"DOSE"}
                    # "normal saline only, one cc into each of ...": "only" ends the scope of
                    # the dose said after it, yet the dose is the substance's
                    or (into_each and s.end < len(s.doc) and s.doc[s.end].lower_ == "only")
                )
                and not {m.category for m in s._.modifiers} & {"OTHER_ROUTE", "DILUENT"}
            ]
            for substance in injected:
                substance._.status = "injected"
        elif not beside_muscles and not into_each:
            return []  # "1 cc into each trigger point" points back at the muscles named before
        at: tuple[int, int] | None = (injected[0].start, injected[0].end) if injected else None
        if at is None and into_each and beside_muscles:
            # "... we used normal saline only, no anesthetic. About one cc into each, the right
            # rectus abdominis and the right external oblique": an amount into each of the
            # muscles named with it reports the injection, its drug said before
            at = next((m.modifier_span for m in mods if m.category == "DOSE"), None)
        if at is None:
            return []
        event = ProcedureEvent("injection", "strong", at[0], at[1], number, section)
        event.source = "substance"
        sections = self.spec.sections
        if section in sections.past:
            event.time = "past"
        elif section in sections.planned:
            event.time = "planned"
        return [event]

    def names_a_drug(self, targets: list[list[Span]]) -> bool:
        """The note names a drug it injected (not only "medication" or "injectate")."""
        return any(
            s.label_ == "SUBSTANCE"
            and s._.status == "injected"
            and self._substance_category.get(s._.entry_id or "") != "unspecified"
            for row in targets
            for s in row
        )

    def resolve(
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
        if (
            not substances
            and event.time == "today"
            # "pt declined lidocaine, so saline was used": another drug of the sentence may
            # be the one injected
            and not any(s.label_ == "SUBSTANCE" and s._.status == "mentioned" for s in in_sent)
            and any(
                s.label_ == "SUBSTANCE"
                and s._.status == "negated"
                and not _another_procedure_between(event, s, events)
                and not _declined_drug(doc, s)
                for s in in_sent
            )
        ):
            # "No lidocaine was injected into the R UT": the drug is denied, so is its injection
            # (one said of another time keeps it: "... (she had a TPI there in March)"); a
            # denial said after another procedure is that one's ("trigger point injection to
            # the R infraspinatus and then dry needling to the R UT with no injectate"). A
            # trigger point injection that put nothing in at all ("TPI to the R UT without
            # medication") is a needle insertion without injection
            if event.kind == INJECTION and not injected_anywhere(targets):
                inserted_dry(event)
            else:
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
            # "Trigger point deep in the left soleus ... I injected that one with lidocaine"
            or (
                event.sentence > 0
                and not any(s.label_ in ("MUSCLE", "GROUP") for s in in_sent)
                and bool(self._points_back.search(span_text(sent)))
                and bool(_muscles_with_findings([targets[event.sentence - 1]], self._tp_findings))
            )
            # "Active trigger point in the R levator scapulae. Consent given. Injected with 2 mL
            # of 1% lidocaine.": the injection said with no object of its own, a drug named
            or (
                bool(substances)
                and event.source == "words"
                and opens_its_sentence(doc, event)
                and not _follows_other_injection(doc, event, events)
                and not any(s.label_ in ("MUSCLE", "GROUP") for s in in_sent)
                # "... into the subacromial bursa", "... IM": another site, another route
                and not self._sites.search(span_text(sent))
                and not self._routes.search(span_text(sent))
                and bool(
                    _muscles_with_findings(
                        targets[max(0, event.sentence - _ELLIPSIS_REACH) : event.sentence],
                        self._tp_findings,
                    )
                )
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
        # (past what it gave: "injected 1% lidocaine, 1 cc each, into the R glute med")
        given = given_before_its_object(doc, event.end, sent.end)
        into_muscle = any(
            s.label_ in ("MUSCLE", "GROUP")
            and (abs(s.start - event.start) <= _NEAR or 0 <= s.start - given <= _INTO_REACH)
            for s in in_sent
        )
        if (
            not substances
            and said_done_today(events, "dry_needling")
            and not said_done_today(events, "trigger_point_injection")
            and not doses_after(doc, event)
        ):
            # a note of dry needling today (in words that prove it: "25g needle" does not) that
            # names no substance injected anywhere and no trigger point injection: a bare
            # "injected" beside a twitch is no injection of any substance ("nothing one
            # injected", a recogniser's "nothing was injected"), so it bills no injection
            return
        if not trigger_point and not into_muscle and self._sites.search(span_text(sent)):
            return  # "L greater trochanteric bursa injection: triamcinolone 40 mg": another one
        if trigger_point or ((named_here or event.source == "substance") and into_muscle):
            # "Injected 2 mL 1% lidocaine into the R piriformis TrP": proves it on its own;
            # "the incision was infiltrated with Marcaine" names no muscle: not a trigger point
            event.kind, event.strength = "trigger_point_injection", "strong"
        elif said_done_today(events, "trigger_point_injection") and not _follows_other_injection(
            doc, event, events
        ):
            # speaks of the trigger point injection the note proved
            event.kind, event.strength = "trigger_point_injection", "weak"


_WANTED = frozenset({"want", "wanted", "wants", "wish", "wished", "like", "choose", "chose"})


def _declined_drug(doc: Doc, substance: Span) -> bool:
    """ "I did a trigger point injection there with saline, she didn't want any anesthetic or
    steroid": a drug the patient did not want is a choice of injectate, not an injection
    denied."""
    return any(t.lower_ in _WANTED for t in doc[max(0, substance.start - 5) : substance.start])


# words between a negation and the procedure it denies: "not consented to needling",
# "did not want any further DN", "no further"


def _follows_other_injection(doc: Doc, event: ProcedureEvent, events: list[ProcedureEvent]) -> bool:
    """ "Facet joint injections:\nmethylprednisolone 20 mg per level": the injection said last
    before this one, in its paragraph, was not into a trigger point; the drug is that one's."""
    earlier = [
        e
        for e in events
        if e.sentence < event.sentence
        and e.kind in ("injection", "trigger_point_injection", "chemodenervation")
    ]
    if not earlier:
        return False
    last = max(earlier, key=lambda e: e.start)
    return last.kind == "injection" and same_paragraph(doc, last.sentence, event.sentence)


def _another_procedure_between(
    event: ProcedureEvent, span: Span, events: list[ProcedureEvent]
) -> bool:
    """Another kind of procedure is named between ``event`` and ``span``, in its sentence."""
    low, high = (event.end, span.start) if event.end <= span.start else (span.end, event.start)
    return any(
        e.kind != event.kind and e.sentence == event.sentence and low <= e.start and e.end <= high
        for e in events
    )


# sentences before an injection said without its object ("Injected with 2 mL of 1% lidocaine")
# where the trigger points it went into may be named
_ELLIPSIS_REACH = 2


def opens_its_sentence(doc: Doc, event: ProcedureEvent) -> bool:
    """ "Injected with 2 mL of 1% lidocaine": the procedure's word begins its sentence (its
    object left unsaid)."""
    sent = sentences(doc)[event.sentence]
    first = next((t for t in sent if not (t.is_space or t.is_punct)), None)
    # the act ("Injected", "Injection"), not the field of its drug ("Injectate: ...")
    return first is not None and first.i == event.start and first.lower_ != "injectate"


def _muscles_with_findings(targets: list[list[Span]], kinds: frozenset[str]) -> set[str]:
    """Muscles named in a sentence that states a trigger point finding."""
    out: set[str] = set()
    for row in targets:
        if any(s.label_ == "FINDING" and s._.entry_id in kinds and s._.status != "negated"
               for s in row):  # fmt: skip
            out |= {s._.entry_id for s in row if s.label_ == "MUSCLE"}
    return out
