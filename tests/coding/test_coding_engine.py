"""Engine behaviour beyond the golden cases: data drives it, evidence, purity, defaults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from scribe.coding import BillingRules, code
from scribe.coding.rules import RuleView
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note

NoteBuilder = Callable[[Mapping[str, Any]], Note]
ContextBuilder = Callable[[Mapping[str, Any] | None], EncounterContext]

THREE = {"muscles": ["right upper-trapezius", "left upper-trapezius", "right levator-scapulae"]}


def _spans(note: Note) -> set[tuple[int, int, str]]:
    """Every span in the note a line or prompt may cite."""
    found: set[tuple[int, int, str]] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if {"start", "end", "text"} <= value.keys():
                found.add((value["start"], value["end"], value["text"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(note.model_dump())
    return found


def test_engine_code_band_comes_from_data(
    build_note: NoteBuilder, build_context: ContextBuilder, rules: BillingRules
) -> None:
    codes = [
        c.model_copy(update={"max_muscles": 3})
        if c.code == "20560"
        else c.model_copy(update={"min_muscles": 4})
        if c.code == "20561"
        else c
        for c in rules.codes
    ]
    changed = rules.model_copy(update={"codes": codes})
    note, context = build_note(THREE), build_context({})
    assert [line.code for line in code(note, context, rules=rules).lines] == ["20561"]
    assert [line.code for line in code(note, context, rules=changed).lines] == ["20560"]


def test_engine_distinct_modifier_comes_from_policy(
    build_note: NoteBuilder, build_context: ContextBuilder, rules: BillingRules
) -> None:
    policies = [
        p.model_copy(update={"distinct_modifier": "XU"}) if p.id == "commercial-default" else p
        for p in rules.policies
    ]
    changed = rules.model_copy(update={"policies": policies})
    context = build_context({"other_codes": ["97140"]})
    result = code(build_note(THREE), context, rules=changed)
    assert result.lines[0].modifiers == ["XU"]


def test_engine_kx_threshold_comes_from_data(
    build_note: NoteBuilder, build_context: ContextBuilder, rules: BillingRules
) -> None:
    benefit = rules.benefits[0]
    tiers = [
        benefit.tiers[0].model_copy(update={"last_session": 10}),
        benefit.tiers[1].model_copy(update={"first_session": 11}),
    ]
    changed = rules.model_copy(update={"benefits": [benefit.model_copy(update={"tiers": tiers})]})
    context = build_context({"payer": "medicare", "clbp": True, "session_number": 11})
    assert code(build_note(THREE), context, rules=rules).lines[0].modifiers == []
    assert code(build_note(THREE), context, rules=changed).lines[0].modifiers == ["KX"]


def test_engine_modifier_order_follows_data(
    build_note: NoteBuilder, build_context: ContextBuilder
) -> None:
    context = build_context(
        {"payer": "medicare", "abn_option": 1, "provider": "pta", "other_codes": ["97140"]}
    )
    assert code(build_note(THREE), context).lines[0].modifiers == ["59", "GP", "CQ", "GA"]


def test_engine_lines_and_prompts_cite_note_spans(
    build_note: NoteBuilder, build_context: ContextBuilder
) -> None:
    note = build_note(
        {
            "muscles": ["right upper-trapezius", "levator-scapulae", "left infraspinatus"],
            "groups": ["paraspinals"],
            "injectate": {"injected": [{"name": "lidocaine", "muscles": ["left infraspinatus"]}]},
            "stated": [5],
        }
    )
    result = code(note, build_context({"payer": "medicare", "clbp": True, "session_number": 14}))
    spans = _spans(note)
    assert result.lines
    for line in result.lines:
        assert line.evidence, line.code
        assert {(e.start, e.end, e.text) for e in line.evidence} <= spans
    cited = {"laterality-missing", "group-term-used", "count-mismatch", "kx-required"}
    for prompt in result.prompts:
        assert {(e.start, e.end, e.text) for e in prompt.evidence} <= spans
        if prompt.id in cited:
            assert prompt.evidence, prompt.id


def test_engine_prompts_errors_first(
    build_note: NoteBuilder, build_context: ContextBuilder
) -> None:
    note = build_note({"muscles": ["levator-scapulae"], "rationale": {"tolerance": False}})
    result = code(note, build_context({"payer": "medicare"}))
    order = {"error": 0, "warning": 1, "info": 2}
    ranks = [order[p.severity] for p in result.prompts]
    assert ranks == sorted(ranks) and ranks[0] == 0


def test_engine_is_pure(build_note: NoteBuilder, build_context: ContextBuilder) -> None:
    note = build_note(THREE)
    before = note.model_dump()
    context = build_context({"payer": "medicare", "abn_option": 1})
    first = code(note, context)
    assert code(note, context) == first
    assert note.model_dump() == before


def test_engine_defaults_without_context(build_note: NoteBuilder, rules: BillingRules) -> None:
    result = code(build_note(THREE))
    today = dt.date.today()
    assert result.date_of_service == today
    assert result.payer_policy == "commercial-default"
    view = RuleView.at(rules, today)
    rvu = view.rvu("20561")
    factor = view.conversion_factor
    assert rvu is not None and factor is not None
    total = rvu.total_nonfacility or (rvu.work or 0) + (rvu.pe_nonfacility or 0) + (rvu.mp or 0)
    assert result.total_payment == round(round(total, 2) * factor.amount, 2)


def test_engine_reports_rules_applied(
    build_note: NoteBuilder, build_context: ContextBuilder
) -> None:
    context = build_context({"payer": "medicare", "clbp": True, "session_number": 13})
    applied = code(build_note(THREE), context).rules_applied
    for rule_id in (
        "medicare-part-b",
        "cpt-20561",
        "medicare-clbp-acupuncture",
        "clbp-sessions-13-20",
        "pfs-rvu-2025",
        "pfs-cf-2025",
    ):
        assert rule_id in applied


def test_engine_line_detail(build_note: NoteBuilder, build_context: ContextBuilder) -> None:
    line = code(build_note(THREE), build_context({})).lines[0]
    assert (line.service, line.muscle_count, line.rvu_total) == ("dry_needling", 3, 1.11)
    assert line.descriptor and "three or more" in line.descriptor
    assert [(m.id, m.laterality) for m in line.muscles] == [
        ("upper-trapezius", "right"),
        ("upper-trapezius", "left"),
        ("levator-scapulae", "right"),
    ]


def test_engine_messages_name_no_dictation_beyond_terms(
    build_note: NoteBuilder, build_context: ContextBuilder
) -> None:
    note = build_note({"muscles": ["levator-scapulae"], "stated": [4]})
    for prompt in code(note, build_context({"payer": "medicare", "clbp": True})).prompts:
        assert "{" not in prompt.message and "(not known)" not in prompt.message, prompt.id
