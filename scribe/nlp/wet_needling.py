"""Needling that put a substance in.

"TrP wet needling L ECRB + L brachioradialis (pistoning, 25G) -- 0.5 mL sterile saline into
each TrP": the note names needling and says a substance went into the muscles. Any substance
injected into a trigger point is a trigger point injection, 20552/20553 (DOMAIN.md section 4),
whatever the procedure is called. Such a procedure keeps the name the note gave it
(``ProcedureEvent.named_as``) and a prompt asks the clinician to confirm the code.

Only in a note that names no injection procedure of its own (a mixed session names its
injection, and its drugs are that injection's; the verb "injected" alone names none), for a
drug given today with the words of its dose, said after the needling's words in their
sentence.

Reads the events of ``scribe_events`` while they are found and the targets' substance statuses.
Writes ``ProcedureEvent.kind`` and ``ProcedureEvent.named_as``.
"""

from spacy.tokens import Span

from scribe.nlp.procedure_event import INJECTION_KINDS, ProcedureEvent


def wet_needling(events: list[ProcedureEvent], targets: list[list[Span]]) -> None:
    """Dry needling done today whose sentence says a substance was injected, in a note that
    names no injection, becomes a trigger point injection named as needling."""
    # an injection named as such ("TPI", "trigger point injection"); the verb "injected" alone
    # says what the needling gave
    if any(e.kind in INJECTION_KINDS and e.category != "INJECTION_WORD" for e in events):
        return
    # "... injected lidocaine into the R UT": the injection names its own muscle after it, a
    # mixed session
    if any(e.kind in INJECTION_KINDS and _names_its_muscle(e, targets[e.sentence]) for e in events):
        return
    for event in events:
        if (
            event.kind != "dry_needling"
            or not event.done_today
            or event.strength != "strong"
            or event.source != "words"
        ):
            continue
        # the drug said after the needling's words: what it gave
        if any(_given_with_a_dose(s) and s.start >= event.end for s in targets[event.sentence]):
            event.named_as = event.kind
            event.kind = "trigger_point_injection"


def _names_its_muscle(event: ProcedureEvent, in_sentence: list[Span]) -> bool:
    return any(s.label_ in ("MUSCLE", "GROUP") and s.start >= event.end for s in in_sentence)


def _given_with_a_dose(span: Span) -> bool:
    """A drug injected, with the words of its dose ("0.5 mL sterile saline into each TrP"); a
    bare "medication was injected" is often a recogniser's "no medication was injected"."""
    return (
        span.label_ == "SUBSTANCE"
        and span._.status == "injected"
        and any(m.category == "DOSE" for m in span._.modifiers)
    )
