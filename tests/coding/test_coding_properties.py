"""Property tests: invariants of the coder over generated notes and contexts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scribe.coding import BillingRules, code
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import NeedleCount, Note

NoteBuilder = Callable[[Mapping[str, Any]], Note]

MUSCLE_IDS = [
    "upper-trapezius",
    "middle-trapezius",
    "lower-trapezius",
    "trapezius",
    "levator-scapulae",
    "rhomboid-major",
    "infraspinatus",
    "anterior-deltoid",
    "posterior-deltoid",
    "quadratus-lumborum",
    "gluteus-medius",
]
PARENT = {
    "upper-trapezius": "trapezius",
    "middle-trapezius": "trapezius",
    "lower-trapezius": "trapezius",
    "anterior-deltoid": "deltoid",
    "posterior-deltoid": "deltoid",
}
SIDES = ["right", "left", "bilateral", "unspecified"]
FINDINGS = ["trigger_point", "taut_band", "jump_sign"]

muscle_spec = st.fixed_dictionaries(
    {
        "id": st.sampled_from(MUSCLE_IDS),
        "side": st.sampled_from(SIDES),
        "status": st.sampled_from(["treated", "treated", "treated", "planned", "negated"]),
        "findings": st.lists(st.sampled_from(FINDINGS), max_size=2, unique=True),
        "cues": st.lists(st.sampled_from(["Dry needled", "injected", "DN to"]), max_size=2),
    }
)
treated_spec = muscle_spec.map(lambda m: {**m, "status": "treated"})
ref_spec = st.builds(lambda i, s: f"{s} {i}", st.sampled_from(MUSCLE_IDS), st.sampled_from(SIDES))
injectate_spec = st.one_of(
    st.just("none_confirmed"),
    st.just("not_documented"),
    st.just("injected"),
    st.builds(
        lambda refs: {"injected": [{"name": "lidocaine", "muscles": refs}]},
        st.lists(ref_spec, max_size=3),
    ),
)
note_spec = st.fixed_dictionaries(
    {
        "muscles": st.lists(muscle_spec, max_size=7),
        "injectate": injectate_spec,
        "groups": st.lists(st.sampled_from(["paraspinals", "cervical-muscles"]), max_size=1),
        "stated": st.lists(st.integers(1, 6), max_size=1),
    }
)
context_spec = st.builds(
    EncounterContext,
    payer=st.sampled_from([None, "medicare", "commercial", "self-pay"]),
    clbp=st.booleans(),
    session_number=st.one_of(st.none(), st.integers(1, 25)),
    abn_option=st.sampled_from([None, 1, 2, 3]),
    other_codes=st.lists(
        st.sampled_from(["97140", "97110", "97112", "97530", "97810", "20560", "20552"]),
        max_size=3,
    ),
    provider=st.sampled_from([None, "pt", "pta", "dc", "md", "np"]),
    dos=st.dates(min_value=dt.date(2020, 2, 1), max_value=dt.date(2030, 12, 31)),
)
DRY_NEEDLING_CODES = {"20560", "20561"}
INJECTION_CODES = {"20552", "20553"}


def _sides(laterality: str) -> set[str]:
    return {"right", "left"} if laterality == "bilateral" else {laterality}


def _same_muscle(a: tuple[str, str], b: tuple[str, str]) -> bool:
    (a_id, a_lat), (b_id, b_lat) = a, b
    parent_a, parent_b = PARENT.get(a_id, a_id), PARENT.get(b_id, b_id)
    if parent_a != parent_b:
        return False
    sides_a, sides_b = _sides(a_lat), _sides(b_lat)
    if not (sides_a & sides_b or "unspecified" in sides_a | sides_b):
        return False
    return a_id == b_id or parent_a in (a_id, b_id)


@settings(max_examples=300, deadline=None)
@given(spec=note_spec, context=context_spec)
def test_properties_units_one_and_never_both_codes(
    spec: dict[str, Any], context: EncounterContext, build_note: NoteBuilder
) -> None:
    result = code(build_note(spec), context)
    assert all(line.units == 1 for line in result.lines)
    codes = [line.code for line in result.lines]
    assert len([c for c in codes if c in DRY_NEEDLING_CODES]) <= 1
    assert len([c for c in codes if c in INJECTION_CODES]) <= 1


@settings(max_examples=300, deadline=None)
@given(spec=note_spec, context=context_spec)
def test_properties_no_muscle_on_both_lines(
    spec: dict[str, Any], context: EncounterContext, build_note: NoteBuilder
) -> None:
    result = code(build_note(spec), context)
    needled = [
        (m.id, m.laterality)
        for line in result.lines
        if line.code in DRY_NEEDLING_CODES
        for m in line.muscles
    ]
    injected = [
        (m.id, m.laterality)
        for line in result.lines
        if line.code in INJECTION_CODES
        for m in line.muscles
    ]
    for a in needled:
        for b in injected:
            assert not _same_muscle(a, b), (a, b)


@settings(max_examples=200, deadline=None)
@given(
    spec=note_spec,
    context=context_spec,
    needles=st.lists(st.integers(1, 60), max_size=4),
)
def test_properties_needle_counts_never_matter(
    spec: dict[str, Any],
    context: EncounterContext,
    needles: list[int],
    build_note: NoteBuilder,
) -> None:
    note = build_note(spec)
    counts = [NeedleCount(start=0, end=1, text="x", count=n) for n in needles]
    rationale = note.rationale.model_copy(update={"needle_counts": counts})
    with_needles = note.model_copy(update={"rationale": rationale})
    plain, counted = code(note, context), code(with_needles, context)
    if note.procedures or not needles:
        assert counted == plain
        return
    # a note that names no procedure but counts needles is not passed in silence: the one
    # difference is the prompt that says so; the claim itself never changes
    assert counted.lines == plain.lines and counted.muscle_count == plain.muscle_count
    extra = [p for p in counted.prompts if p not in plain.prompts]
    assert {p.id for p in extra} <= {"muscle-names-missing"}


@settings(max_examples=300, deadline=None)
@given(
    muscles=st.lists(treated_spec, max_size=6),
    extra=treated_spec,
    context=context_spec,
)
def test_properties_adding_a_muscle_never_lowers_the_code(
    muscles: list[dict[str, Any]],
    extra: dict[str, Any],
    context: EncounterContext,
    build_note: NoteBuilder,
    rules: BillingRules,
) -> None:
    band = {c.code: c.min_muscles or 0 for c in rules.codes}

    def rank(items: list[dict[str, Any]]) -> tuple[int, int]:
        result = code(build_note({"muscles": items}), context)
        needling = [band[line.code] for line in result.lines if line.code in DRY_NEEDLING_CODES]
        return (max(needling, default=0), result.muscle_count)

    before, after = rank(muscles), rank([*muscles, extra])
    assert after[0] >= before[0]
    assert after[1] >= before[1]
