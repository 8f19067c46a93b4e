"""Documentation checks: what the note must show before the claim goes out (DOMAIN.md 8).

Which checks run, the finding kinds accepted as trigger point evidence and the prompt each
raises come from ``documentation.yaml``; this module only knows how to look for each element.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from scribe.coding.muscles import (
    DRY_NEEDLING,
    INJECTION,
    TECHNIQUE_OF,
    MuscleAnalysis,
    count_sides,
    describe,
    side_evidence,
)
from scribe.coding.prompts import PromptBook
from scribe.schemas.billing import DocumentationCheck, DocumentationCheckKind
from scribe.schemas.common import Evidence
from scribe.schemas.note import GroupMention, Note, Procedure


@dataclass(frozen=True)
class _Doc:
    note: Note
    analysis: MuscleAnalysis
    book: PromptBook
    line_codes: Mapping[str, str]
    treated_groups: tuple[GroupMention, ...]


def _span(item: Evidence) -> Evidence:
    return Evidence(start=item.start, end=item.end, text=item.text)


def _sided(laterality: str, name: str) -> str:
    return name if laterality == "unspecified" else f"{laterality} {name}"


def _group_names(groups: Sequence[GroupMention]) -> str:
    return ", ".join(dict.fromkeys(f'"{g.text}"' for g in groups))


def _today(doc: _Doc, kinds: Collection[str]) -> list[Procedure]:
    return [
        p
        for p in doc.note.procedures
        if p.kind in kinds and p.time == "today" and p.experiencer == "patient"
    ]


def _named_muscles(doc: _Doc, check: DocumentationCheck) -> None:
    """A dry needling or trigger point injection done today that no countable muscle is tied
    to (none named, only groups, "4 trigger points in the low back"): never silent."""
    treated = [m for m in doc.note.muscles if m.status == "treated" and not m.status_conflict]
    if any(m.status_conflict for m in doc.note.muscles):
        return  # the muscles are named; the contradiction is its own prompt
    reported = False
    for service, technique in TECHNIQUE_OF.items():
        if any(technique in m.techniques or not m.techniques for m in treated):
            continue
        procedures = _today(doc, [service])
        if not procedures:
            continue
        groups = [g for g in doc.treated_groups]
        doc.book.add(
            f"{check.prompt}-procedure",
            rule_id=check.id,
            evidence=[_span(p) for p in procedures] + [_span(g) for g in groups],
            procedure=service.replace("_", " "),
            words=", ".join(dict.fromkeys(f'"{p.text}"' for p in procedures)),
            groups=f" (only {_group_names(groups)} is named)" if groups else "",
        )
        reported = True
    if not reported and not treated and doc.note.rationale.needle_counts:
        reported = _needles_without_procedure(doc, check)
    if not reported and doc.treated_groups and not doc.analysis.sides:
        doc.book.add(
            check.prompt,
            rule_id=check.id,
            evidence=[_span(g) for g in doc.treated_groups],
            groups=_group_names(doc.treated_groups),
        )


def _needles_without_procedure(doc: _Doc, check: DocumentationCheck) -> bool:
    """Needles counted ("about twenty needles") in a note that names no procedure done (no
    needling, injection or acupuncture today, no needling or injection at another time; "no
    injection of any substance" names none): a session the note does not name cannot be
    billed, and that is said, never left silent."""
    if any(
        p.time == "today" or (p.kind in TECHNIQUE_OF and p.time != "not_done")
        for p in doc.note.procedures
    ):
        return False
    counts = doc.note.rationale.needle_counts
    doc.book.add(
        f"{check.prompt}-needles",
        rule_id=check.id,
        evidence=[_span(c) for c in counts],
        words=", ".join(dict.fromkeys(f'"{c.text}"' for c in counts)),
    )
    return True


def _unnamed_procedure(doc: _Doc, check: DocumentationCheck) -> None:
    """ "I started with the right upper trapezius ... I also did the left iliocostalis
    thoracis": the note says something was done to named muscles today but names no procedure
    that reaches them, and nothing is billed. Said, never silent; the note must name what was
    done (dry needling, a trigger point injection) before anything can be coded."""
    if any(m.status == "treated" for m in doc.note.muscles):
        return
    if _today(doc, TECHNIQUE_OF):
        return  # a needling or an injection done today: the named_muscles check speaks
    said = [m for m in doc.note.other_mentions if m.done_cue is not None]
    if not said:
        return
    cues = [m.done_cue for m in said if m.done_cue is not None]
    doc.book.add(
        check.prompt,
        rule_id=check.id,
        evidence=[_span(c) for c in cues] + [_span(m) for m in said],
        words=", ".join(dict.fromkeys(f'"{c.text}"' for c in cues)),
        muscles=", ".join(dict.fromkeys(_sided(m.laterality, m.name) for m in said)),
    )


def _status_conflict(doc: _Doc, check: DocumentationCheck) -> None:
    for muscle in doc.note.muscles:
        if not muscle.status_conflict:
            continue
        doc.book.add(
            check.prompt,
            rule_id=check.id,
            evidence=[_span(m) for m in muscle.mentions] or [_span(muscle)],
            muscles=_sided(muscle.laterality, muscle.name),
        )


def _unread_names(doc: _Doc, check: DocumentationCheck) -> None:
    """ "Tx: R UFT, LS, rhomb maj/min; L UFT" ("rhomb maj/min"): items of a list of needled
    muscles that name no muscle the tool knows may be muscles needled today, left out of the
    count: never silent."""
    if doc.note.unread_names:
        doc.book.add(
            check.prompt,
            rule_id=check.id,
            evidence=[_span(item) for item in doc.note.unread_names],
            words=", ".join(dict.fromkeys(f'"{item.text}"' for item in doc.note.unread_names)),
        )


def _report_procedures(doc: _Doc, check: DocumentationCheck, procedures: list[Procedure]) -> None:
    if procedures:
        doc.book.add(
            check.prompt,
            rule_id=check.id,
            evidence=[_span(p) for p in procedures],
            words=", ".join(dict.fromkeys(f'"{p.text}"' for p in procedures)),
        )


def _procedure_not_billed(doc: _Doc, check: DocumentationCheck) -> None:
    _report_procedures(doc, check, _today(doc, check.procedure_kinds))


def _procedure_named_as(doc: _Doc, check: DocumentationCheck) -> None:
    """ "Trigger point injection to the R UT, no medication injected": coded as the procedure
    the note shows (needle insertion without injection), never in silence."""
    named = [
        p
        for p in doc.note.procedures
        if p.named_as in check.procedure_kinds and p.time == "today" and p.experiencer == "patient"
    ]
    _report_procedures(doc, check, named)


def _group_terms(doc: _Doc, check: DocumentationCheck) -> None:
    if doc.treated_groups:
        doc.book.add(
            check.prompt,
            rule_id=check.id,
            evidence=[_span(g) for g in doc.treated_groups],
            groups=_group_names(doc.treated_groups),
        )


def _laterality(doc: _Doc, check: DocumentationCheck) -> None:
    unspecified = [s for s in doc.analysis.sides if s.side == "unspecified"]
    if unspecified:
        doc.book.add(
            check.prompt,
            rule_id=check.id,
            evidence=side_evidence(unspecified),
            muscles=describe(unspecified),
        )


def _subdivisions(doc: _Doc, check: DocumentationCheck) -> None:
    for group in doc.analysis.subdivision_groups:
        doc.book.add(
            check.prompt,
            rule_id=check.id,
            evidence=side_evidence(group),
            muscles=describe(group),
            count=count_sides(group),
        )


def _stated_count(doc: _Doc, check: DocumentationCheck) -> None:
    analysis = doc.analysis
    treated = [m for m in doc.note.muscles if m.status == "treated"]
    # A stated number is consistent with any reasonable reading of the named muscles.
    readings = {
        analysis.total,
        analysis.count(DRY_NEEDLING),
        analysis.count(INJECTION),
        len(analysis.sides),
        len(treated),
        len({m.id for m in treated}),
    }
    for stated in doc.note.stated_muscle_counts:
        if stated.value not in readings:
            doc.book.add(
                check.prompt,
                rule_id=check.id,
                evidence=[_span(stated)],
                stated=stated.value,
                named=analysis.total,
            )


def _injectate_statement(doc: _Doc, check: DocumentationCheck) -> None:
    if doc.note.injectate.status == "not_documented":
        doc.book.add(
            check.prompt,
            rule_id=check.id,
            evidence=side_evidence(doc.analysis.by_service.get(DRY_NEEDLING, ())),
        )


def _drug_code(doc: _Doc, check: DocumentationCheck) -> None:
    substances = [s for s in doc.note.injectate.substances if s.status == "injected"]
    names = ", ".join(dict.fromkeys(s.name for s in substances)) or "substance not named"
    evidence = [_span(s) for s in substances] + [_span(s.dose) for s in substances if s.dose]
    doc.book.add(
        check.prompt,
        rule_id=check.id,
        evidence=evidence,
        substances=names,
        code=doc.line_codes.get(INJECTION, "the injection code"),
    )


def _rationale(doc: _Doc, check: DocumentationCheck) -> None:
    kinds = set(check.finding_kinds)
    rationale = doc.note.rationale
    findings = [f for f in rationale.findings if not f.negated and f.kind in kinds]
    on_muscles = any(kinds & set(s.muscle.findings) for s in doc.analysis.sides)
    missing = []
    if not findings and not on_muscles:
        missing.append("a trigger point finding")
    if not rationale.functional_limitations:
        missing.append("a functional limitation")
    if missing:
        evidence = [_span(f) for f in findings] + [
            _span(e) for e in rationale.functional_limitations
        ]
        doc.book.add(
            check.prompt, rule_id=check.id, evidence=evidence, missing=" and ".join(missing)
        )


def _response(doc: _Doc, check: DocumentationCheck) -> None:
    rationale = doc.note.rationale
    pain = rationale.pain
    pain_pair = pain.before is not None and pain.after is not None
    rom_change = any(
        (r.before_degrees is not None and r.after_degrees is not None) or r.improved is not None
        for r in rationale.rom
    )
    if not (pain_pair or rom_change):
        partial = [m for m in (pain.before, pain.after) if m is not None]
        evidence = [_span(m) for m in partial] + [_span(r) for r in rationale.rom]
        doc.book.add(check.prompt, rule_id=check.id, evidence=evidence)


def _consent(doc: _Doc, check: DocumentationCheck) -> None:
    if doc.note.rationale.consent is None:
        doc.book.add(check.prompt, rule_id=check.id)


def _tolerance(doc: _Doc, check: DocumentationCheck) -> None:
    if doc.note.rationale.tolerance is None:
        doc.book.add(check.prompt, rule_id=check.id)


# checks about what the note says was done: they run on every note
_PROCEDURE_CHECKS: Final = frozenset(
    {
        "named_muscles",
        "unread_names",
        "unnamed_procedure",
        "status_conflict",
        "procedure_not_billed",
        "procedure_named_as",
    }
)
_CHECKS: Final[dict[DocumentationCheckKind, Callable[[_Doc, DocumentationCheck], None]]] = {
    "named_muscles": _named_muscles,
    "unread_names": _unread_names,
    "unnamed_procedure": _unnamed_procedure,
    "status_conflict": _status_conflict,
    "procedure_not_billed": _procedure_not_billed,
    "procedure_named_as": _procedure_named_as,
    "group_terms": _group_terms,
    "laterality": _laterality,
    "subdivisions": _subdivisions,
    "stated_count": _stated_count,
    "injectate_statement": _injectate_statement,
    "drug_code": _drug_code,
    "rationale": _rationale,
    "response": _response,
    "consent": _consent,
    "tolerance": _tolerance,
}


def check_documentation(
    note: Note,
    analysis: MuscleAnalysis,
    *,
    checks: Sequence[DocumentationCheck],
    services: Collection[str],
    book: PromptBook,
    line_codes: Mapping[str, str],
) -> None:
    """Run the checks in force on a note. The checks about what was done (a procedure without
    muscles, a contradiction, a procedure not coded here) run on every note; the others on a
    note that documents needling (named muscles or groups).

    ``services`` are the services the note supports (after edits such as acupuncture on the
    same day); a check limited to other services is skipped.
    """
    treated_groups = tuple(g for g in note.groups if g.status == "treated")
    documents_needling = bool(analysis.sides or treated_groups)
    doc = _Doc(note, analysis, book, line_codes, treated_groups)
    for check in checks:
        if check.check not in _PROCEDURE_CHECKS and not documents_needling:
            continue
        if check.services and not set(check.services) & set(services):
            continue
        run = _CHECKS.get(check.check)
        if run is not None:  # the diagnosis checks run in coding/diagnoses.py
            run(doc, check)
