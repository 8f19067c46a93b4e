"""Procedure words that report no procedure: template and boilerplate text.

EHR templates name dry needling and trigger point injections in every note, done or not: an
unchecked box ("[ ] Trigger point injection", ``in_an_unchecked_box``, which the event finder asks
before any muscle is tied), a box checked on a word that says it was not done ("Dry needling:
[ ] performed [x] deferred"), a blank field ("Muscles needled: ______",
"Muscles: N/A"), an education, consent or screening text ("Dry needling uses a thin solid
needle ...", "DRY NEEDLING SCREENING QUESTIONNAIRE", "Alternatives discussed: ... dry
needling"). Such words, when no muscle is tied to them, are no procedure done today, and so
they raise no prompt that the muscles of a procedure are missing. A procedure that was tied to
a muscle is never changed here: this pass can take no line off a claim.

Reads: the note's text, sentences and procedure events (after binding); the patterns of
``lexicons/statements.yaml`` (``about_the_procedure``, ``procedure_described``,
``done_evidence``). Writes: ``time`` of the muscle-less events it finds.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from scribe.lexicons import any_of
from scribe.nlp.extensions import doc_text, sentences
from scribe.nlp.procedure_event import ProcedureEvent

# (or after other names of the same box, joined by a slash or "or": "[ ] Acupuncture /
# electroacupuncture")
_UNCHECKED_BEFORE = re.compile(
    r"(?:\[\s?\]|[☐□])\s*"
    r"(?:[A-Za-z][\w.-]*(?:[ \t]+[A-Za-z][\w.-]*){0,3}[ \t]*(?:/|\bor\b)[ \t]*){0,2}$"
)
# a box checked ("[x]", "☒") on an answer that says not done: "[x] Not performed", "☒ No -
# deferred" (a bare "No": "[x] No injectate" answers another question)
_CHECKED = r"(?:\[\s*[xX✓✔]\s*\]|[☒☑✓✔])"
_CHECKED_NOT_DONE = re.compile(
    rf"{_CHECKED}\s*(?:deferred|declined|refused|not\s+(?:performed|done|indicated)|held|"
    r"contraindicated|n/?a|no(?![ \t]+[a-z]))\b",
    re.IGNORECASE,
)
# a box checked on "performed" or "done" ("[x] Performed"): the procedure was done
_CHECKED_DONE = re.compile(rf"{_CHECKED}\s*(?:performed|done|completed|yes)\b", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^[\s:()\-#/.\d]*$")
# the rest of a heading line that names the procedure ("DRY NEEDLING PROCEDURE"), and a field
# under it that asks whether it was performed ("Procedure performed:", "Performed today?")
_HEADING_REST = re.compile(
    r"^[\s:()\-#/.\d]*(?:procedures?|note|section|details|record|log)?[\s:()\-#/.\d]*$", re.I
)
_PERFORMED_LABEL = re.compile(
    r"^\s*(?:(?:procedure|dn|tdn|dry\s+needling|needling|tpis?|injections?)\s+)?"
    r"(?:performed|done|completed)(?:\s+today)?\s*[:?]",
    re.IGNORECASE,
)
# (the field's own label may go on first: "Dry needling performed today: N/A (telehealth)")
_BLANK_FIELD = re.compile(
    r"^(?:\s*(?:performed|done|completed|given|today|this\s+visit))*"
    r"[\s:()#-]*(?:_{2,}|n/?a\b|none\b|no\b(?!\s+\w)|-{2,}|\[\s?\]|[☐□])",
    re.IGNORECASE,
)


class UnreportedProcedures:
    def __init__(self, statements: dict[str, list[str]]) -> None:
        self._about = any_of(statements.get("about_the_procedure", []))
        self._described = any_of(statements.get("procedure_described", []))
        self._done = any_of(statements.get("done_evidence", []))

    def __call__(self, doc: Doc, events: list[ProcedureEvent]) -> None:
        text = doc_text(doc)
        sents = sentences(doc)
        for event in events:
            if not event.billable_today or event.muscles or event.source != "words":
                continue
            words = doc[event.start : event.end]
            line_end = text.find("\n", words.end_char)
            line_end = len(text) if line_end == -1 else line_end
            after = text[words.end_char : line_end]
            sentence = text[sents[event.sentence].start_char : sents[event.sentence].end_char]
            if _CHECKED_NOT_DONE.search(after):
                event.time = "not_done"  # "DN: [ ] performed [x] deferred"
            elif _BLANK_FIELD.match(after):
                event.time = "mentioned"  # "Muscles needled: ______"
            elif self._described.search(sentence) or (
                self._about.search(sentence) and not self._done.search(sentence)
            ):
                event.time = "mentioned"  # education, consent, screening, a list of options


def in_an_unchecked_box(text: str, start: int) -> bool:
    """The procedure's words at ``start`` stand right after an empty box: "[ ] Trigger point
    injection   Drug: ______". Not done, whatever else its line or the lines around say."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_UNCHECKED_BEFORE.search(text, line_start, start))


def answered_not_done(text: str, start: int, end: int) -> bool:
    """ "DRY NEEDLING (2039-11-19)\n[ ] Performed   [x] Not performed": the boxes answered on
    the rest of the procedure's line, or on the line below a heading that says nothing more
    (a date at most), check a box that says it was not done and none that says it was."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    answers = text[end:line_end]
    next_end = text.find("\n", line_end + 1)
    below = text[line_end + 1 : len(text) if next_end == -1 else next_end]
    if _DATE_ONLY.match(answers):
        answers = below
    elif _HEADING_REST.match(answers) and _PERFORMED_LABEL.match(below):
        # "DRY NEEDLING PROCEDURE\n  Procedure performed:  [ ] Yes  [x] No" (only a field that
        # asks whether it was performed: "Anticoagulants: [ ] Yes [x] No" answers another)
        answers = below
    return bool(_CHECKED_NOT_DONE.search(answers)) and not _CHECKED_DONE.search(answers)
