"""Corrections become gold: signed-off encounters as golden cases, and the current pipeline
scored against them field by field (``scribe eval --from-service`` and the QA gold page).

A case is written in the format of ``fixtures/golden/`` (see its README): the dictation or
transcript, the context it was coded with, and what the signed-off note and coding say. The
cases hold the dictation: they are health data, for the people who may read the encounters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.encounters import recorded_context
from api.persistence.tables import Encounter
from scribe.evaluation.golden import FIELDS, TRACKED_PROMPTS, GoldenCase, compare, group_name_index
from scribe.pipeline import Scribe
from scribe.schemas.coding import CodingResult
from scribe.schemas.note import Note

DEFAULT_LIMIT = 1000


def signed_off(
    session: Session, *, organisation: str | None, limit: int = DEFAULT_LIMIT
) -> Sequence[Encounter]:
    """Signed-off encounters with a note (newest first), of one organisation or all."""
    query = (
        select(Encounter)
        .where(
            Encounter.signed_off_at.is_not(None),
            Encounter.status == "ready",
            Encounter.note_json.is_not(None),
            Encounter.text.is_not(None),
        )
        .order_by(Encounter.signed_off_at.desc())
        .limit(limit)
    )
    if organisation is not None:
        query = query.where(Encounter.organisation == organisation)
    return session.scalars(query).all()


def expect_of(note: Note, coding: CodingResult) -> dict[str, Any]:
    """The golden ``expect`` block of a signed-off note and its coding."""
    r = note.rationale
    needles = r.needles_used() or None
    pain = {k: v.value for k, v in (("before", r.pain.before), ("after", r.pain.after)) if v}
    return {
        "muscles": [
            {"name": m.name, "laterality": m.laterality, "status": m.status} for m in note.muscles
        ]
        + [
            {"name": m.name, "laterality": m.laterality, "status": "mentioned"}
            for m in note.other_mentions
        ],
        "groups": sorted({g.id for g in note.groups}),
        "muscle_count": coding.muscle_count,
        "injectate": note.injectate.status,
        "substances": sorted(
            {
                s.name
                for s in note.injectate.substances
                if s.status == "injected" and s.category != "unspecified"
            }
        ),
        "findings": sorted({f.kind for f in r.findings if not f.negated}),
        "functional_limitation": bool(r.functional_limitations),
        "pain": pain or None,
        "rom": bool(r.rom),
        "consent": r.consent is not None,
        "tolerance": r.tolerance is not None,
        "stated_count": note.stated_muscle_counts[0].value if note.stated_muscle_counts else None,
        "needle_count": needles,
        "lines": [
            {"code": line.code, "units": line.units, "modifiers": list(line.modifiers)}
            for line in coding.lines
        ],
        "prompts": sorted({p.id for p in coding.prompts} & TRACKED_PROMPTS),
    }


def case_of(row: Encounter) -> GoldenCase:
    """The encounter as a golden case (its id is the encounter's)."""
    note = Note.model_validate_json(row.note_json or "{}")
    coding = CodingResult.model_validate_json(row.coding_json or "{}")
    context = recorded_context(row).model_dump(mode="json", exclude_defaults=True)
    return GoldenCase(
        id=row.id,
        text=row.text or "",
        expect=expect_of(note, coding),
        tags=("from-service", row.source),
        style="spoken" if row.source == "audio" else "typed",
        context=context,
    )


def as_yaml_document(case: GoldenCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "style": case.style,
        "tags": list(case.tags),
        "context": case.context,
        "text": case.text,
        "expect": case.expect,
    }


@dataclass
class Scores:
    """How the current pipeline does on the cases: per field and per case."""

    cases: int = 0
    all_right: int = 0
    right: Counter[str] = field(default_factory=Counter)
    checked: Counter[str] = field(default_factory=Counter)
    failures: dict[str, list[str]] = field(default_factory=dict)  # case id -> fields

    def accuracy(self, name: str) -> float | None:
        return self.right[name] / self.checked[name] if self.checked[name] else None

    def rows(self) -> list[tuple[str, int, int, float | None]]:
        return [
            (f, self.right[f], self.checked[f], self.accuracy(f)) for f in FIELDS if self.checked[f]
        ]


def score(scribe: Scribe, cases: Sequence[GoldenCase]) -> Scores:
    """Extract each case again with the current pipeline and compare field by field."""
    from scribe.schemas.context import EncounterContext

    groups = group_name_index(scribe.lexicons)
    scores = Scores()
    for case in cases:
        result = scribe.extract(case.text, EncounterContext.model_validate(case.context))
        wrong = compare(case, result, groups)
        scores.cases += 1
        scores.all_right += not wrong
        for name in FIELDS:
            if name in case.expect:
                scores.checked[name] += 1
                scores.right[name] += name not in wrong
        if wrong:
            scores.failures[case.id] = sorted(wrong)
    return scores
