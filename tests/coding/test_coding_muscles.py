"""Billable muscle counting (DOMAIN.md section 3)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scribe.coding import analyse_muscles, count_muscles
from scribe.coding.muscles import DRY_NEEDLING, INJECTION, muscle_refs
from scribe.schemas.note import Note

NoteBuilder = Callable[[Mapping[str, Any]], Note]


def test_muscles_bilateral_counts_two(build_note: NoteBuilder) -> None:
    assert count_muscles(build_note({"muscles": ["bilateral upper-trapezius"]})) == 2


def test_muscles_needle_counts_ignored(build_note: NoteBuilder) -> None:
    spec: dict[str, Any] = {"muscles": ["right upper-trapezius", "left upper-trapezius"]}
    without = count_muscles(build_note(spec))
    spec["rationale"] = {"needles": [40, 3]}
    assert count_muscles(build_note(spec)) == without == 2


def test_muscles_only_treated_count(build_note: NoteBuilder) -> None:
    note = build_note(
        {
            "muscles": [
                {"id": "piriformis", "side": "right", "status": "negated"},
                {"id": "scalenes", "side": "right", "status": "planned"},
                {"id": "rhomboid-major", "side": "left", "status": "palpated_only"},
                {"id": "teres-major", "side": "left", "status": "historical"},
            ]
        }
    )
    assert count_muscles(note) == 0


def test_muscles_groups_never_count(build_note: NoteBuilder) -> None:
    assert count_muscles(build_note({"groups": ["paraspinals", "cervical-muscles"]})) == 0


def test_muscles_subdivision_rule(build_note: NoteBuilder) -> None:
    bare = ["right upper-trapezius", "right middle-trapezius"]
    assert count_muscles(build_note({"muscles": bare})) == 1
    documented = [
        {"id": "upper-trapezius", "side": "right", "findings": ["trigger_point"]},
        {"id": "middle-trapezius", "side": "right", "findings": ["taut_band"]},
    ]
    assert count_muscles(build_note({"muscles": documented})) == 2
    analysis = analyse_muscles(build_note({"muscles": documented}))
    assert len(analysis.subdivision_groups) == 1


def test_muscles_parent_and_part_count_once(build_note: NoteBuilder) -> None:
    note = build_note({"muscles": ["right trapezius", "right upper-trapezius"]})
    assert count_muscles(note) == 1
    assert analyse_muscles(note).subdivision_groups == ()


def test_muscles_unspecified_not_added_to_sided(build_note: NoteBuilder) -> None:
    note = build_note({"muscles": ["left levator-scapulae", "levator-scapulae"]})
    assert count_muscles(note) == 1
    note = build_note({"muscles": ["levator-scapulae", "upper-trapezius"]})
    assert count_muscles(note) == 2


def test_muscles_injected_split_by_side(build_note: NoteBuilder) -> None:
    note = build_note(
        {
            "muscles": ["bilateral upper-trapezius"],
            "injectate": {"injected": [{"name": "lidocaine", "muscles": ["left upper-trapezius"]}]},
        }
    )
    analysis = analyse_muscles(note)
    assert analysis.count(DRY_NEEDLING) == 1 and analysis.count(INJECTION) == 1
    assert [r.laterality for r in muscle_refs(analysis.by_service[DRY_NEEDLING])] == ["right"]


def test_muscles_injection_with_no_muscles_covers_all(build_note: NoteBuilder) -> None:
    note = build_note(
        {"muscles": ["right upper-trapezius", "left gluteus-medius"], "injectate": "injected"}
    )
    analysis = analyse_muscles(note)
    assert analysis.count(INJECTION) == 2 and analysis.count(DRY_NEEDLING) == 0


def test_muscles_conflict_moves_to_injection(build_note: NoteBuilder) -> None:
    note = build_note(
        {
            "muscles": ["right trapezius", "right upper-trapezius", "left levator-scapulae"],
            "injectate": {
                "injected": [{"name": "lidocaine", "muscles": ["right upper-trapezius"]}]
            },
        }
    )
    analysis = analyse_muscles(note)
    assert [s.muscle.id for s in analysis.conflicts] == ["trapezius"]
    assert analysis.count(INJECTION) == 1 and analysis.count(DRY_NEEDLING) == 1


def test_muscles_counting_muscle_match_makes_parts_conflict(build_note: NoteBuilder) -> None:
    note = build_note(
        {
            "muscles": ["right upper-trapezius", "right lower-trapezius"],
            "injectate": {
                "injected": [{"name": "lidocaine", "muscles": ["right upper-trapezius"]}]
            },
        }
    )
    assert analyse_muscles(note).conflicts == ()
    strict = analyse_muscles(note, match="counting_muscle")
    assert [s.muscle.id for s in strict.conflicts] == ["lower-trapezius"]
    assert strict.count(DRY_NEEDLING) == 0
