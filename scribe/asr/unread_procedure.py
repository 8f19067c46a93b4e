"""A recording that speaks of a procedure done from which nothing could be coded.

Recognition may lose exactly the words that code a session ("I dry needled" heard as "eye dry,
leadled") while keeping the words around them: the patient tolerated it, a twitch, "no
injectate". A transcript whose note bills nothing, with such signs, no denial or withdrawal of
a procedure (a muscle said not needled) and no other prompt that says why nothing was billed,
gets the ``asr-procedure-unread`` prompt: never silent when a procedure cannot be coded. A
denial of some muscles explains nothing when the note also says needling was done ("needles
only") and leaves a muscle only examined; a muscle planned for a later visit, or needled at an
earlier one, explains nothing when the note says nothing was injected or a twitch was drawn.
Typed notes never get it (their words are the clinician's own).

Reads: the note (injectate statements, tolerance, findings, muscle statuses) and its coding.
Writes nothing: returns the prompt or None.
"""

from __future__ import annotations

from scribe.asr.confidence import words_prompt
from scribe.nlp.procedure_event import NEEDLING_KINDS, kinds_named
from scribe.schemas.coding import CodingResult, Prompt, Severity
from scribe.schemas.common import Evidence
from scribe.schemas.note import Note

# prompts that already say why nothing was billed
_EXPLAINED = frozenset(
    {"muscle-names-missing", "procedure-unnamed", "status-conflict", "muscle-name-unread"}
)
# findings only a needle draws
_NEEDLE_SIGNS = frozenset({"local_twitch_response"})
_NOT_DONE = frozenset({"negated", "planned", "historical"})


def unread_procedure_prompt(
    note: Note, coding: CodingResult, *, prompt_id: str, severity: Severity, message: str
) -> Prompt | None:
    """The prompt, with the words that show a procedure as evidence, or None."""
    if coding.lines or any(p.id in _EXPLAINED for p in coding.prompts):
        return None
    signs: list[Evidence] = list(note.injectate.statements)
    statuses = {m.status for m in note.muscles}
    if _NOT_DONE & statuses and "negated" not in statuses:
        # a plan for a later visit, or an earlier one, says nothing of today; "no injectate"
        # and a twitch are said only of a needle put in, so they still show one ("... so
        # that's what we did, dry, no injectate ... probably the right piriformis next week",
        # with the words that named the needling misheard). Tolerance alone may be of the
        # exercises of a visit with no needling.
        twitches = [f for f in note.rationale.findings if f.kind in _NEEDLE_SIGNS and not f.negated]
        if not signs and not twitches:
            return None
    elif _NOT_DONE & statuses:
        # the note says what was not done today, or when it was; unless it also says needling
        # was done ("needles only, nothing injected") beside a muscle only examined: the words
        # that tied the needling to it were lost ("... today right quadratus lumborum and the
        # right gluteus medius taut bands in both ... we skipped the left quadratus lumborum
        # ... needles only nothing injected", with no pause a recogniser wrote)
        signs = [e for e in signs if NEEDLING_KINDS & kinds_named(e.text)]
        if not signs or not any(m.status == "palpated_only" for m in note.muscles):
            return None
    if note.rationale.tolerance is not None:
        signs.append(note.rationale.tolerance)
    signs += [f for f in note.rationale.findings if f.kind in _NEEDLE_SIGNS and not f.negated]
    if not signs:
        return None
    evidence = [Evidence(start=e.start, end=e.end, text=e.text) for e in signs]
    return words_prompt(evidence, prompt_id=prompt_id, severity=severity, message=message, shown=4)
