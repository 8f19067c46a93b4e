"""Dry needling taken back by a later sentence: "She was booked for needling to the right upper
trap and levator today. ... she declined and neither one was needled", "Offered DN to R SCM and
R anterior scalene today. Pt declined DN today", "DN to R UT planned today. No needling was
performed."

A sentence that denies the procedure as a whole (it names no muscle, group, side or place of
its own, and nothing "further" or "other": ``procedure_withdrawn`` and ``withdrawal_partial``
of ``lexicons/statements.yaml``) takes back a dry needling of today said shortly before it in
the same section: one planned for today (the sentence says "today"), or one said as done today
in a sentence that brings no evidence it was done (no "performed", twitch or tolerance:
``done_evidence``). That procedure's muscles become not needled, with the denial as their cue.
A muscle another sentence still says was needled keeps that mention, and the note then holds a
status conflict for review: this pass never adds a muscle or a line to a claim.

Reads: sentences, sections, targets, procedure events after binding. Writes: ``time`` of the
events taken back and ``status``/``status_cue`` of their muscle mentions.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from scribe.nlp.extensions import by_sentence, sentences, span_text, target_spans
from scribe.nlp.procedure_event import ProcedureEvent
from scribe.nlp.sections import sentence_sections

# how many sentences back a denial reaches
_REACH = 3
_TODAY = re.compile(r"\b(?:today|this\s+(?:visit|session|appointment))\b", re.IGNORECASE)
# a plan that also names a later visit is that visit's ("today we talked about needling the
# R UT next visit")
_LATER = re.compile(
    r"\b(?:next|future|tomorrow|following\s+(?:visit|session|week)|upcoming)\b", re.IGNORECASE
)
_OWN_TARGETS = frozenset({"MUSCLE", "GROUP"})


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "$^", re.IGNORECASE)


class WithdrawnNeedling:
    def __init__(self, statements: dict[str, list[str]]) -> None:
        self._withdrawn = _alternation(statements.get("procedure_withdrawn", []))
        self._partial = _alternation(statements.get("withdrawal_partial", []))
        self._done = _alternation(statements.get("done_evidence", []))

    def __call__(self, doc: Doc, events: list[ProcedureEvent]) -> None:
        sents = sentences(doc)
        texts = [span_text(s) for s in sents]
        sections = sentence_sections(doc)
        targets = by_sentence(doc, target_spans(doc))
        for i, text in enumerate(texts):
            own = [t for t in targets[i] if t.label_ in _OWN_TARGETS]
            if own:
                self._after_its_muscles(sents[i], i, text, own, events)
                continue  # "no needling to the L UT today": a denial of its own muscle
            denial = self._withdrawn.search(text)
            if denial is None or self._partial.search(text):
                continue
            cue = (sents[i].start_char + denial.start(), sents[i].start_char + denial.end())
            earlier = [j for j in range(max(0, i - _REACH), i) if sections[j] == sections[i]]
            for event in events:
                if event.kind != "dry_needling" or event.experiencer != "patient":
                    continue
                if event.sentence == i and not event.muscles:
                    event.time = "not_done"  # the denial's own words: "neither was needled"
                elif event.sentence in earlier and self._taken_back(event, texts):
                    _withdraw(event, cue)
            # muscles a plan for today named ("booked for needling ... today", "offered DN
            # to ... today") with no procedure of their own
            for j in earlier:
                if not _planned_for_today(texts[j]):
                    continue
                for span in targets[j]:
                    if span.label_ in _OWN_TARGETS and span._.status == "planned":
                        span._.status = "negated"
                        span._.status_cue = cue

    def _after_its_muscles(
        self, sent: Span, number: int, text: str, own: list[Span], events: list[ProcedureEvent]
    ) -> None:
        """ "She was booked for needling to the R UT and R levator today, and ... she declined
        and neither one was needled": a denial said after the last muscle of its sentence takes
        back the muscles that sentence planned for today."""
        tail_start = max(t.end_char for t in own) - sent.start_char
        denial = self._withdrawn.search(text, tail_start)
        if denial is None or self._partial.search(text, tail_start):
            return
        if not _planned_for_today(text[: denial.start()]):
            return
        cue = (sent.start_char + denial.start(), sent.start_char + denial.end())
        for span in own:
            if span._.status == "planned":
                span._.status = "negated"
                span._.status_cue = cue
        for event in events:
            if (
                event.sentence == number
                and event.kind == "dry_needling"
                and not event.muscles
                and sent.doc[event.start].idx >= cue[0]
            ):
                event.time = "not_done"  # the denial's own words: "neither was needled"

    def _taken_back(self, event: ProcedureEvent, texts: list[str]) -> bool:
        if not event.muscles:
            return False
        said = texts[event.sentence]
        if event.time == "planned":
            return _planned_for_today(said)  # "DN planned for the R UT today"
        return event.time == "today" and not self._done.search(said)


def _planned_for_today(text: str) -> bool:
    return bool(_TODAY.search(text)) and not _LATER.search(text)


def _withdraw(event: ProcedureEvent, cue: tuple[int, int]) -> None:
    event.time = "not_done"
    for span in event.muscles:
        if span._.status in ("treated", "planned"):
            span._.status = "negated"
            span._.status_cue = cue
            span._.technique = None
            span._.binding = None
            span._.event = None
