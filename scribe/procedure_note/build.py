"""Note + coding -> procedure note: only what the dictation says, each sentence with its words.

Pure: no I/O, no lexicon. Dictated wording is quoted verbatim ("as dictated"); a muscle, side or
number is stated with the span that names it; an element the dictation lacks is a visible gap
("Consent: not documented."), never filled in. The only words not taken from the dictation are
the headings, the labels and the coder's code, count and descriptor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from scribe.procedure_note.facts import (
    join_names,
    muscle_facts,
    number_fact,
    quote,
    quotes,
    reviewer_status,
    show_measure,
)
from scribe.schemas.coding import ClaimDiagnosis, ClaimLine, CodingResult
from scribe.schemas.note import (
    FindingKind,
    Injectate,
    Measure,
    Muscle,
    MuscleRef,
    Note,
)
from scribe.schemas.procedure_note import Element, Fact, ProcedureNote, Section, Sentence

TITLE: Final = "Dry needling procedure note"
#: Procedures this note documents (done today, to the patient).
NEEDLING: Final = {
    "dry_needling": "Dry needling",
    "trigger_point_injection": "Trigger point injection",
}
FINDING_LABELS: Final[dict[FindingKind, str]] = {
    "trigger_point": "Trigger point",
    "taut_band": "Taut band",
    "jump_sign": "Jump sign",
    "local_twitch_response": "Local twitch response",
    "referred_pain": "Referred pain",
    "symptom_reproduction": "Symptom reproduced",
    "tenderness": "Tenderness",
}
TECHNIQUE_WORDS: Final = {"needling": "dry needled", "injection": "injected"}


def _gap(element: Element, label: str) -> Sentence:
    return Sentence(element=element, text=f"{label}: not documented.", origin="gap")


def _reviewer(element: Element, words: str) -> Sentence:
    return Sentence(element=element, text=f"{words} (no dictated words).", origin="reviewer")


def _unquoted(element: Element, words: str) -> Sentence:
    """What the structured note records without the words it came from."""
    text = f"{words}: recorded without dictated words to quote."
    return Sentence(element=element, text=text, origin="unquoted")


def _said(element: Element, label: str, items: Sequence[Fact]) -> Sentence:
    """``Label, as dictated: "..."; "..."``."""
    shown = "; ".join(f'"{f.value}"' for f in items)
    end = "" if items and items[-1].value.rstrip()[-1:] in ".!?" else "."
    return Sentence(element=element, text=f"{label}, as dictated: {shown}{end}", facts=list(items))


def _counted(note: Note) -> list[Muscle]:
    return [m for m in note.muscles if m.status == "treated" and not m.status_conflict]


def _muscle_sentence(muscle: Muscle, note: Note, text: str | None) -> Sentence:
    facts = muscle_facts(muscle, note, text)
    name = join_names([muscle], facts)
    if muscle.origin == "reviewer":
        return Sentence(element="muscle", text=f"{_capital(name)}.", origin="reviewer")
    words = [_capital(name)]
    done = [TECHNIQUE_WORDS[t] for t in muscle.techniques]
    if done:
        words.append(", " + " and ".join(done))
    if reviewer_status(muscle):
        words.append(" (treated: set by a reviewer)")
    if muscle.laterality == "unspecified":
        words.append("; side not documented")
    if muscle.text.lower() != muscle.name.lower():
        words.append(f' (dictated "{muscle.text}")')
        facts.append(quote(muscle))
    if muscle.match == "fuzzy":
        words.append(" (spelling matched approximately)")
    return Sentence(element="muscle", text="".join(words) + ".", facts=facts)


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _conflict_sentence(muscle: Muscle, note: Note, text: str | None) -> Sentence:
    facts = [quote(m) for m in muscle.mentions if m.text]
    name = join_names([muscle], muscle_facts(muscle, note, text))
    said = ", ".join(f'"{f.value}"' for f in facts)
    return Sentence(
        element="contradiction",
        text=f"{_capital(name)}: documented both as treated today and as not "
        f"treated ({said}); not counted.",
        facts=[*muscle_facts(muscle, note, text), *facts],
    )


def _muscles(note: Note, coding: CodingResult, text: str | None) -> Section:
    counted = _counted(note)
    sentences = [_muscle_sentence(m, note, text) for m in counted]
    sentences += [_conflict_sentence(m, note, text) for m in note.muscles if m.status_conflict]
    if not counted:
        sentences.append(_gap("muscle", "Muscles treated"))
    if counted and coding.muscle_count:
        facts = [f for m in counted for f in muscle_facts(m, note, text)]
        plural = "" if coding.muscle_count == 1 else "s"
        sentences.append(
            Sentence(
                element="muscle_count",
                text=f"Total: {coding.muscle_count} muscle{plural} counted "
                f"({join_names(counted, facts)}).",
                facts=facts,
                origin="dictation" if facts else "reviewer",
            )
        )
    for stated in note.stated_muscle_counts:
        sentences.append(_said("stated_count", "Number of muscles stated", [quote(stated)]))
    return Section(title="Muscles treated", sentences=sentences)


def _diagnosis_sentence(position: int, diagnosis: ClaimDiagnosis) -> Sentence:
    principal = " (principal)" if position == 1 else ""
    label = f"Diagnosis {position}{principal}: {diagnosis.code} {diagnosis.description}"
    items = quotes(diagnosis.evidence)
    if not items:
        return _unquoted("diagnosis", label)
    return _said("diagnosis", label, items)


def _necessity(note: Note, coding: CodingResult) -> Section:
    rationale = note.rationale
    sentences = [_diagnosis_sentence(i, d) for i, d in enumerate(coding.diagnoses, start=1)]
    if not coding.diagnoses:
        sentences.append(_gap("diagnosis", "Diagnosis for the claim"))
    sentences += [_said("limitation", "Functional limitation", [quote(e)]) for e in
                 rationale.functional_limitations]  # fmt: skip
    if not rationale.functional_limitations:
        sentences.append(_gap("limitation", "Functional limitation"))
    findings = [f for f in rationale.findings if not f.negated]
    for finding in findings:
        items = [quote(finding)]
        if finding.referral_target is not None:
            items.append(quote(finding.referral_target))
        sentences.append(_said("finding", FINDING_LABELS[finding.kind], items))
    if not findings:
        sentences.append(_gap("finding", "Trigger point findings"))
    return Section(title="Medical necessity", sentences=sentences)


def _technique(note: Note) -> Section:
    sentences = []
    for kind, label in NEEDLING.items():
        spans = [
            p
            for p in note.procedures
            if p.kind == kind and p.time == "today" and p.experiencer == "patient"
        ]
        if spans:
            sentences.append(_said("technique", label, quotes(spans)))
    if not sentences:
        sentences.append(_gap("technique", "Needling procedure done today"))
    if note.rationale.needle_counts:
        sentences.append(_said("needles", "Needles", quotes(note.rationale.needle_counts)))
    sentences += _injectate(note.injectate)
    return Section(title="Technique", sentences=sentences)


def _injectate(injectate: Injectate) -> list[Sentence]:
    sentences = []
    if injectate.statements:
        statements = quotes(injectate.statements)
        sentences.append(_said("injectate", "No-injectate statement", statements))
    elif injectate.status == "none_confirmed":  # a reviewer's, or a form read without words
        sentences.append(_unquoted("injectate", "Nothing injected"))
    injected = [s for s in injectate.substances if s.status == "injected"]
    dictated = [s for s in injected if s.origin == "dictation"]
    if dictated:
        items = [f for s in dictated for f in quotes([s, *([s.dose] if s.dose else [])])]
        sentences.append(_said("injectate", "Injected", items))
    for substance in (s for s in injected if s.origin == "reviewer"):
        dose = f" {substance.dose.text}" if substance.dose and substance.dose.text else ""
        sentences.append(
            _reviewer("injectate", f"Injected {substance.name}{dose}: set by a reviewer")
        )
    if not sentences:
        sentences.append(_gap("injectate", "No-injectate statement"))
    return sentences


def _response(note: Note) -> Section:
    rationale = note.rationale
    sentences = []
    pains: tuple[tuple[Element, str, Measure | None], ...] = (
        ("pain_before", "Pain before needling", rationale.pain.before),
        ("pain_after", "Pain after needling", rationale.pain.after),
    )
    for element, label, measure in pains:
        if measure is None:
            sentences.append(_gap(element, label))
            continue
        facts = [number_fact(measure.value, measure)]
        shown = show_measure(measure)
        if measure.text.strip() != shown:
            shown += f' (dictated "{measure.text}")'
            facts.append(quote(measure))
        sentences.append(Sentence(element=element, text=f"{label}: {shown}.", facts=facts))
    for rom in rationale.rom:
        facts = [quote(rom)]
        motion = rom.motion if rom.motion and rom.motion.lower() in rom.text.lower() else None
        label = f"Range of motion ({motion})" if motion else "Range of motion"
        parts = []
        for when, degrees in (("before", rom.before_degrees), ("after", rom.after_degrees)):
            if degrees is not None:
                facts.append(number_fact(degrees, rom))
                parts.append(f"{degrees:g} degrees {when}")
        if not parts and rom.improved is not None:
            parts.append("improved" if rom.improved else "not improved")
        summary = f"{label}: {', '.join(parts)}" if parts else label
        sentences.append(
            Sentence(element="rom", text=f'{summary}, as dictated: "{rom.text}".', facts=facts)
        )
    if not rationale.rom:
        sentences.append(_gap("rom", "Range of motion before and after"))
    if rationale.tolerance is not None:
        sentences.append(_said("tolerance", "Tolerance", [quote(rationale.tolerance)]))
    else:
        sentences.append(_gap("tolerance", "Tolerance"))
    return Section(title="Patient response", sentences=sentences)


def _consent(note: Note) -> Section:
    consent = note.rationale.consent
    sentence = (
        _said("consent", "Consent", [quote(consent)])
        if consent is not None
        else _gap("consent", "Consent")
    )
    return Section(title="Consent", sentences=[sentence])


def _line_muscles(note: Note, refs: Iterable[MuscleRef]) -> list[Muscle]:
    found = []
    for ref in refs:
        match = next(
            (
                m
                for m in note.muscles
                if m.id == ref.id and m.laterality == ref.laterality and m.status == "treated"
            ),
            None,
        )
        if match is None:  # both sides of one entry read back as bilateral
            match = next(
                (m for m in note.muscles if m.id == ref.id and m.status == "treated"), None
            )
        if match is not None and match not in found:
            found.append(match)
    return found


def _line_sentence(note: Note, coding: CodingResult, line: ClaimLine, text: str | None) -> Sentence:
    modifiers = f", modifiers {', '.join(line.modifiers)}" if line.modifiers else ""
    head = f"CPT {line.code} x{line.units}{modifiers}"
    why = f": {line.descriptor}" if line.descriptor else ""
    pointed = [coding.diagnoses[i - 1].code for i in line.diagnosis_pointers
               if 0 < i <= len(coding.diagnoses)]  # fmt: skip
    if pointed:
        why += f" (diagnosis {', '.join(pointed)})"
    muscles = _line_muscles(note, line.muscles)
    facts = [f for m in muscles for f in muscle_facts(m, note, text)]
    count = line.muscle_count if line.muscle_count is not None else len(line.muscles)
    plural = "" if count == 1 else "s"
    sentence = f"{head}{why}; billed for {count} muscle{plural} ({join_names(muscles, facts)})."
    origin = "dictation" if facts else "reviewer"
    return Sentence(element="code", text=sentence, facts=facts, origin=origin)


def _billing(note: Note, coding: CodingResult, text: str | None) -> Section:
    sentences = [_line_sentence(note, coding, line, text) for line in coding.lines]
    if not sentences:
        sentences.append(
            Sentence(
                element="code", text="Code billed: none (see the coding prompts).", origin="gap"
            )
        )
    return Section(title="Code billed", sentences=sentences)


def build_procedure_note(
    note: Note, coding: CodingResult, *, text: str | None = None
) -> ProcedureNote:
    """The procedure note of one session, from its structured note and its coding.

    ``text`` is the dictation the note's offsets point into: with it, a muscle named only in
    part by its own mention ("upper" in "upper and middle trapezius") rests on the words that
    name it whole; without it (a note re-coded from JSON), on its mention alone.
    """
    return ProcedureNote(
        title=TITLE,
        date_of_service=coding.date_of_service,
        sections=[
            _muscles(note, coding, text),
            _necessity(note, coding),
            _technique(note),
            _response(note),
            _consent(note),
            _billing(note, coding, text),
        ],
    )
