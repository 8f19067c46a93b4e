"""A recording that speaks of a procedure done from which nothing could be coded.

Recognition may lose exactly the words that code a session ("I dry needled" heard as "eye dry,
leadled") while keeping the words around them: the patient tolerated it, a twitch, "no
injectate". A transcript whose note bills nothing, with such signs, no denial or withdrawal of
a procedure (a muscle said not needled) and no other prompt that says why nothing was billed,
gets the ``asr-procedure-unread`` prompt: never silent when a procedure cannot be coded.
Typed notes never get it (their words are the clinician's own).

Reads: the note (injectate statements, tolerance, findings, muscle statuses) and its coding.
Writes nothing: returns the prompt or None.
"""

from __future__ import annotations

from scribe.asr.confidence import words_prompt
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
    if any(m.status in _NOT_DONE for m in note.muscles):
        return None  # the note says what was not done today, or when it was
    signs: list[Evidence] = list(note.injectate.statements)
    if note.rationale.tolerance is not None:
        signs.append(note.rationale.tolerance)
    signs += [f for f in note.rationale.findings if f.kind in _NEEDLE_SIGNS and not f.negated]
    if not signs:
        return None
    evidence = [Evidence(start=e.start, end=e.end, text=e.text) for e in signs]
    return words_prompt(evidence, prompt_id=prompt_id, severity=severity, message=message, shown=4)
