"""Factories that build structured notes for coding tests without the NLP pipeline.

A compact spec (the golden-case format, see fixtures/coding/README.md) becomes a ``Note``:
every item gets a span in a synthetic text so evidence offsets are real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from scribe.coding import BillingRules, load_rules
from scribe.diagnoses import icd
from scribe.schemas.common import Evidence
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import (
    Diagnosis,
    DiagnosisMention,
    Finding,
    GroupMention,
    Injectate,
    Measure,
    Muscle,
    MuscleMention,
    MuscleRef,
    NeedleCount,
    Note,
    PainResponse,
    RangeOfMotion,
    Rationale,
    StatedCount,
    Substance,
)

REPO = Path(__file__).resolve().parents[2]
BILLING_DIR = REPO / "lexicons" / "billing"
FIXTURE_DIR = REPO / "fixtures" / "coding"

#: Subdivisions used in tests and the muscle each counts as (the lexicon has the real list).
PARENTS: dict[str, str] = {
    "upper-trapezius": "trapezius",
    "middle-trapezius": "trapezius",
    "lower-trapezius": "trapezius",
    "anterior-deltoid": "deltoid",
    "middle-deltoid": "deltoid",
    "posterior-deltoid": "deltoid",
    "medial-gastrocnemius": "gastrocnemius",
    "lateral-gastrocnemius": "gastrocnemius",
}
SIDES = ("right", "left", "bilateral", "unspecified")
DEFAULT_DOS = dt.date(2025, 6, 2)


class _Text:
    """Builds the synthetic note text and hands out spans in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def span(self, words: str) -> Evidence:
        start = self.length
        self.parts.append(words + ". ")
        self.length += len(words) + 2
        return Evidence(start=start, end=start + len(words), text=words)


def _name(muscle_id: str) -> str:
    return muscle_id.replace("-", " ")


def _parse_muscle(spec: str | Mapping[str, Any]) -> dict[str, Any]:
    """``"right upper-trapezius"`` or ``{id, side, status, findings, counting_id, name}``."""
    if isinstance(spec, str):
        words = spec.split()
        side = words[0] if words[0] in SIDES else "unspecified"
        muscle_id = words[-1]
        return {"id": muscle_id, "side": side}
    return dict(spec)


def make_muscle(
    text: _Text,
    muscle_id: str,
    laterality: str = "right",
    *,
    status: str = "treated",
    findings: Iterable[str] = (),
    counting_id: str | None = None,
    name: str | None = None,
    cues: Iterable[str] = (),
    techniques: Iterable[str] = (),
) -> Muscle:
    """A muscle with one mention, or one mention per status cue ("Dry needled", "injected");
    ``techniques`` are how the extraction says it was treated (needling, injection)."""
    name = name or _name(muscle_id)
    words = name if laterality == "unspecified" else f"{laterality} {name}"
    mentions = []
    for cue in list(cues) or [None]:
        status_cue = text.span(cue) if cue else None
        span = text.span(words)
        mentions.append(
            MuscleMention(
                start=span.start,
                end=span.end,
                text=span.text,
                laterality=laterality,  # type: ignore[arg-type]
                laterality_source="none" if laterality == "unspecified" else "explicit",
                status=status,  # type: ignore[arg-type]
                status_cue=status_cue,
            )
        )
    first = mentions[0]
    return Muscle(
        start=first.start,
        end=first.end,
        text=first.text,
        id=muscle_id,
        name=name,
        counting_id=counting_id or PARENTS.get(muscle_id, muscle_id),
        region="test",
        group="test",
        laterality=laterality,  # type: ignore[arg-type]
        laterality_source=first.laterality_source,
        status=status,  # type: ignore[arg-type]
        mentions=mentions,
        findings=list(findings),  # type: ignore[arg-type]
        techniques=sorted(techniques),  # type: ignore[arg-type]
    )


def _muscle_ref(spec: str | Mapping[str, Any]) -> MuscleRef:
    parsed = _parse_muscle(spec)
    return MuscleRef(
        id=parsed["id"], name=_name(parsed["id"]), laterality=parsed.get("side", "unspecified")
    )


def _injectate(text: _Text, spec: Any) -> Injectate:
    if spec in (None, "none_confirmed"):
        return Injectate(
            status="none_confirmed", statements=[text.span("no substance was injected")]
        )
    if spec == "not_documented":
        return Injectate(status="not_documented")
    if spec == "injected":
        return Injectate(status="injected")
    substances: list[Substance] = []
    for item in spec.get("injected", []):
        item = {"name": item} if isinstance(item, str) else item
        span = text.span(f"{item['name']} injected")
        substances.append(
            Substance(
                start=span.start,
                end=span.start + len(item["name"]),
                text=item["name"],
                name=item["name"],
                category=item.get("category", "anesthetic"),
                status="injected",
                muscles=[_muscle_ref(m) for m in item.get("muscles", [])],
            )
        )
    for name in spec.get("negated", []):
        span = text.span(f"no {name}")
        substances.append(
            Substance(
                start=span.start + 3,
                end=span.end,
                text=name,
                name=name,
                category="anesthetic",
                status="negated",
            )
        )
    injected = any(s.status == "injected" for s in substances)
    status = spec.get("status", "injected" if injected else "none_confirmed")
    statements = [text.span("nothing else injected")] if status == "none_confirmed" else []
    return Injectate(status=status, statements=statements, substances=substances)


def _rationale(text: _Text, spec: Mapping[str, Any]) -> Rationale:
    findings = [
        Finding(**text.span(kind.replace("_", " ")).model_dump(), kind=kind)
        for kind in spec.get("findings", ["trigger_point", "jump_sign"])
    ]
    limitations = (
        [text.span("limits turning the head when driving")] if spec.get("limitation", True) else []
    )
    pain_spec = spec.get("pain", [7, 4])
    pain = PainResponse()
    if pain_spec:
        before = Measure(**text.span(f"{pain_spec[0]}/10").model_dump(), value=pain_spec[0])
        after = None
        if len(pain_spec) > 1:
            after = Measure(
                **text.span(f"{pain_spec[1]}/10 after").model_dump(), value=pain_spec[1]
            )
        pain = PainResponse(before=before, after=after)
    rom = []
    if spec.get("rom"):
        rom_spec = spec["rom"]
        rom.append(
            RangeOfMotion(
                **text.span("rotation improved").model_dump(),
                motion="rotation",
                before_degrees=rom_spec.get("before"),
                after_degrees=rom_spec.get("after"),
                improved=rom_spec.get("improved"),
            )
        )
    needles = [
        NeedleCount(**text.span(f"{n} needles").model_dump(), count=n)
        for n in spec.get("needles", [])
    ]
    return Rationale(
        findings=findings,
        functional_limitations=limitations,
        pain=pain,
        rom=rom,
        tolerance=text.span("tolerated well") if spec.get("tolerance", True) else None,
        consent=text.span("consent on file") if spec.get("consent", True) else None,
        needle_counts=needles,
    )


# A fully documented note states a diagnosis that supports needling; low back pain also meets
# the Medicare chronic low back pain benefit.
DEFAULT_DIAGNOSES: tuple[str, ...] = ("M54.50",)


def make_diagnosis(text: _Text, spec: str | Mapping[str, Any]) -> Diagnosis:
    """``"M54.50"`` or ``{code, status, source, specific_cause, name}`` (code may be null for
    a specific cause named without one)."""
    item: dict[str, Any] = {"code": spec} if isinstance(spec, str) else dict(spec)
    code = item.get("code")
    status = item.get("status", "current")
    billable = code is not None and icd.billable(code)
    if status != "current":
        left_out: str | None = "not_today"
    elif code is None:
        left_out = "no_code"
    elif not billable:
        left_out = "not_billable"
    else:
        left_out = item.get("left_out")
    name = item.get("name") or (icd.description(code) if code else "condition")
    span = text.span(name)
    return Diagnosis(
        **span.model_dump(),
        code=code,
        description=icd.description(code) if code and icd.exists(code) else None,
        name=name,
        status=status,
        source=item.get("source", "words"),
        billable=billable,
        specific_cause=item.get("specific_cause", False),
        on_claim=left_out is None,
        left_out=left_out,
        mentions=[DiagnosisMention(**span.model_dump(), status=status)],
    )


def note_from_spec(spec: Mapping[str, Any]) -> Note:
    """Build a ``Note`` from the compact golden-case format."""
    text = _Text()
    muscles = []
    for item in spec.get("muscles", []):
        parsed = _parse_muscle(item)
        muscles.append(
            make_muscle(
                text,
                parsed["id"],
                parsed.get("side", "unspecified"),
                status=parsed.get("status", "treated"),
                findings=parsed.get("findings", ()),
                counting_id=parsed.get("counting_id"),
                name=parsed.get("name"),
                cues=parsed.get("cues", ()),
                techniques=parsed.get("techniques", ()),
            )
        )
    groups = []
    for item in spec.get("groups", []):
        item = {"id": item} if isinstance(item, str) else dict(item)
        span = text.span(_name(item["id"]))
        groups.append(
            GroupMention(
                **span.model_dump(),
                id=item["id"],
                name=_name(item["id"]),
                kind=item.get("kind", "vague"),
                laterality=item.get("side", "unspecified"),
                status=item.get("status", "treated"),
            )
        )
    injectate = _injectate(text, spec.get("injectate"))
    rationale = _rationale(text, spec.get("rationale", {}))
    stated = [
        StatedCount(**text.span(f"{n} muscles").model_dump(), value=n)
        for n in spec.get("stated", [])
    ]
    diagnoses = [make_diagnosis(text, d) for d in spec.get("diagnoses", DEFAULT_DIAGNOSES)]
    return Note(
        muscles=muscles,
        groups=groups,
        injectate=injectate,
        rationale=rationale,
        stated_muscle_counts=stated,
        diagnoses=diagnoses,
        text_length=text.length,
    )


def context_from_spec(spec: Mapping[str, Any] | None) -> EncounterContext:
    """An ``EncounterContext``; the date of service defaults to 2025-06-02 for stable payments."""
    values = dict(spec or {})
    values.setdefault("dos", DEFAULT_DOS)
    return EncounterContext.model_validate(values)


@pytest.fixture(scope="session")
def billing_dir() -> Path:
    return BILLING_DIR


@pytest.fixture(scope="session")
def rules() -> BillingRules:
    return load_rules(BILLING_DIR)


@pytest.fixture(scope="session")
def build_note() -> Callable[[Mapping[str, Any]], Note]:
    return note_from_spec


@pytest.fixture(scope="session")
def build_context() -> Callable[[Mapping[str, Any] | None], EncounterContext]:
    return context_from_spec


@pytest.fixture(scope="session")
def rules_with(rules: BillingRules) -> Callable[..., BillingRules]:
    """Rules plus practice policy files given relative to lexicons/billing/."""

    def load(*policy_files: str) -> BillingRules:
        if not policy_files:
            return rules
        return load_rules(BILLING_DIR, extra_policy_files=[BILLING_DIR / p for p in policy_files])

    return load
