"""Golden extraction cases: load them, compare an extraction with what they expect.

The case format is documented in ``fixtures/golden/README.md``. Comparison rules: muscles are
compared as sets of (name, side, status) with a bilateral entry equal to a left plus a right
one; muscles the case calls ``mentioned`` must not come out as treated; findings, substances
and claim lines are compared as sets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scribe.pipeline import ExtractionResult

FIELDS = (
    "muscles",
    "muscle_count",
    "injectate",
    "substances",
    "findings",
    "functional_limitation",
    "pain",
    "rom",
    "consent",
    "tolerance",
    "stated_count",
    "needle_count",
    "groups",
    "lines",
    "prompts",
)
# The prompts a case may expect ("prompts: [...]"): the ones that say a procedure cannot be
# coded as documented. A case that lists none expects none of them.
# The golden sets under fixtures/golden/, each written by another author (see its README).
SETS = (
    "extraction",
    "heldout",
    "blind",
    "fresh",
    "notes",
    "spoken",
    "voice",
    "dictated",
    "ehr",
    "outside",
    "boilerplate",
    "injections",
    "narrated",
    "clinics",
    "recorded",
    "phoned",
    "charts",
    "audited",
    "withheld",
    "counted",
    "combined",
    "progress",
    "transcribed",
    "timeline",
    "sessions",
    "journal",
    "ledger",
    "rounds",
    "casebook",
    "aloud",
    "handover",
    "bedside",
    "practice",
    "dictation",
    "monologue",
    "docket",
    "caseload",
    "afterhours",
    "weekday",
    "exports",
    "roster",
    "overtime",
    "sidelong",
    "halfway",
    "retake",
    "tallied",
    "alongside",
    "payers",
)
TRACKED_PROMPTS = frozenset({"muscle-names-missing", "status-conflict", "chemodenervation-not-tpi"})


@dataclass(frozen=True)
class GoldenCase:
    id: str
    text: str
    expect: dict[str, Any]
    tags: tuple[str, ...] = ()
    style: str = "typed"
    context: dict[str, Any] = field(default_factory=dict)


def load_cases(folder: Path) -> list[GoldenCase]:
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases.append(
            GoldenCase(
                id=raw["id"],
                text=raw["text"],
                expect=raw["expect"],
                tags=tuple(raw.get("tags", ())),
                style=raw.get("style", "typed"),
                context=raw.get("context") or {},
            )
        )
    return cases


def _sides(side: str) -> tuple[str, ...]:
    return ("left", "right") if side == "bilateral" else (side,)


def _muscle_set(entries: Iterator[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {(name.lower(), side, status) for name, lat, status in entries for side in _sides(lat)}


def compare(
    case: GoldenCase, result: ExtractionResult, group_names: dict[str, str]
) -> dict[str, tuple[Any, Any]]:
    """Fields where the result differs from the case: field -> (expected, got)."""
    expect, note, coding = case.expect, result.note, result.coding
    diffs: dict[str, tuple[Any, Any]] = {}

    expected_muscles = [m for m in expect.get("muscles", []) if m["status"] != "mentioned"]
    want = _muscle_set((m["name"], m["laterality"], m["status"]) for m in expected_muscles)
    got = _muscle_set((m.name, m.laterality, m.status) for m in note.muscles)
    mentioned = _muscle_set(
        (m["name"], m["laterality"], "treated")
        for m in expect.get("muscles", [])
        if m["status"] == "mentioned"
    )
    if want != got or mentioned & got:
        diffs["muscles"] = (sorted(want), sorted(got))

    def check(name: str, expected: Any, actual: Any) -> None:
        if name in expect and expected != actual:
            diffs[name] = (expected, actual)

    check("muscle_count", expect.get("muscle_count"), coding.muscle_count)
    check("injectate", expect.get("injectate"), note.injectate.status)
    check(
        "substances",
        {s.lower() for s in expect.get("substances") or []},
        {
            s.name.lower()
            for s in note.injectate.substances
            if s.status == "injected" and s.category != "unspecified"
        },
    )
    check(
        "findings",
        set(expect.get("findings") or []),
        {f.kind for f in note.rationale.findings if not f.negated},
    )
    r = note.rationale
    check(
        "functional_limitation", expect.get("functional_limitation"), bool(r.functional_limitations)
    )
    pain = expect.get("pain") or {}
    got_pain = {
        k: v.value for k, v in (("before", r.pain.before), ("after", r.pain.after)) if v is not None
    }
    check("pain", {k: float(v) for k, v in pain.items() if v is not None}, got_pain)
    check("rom", expect.get("rom"), bool(r.rom))
    check("consent", expect.get("consent"), r.consent is not None)
    check("tolerance", expect.get("tolerance"), r.tolerance is not None)
    stated = [c.value for c in note.stated_muscle_counts]
    check("stated_count", expect.get("stated_count"), stated[0] if stated else None)
    check("needle_count", expect.get("needle_count"), r.needles_used())
    want_groups = {group_names.get(g.lower(), g.lower()) for g in expect.get("groups") or []}
    got_groups = {g.id for g in note.groups}
    check("groups", want_groups, got_groups)
    want_lines = {
        (line["code"], line.get("units", 1), tuple(line.get("modifiers", [])))
        for line in expect.get("lines") or []
    }
    got_lines = {(line.code, line.units, tuple(line.modifiers)) for line in coding.lines}
    check("lines", want_lines, got_lines)
    check(
        "prompts",
        set(expect.get("prompts") or []),
        {p.id for p in coding.prompts} & TRACKED_PROMPTS,
    )
    return diffs


def group_name_index(lexicons: Any) -> dict[str, str]:
    """Lower-cased group names and synonyms -> group id, to read a case's group labels."""
    index: dict[str, str] = {}
    for group in lexicons.muscles.groups:
        for name in [group.name, group.id, *group.synonyms]:
            index.setdefault(name.lower(), group.id)
    return index
