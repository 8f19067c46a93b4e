"""Every billing rule file validates, the files fit together, and practices can add policies."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from scribe.coding import BillingRules, BillingRulesError, default_rules, load_rules
from scribe.coding.rules import RULE_FILES, RuleView, read_rule_file
from scribe.config import get_settings
from scribe.schemas.billing import PROMPT_FIELDS, PayerPolicyFile

BILLING_DIR = Path(__file__).resolve().parents[2] / "lexicons" / "billing"
STABLE_PROMPT_IDS = {
    "kx-required",
    "clbp-session-limit",
    "abn-required",
    "provider-not-eligible",
    "acupuncture-same-day",
    "same-day-20560-20561",
    "tpi-same-muscle",
    "drug-code-required",
    "modifier-59-distinct",
    "injectate-statement-missing",
    "muscle-names-missing",
    "laterality-missing",
    "rationale-missing",
    "count-mismatch",
    "subdivision-count-risk",
    "group-term-used",
    "consent-missing",
    "response-missing",
    "payer-coverage-verify",
}
POLICY_FILES = sorted((BILLING_DIR / "payers").glob("*.yaml")) + sorted(
    (BILLING_DIR / "examples").glob("*.yaml")
)


@pytest.mark.parametrize("name", sorted(RULE_FILES))
def test_rules_file_validates(name: str) -> None:
    filename, model = RULE_FILES[name]
    parsed = read_rule_file(BILLING_DIR / filename, model)
    assert parsed.model_dump()["schema_version"] == "1"


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rules_policy_file_validates(path: Path) -> None:
    parsed = read_rule_file(path, PayerPolicyFile)
    assert parsed.policies


def test_rules_every_rule_is_dated_and_cited(rules: BillingRules) -> None:
    dated = [
        *rules.codes,
        *rules.rvu_tables,
        *rules.conversion_factors,
        *rules.modifiers,
        *rules.edits,
        *rules.benefits,
        *rules.abn_rules,
        *rules.policies,
        *rules.documentation,
    ]
    for rule in dated:
        assert rule.id and rule.effective and len(rule.source) >= 3, rule.id


def test_rules_stable_prompt_ids_exist(rules: BillingRules) -> None:
    assert {p.id for p in rules.prompts} >= STABLE_PROMPT_IDS


def test_rules_prompt_templates_render(rules: BillingRules) -> None:
    fields = {name: f"<{name}>" for name in PROMPT_FIELDS}
    for template in rules.prompts:
        text = template.message.format_map(fields)
        assert "{" not in text and "}" not in text, template.key


def test_rules_rvus_and_factors_cover_2020_to_2026(rules: BillingRules) -> None:
    for year in range(2020, 2027):
        view = RuleView.at(rules, dt.date(year, 7, 1))
        assert view.rvu_table is not None and view.rvu_table.year == year
        assert view.conversion_factor is not None
        for code in ("20560", "20561", "20552", "20553"):
            assert view.rvu(code) is not None, (year, code)
    cf_2026 = RuleView.at(rules, dt.date(2026, 1, 1)).conversion_factor
    assert cf_2026 is not None and cf_2026.amount == 33.4009


def test_rules_2024_factor_changes_on_march_9(rules: BillingRules) -> None:
    before = RuleView.at(rules, dt.date(2024, 3, 8)).conversion_factor
    after = RuleView.at(rules, dt.date(2024, 3, 9)).conversion_factor
    assert before is not None and after is not None
    assert (before.amount, after.amount) == (32.7442, 33.2875)


def test_rules_unverified_values_are_marked(rules: BillingRules) -> None:
    table_2026 = next(t for t in rules.rvu_tables if t.year == 2026)
    unverified = {v.code for v in table_2026.values if not v.verified}
    assert "20560" in unverified


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "billing"
    shutil.copytree(BILLING_DIR, target)
    return target


def test_rules_extra_key_is_rejected(tmp_path: Path) -> None:
    target = _copy_rules(tmp_path)
    path = target / "codes.yaml"
    data = yaml.safe_load(path.read_text())
    data["codes"][0]["colour"] = "red"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BillingRulesError, match=r"codes\.yaml"):
        load_rules(target)


def test_rules_unknown_prompt_reference_is_rejected(tmp_path: Path) -> None:
    target = _copy_rules(tmp_path)
    path = target / "edits.yaml"
    data = yaml.safe_load(path.read_text())
    data["edits"][0]["prompt"] = "no-such-prompt"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BillingRulesError, match="no-such-prompt"):
        load_rules(target)


def test_rules_documented_prompt_is_checked(tmp_path: Path) -> None:
    """The prompt an edit raises from the note's own words must exist, and only an edit that
    withholds a service may carry one."""
    target = _copy_rules(tmp_path)
    path = target / "edits.yaml"
    data = yaml.safe_load(path.read_text())
    suppress = next(e for e in data["edits"] if e["kind"] == "suppress_service")
    suppress["documented_prompt"] = "no-such-prompt"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BillingRulesError, match="no-such-prompt"):
        load_rules(target)
    suppress["documented_prompt"] = suppress["prompt"]
    other = next(e for e in data["edits"] if e["kind"] == "one_code_per_date")
    other["documented_prompt"] = suppress["prompt"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BillingRulesError, match="documented_prompt"):
        load_rules(target)


def test_rules_end_before_effective_is_rejected(tmp_path: Path) -> None:
    target = _copy_rules(tmp_path)
    path = target / "conversion_factors.yaml"
    data = yaml.safe_load(path.read_text())
    data["conversion_factors"][0]["end"] = dt.date(2019, 1, 1)
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BillingRulesError, match="before effective"):
        load_rules(target)


def test_rules_missing_folder_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(BillingRulesError, match="not found"):
        load_rules(tmp_path / "nowhere")


def test_rules_practice_file_dropped_into_payers_wins(tmp_path: Path) -> None:
    target = _copy_rules(tmp_path)
    shutil.copy(BILLING_DIR / "examples" / "practice-payer-policy.yaml", target / "payers")
    rules = load_rules(target)
    view = RuleView.at(rules, dt.date(2025, 1, 1))
    assert view.policy_for("commercial").id == "practice-commercial-example"
    assert view.policy_for(None).id == "commercial-default"


def test_rules_practice_file_with_duplicate_id_is_rejected(tmp_path: Path) -> None:
    clash = tmp_path / "clash.yaml"
    data = yaml.safe_load((BILLING_DIR / "payers" / "commercial.yaml").read_text())
    clash.write_text(yaml.safe_dump(data))
    with pytest.raises(BillingRulesError, match="duplicate payer policy ids"):
        load_rules(BILLING_DIR, extra_policy_files=[clash])


def test_rules_no_policy_before_rule_set_is_a_typed_error(rules: BillingRules) -> None:
    with pytest.raises(BillingRulesError, match="no payer policy"):
        RuleView.at(rules, dt.date(2010, 1, 1)).policy_for("medicare")


def test_rules_lexicon_dir_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "lexicons"
    target.mkdir()
    _copy_rules(target)
    monkeypatch.setenv("SCRIBE_LEXICON_DIR", str(target))
    get_settings.cache_clear()  # settings are read once per process
    try:
        assert default_rules().directory == str(target / "billing")
    finally:
        monkeypatch.delenv("SCRIBE_LEXICON_DIR")
        get_settings.cache_clear()


def test_rules_default_rules_are_cached() -> None:
    assert default_rules() is default_rules()
