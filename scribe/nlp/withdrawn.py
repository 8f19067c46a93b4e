"""A procedure taken back by a later sentence: "She was booked for needling to the right upper
trap and levator today. ... she declined and neither one was needled", "Offered DN to R SCM and
R anterior scalene today. Pt declined DN today", "He was booked today for trigger point
injections ... he declined the injections", "Procedure NOT performed".

A sentence that denies a procedure as a whole (it names no muscle, group, side or place of its
own, and nothing "further" or "other") takes back that procedure when it was planned for today
or said as done today with no evidence it was done (no "performed", twitch or tolerance:
``done_evidence``; no clinician saying "I dry needled": ``done_in_words``), shortly before it
in the same section (a plan for today: anywhere before it in the section). The denials are
``needling_withdrawn``, ``injection_withdrawn`` and ``procedure_withdrawn`` (either procedure)
of ``lexicons/statements.yaml``; what makes one partial is ``withdrawal_partial``. The muscles
taken back are not treated: negated, or still planned when another procedure of today treated
them ("booked for TPIs to the upper traps ... declined the injections ... I then dry needled
the upper trapezius"). A muscle another sentence still says was treated keeps that mention, and
the note then holds a status conflict for review. This pass never adds a muscle or a line to a
claim.

A denial that follows a procedure said done with evidence ("DN performed to R UT with LTR. No
needling was performed.") takes nothing back: the note says both, and each of its muscles is
recorded in ``doc._.contradicted`` so the note holds a status conflict for review. So does a
denial of the whole procedure today followed, within a few sentences of its section, by that
procedure said as done today ("Soft tissue only today, no needles at all. ... Needling the left
piriformis"): whatever the later words were meant to be, the note does not say it was done.
In a transcript, whose run-on sentences hold many clauses, a whole denial between a sentence's
names does both: it takes back what the sentence said before it, and holds what the next
sentences say was done, unless a name or a word pointing back follows it at once ("we did not
needle, the left SCM": its own object, after the recogniser's comma).

Reads: sentences, sections, targets, procedure events after binding. Writes: ``time`` of the
events taken back, ``status``/``status_cue`` of their muscle mentions, ``doc._.contradicted``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from scribe.lexicons import any_of
from scribe.nlp.extensions import SPOKEN, by_sentence, sentences, span_text, target_spans
from scribe.nlp.procedure_event import (
    INJECTED_KINDS,
    NEEDLING_KINDS,
    ProcedureEvent,
    kinds_named,
)
from scribe.nlp.sections import sentence_sections

# how many sentences back a denial reaches a procedure said as done; a plan for today, booked
# or scheduled, may stand further back in its section
_REACH = 3
_PLAN_REACH = 10
_FOR_TODAY = re.compile(
    r"\b(?:today|this\s+(?:visit|session|appointment)|scheduled|booked|offered)\b", re.IGNORECASE
)
# a plan that also names a later visit is that visit's ("today we talked about needling the
# R UT next visit")
_LATER = re.compile(
    r"\b(?:next|future|tomorrow|following\s+(?:visit|session|week)|upcoming|once|"
    r"will\s+(?:begin|start|initiate)|visit\s+#?\d+)\b",
    re.IGNORECASE,
)
# a pronoun of one thing right after a denial: the denial is said of one name, not of the visit
_ONE_THING = re.compile(r"\s*(?:it|that\s+one|this\s+one)\b", re.IGNORECASE)
# an offer made at the visit, and the words that may open the sentence of its refusal
_OFFERED = re.compile(r"\boffer(?:ed|s)?\b", re.IGNORECASE)
_OPENS = re.compile(r"\s*(?:(?:but|however|and)\b,?\s*)?", re.IGNORECASE)
_OWN_TARGETS = frozenset({"MUSCLE", "GROUP"})


@dataclass(frozen=True)
class Denial:
    start: int  # characters in the sentence
    end: int
    kinds: frozenset[str]
    # a refusal with no object ("she declined that"): it takes back what was planned or said
    # without evidence, but holds no procedure proven done in conflict
    refusal: bool = False
    # the procedure as a whole put to a later visit ("pt wishes to proceed next week")
    put_off: bool = False


class WithdrawnProcedures:
    def __init__(self, statements: dict[str, list[str]]) -> None:
        # a denial of any procedure at the visit ("evaluation only", "procedure not performed")
        self._whole_visit = (
            any_of(statements.get("procedure_withdrawn", [])),
            NEEDLING_KINDS | INJECTED_KINDS,
        )
        self._denials = [
            (any_of(statements.get("needling_withdrawn", [])), NEEDLING_KINDS),
            (any_of(statements.get("injection_withdrawn", [])), INJECTED_KINDS),
            self._whole_visit,
        ]
        # the procedure as a whole put to a later visit ("Treatment to begin next visit"): its
        # own words name another day, so the partial words do not make it partial
        self._put_off = any_of(statements.get("procedure_put_off", []))
        self._denials.append((self._put_off, NEEDLING_KINDS | INJECTED_KINDS))
        self._refused = any_of(statements.get("refused_with_no_object", []))
        self._partial = any_of(statements.get("withdrawal_partial", []))
        self._side_corrected = any_of(statements.get("side_corrected", []))
        self._procedure_corrected = any_of(statements.get("procedure_corrected", []))
        self._none_injected = any_of(statements.get("none_injected", []))
        self._object = any_of(statements.get("withdrawal_object", []))
        self._done = any_of(
            [*statements.get("done_evidence", []), *statements.get("done_in_words", [])]
        )

    def _denial(
        self, text: str, start: int = 0, *, refused: bool = False, whole_visit: bool = False
    ) -> Denial | None:
        """The sentence's denial from ``start`` on, unless it is partial: a word of part of the
        procedure or of another day in its clause, or a place right after it. With
        ``refused``, a refusal with no object ("DN R UT planned today, pt declined") denies the
        procedures the sentence named before it; with ``whole_visit``, only the denials of any
        procedure at the visit ("evaluation only") count."""
        denials = [self._whole_visit] if whole_visit else list(self._denials)
        if refused:
            denials.append((self._refused, kinds_named(text[:start])))
        found = [(m, kinds) for p, kinds in denials if (m := p.search(text, start)) and kinds]
        if not found:
            return None
        kinds = frozenset().union(*(k for _, k in found))
        first = min(m.start() for m, _ in found)
        refusal = refused and all(m.re is self._refused for m, _ in found if m.start() == first)
        put_off = all(m.re is self._put_off for m, _ in found if m.start() == first)
        end = max(m.end() for m, _ in found if m.start() == first)
        denial = Denial(first, end, kinds, refusal, put_off)
        low, high = _clause(text, denial.start, denial.end)
        if put_off:
            # (its own words name the later day; what follows may make it partial: "... next
            # week with the R side")
            return None if self._partial.search(text, denial.end, high) else denial
        if self._partial.search(text[low:high]) or self._object.match(text, denial.end):
            return None
        if not refusal and _ONE_THING.match(text, denial.end):
            return None  # "i considered the left QL but didn't needle it": of that name only
        if (
            not refusal
            and _DENYING_VERB.search(text, denial.start, denial.end)
            and _SIDED_OBJECT.match(text, denial.end)
        ):
            return None  # "I did not needle, the left <a name misheard>": its own object
        return denial

    def __call__(self, doc: Doc, events: list[ProcedureEvent]) -> None:
        # (binding.py started doc._.contradicted with those said in one sentence)
        sents = sentences(doc)
        texts = [span_text(s) for s in sents]
        self._corrected_sides(doc, sents, texts)
        self._corrected_injection(doc, sents, texts, events)
        sections = sentence_sections(doc)
        targets = by_sentence(doc, target_spans(doc))

        def later_of(i: int) -> list[int]:
            """The sentences of the same section a denial of today reaches after it."""
            after = range(i + 1, min(i + 1 + _REACH, len(sents)))
            return [j for j in after if sections[j] == sections[i]]

        for i, text in enumerate(texts):
            own = [t for t in targets[i] if t.label_ in _OWN_TARGETS]
            if own:
                # "no needling to the L UT today" denies its own muscle; a denial after the last
                # muscle of its sentence takes back what the sentence planned for today
                tail = max(t.end_char for t in own) - sents[i].start_char
                denial = self._denial(text, tail, refused=True)
                if denial is None and doc.user_data.get(SPOKEN):
                    # a recogniser's run-on may name more muscles after a denial of the whole
                    # visit ("... dry needling today, evaluation only, we may also needle her
                    # subscapularis")
                    first = min(t.end_char for t in own) - sents[i].start_char
                    denial = self._denial(text, first, whole_visit=True)
                # (what is said after the denial is no part of the plan it takes back: "so no
                # needling today ... we'll revisit needling once his doctor clears him")
                # ("Consent obtained for DN to the L UT; pt wishes to proceed next week": the
                # sentence's own procedure is put off, unless it says it was done)
                if denial is not None and (
                    denial.put_off or _planned_for_today(text, denial.start)
                ):
                    self._take_back(doc, sents[i], denial, [i], texts, targets, events, own=i)
                elif denial is None and doc.user_data.get(SPOKEN):
                    self._denied_first(doc, sents[i], i, own, events)
                    # a denial anywhere in the run-on still speaks of what the next sentences
                    # say was done ("... only no needles at all ... the left QL ... think about
                    # needling the left piriformis")
                    anywhere = self._denial(text)
                    # "... in the end we did not needle any of those": said of all the names before
                    every = anywhere is not None and bool(
                        _POINTS_BACK_AT_ALL.match(text, anywhere.end)
                    )
                    if anywhere is not None and not every and _names_next(own, sents[i], anywhere):
                        anywhere = None  # "we did not needle, the left SCM": its own object
                    if anywhere is not None and not every and not _LATER.search(text):
                        self._denied_before(doc, sents[i], anywhere, later_of(i), events)
                    if anywhere is not None and _planned_for_today(text, anywhere.start):
                        # and takes back what the run-on said before it ("we did dry needling
                        # to the right infraspinatus ... no needling today ... a taut band in the
                        # infraspinatus ... dry needling as needed to the right infraspinatus")
                        at = sents[i].start_char + anywhere.start
                        before = [e for e in events if e.sentence != i or doc[e.start].idx < at]
                        self._take_back(doc, sents[i], anywhere, [i], texts, targets, before, own=i)
                continue
            denial = self._denial(text)
            if denial is None and i > 0 and sections[i - 1] == sections[i]:
                denial = self._refused_offer(texts[i - 1], text)
            if denial is None:
                continue
            earlier = [j for j in range(max(0, i - _PLAN_REACH), i) if sections[j] == sections[i]]
            self._take_back(doc, sents[i], denial, earlier, texts, targets, events, own=i)
            if not denial.refusal and not _LATER.search(text):
                self._denied_before(doc, sents[i], denial, later_of(i), events)

    def _refused_offer(self, offer: str, text: str) -> Denial | None:
        """ "Offered TPI to the R UT. Pt declined.": a refusal with no object that opens the
        sentence right after an offer of a procedure refuses the procedure offered."""
        kinds = kinds_named(offer)
        if not kinds or not _OFFERED.search(offer) or _LATER.search(offer):
            return None
        refusal = self._refused.search(text)
        if refusal is None or not _OPENS.fullmatch(text[: refusal.start()]):
            return None
        return Denial(refusal.start(), refusal.end(), kinds, refusal=True)

    def _denied_first(
        self, doc: Doc, sent: Span, number: int, own: list[Span], events: list[ProcedureEvent]
    ) -> None:
        """ "no dry needling today she started a blood thinner ... when I needled the right
        levator two weeks ago ... the left anterior scalene ...": in a recogniser's run-on, a
        denial of the whole procedure said before any muscle, and then a needling of today
        said after it: the note says both, so each of its muscles goes to review as a status
        conflict, billed by neither (a misheard time may be all that parts them)."""
        first = min(t.start_char for t in own) - sent.start_char
        denial = self._denial(span_text(sent)[:first])
        if denial is None:
            return
        cue = (sent.start_char + denial.start, sent.start_char + denial.end)
        for event in events:
            if (
                event.sentence == number
                and event.kind in denial.kinds
                and event.done_today
                and event.experiencer == "patient"
                and doc[event.start].idx >= cue[1]
                and event.muscles
            ):
                _hold_for_review(doc, cue, event)

    def _denied_before(
        self,
        doc: Doc,
        sent: Span,
        denial: Denial,
        later: list[int],
        events: list[ProcedureEvent],
    ) -> None:
        """ "Soft tissue only today, no needles at all. ... Needling the left piriformis.": a
        sentence that denies the whole procedure today, then, a few sentences on in the same
        section, that procedure said as done today with its muscles. The note says both; each
        of those muscles goes to review as a status conflict, billed by neither (the later
        words may be a plan whose cue was lost, or a correction the note does not say)."""
        cue = (sent.start_char + denial.start, sent.start_char + denial.end)
        for event in events:
            if (
                event.sentence in later
                and event.kind in denial.kinds
                and event.done_today
                and event.muscles
            ):
                _hold_for_review(doc, cue, event)

    def _take_back(
        self,
        doc: Doc,
        sent: Span,
        denial: Denial,
        earlier: list[int],
        texts: list[str],
        targets: list[list[Span]],
        events: list[ProcedureEvent],
        *,
        own: int,
    ) -> None:
        cue = (sent.start_char + denial.start, sent.start_char + denial.end)
        taken: list[Span] = []
        for event in events:
            if event.kind not in denial.kinds or event.experiencer != "patient":
                continue
            if event.sentence == own and not event.muscles:
                if doc[event.start].idx >= cue[0]:
                    event.time = "not_done"  # the denial's own words: "neither was needled"
            elif event.sentence in earlier and self._taken_back(event, texts, own, denial):
                event.time = "planned" if denial.put_off else "not_done"
                taken += event.muscles
            elif (
                event.sentence in earlier
                and not (denial.refusal or denial.put_off)
                and _proved_near(event, own)
            ):
                # "DN performed to R UT with LTR. No needling was performed.": the note says
                # both; each muscle goes to review as a status conflict, billed by neither
                _hold_for_review(doc, cue, event)
        # muscles a plan for today named with no procedure of its own ("booked for needling
        # ... today", "offered DN to ... today")
        for j in earlier:
            said = texts[j] if j != own else texts[j][: denial.start]
            named = kinds_named(said)
            if not _planned_for_today(said) or (named and not denial.kinds & named):
                continue
            if not named and j != own:
                continue  # a plan that names no procedure is the one its own sentence denies:
                # "the plan for today had been the R infraspinatus ... but neither was needled"
            before = cue[0] if j == own else sent.end_char
            taken += [
                s
                for s in targets[j]
                if s.label_ in _OWN_TARGETS and s._.status == "planned" and s.end_char <= before
            ]
        treated_elsewhere = {
            s._.entry_id
            for s in target_spans(doc)
            if s._.status == "treated" and all(s is not t for t in taken)
        }
        for span in taken:
            if span._.status not in ("treated", "planned"):
                continue
            later = denial.put_off or span._.entry_id in treated_elsewhere
            span._.status = "planned" if later else "negated"
            span._.status_cue = cue
            span._.technique = None
            span._.binding = None
            span._.event = None

    def _corrected_injection(
        self, doc: Doc, sents: list[Span], texts: list[str], events: list[ProcedureEvent]
    ) -> None:
        """ "Correction: the Procedure line above was carried forward from a template in
        error. No lidocaine or any other substance was injected.": once a note says its
        procedure text was wrong and then that nothing was injected, the injections and drugs
        written before the correction were not given."""
        found = next(
            (
                (i, m)
                for i, t in enumerate(texts)
                if (m := self._procedure_corrected.search(t)) is not None
            ),
            None,
        )
        if found is None:
            return
        at, match = found
        after = range(at, min(at + _REACH + 1, len(texts)))
        if not any(
            self._none_injected.search(texts[j], match.end() if j == at else 0) for j in after
        ):
            return
        # (a line that says its own words were wrong: "TPI L QL 2 mL 1% lidocaine - entered in
        # the wrong chart")
        before = sents[at].start_char + match.end()
        for event in events:
            if event.kind in INJECTED_KINDS and doc[event.start].idx < before:
                event.time = "not_done"
                for muscle in event.muscles:  # (what the correction says was done stands)
                    muscle._.status, muscle._.technique, muscle._.event = "mentioned", None, None
        for span in target_spans(doc):
            if span.label_ == "SUBSTANCE" and span.start_char < before:
                span._.status = "mentioned"

    def _corrected_sides(self, doc: Doc, sents: list[Span], texts: list[str]) -> None:
        """ "ADDENDUM: Laterality entered in error above. Needling today was to the L medial
        gastrocnemius and L soleus.": after a note says its side was written in error, a muscle
        it then says was treated on one side was not treated on the other side written before.
        What it wrote of that muscle on the wrong side without treating it ("Exam: taut band R
        QL ... the exam should read left, not right") is of the side it then treated."""
        at = next((i for i, t in enumerate(texts) if self._side_corrected.search(t)), None)
        if at is None:
            return
        start = sents[at].start
        muscles = [s for s in target_spans(doc) if s.label_ == "MUSCLE" and s._.status == "treated"]
        corrected: dict[str, set[str]] = {}
        for span in muscles:
            if span.start >= start and span._.laterality in ("left", "right"):
                corrected.setdefault(span._.entry_id, set()).add(span._.laterality)
        words = sents[at]
        for span in target_spans(doc):
            sides = corrected.get(span._.entry_id) if span.label_ == "MUSCLE" else None
            if (
                span.start < start
                and sides is not None
                and len(sides) == 1
                and span._.status in ("palpated_only", "mentioned")
                and span._.laterality in ("left", "right")
                and span._.laterality not in sides
            ):
                span._.laterality = next(iter(sides))
                span._.laterality_source = "explicit"
                span._.side_cue = (words.start_char, words.end_char)
        for span in muscles:
            sides = corrected.get(span._.entry_id)
            if span.start < start and sides and span._.laterality not in sides | {"unspecified"}:
                span._.status = "negated"
                span._.status_cue = (words.start_char, words.end_char)
                span._.technique = None
                span._.binding = None
                span._.event = None

    def _taken_back(
        self, event: ProcedureEvent, texts: list[str], own: int, denial: Denial
    ) -> bool:
        if not event.muscles:
            return False
        said = texts[event.sentence]
        if event.time == "planned":
            # "DN planned for the R UT today" (a time to come after the denial is not the plan's)
            return _planned_for_today(said, denial.start if event.sentence == own else None)
        if event.sentence == own:  # denials are no evidence ("nothing was needled")
            for pattern, _ in self._denials:
                said = pattern.sub(lambda m: " " * len(m.group(0)), said)
        # a procedure named (not only implied by its needles or twitches) in a sentence with
        # no word that it was done ("he was set up for trigger point injections ... today") is
        # taken back from as far as a plan for today
        near = own - event.sentence <= (_REACH if event.strength == "weak" else _PLAN_REACH)
        return near and event.time == "today" and not self._done.search(said)


def _hold_for_review(doc: Doc, cue: tuple[int, int], event: ProcedureEvent) -> None:
    """The event's muscles said not done at ``cue`` as well: a status conflict for review."""
    names = [(m.start_char, m.end_char) for m in event.muscles]
    doc._.contradicted.append((*cue, names))


_OBJECT_GAP = 4  # tokens: a recogniser's pause and an article before the denied name


# (the names before, all of them: "not needling any of them", "didn't needle those")
_POINTS_BACK_AT_ALL = re.compile(r"[\s,]*(?:those|these|them)\b", re.I)
_POINTS_BACK = re.compile(
    r"[\s,]*(?:those|these|them|it|(?:that|this)\s+one|(?:either|both|any)\s+of)\b", re.I
)


# a denial said with a verb that takes an object ("I did not needle"), not a noun ("no needling")
_DENYING_VERB = re.compile(r"\b(?:needle|inject|treat|dry\s+needle)\s*$", re.IGNORECASE)
# an object said with its side right after a denial, whatever the recogniser made of its name:
# "I didn't needle, the right <a word the recogniser made of the name>, today"
_SIDED_OBJECT = re.compile(r"[\s,]*(?:the|his|her)\s+(?:left|right)\s+[a-z]", re.IGNORECASE)


def _names_next(own: list[Span], sent: Span, denial: Denial) -> bool:
    """A name of the sentence, a word that points back at names, or a side and a word follow
    the denial at once ("we did not needle, the left SCM", "I didn't needle, those", "I did not
    needle, the left <a name misheard>"): it denies them."""
    if _POINTS_BACK.match(span_text(sent), denial.end) or _SIDED_OBJECT.match(
        span_text(sent), denial.end
    ):
        return True
    end = sent.doc.char_span(
        sent.start_char + denial.start, sent.start_char + denial.end, alignment_mode="expand"
    )
    return end is not None and any(0 <= t.start - end.end <= _OBJECT_GAP for t in own)


def _proved_near(event: ProcedureEvent, denial: int) -> bool:
    """A procedure said done today, with its muscles, a few sentences before the denial."""
    return event.time == "today" and bool(event.muscles) and denial - event.sentence <= _REACH


_CLAUSE_BREAK = re.compile(r"[,;:.]|\b(?:but|and|so|because)\b", re.IGNORECASE)


# how far a clause reaches either side of a denial, in characters, where nothing breaks it (a
# recogniser's run-on: "... did not needle any of those so far she can't jog for more than
# ten minutes" is no denial of one side)
_CLAUSE_REACH = 40


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause holding ``text[start:end]`` begins and ends."""
    low = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    after = _CLAUSE_BREAK.search(text, end)
    high = after.start() if after else len(text)
    return max(low, start - _CLAUSE_REACH), min(high, end + _CLAUSE_REACH)


def _planned_for_today(text: str, plan_end: int | None = None) -> bool:
    """Today's plan is said in ``text``, and no later visit before ``plan_end``."""
    end = len(text) if plan_end is None else plan_end
    return bool(_FOR_TODAY.search(text)) and not _LATER.search(text, 0, end)
