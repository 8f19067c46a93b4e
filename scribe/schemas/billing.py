"""Schemas of the billing rule files in ``lexicons/billing/``: dated, cited, nothing extra.

Every rule carries an ``id``, the date it takes ``effective``, an optional ``end`` and the
``source`` it was taken from, so a wrong value can be corrected in data without touching code.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from scribe.schemas.coding import Severity
from scribe.schemas.common import Frozen
from scribe.schemas.context import Payer, Provider
from scribe.schemas.lexicon import FileHeader
from scribe.schemas.note import FindingKind

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# CPT (five digits, or four digits and a letter) or HCPCS Level II (a letter and four digits).
_CODE = re.compile(r"^(?:\d{4}[0-9A-Z]|[A-Z]\d{4})$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")

ServiceKind = Literal[
    "dry_needling",
    "trigger_point_injection",
    "acupuncture",
    "therapy",
    "evaluation",
    "modality",
]
UnitRule = Literal["per_session", "timed", "timed_add_on"]
ModifierKind = Literal["distinct", "therapy", "liability", "benefit", "anatomic", "repeat", "other"]
ConflictMatch = Literal["muscle", "counting_muscle"]
EditKind = Literal[
    "one_code_per_date", "suppress_service", "same_muscle_conflict", "distinct_service"
]
AbnAction = Literal["bill", "self_pay", "no_service"]
CoverageStatus = Literal["covered", "benefit_only", "verify", "investigational", "not_covered"]
DocumentationCheckKind = Literal[
    "named_muscles",
    "unread_names",
    "unnamed_procedure",
    "status_conflict",
    "procedure_not_billed",
    "procedure_named_as",
    "group_terms",
    "laterality",
    "subdivisions",
    "stated_count",
    "injectate_statement",
    "drug_code",
    "rationale",
    "response",
    "consent",
    "tolerance",
    # diagnoses of the claim (scribe/coding/diagnoses.py)
    "diagnosis_support",
    "diagnosis_billable",
    "diagnosis_excludes",
    "clbp_diagnosis",
    # who may dry needle in the practice's state (scribe/coding/scope.py)
    "scope_of_practice",
]

# The names a prompt message may use in ``{braces}``; the engine fills the ones it knows.
PROMPT_FIELDS = frozenset(
    {
        "citation",
        "code",
        "codes",
        "count",
        "date",
        "detail",
        "groups",
        "limit",
        "procedure",
        "words",
        "max_sessions",
        "missing",
        "modifier",
        "muscles",
        "named",
        "other_codes",
        "payer",
        "provider",
        "service",
        "session",
        "state",
        "stated",
        "substances",
        "tier_first",
        "tier_last",
        "training",
        "window_days",
        "window_sessions",
    }
)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"ids are lower-case kebab-case: {value!r}")
    return value


def _check_code(value: str) -> str:
    if not _CODE.match(value):
        raise ValueError(f"not a CPT/HCPCS code: {value!r}")
    return value


def _check_modifier(value: str) -> str:
    if not _MODIFIER.match(value):
        raise ValueError(f"not a two-character modifier: {value!r}")
    return value


def _unique(values: list[str], what: str) -> None:
    dupes = sorted({v for v in values if values.count(v) > 1})
    if dupes:
        raise ValueError(f"duplicate {what}: {dupes}")


def _overlap(a: DatedRule, b: DatedRule) -> bool:
    a_end = a.end or dt.date.max
    b_end = b.end or dt.date.max
    return a.effective <= b_end and b.effective <= a_end


class DatedRule(Frozen):
    """Base of every rule: an id, the dates it applies and where it comes from."""

    id: str
    effective: dt.date
    end: dt.date | None = Field(default=None, description="Last day the rule applies.")
    source: str = Field(min_length=3, description="Seed page, DOMAIN.md section or CMS file.")
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id_is_kebab(cls, value: str) -> str:
        return _check_id(value)

    @model_validator(mode="after")
    def _end_after_start(self) -> DatedRule:
        if self.end is not None and self.end < self.effective:
            raise ValueError(f"{self.id}: end {self.end} is before effective {self.effective}")
        return self


# --- codes.yaml -----------------------------------------------------------------------------


class BillingCode(DatedRule):
    """A procedure code, what it means (our words) and how it is counted."""

    code: str
    service: ServiceKind
    descriptor: str = Field(min_length=10)
    unit_rule: UnitRule
    max_units_per_session: int | None = Field(default=None, ge=1)
    min_muscles: int | None = Field(default=None, ge=1, description="Muscle band: lower bound.")
    max_muscles: int | None = Field(default=None, ge=1, description="Upper bound; null = open.")
    global_period: str | None = None

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        return _check_code(value)

    @model_validator(mode="after")
    def _band_ordered(self) -> BillingCode:
        if self.max_muscles is not None and (self.min_muscles or 1) > self.max_muscles:
            raise ValueError(f"{self.id}: min_muscles above max_muscles")
        return self


class CodeFile(FileHeader):
    codes: list[BillingCode] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_clashes(self) -> CodeFile:
        _unique([c.id for c in self.codes], "code rule ids")
        for i, a in enumerate(self.codes):
            for b in self.codes[i + 1 :]:
                if a.code == b.code and _overlap(a, b):
                    raise ValueError(f"code {a.code}: rules {a.id} and {b.id} overlap in time")
        return self


# --- rvus.yaml and conversion_factors.yaml ----------------------------------------------------


class RvuValue(Frozen):
    """National RVUs of one code: the components, or only a total where that is all we know."""

    code: str
    work: float | None = Field(default=None, ge=0)
    pe_nonfacility: float | None = Field(default=None, ge=0)
    pe_facility: float | None = Field(default=None, ge=0)
    mp: float | None = Field(default=None, ge=0)
    total_nonfacility: float | None = Field(default=None, ge=0)
    verified: bool = Field(default=True, description="False: not checked against a CMS file.")
    source: str | None = Field(default=None, description="Overrides the table's source.")
    note: str | None = None

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        return _check_code(value)

    @model_validator(mode="after")
    def _total_known(self) -> RvuValue:
        parts = (self.work, self.pe_nonfacility, self.mp)
        have_parts = all(p is not None for p in parts)
        if not have_parts and self.total_nonfacility is None:
            raise ValueError(f"{self.code}: give work, pe_nonfacility and mp, or total_nonfacility")
        if have_parts and self.total_nonfacility is not None:
            summed = sum(p for p in parts if p is not None)
            if abs(summed - self.total_nonfacility) > 0.011:
                raise ValueError(f"{self.code}: components sum to {summed:.2f}, not the total")
        return self


class RvuTable(DatedRule):
    """One fee-schedule year of RVUs."""

    year: int = Field(ge=1992)
    values: list[RvuValue] = Field(min_length=1)

    @model_validator(mode="after")
    def _year_and_codes(self) -> RvuTable:
        if self.effective.year != self.year:
            raise ValueError(f"{self.id}: effective date is not in {self.year}")
        _unique([v.code for v in self.values], f"codes in {self.id}")
        return self


class RvuFile(FileHeader):
    tables: list[RvuTable] = Field(min_length=1)

    @model_validator(mode="after")
    def _tables_disjoint(self) -> RvuFile:
        _unique([t.id for t in self.tables], "RVU table ids")
        for i, a in enumerate(self.tables):
            for b in self.tables[i + 1 :]:
                if _overlap(a, b):
                    raise ValueError(f"RVU tables {a.id} and {b.id} overlap in time")
        return self


class ConversionFactor(DatedRule):
    """Dollars per RVU for the Medicare physician fee schedule over a period."""

    amount: float = Field(gt=0)
    verified: bool = True


class ConversionFactorFile(FileHeader):
    conversion_factors: list[ConversionFactor] = Field(min_length=1)

    @model_validator(mode="after")
    def _periods_disjoint(self) -> ConversionFactorFile:
        items = self.conversion_factors
        _unique([c.id for c in items], "conversion factor ids")
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if _overlap(a, b):
                    raise ValueError(f"conversion factors {a.id} and {b.id} overlap in time")
        return self


# --- modifiers.yaml -------------------------------------------------------------------------


class Modifier(DatedRule):
    modifier: str
    meaning: str = Field(min_length=5)
    kind: ModifierKind
    order: int = Field(ge=0, description="Position on the claim line: lower comes first.")

    @field_validator("modifier")
    @classmethod
    def _modifier_shape(cls, value: str) -> str:
        return _check_modifier(value)


class ModifierFile(FileHeader):
    modifiers: list[Modifier] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_modifiers(self) -> ModifierFile:
        _unique([m.id for m in self.modifiers], "modifier rule ids")
        for i, a in enumerate(self.modifiers):
            for b in self.modifiers[i + 1 :]:
                if a.modifier == b.modifier and _overlap(a, b):
                    raise ValueError(f"modifier {a.modifier} defined twice for the same dates")
        return self


# --- edits.yaml -----------------------------------------------------------------------------


class Edit(DatedRule):
    """A same-date edit between the dry needling line and other services.

    ``one_code_per_date``: another code of ``service`` is already on this date (prompt only).
    ``suppress_service``: a code or line of ``with_services``/``with_codes`` removes the
    ``service`` line. ``same_muscle_conflict``: one muscle in ``service`` and ``with_services``
    is billed under ``keep_service`` only; ``match`` says what "one muscle" means: ``muscle``
    (the same muscle, or a whole muscle and one of its parts) or ``counting_muscle`` (any two
    parts of one muscle on one side). ``distinct_service``: the ``service`` line gets the
    payer's distinct-service modifier (59 or XS); ``payer_bundling_only`` limits this to payers
    that apply bundling edits.
    """

    kind: EditKind
    service: ServiceKind
    with_services: list[ServiceKind] = Field(default_factory=list)
    with_codes: list[str] = Field(default_factory=list)
    keep_service: ServiceKind | None = None
    match: ConflictMatch = "muscle"
    payer_bundling_only: bool = False
    prompt: str
    # ``suppress_service`` only: the prompt raised, the line kept, when the note itself speaks
    # of a procedure of ``with_services`` done today with no code of it on the claim
    documented_prompt: str | None = None

    @field_validator("with_codes")
    @classmethod
    def _codes_shape(cls, values: list[str]) -> list[str]:
        return [_check_code(v) for v in values]

    @model_validator(mode="after")
    def _kind_needs(self) -> Edit:
        if self.kind == "same_muscle_conflict":
            if self.keep_service is None or not self.with_services:
                raise ValueError(f"{self.id}: same_muscle_conflict needs with_services and keep")
            if self.keep_service not in {self.service, *self.with_services}:
                raise ValueError(f"{self.id}: keep_service must be one of the two services")
        elif self.keep_service is not None:
            raise ValueError(f"{self.id}: keep_service only applies to same_muscle_conflict")
        if self.documented_prompt is not None and self.kind != "suppress_service":
            raise ValueError(f"{self.id}: documented_prompt only applies to suppress_service")
        if self.kind in ("suppress_service", "distinct_service") and not (
            self.with_services or self.with_codes
        ):
            raise ValueError(f"{self.id}: {self.kind} needs with_services or with_codes")
        return self


class EditFile(FileHeader):
    edits: list[Edit] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> EditFile:
        _unique([e.id for e in self.edits], "edit ids")
        return self


# --- benefits.yaml --------------------------------------------------------------------------


class SessionTier(Frozen):
    """A band of session numbers in a benefit and the modifiers it needs."""

    id: str
    first_session: int = Field(ge=1)
    last_session: int = Field(ge=1)
    modifiers: list[str] = Field(default_factory=list)
    prompt: str | None = None

    @field_validator("id")
    @classmethod
    def _id_is_kebab(cls, value: str) -> str:
        return _check_id(value)


class Benefit(DatedRule):
    """A payer benefit that covers a service only under conditions (Medicare cLBP, NCD 30.3.3)."""

    name: str
    payer: Payer
    context_flag: Literal["clbp"] = Field(description="EncounterContext flag that turns it on.")
    services: list[ServiceKind] = Field(min_length=1)
    tiers: list[SessionTier] = Field(min_length=1)
    max_sessions_per_year: int = Field(ge=1)
    window_sessions: int = Field(ge=1, description="Sessions allowed in the first window...")
    window_days: int = Field(ge=1, description="...of this many days.")
    eligible_providers: list[Provider] = Field(min_length=1)
    ineligible_provider_prompt: str
    over_limit_prompt: str
    missing_session_prompt: str

    @model_validator(mode="after")
    def _tiers_contiguous(self) -> Benefit:
        expected = 1
        for tier in self.tiers:
            if tier.first_session != expected or tier.last_session < tier.first_session:
                raise ValueError(f"{self.id}: tiers must run contiguously from session 1")
            expected = tier.last_session + 1
        if expected - 1 != self.max_sessions_per_year:
            raise ValueError(f"{self.id}: the last tier must end at max_sessions_per_year")
        return self


class AbnOption(Frozen):
    option: Literal[1, 2, 3]
    action: AbnAction
    modifiers: list[str] = Field(default_factory=list)
    prompt: str | None = None


class AbnRule(DatedRule):
    """Advance Beneficiary Notice (CMS-R-131) handling for a service the payer will not cover."""

    name: str
    missing_prompt: str
    options: list[AbnOption]

    @model_validator(mode="after")
    def _all_options(self) -> AbnRule:
        if sorted(o.option for o in self.options) != [1, 2, 3]:
            raise ValueError(f"{self.id}: options 1, 2 and 3 must each be given once")
        return self


class BenefitFile(FileHeader):
    benefits: list[Benefit] = Field(default_factory=list)
    abn_rules: list[AbnRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> BenefitFile:
        _unique([b.id for b in self.benefits] + [a.id for a in self.abn_rules], "benefit ids")
        return self


# --- payers/*.yaml --------------------------------------------------------------------------


class ServiceCoverage(Frozen):
    """How a payer treats one service; services a policy does not list are covered."""

    service: ServiceKind
    status: CoverageStatus
    benefit: str | None = Field(default=None, description="Benefit id, for benefit_only.")
    abn: str | None = Field(default=None, description="ABN rule id when the service is outside.")
    prompt: str | None = None

    @model_validator(mode="after")
    def _status_needs(self) -> ServiceCoverage:
        if self.status == "benefit_only" and (self.benefit is None or self.abn is None):
            raise ValueError(f"{self.service}: benefit_only needs a benefit and an abn rule")
        if self.status in ("verify", "investigational", "not_covered") and self.prompt is None:
            raise ValueError(f"{self.service}: status {self.status} needs a prompt")
        return self


class FrequencyLimit(Frozen):
    """At most ``max_sessions`` in ``days`` days (per body region when ``per_region``)."""

    id: str
    max_sessions: int = Field(ge=1)
    days: int = Field(ge=1)
    per_region: bool = False
    prompt: str

    @field_validator("id")
    @classmethod
    def _id_is_kebab(cls, value: str) -> str:
        return _check_id(value)


def _needling_only() -> list[ServiceKind]:
    return ["dry_needling"]


class PayerPolicy(DatedRule):
    """What one payer (or one practice's contract with it) requires of the claim."""

    payer: Payer
    name: str
    priority: int = Field(default=0, description="Highest priority wins among active policies.")
    default_when_payer_unknown: bool = False
    submits_claims: bool = True
    coverage: list[ServiceCoverage] = Field(default_factory=list)
    distinct_modifier: str | None = Field(default="59", description="59, or XS where required.")
    applies_bundling_edits: bool = True
    therapy_plan_modifier: str | None = None
    therapy_plan_providers: list[Provider] = Field(default_factory=list)
    assistant_modifiers: dict[Provider, str] = Field(default_factory=dict)
    therapy_plan_services: list[ServiceKind] = Field(
        default_factory=_needling_only,
        description="Lines that take the therapy plan and assistant modifiers.",
    )
    policy_services: list[ServiceKind] = Field(
        default_factory=_needling_only,
        description="Services the prior authorization and frequency limits apply to.",
    )
    prior_authorization_prompt: str | None = None
    frequency_limits: list[FrequencyLimit] = Field(default_factory=list)

    @model_validator(mode="after")
    def _services_once(self) -> PayerPolicy:
        _unique([c.service for c in self.coverage], f"services in {self.id}")
        return self


class PayerPolicyFile(FileHeader):
    policies: list[PayerPolicy] = Field(min_length=1)


# --- documentation.yaml ---------------------------------------------------------------------


class DocumentationCheck(DatedRule):
    """A documentation element to check; ``services`` limits it to notes with those services."""

    check: DocumentationCheckKind
    prompt: str
    services: list[ServiceKind] = Field(default_factory=list)
    finding_kinds: list[FindingKind] = Field(default_factory=list)
    procedure_kinds: list[str] = Field(
        default_factory=list,
        description="procedure_not_billed: the procedures (of the note's procedures list) done "
        "today that the product does not code and must say so; procedure_named_as: the names "
        "under which a procedure done today was coded as another.",
    )
    diagnosis_codes: list[str] = Field(
        default_factory=list,
        description="ICD-10-CM codes or code prefixes: diagnosis_support, the diagnoses that "
        "support the services; clbp_diagnosis, the low back pain codes the benefit needs.",
    )
    max_pointers: int | None = Field(
        default=None, ge=1, le=12, description="diagnosis_support: pointers a line may carry."
    )

    @model_validator(mode="after")
    def _kinds_for_rationale(self) -> DocumentationCheck:
        if self.check == "rationale" and not self.finding_kinds:
            raise ValueError(f"{self.id}: the rationale check needs finding_kinds")
        if self.check in ("procedure_not_billed", "procedure_named_as") and not (
            self.procedure_kinds
        ):
            raise ValueError(f"{self.id}: the {self.check} check needs procedure_kinds")
        if self.check in ("diagnosis_support", "clbp_diagnosis") and not self.diagnosis_codes:
            raise ValueError(f"{self.id}: the {self.check} check needs diagnosis_codes")
        return self


class DocumentationFile(FileHeader):
    checks: list[DocumentationCheck] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> DocumentationFile:
        _unique([c.id for c in self.checks], "documentation check ids")
        return self


# --- prompts.yaml ---------------------------------------------------------------------------


class PromptTemplate(Frozen):
    """A message the engine can raise; ``key`` names this wording, ``id`` is what is emitted."""

    key: str
    id: str
    severity: Severity
    message: str = Field(min_length=10)
    source: str = Field(min_length=3)

    @field_validator("key", "id")
    @classmethod
    def _ids_are_kebab(cls, value: str) -> str:
        return _check_id(value)

    @field_validator("message")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        unknown = sorted(names - PROMPT_FIELDS)
        if unknown:
            raise ValueError(f"unknown fields in message: {unknown}")
        return value


class PromptFile(FileHeader):
    prompts: list[PromptTemplate] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> PromptFile:
        _unique([p.key for p in self.prompts], "prompt keys")
        return self


# --- everything together --------------------------------------------------------------------


class BillingRules(Frozen):
    """All billing rule files, loaded and cross-checked."""

    directory: str
    codes: list[BillingCode]
    rvu_tables: list[RvuTable]
    conversion_factors: list[ConversionFactor]
    modifiers: list[Modifier]
    edits: list[Edit]
    benefits: list[Benefit]
    abn_rules: list[AbnRule]
    policies: list[PayerPolicy]
    documentation: list[DocumentationCheck]
    prompts: list[PromptTemplate]
    policy_files: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> BillingRules:
        problems: list[str] = []
        prompt_keys = {p.key for p in self.prompts}
        modifiers = {m.modifier for m in self.modifiers}
        codes = {c.code for c in self.codes}
        benefit_ids = {b.id for b in self.benefits}
        abn_ids = {a.id for a in self.abn_rules}

        def need_prompt(key: str | None, where: str) -> None:
            if key is not None and key not in prompt_keys:
                problems.append(f"{where}: unknown prompt {key!r}")

        def need_modifier(mod: str | None, where: str) -> None:
            if mod is not None and mod not in modifiers:
                problems.append(f"{where}: unknown modifier {mod!r}")

        for e in self.edits:
            need_prompt(e.prompt, e.id)
            need_prompt(e.documented_prompt, e.id)
            problems.extend(f"{e.id}: unknown code {c}" for c in e.with_codes if c not in codes)
        for b in self.benefits:
            for key in (
                b.ineligible_provider_prompt,
                b.over_limit_prompt,
                b.missing_session_prompt,
            ):
                need_prompt(key, b.id)
            for tier in b.tiers:
                need_prompt(tier.prompt, tier.id)
                for mod in tier.modifiers:
                    need_modifier(mod, tier.id)
        for a in self.abn_rules:
            need_prompt(a.missing_prompt, a.id)
            for option in a.options:
                need_prompt(option.prompt, f"{a.id} option {option.option}")
                for mod in option.modifiers:
                    need_modifier(mod, f"{a.id} option {option.option}")
        for p in self.policies:
            need_modifier(p.distinct_modifier, p.id)
            need_modifier(p.therapy_plan_modifier, p.id)
            for mod in p.assistant_modifiers.values():
                need_modifier(mod, p.id)
            need_prompt(p.prior_authorization_prompt, p.id)
            for limit in p.frequency_limits:
                need_prompt(limit.prompt, f"{p.id} {limit.id}")
            for cov in p.coverage:
                need_prompt(cov.prompt, f"{p.id} {cov.service}")
                if cov.benefit is not None and cov.benefit not in benefit_ids:
                    problems.append(f"{p.id}: unknown benefit {cov.benefit!r}")
                if cov.abn is not None and cov.abn not in abn_ids:
                    problems.append(f"{p.id}: unknown ABN rule {cov.abn!r}")
        for check in self.documentation:
            need_prompt(check.prompt, check.id)
        for table in self.rvu_tables:
            problems.extend(
                f"{table.id}: code {v.code} is not in codes.yaml"
                for v in table.values
                if v.code not in codes
            )
        policy_ids = [p.id for p in self.policies]
        dupes = sorted({i for i in policy_ids if policy_ids.count(i) > 1})
        if dupes:
            problems.append(f"duplicate payer policy ids (give a practice file new ids): {dupes}")
        for payer in get_args(Payer):
            if not any(p.payer == payer for p in self.policies):
                problems.append(f"no payer policy for {payer!r}")
        if not any(p.default_when_payer_unknown for p in self.policies):
            problems.append("no payer policy has default_when_payer_unknown: true")
        if problems:
            raise ValueError("; ".join(problems))
        return self
