"""The claim's diagnoses: the codes on it, the lines that point at them, and their checks.

The note decides which diagnoses are today's and billable (``Diagnosis.on_claim``); this
module orders them (codes the note writes first, then the others as the note states them),
points each dry needling or trigger point injection line at the ones that support it, and
raises the prompts of the diagnosis checks in ``documentation.yaml``: a line no diagnosis
supports, a written heading that is not billable, two codes an Excludes1 note keeps apart, and
the Medicare chronic low back pain benefit without low back pain or with a specific cause.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Final

from scribe.coding.prompts import PromptBook
from scribe.diagnoses import icd
from scribe.schemas.billing import DocumentationCheck
from scribe.schemas.coding import ClaimDiagnosis
from scribe.schemas.common import Evidence
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Diagnosis, Note

#: The documentation check kinds run here (they need the lines and the context).
CLAIM_CHECKS: Final = frozenset(
    {"diagnosis_support", "diagnosis_billable", "diagnosis_excludes", "clbp_diagnosis"}
)
#: How many headings' children a prompt lists.
_MAX_LISTED = 6


@dataclass(frozen=True)
class Line:
    """A claim line being coded: its code and the words it stands on."""

    code: str
    evidence: Sequence[Evidence] = ()


@dataclass
class DiagnosisLinks:
    diagnoses: list[ClaimDiagnosis] = field(default_factory=list)
    pointers: dict[str, list[int]] = field(default_factory=dict)  # service -> 1-based positions


def _spans(diagnosis: Diagnosis) -> list[Evidence]:
    mentions: list[Evidence] = [*diagnosis.mentions] or [diagnosis]
    return [Evidence(start=m.start, end=m.end, text=m.text) for m in mentions]


def claim_diagnoses(note: Note) -> list[Diagnosis]:
    """The note's diagnoses on the claim, one per code: written codes first, then the rest,
    each in the order the note states them."""
    chosen: dict[str, Diagnosis] = {}
    on_claim = [d for d in note.diagnoses if d.on_claim and d.code]
    ordered = sorted(on_claim, key=lambda d: (d.source != "written_code", d.start))
    for diagnosis in ordered:
        chosen.setdefault(diagnosis.code or "", diagnosis)
    return list(chosen.values())


def _matches(code: str, prefixes: Collection[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def link_diagnoses(
    note: Note,
    context: EncounterContext,
    *,
    checks: Sequence[DocumentationCheck],
    lines: Mapping[str, Line],
    book: PromptBook,
) -> DiagnosisLinks:
    """Claim diagnoses, pointers per service and the diagnosis prompts (see the module)."""
    chosen = claim_diagnoses(note)
    links = DiagnosisLinks(
        diagnoses=[
            ClaimDiagnosis(
                code=d.code or "",
                description=d.description or icd.description(d.code or ""),
                evidence=_spans(d),
            )
            for d in chosen
        ]
    )
    codes = [d.code for d in links.diagnoses]
    for check in checks:
        if check.check == "diagnosis_support":
            _support(check, codes, lines, links, book)
        elif check.check == "diagnosis_billable":
            _billable(check, note, book)
        elif check.check == "diagnosis_excludes":
            _excludes(check, chosen, book)
        elif check.check == "clbp_diagnosis" and context.clbp:
            _clbp(check, note, codes, lines, book)
    return links


def _support(
    check: DocumentationCheck,
    codes: list[str],
    lines: Mapping[str, Line],
    links: DiagnosisLinks,
    book: PromptBook,
) -> None:
    supporting = [i for i, code in enumerate(codes, start=1)
                  if _matches(code, check.diagnosis_codes)]  # fmt: skip
    limit = check.max_pointers or 4
    for service in check.services:
        line = lines.get(service)
        if line is None:
            continue
        links.pointers[service] = supporting[:limit]
        if not supporting:
            book.add(check.prompt, rule_id=check.id, evidence=line.evidence, code=line.code)


def _billable(check: DocumentationCheck, note: Note, book: PromptBook) -> None:
    for diagnosis in note.diagnoses:
        if diagnosis.left_out != "not_billable" or diagnosis.code is None:
            continue
        children = icd.billable_children(diagnosis.code)
        listed = ", ".join(children[:_MAX_LISTED]) + (
            ", ..." if len(children) > _MAX_LISTED else ""
        )
        book.add(
            check.prompt,
            rule_id=check.id,
            evidence=_spans(diagnosis),
            code=diagnosis.code,
            codes=listed or "a code under it",
        )


def _excludes(check: DocumentationCheck, chosen: list[Diagnosis], book: PromptBook) -> None:
    for a, b in combinations(chosen, 2):
        if a.code and b.code and icd.excluded_together(a.code, b.code):
            book.add(
                check.prompt,
                rule_id=check.id,
                evidence=[*_spans(a), *_spans(b)],
                codes=f"{a.code} and {b.code}",
            )


def _clbp(
    check: DocumentationCheck,
    note: Note,
    codes: list[str],
    lines: Mapping[str, Line],
    book: PromptBook,
) -> None:
    line = next((lines[s] for s in check.services if s in lines), None)
    if line is None:
        return
    if not any(_matches(code, check.diagnosis_codes) for code in codes):
        book.add(check.prompt, rule_id=check.id, evidence=line.evidence, code=line.code)
    causes = [d for d in note.diagnoses if d.specific_cause and d.status == "current"]
    if causes:
        words = ", ".join(dict.fromkeys(f'"{d.text}"' for d in causes))
        book.add(
            f"{check.prompt}-cause",
            rule_id=check.id,
            evidence=[e for d in causes for e in _spans(d)],
            words=words,
            code=line.code,
        )
