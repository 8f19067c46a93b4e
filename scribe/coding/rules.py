"""Loading the billing rule files and looking rules up at a date of service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from scribe.coding.errors import BillingRulesError, NoRulesInForceError
from scribe.coding.paths import lexicon_dir
from scribe.lexicons import read_model, summarise_validation
from scribe.schemas.billing import (
    AbnRule,
    Benefit,
    BenefitFile,
    BillingCode,
    BillingRules,
    CodeFile,
    ConversionFactor,
    ConversionFactorFile,
    DatedRule,
    DocumentationCheck,
    DocumentationFile,
    Edit,
    EditFile,
    Modifier,
    ModifierFile,
    PayerPolicy,
    PayerPolicyFile,
    PromptFile,
    PromptTemplate,
    RvuFile,
    RvuTable,
    RvuValue,
)
from scribe.schemas.context import Payer

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=DatedRule)

#: The fixed rule files of ``lexicons/billing/``; payer policies are every ``payers/*.yaml``.
RULE_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "codes": ("codes.yaml", CodeFile),
    "rvus": ("rvus.yaml", RvuFile),
    "conversion_factors": ("conversion_factors.yaml", ConversionFactorFile),
    "modifiers": ("modifiers.yaml", ModifierFile),
    "edits": ("edits.yaml", EditFile),
    "benefits": ("benefits.yaml", BenefitFile),
    "documentation": ("documentation.yaml", DocumentationFile),
    "prompts": ("prompts.yaml", PromptFile),
}
POLICY_DIR = "payers"


def read_rule_file(path: Path, model: type[M]) -> M:
    """Read one YAML rule file and validate it against ``model``."""
    return read_model(path, model, error=BillingRulesError)


def load_rules(
    directory: Path | None = None, *, extra_policy_files: Sequence[Path] = ()
) -> BillingRules:
    """Load and cross-check every billing rule file.

    ``directory`` defaults to ``lexicons/billing``. Payer policies are read from its
    ``payers/*.yaml`` and then from ``extra_policy_files`` (a practice's own policies); among
    the policies active on a date for one payer the highest ``priority`` wins.
    """
    base = directory if directory is not None else lexicon_dir() / "billing"
    if not base.is_dir():
        raise BillingRulesError(f"{base}: billing rules folder not found")
    codes = read_rule_file(base / "codes.yaml", CodeFile)
    rvus = read_rule_file(base / "rvus.yaml", RvuFile)
    factors = read_rule_file(base / "conversion_factors.yaml", ConversionFactorFile)
    modifiers = read_rule_file(base / "modifiers.yaml", ModifierFile)
    edits = read_rule_file(base / "edits.yaml", EditFile)
    benefits = read_rule_file(base / "benefits.yaml", BenefitFile)
    documentation = read_rule_file(base / "documentation.yaml", DocumentationFile)
    prompts = read_rule_file(base / "prompts.yaml", PromptFile)
    policy_paths = sorted((base / POLICY_DIR).glob("*.yaml")) + [
        Path(p) for p in extra_policy_files
    ]
    policies: list[PayerPolicy] = []
    for path in policy_paths:
        policies.extend(read_rule_file(path, PayerPolicyFile).policies)
    try:
        return BillingRules(
            directory=str(base),
            codes=codes.codes,
            rvu_tables=rvus.tables,
            conversion_factors=factors.conversion_factors,
            modifiers=modifiers.modifiers,
            edits=edits.edits,
            benefits=benefits.benefits,
            abn_rules=benefits.abn_rules,
            policies=policies,
            documentation=documentation.checks,
            prompts=prompts.prompts,
            policy_files=[str(p) for p in policy_paths],
        )
    except ValidationError as exc:
        raise BillingRulesError(
            f"{base}: rule files do not fit together: {summarise_validation(exc)}"
        ) from exc


@lru_cache(maxsize=4)
def _cached_rules(directory: str) -> BillingRules:
    return load_rules(Path(directory))


def default_rules() -> BillingRules:
    """The rules in ``lexicons/billing``, loaded once per folder and cached."""
    return _cached_rules(str(lexicon_dir() / "billing"))


def applies_on(rule: DatedRule, day: dt.date) -> bool:
    """Whether ``rule`` is in force on ``day`` (its end date included)."""
    return rule.effective <= day and (rule.end is None or day <= rule.end)


def _in_force_or_latest(items: Sequence[R], day: dt.date) -> R | None:
    """The item in force on ``day``; past the newest data, the newest item; before it, none."""
    for item in items:
        if applies_on(item, day):
            return item
    earlier = [i for i in items if i.effective <= day]
    return max(earlier, key=lambda i: i.effective) if earlier else None


_MAX_VIEWS = 64
_VIEWS: dict[tuple[int, dt.date], RuleView] = {}  # each view holds its rules, so ids stay unique


@dataclass(frozen=True)
class RuleView:
    """The rules in force on one date of service, with lookups by what the engine needs."""

    rules: BillingRules
    day: dt.date
    codes: tuple[BillingCode, ...]
    modifiers: dict[str, Modifier]
    edits: tuple[Edit, ...]
    benefits: dict[str, Benefit]
    abn_rules: dict[str, AbnRule]
    documentation: tuple[DocumentationCheck, ...]
    prompts: dict[str, PromptTemplate]
    rvu_table: RvuTable | None
    conversion_factor: ConversionFactor | None

    @classmethod
    def at(cls, rules: BillingRules, day: dt.date) -> RuleView:
        """The rules in force on ``day`` (views are cached: a session codes many notes)."""
        key = (id(rules), day)
        view = _VIEWS.get(key)
        if view is None or view.rules is not rules:
            if len(_VIEWS) >= _MAX_VIEWS:
                _VIEWS.clear()
            view = _VIEWS[key] = cls._build(rules, day)
        return view

    @classmethod
    def _build(cls, rules: BillingRules, day: dt.date) -> RuleView:
        return cls(
            rules=rules,
            day=day,
            codes=tuple(c for c in rules.codes if applies_on(c, day)),
            modifiers={m.modifier: m for m in rules.modifiers if applies_on(m, day)},
            edits=tuple(e for e in rules.edits if applies_on(e, day)),
            benefits={b.id: b for b in rules.benefits if applies_on(b, day)},
            abn_rules={a.id: a for a in rules.abn_rules if applies_on(a, day)},
            documentation=tuple(d for d in rules.documentation if applies_on(d, day)),
            prompts={p.key: p for p in rules.prompts},
            rvu_table=_in_force_or_latest(rules.rvu_tables, day),
            conversion_factor=_in_force_or_latest(rules.conversion_factors, day),
        )

    def code_for(self, service: str, muscle_count: int) -> BillingCode | None:
        """The code of ``service`` whose muscle band holds ``muscle_count``."""
        for c in self.codes:
            if c.service != service or c.min_muscles is None:
                continue
            if c.min_muscles <= muscle_count and (
                c.max_muscles is None or muscle_count <= c.max_muscles
            ):
                return c
        return None

    def code_info(self, code: str) -> BillingCode | None:
        return next((c for c in self.codes if c.code == code), None)

    def service_of(self, code: str) -> str | None:
        info = self.code_info(code)
        return info.service if info is not None else None

    def modifier_order(self, modifier: str) -> int:
        known = self.modifiers.get(modifier)
        return known.order if known is not None else 1000

    def policy_for(self, payer: Payer | None) -> PayerPolicy:
        """The payer policy to apply: the highest-priority active one (later files win ties)."""
        candidates = [
            (p.priority, i, p)
            for i, p in enumerate(self.rules.policies)
            if applies_on(p, self.day)
            and (p.payer == payer if payer is not None else p.default_when_payer_unknown)
        ]
        if not candidates:
            wanted = payer or "an unknown payer"
            raise NoRulesInForceError(
                f"no payer policy for {wanted} is in force on {self.day} (check the date of "
                "service)"
            )
        return max(candidates, key=lambda t: (t[0], t[1]))[2]

    def rvu(self, code: str) -> RvuValue | None:
        if self.rvu_table is None:
            return None
        return next((v for v in self.rvu_table.values if v.code == code), None)
