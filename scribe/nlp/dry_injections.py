"""A trigger point injection that put nothing in.

"Trigger point injection to the R UT, no medication injected", "TPI x2 R UT. Nothing was
injected.": the needle went into the trigger point and no substance did. 20552/20553 are
injections of a substance; a needle insertion without injection of any substance is 20560/20561
(DOMAIN.md section 4). Such a procedure is dry needling. It keeps the name the note gave it
(``ProcedureEvent.named_as``), so that a prompt asks the clinician to confirm the code instead
of the code changing in silence, and instead of the muscles being dropped as "not injected".

A denial speaks of the injection when it is said:
- of a substance in the injection's own sentence ("TPI to the R UT without medication"), with
  no other procedure named between them (``InjectionResolver.resolve``);
- in the injection's sentence, after it, with no other procedure named between them
  ("Trigger point injections to R UT; nothing injected");
- in a sentence of today's work that names no procedure of its own ("TPI x2 R UT. Nothing was
  injected."), also beside dry needling when the note names no substance but to deny it ("TPI R
  UT. DN L UT. Nothing injected.": no substance is documented for the injection, and the note
  denies any).
It never does when any substance is injected anywhere in the note ("TPI with 1% lidocaine ...
no steroid was injected" denies the steroid only), nor from another sentence when a dose
follows the injection before the next procedure ("TPIs into the L QL with point five percent
<a drug name misheard> two cc per muscle, then dry needling to ... Nothing was injected into
those"). An injection its own sentence names again as not done ("... a trigger point injection
today but ... the injection was deferred, nothing was injected") was not done at all. Doses
said after an injection (``doses_after``) are read here for ``injections.py`` too.

Reads the events of ``scribe_events`` while they are found and the targets' substance statuses.
Writes ``ProcedureEvent.kind`` and ``ProcedureEvent.named_as``.
"""

import re

from spacy.tokens import Doc, Span

from scribe.nlp.extensions import doc_text, sentences
from scribe.nlp.procedure_event import INJECTION_KINDS, ProcedureEvent

INJECTION = "trigger_point_injection"
_POINTING_BACK = frozenset({"the", "that", "this", "those", "these"})


# a dose given: "2 cc each", "three milliliters", "0.25%" (a drug whose name was misheard
# still leaves its dose)
_DOSE = re.compile(
    r"\b(?:\d+(?:\.\d+)?|one|two|three|four|five|half\s+a)\s*(?:cc'?s?|ml|mls|mils?|milliliters?|"
    r"millilitres?)\b|\d\s*%|\bpercent\b",
    re.IGNORECASE,
)
_DOSE_REACH = 80  # characters after the injection word


def doses_after(doc: Doc, event: ProcedureEvent, until: int | None = None) -> bool:
    """ "I injected the upper trapezius and the levator with marking 0.25%, 2ccs each": an
    injection whose dose follows it was given, whatever the drug was heard as. The dose is
    looked for in its sentence, up to ``until`` (a character offset) or ``_DOSE_REACH``."""
    words = doc[event.start : event.end]
    sent = sentences(doc)[event.sentence]
    stop = min(sent.end_char, until if until is not None else words.end_char + _DOSE_REACH)
    return bool(_DOSE.search(doc_text(doc), words.end_char, stop))


def _dosed_before_the_next(doc: Doc, event: ProcedureEvent, others: list[ProcedureEvent]) -> bool:
    """A dose said after the injection, in its sentence, before the next procedure named."""
    after = doc[event.start : event.end].end_char
    nexts = [doc[e.start].idx for e in others if e.sentence == event.sentence]
    return doses_after(doc, event, min([n for n in nexts if n > after], default=len(doc.text)))


def inserted_dry(event: ProcedureEvent) -> None:
    """The injection put nothing in: a needle insertion without injection."""
    event.named_as = event.kind
    event.kind = "dry_needling"


def injected_anywhere(targets: list[list[Span]]) -> bool:
    """Some substance went in, somewhere in the note."""
    return any(s.label_ == "SUBSTANCE" and s._.status == "injected" for row in targets for s in row)


def dry_injections(
    doc: Doc,
    events: list[ProcedureEvent],
    targets: list[list[Span]],
    denials: list[tuple[int, int]],
    sections: list[str | None],
    not_today: frozenset[str],
) -> None:
    """Trigger point injections done today that a "nothing was injected" statement speaks of
    become dry needling named as an injection. ``denials`` are the statements' character
    offsets, ``sections`` each sentence's section, ``not_today`` the sections of the past and
    of plans."""
    for event in events:
        if (
            event.kind == INJECTION
            and event.done_today
            and event.source == "words"
            and _named_again_as_not_done(doc, event, events, denials)
        ):
            # "we had planned a trigger point injection today but ... the injection was
            # deferred": no needle went in either, whatever drug it was to give
            event.time = "not_done"
    if not denials or injected_anywhere(targets):
        return
    sents = sentences(doc)
    # a drug named anywhere but as denied: beside other needling, the note may say it went
    # into the injection in words read later ("3 mL bupivacaine 0.25%" on the line below)
    named_anywhere = any(
        s.label_ == "SUBSTANCE" and s._.status != "negated" for row in targets for s in row
    )
    # in words that prove a procedure ("LTR" names needling, proves none)
    today = [
        e
        for e in events
        if e.done_today and e.strength == "strong" and e.kind in ("dry_needling", INJECTION)
    ]
    for event in [e for e in today if e.kind == INJECTION and e.source == "words"]:
        others = [e for e in today if e is not event]
        for start, end in denials:
            number = _sentence_of(sents, start)
            if number == event.sentence:
                after = doc[event.end - 1].idx < start
                between = [
                    e
                    for e in others
                    if e.sentence == number
                    and doc[e.start].idx > doc[event.end - 1].idx
                    and doc[e.start].idx <= start  # "dry needled only": that one's own
                ]
                if after and not between:
                    inserted_dry(event)
                    break
            elif (
                number is not None
                and (not others or not named_anywhere)
                and not _names_a_procedure(doc, events, number, (start, end))
                and sections[number] not in not_today
                # "TPIs into the left QL and glute med with point five percent <drug misheard>
                # about two cc per muscle, then dry needling ... Nothing was injected into
                # those": its dose says something went in
                and not _dosed_before_the_next(doc, event, others)
            ):
                inserted_dry(event)
                break


def _sentence_of(sents: list[Span], char: int) -> int | None:
    for number, sent in enumerate(sents):
        if sent.start_char <= char < sent.end_char:
            return number
    return None


def _names_a_procedure(
    doc: Doc, events: list[ProcedureEvent], number: int, denial: tuple[int, int]
) -> bool:
    """The sentence names a procedure besides the words of the denial ("Nothing was
    injected" names an injection it denies)."""
    return any(
        e.sentence == number
        and not (denial[0] <= doc[e.start].idx and doc[e.end - 1].idx < denial[1])
        for e in events
    )


def _named_again_as_not_done(
    doc: Doc, event: ProcedureEvent, events: list[ProcedureEvent], denials: list[tuple[int, int]]
) -> bool:
    """Its sentence names the injection again, later, as not done ("the injection was
    deferred"): by a noun that points back at it ("the injection", "that TPI"; "no lidocaine
    was injected into the R UT" denies a drug, not the injection), in words that are no
    "nothing was injected" statement ("no injection of medication" denies a substance, not
    the needle)."""
    for other in events:
        if (
            other is event
            or other.sentence != event.sentence
            or other.start < event.end
            or other.kind not in INJECTION_KINDS
            or other.time != "not_done"
            or other.start == 0
            or doc[other.start - 1].lower_ not in _POINTING_BACK
        ):
            continue
        at = doc[other.start].idx
        if not any(a <= at < b for a, b in denials):
            return True
    return False
