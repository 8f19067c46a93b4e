"""The coding engine: a structured note and its encounter context in, claim lines and prompts out.

Everything a coder or a practice may change (codes and muscle bands, edits, modifiers, benefit
tiers, ABN handling, payer policies, prompt wording, RVUs) is read from ``lexicons/billing``;
this module only knows the order in which the rules are applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from scribe.coding.diagnoses import DiagnosisLinks, Line, link_diagnoses
from scribe.coding.documentation import check_documentation
from scribe.coding.muscles import (
    DRY_NEEDLING,
    INJECTION,
    MuscleAnalysis,
    MuscleSide,
    analyse_muscles,
    describe,
    muscle_refs,
    side_evidence,
)
from scribe.coding.prompts import PromptBook
from scribe.coding.rules import RuleView, default_rules
from scribe.coding.scope import cached_scope, check_scope
from scribe.schemas.billing import AbnRule, Benefit, BillingCode, BillingRules, Edit, PayerPolicy
from scribe.schemas.coding import ClaimLine, CodingResult
from scribe.schemas.common import Evidence
from scribe.schemas.context import PROVIDER_NAMES, EncounterContext
from scribe.schemas.note import Note
from scribe.schemas.scope import ScopeFile

#: Fallback prompt when the code table has no code for a service on the date.
NO_CODE_PROMPT: Final = "no-code-for-date"
#: The order lines are listed in.
LINE_ORDER: Final = (DRY_NEEDLING, INJECTION)


@dataclass
class _Draft:
    """A claim line being built; ``withheld`` lines are dropped from the result."""

    service: str
    billing_code: BillingCode
    sides: tuple[MuscleSide, ...]
    muscle_count: int
    extra_evidence: list[Evidence] = field(default_factory=list)
    modifiers: list[str] = field(default_factory=list)
    withheld: bool = False

    def add_modifiers(self, modifiers: list[str]) -> None:
        for mod in modifiers:
            if mod not in self.modifiers:
                self.modifiers.append(mod)

    @property
    def evidence(self) -> list[Evidence]:
        return side_evidence(self.sides) + self.extra_evidence


def _money(value: float) -> float:
    return round(value + 1e-9, 2)


class _Coder:
    """One run of the engine over one note (state lives only for the call)."""

    def __init__(
        self, note: Note, context: EncounterContext, view: RuleView, scope: ScopeFile | None
    ) -> None:
        self.note = note
        self.context = context
        self.view = view
        self.scope = scope
        self.policy: PayerPolicy = view.policy_for(context.payer)
        self.book = PromptBook(view.prompts)
        self.applied: list[str] = [self.policy.id]
        self.drafts: list[_Draft] = []
        self.suppressed: set[str] = set()

    # --- steps -------------------------------------------------------------------------------

    def run(self) -> CodingResult:
        conflict_edit = self._first_edit("same_muscle_conflict")
        analysis = analyse_muscles(
            self.note,
            keep_service=conflict_edit.keep_service if conflict_edit else None,
            match=conflict_edit.match if conflict_edit else "muscle",
        )
        if conflict_edit is not None and analysis.conflicts:
            self._raise_conflict(conflict_edit, analysis)
        for service in LINE_ORDER:
            self._draft_line(service, analysis)
        self._apply_edits()
        self._apply_payer()
        documented = {s for s in LINE_ORDER if analysis.count(s) > 0} - self.suppressed
        check_documentation(
            self.note,
            analysis,
            checks=self.view.documentation,
            services=documented,
            book=self.book,
            line_codes={d.service: d.billing_code.code for d in self.drafts},
        )
        self._check_scope(analysis, documented)
        links = link_diagnoses(
            self.note,
            self.context,
            checks=self.view.documentation,
            lines={
                d.service: Line(d.billing_code.code, d.evidence)
                for d in self.drafts
                if not d.withheld
            },
            book=self.book,
        )
        return self._result(analysis, links)

    def _check_scope(self, analysis: MuscleAnalysis, documented: set[str]) -> None:
        """Who may dry needle in the practice's state: when the context gives a state, the
        note documents dry needling, and a ``scope_of_practice`` check is in force."""
        if self.scope is None or DRY_NEEDLING not in documented:
            return
        for check in self.view.documentation:
            if check.check != "scope_of_practice":
                continue
            if check.services and DRY_NEEDLING not in check.services:
                continue
            self.applied.append(check.id)
            rule = check_scope(
                self.context,
                scope=self.scope,
                day=self.view.day,
                book=self.book,
                evidence=side_evidence(analysis.by_service[DRY_NEEDLING]),
                no_rule_prompt=check.prompt,
            )
            if rule is not None:
                self.applied.append(rule.id)
            return

    def _first_edit(self, kind: str) -> Edit | None:
        return next((e for e in self.view.edits if e.kind == kind), None)

    def _raise_conflict(self, edit: Edit, analysis: MuscleAnalysis) -> None:
        self.applied.append(edit.id)
        substances = [s for s in self.note.injectate.substances if s.status == "injected"]
        mentions = [m for side in analysis.conflicts for m in side.muscle.mentions]
        evidence = [
            *side_evidence(analysis.conflicts),
            *(Evidence(start=m.start, end=m.end, text=m.text) for m in mentions),
            *(Evidence(start=s.start, end=s.end, text=s.text) for s in substances),
        ]
        self.book.add(
            edit.prompt, rule_id=edit.id, evidence=evidence, muscles=describe(analysis.conflicts)
        )

    def _draft_line(self, service: str, analysis: MuscleAnalysis) -> None:
        count = analysis.count(service)
        if count == 0:
            return
        sides = analysis.by_service[service]
        billing_code = self.view.code_for(service, count)
        if billing_code is None:
            self.book.add(
                NO_CODE_PROMPT,
                evidence=side_evidence(sides),
                service=service.replace("_", " "),
                date=self.view.day.isoformat(),
                count=count,
            )
            return
        self.applied.append(billing_code.id)
        draft = _Draft(service, billing_code, sides, count)
        if service == INJECTION:
            draft.extra_evidence = [
                Evidence(start=s.start, end=s.end, text=s.text)
                for s in self.note.injectate.substances
                if s.status == "injected"
            ]
        self.drafts.append(draft)

    def _line(self, service: str) -> _Draft | None:
        return next((d for d in self.drafts if d.service == service and not d.withheld), None)

    def _other_codes_matching(self, edit: Edit, services: list[str]) -> list[str]:
        return [
            c
            for c in self.context.other_codes
            if c in edit.with_codes or self.view.service_of(c) in services
        ]

    def _apply_edits(self) -> None:
        for edit in self.view.edits:
            if edit.kind == "one_code_per_date":
                self._edit_one_code_per_date(edit)
            elif edit.kind == "suppress_service":
                self._edit_suppress(edit)
            elif edit.kind == "distinct_service":
                self._edit_distinct(edit)

    def _edit_one_code_per_date(self, edit: Edit) -> None:
        others = self._other_codes_matching(edit, [edit.service])
        line = self._line(edit.service)
        if not others or (line is None and len(set(others)) < 2):
            return
        self.applied.append(edit.id)
        self.book.add(
            edit.prompt,
            rule_id=edit.id,
            evidence=line.evidence if line else [],
            other_codes=", ".join(sorted(set(others))),
            code=line.billing_code.code if line else sorted(set(others))[0],
            count=line.muscle_count if line else 0,
        )

    def _edit_suppress(self, edit: Edit) -> None:
        line = self._line(edit.service)
        triggers = self._other_codes_matching(edit, list(edit.with_services))
        lines = [d for d in self.drafts if d.service in edit.with_services and not d.withheld]
        if line is None or not (triggers or lines):
            return
        self.applied.append(edit.id)
        line.withheld = True
        self.suppressed.add(edit.service)
        named = sorted(set(triggers) | {d.billing_code.code for d in lines})
        self.book.add(
            edit.prompt,
            rule_id=edit.id,
            evidence=line.evidence,
            other_codes=", ".join(named),
            code=line.billing_code.code,
            count=line.muscle_count,
        )

    def _edit_distinct(self, edit: Edit) -> None:
        line = self._line(edit.service)
        if line is None:
            return
        triggers = self._other_codes_matching(edit, list(edit.with_services))
        lines = [d for d in self.drafts if d.service in edit.with_services and not d.withheld]
        if not (triggers or lines):
            return
        if edit.payer_bundling_only and not self.policy.applies_bundling_edits:
            return
        modifier = self.policy.distinct_modifier
        if modifier is None:
            return
        self.applied.append(edit.id)
        line.add_modifiers([modifier])
        named = sorted(set(triggers) | {d.billing_code.code for d in lines})
        self.book.add(
            edit.prompt,
            rule_id=edit.id,
            evidence=line.evidence,
            modifier=modifier,
            other_codes=", ".join(named),
            code=line.billing_code.code,
        )

    # --- payer -------------------------------------------------------------------------------

    def _apply_payer(self) -> None:
        policy = self.policy
        raised_for: set[str] = set()
        for draft in [d for d in self.drafts if not d.withheld]:
            coverage = next((c for c in policy.coverage if c.service == draft.service), None)
            if coverage is None or coverage.status == "covered":
                continue
            if coverage.status == "benefit_only":
                self._benefit_or_abn(draft, coverage.benefit, coverage.abn)
            elif coverage.prompt is not None and coverage.service not in raised_for:
                raised_for.add(coverage.service)
                self.book.add(
                    coverage.prompt,
                    rule_id=policy.id,
                    evidence=draft.evidence,
                    code=draft.billing_code.code,
                )
        limited = [d for d in self.drafts if d.service in policy.policy_services and not d.withheld]
        if limited:
            evidence = limited[0].evidence
            if policy.prior_authorization_prompt is not None:
                self.book.add(
                    policy.prior_authorization_prompt, rule_id=policy.id, evidence=evidence
                )
            for limit in policy.frequency_limits:
                per_region = " per body region" if limit.per_region else ""
                text = f"{limit.max_sessions} sessions in {limit.days} days{per_region}"
                count = self._sessions_within(limit.days)
                rule_id = f"{policy.id}/{limit.id}"
                if count is not None and not limit.per_region:
                    # the history is known (regions are not): check the limit, don't just recall it
                    if count > limit.max_sessions:
                        self.book.add(
                            "payer-frequency-limit-exceeded",
                            rule_id=rule_id,
                            evidence=evidence,
                            limit=text,
                            count=count,
                        )
                    continue
                self.book.add(limit.prompt, rule_id=rule_id, evidence=evidence, limit=text)
        provider = self.context.provider
        for draft in self.drafts:
            if draft.withheld or provider is None:
                continue
            if draft.service not in policy.therapy_plan_services:
                continue
            if policy.therapy_plan_modifier and provider in policy.therapy_plan_providers:
                draft.add_modifiers([policy.therapy_plan_modifier])
            assistant = policy.assistant_modifiers.get(provider)
            if assistant is not None:
                draft.add_modifiers([assistant])

    def _sessions_within(self, days: int) -> int | None:
        """This session's number among the sessions of the last ``days`` days, counting the
        earlier dates given; None when no history was given."""
        if not self.context.prior_session_dates:
            return None
        day = self.view.day
        earlier = [d for d in self.context.prior_session_dates if 0 < (day - d).days < days]
        return len(earlier) + 1

    def _benefit_or_abn(self, draft: _Draft, benefit_id: str | None, abn_id: str | None) -> None:
        benefit = self.view.benefits.get(benefit_id or "")
        if (
            benefit is not None
            and draft.service in benefit.services
            and getattr(self.context, benefit.context_flag)
        ):
            self._apply_benefit(draft, benefit)
            return
        abn = self.view.abn_rules.get(abn_id or "")
        if abn is not None:
            self._apply_abn(draft, abn)

    def _apply_benefit(self, draft: _Draft, benefit: Benefit) -> None:
        self.applied.append(benefit.id)
        fields: dict[str, object] = {
            "code": draft.billing_code.code,
            "max_sessions": benefit.max_sessions_per_year,
            "window_sessions": benefit.window_sessions,
            "window_days": benefit.window_days,
        }
        provider = self.context.provider
        if provider is not None and provider not in benefit.eligible_providers:
            self.book.add(
                benefit.ineligible_provider_prompt,
                rule_id=benefit.id,
                evidence=draft.evidence,
                provider=PROVIDER_NAMES[provider],
                **fields,
            )
        session = self.context.session_number
        if session is None:
            session = self._sessions_within(366)  # the benefit counts sessions per year
        in_window = self._sessions_within(benefit.window_days)
        if in_window is not None and in_window > benefit.window_sessions:
            self.book.add(
                "clbp-window-exceeded",
                rule_id=benefit.id,
                evidence=draft.evidence,
                count=in_window,
                **fields,
            )
        if session is None:
            self.book.add(
                benefit.missing_session_prompt,
                rule_id=benefit.id,
                evidence=draft.evidence,
                **fields,
            )
            return
        if session > benefit.max_sessions_per_year:
            draft.withheld = True
            self.book.add(
                benefit.over_limit_prompt,
                rule_id=benefit.id,
                evidence=draft.evidence,
                session=session,
                **fields,
            )
            return
        tier = next(t for t in benefit.tiers if t.first_session <= session <= t.last_session)
        self.applied.append(tier.id)
        draft.add_modifiers(tier.modifiers)
        if tier.prompt is not None:
            self.book.add(
                tier.prompt,
                rule_id=tier.id,
                evidence=draft.evidence,
                session=session,
                tier_first=tier.first_session,
                tier_last=tier.last_session,
                **fields,
            )

    def _apply_abn(self, draft: _Draft, abn: AbnRule) -> None:
        self.applied.append(abn.id)
        fields: dict[str, object] = {
            "code": draft.billing_code.code,
            "count": draft.muscle_count,
        }
        chosen = self.context.abn_option
        if chosen is None:
            self.book.add(abn.missing_prompt, rule_id=abn.id, evidence=draft.evidence, **fields)
            return
        option = next(o for o in abn.options if o.option == chosen)
        rule_id = f"{abn.id}/option-{chosen}"
        self.applied.append(rule_id)
        if option.action == "bill":
            draft.add_modifiers(option.modifiers)
        else:
            draft.withheld = True
        if option.prompt is not None:
            self.book.add(option.prompt, rule_id=rule_id, evidence=draft.evidence, **fields)

    # --- result ------------------------------------------------------------------------------

    def _result(self, analysis: MuscleAnalysis, links: DiagnosisLinks) -> CodingResult:
        view = self.view
        factor = view.conversion_factor
        lines: list[ClaimLine] = []
        for draft in self.drafts:
            if draft.withheld:
                continue
            rvu = view.rvu(draft.billing_code.code)
            total_rvu: float | None = None
            payment: float | None = None
            if rvu is not None:
                parts = (rvu.work, rvu.pe_nonfacility, rvu.mp)
                total_rvu = (
                    rvu.total_nonfacility
                    if rvu.total_nonfacility is not None
                    else _money(sum(p or 0.0 for p in parts))
                )
                if factor is not None:
                    payment = _money(total_rvu * factor.amount)
            modifiers = sorted(draft.modifiers, key=view.modifier_order)
            lines.append(
                ClaimLine(
                    code=draft.billing_code.code,
                    units=1,
                    modifiers=modifiers,
                    muscles=muscle_refs(draft.sides),
                    evidence=_dedupe(draft.evidence),
                    payment_estimate=payment,
                    service=draft.service,
                    descriptor=draft.billing_code.descriptor,
                    muscle_count=draft.muscle_count,
                    rvu_total=total_rvu,
                    diagnosis_pointers=links.pointers.get(draft.service, []),
                )
            )
        payments = [line.payment_estimate for line in lines if line.payment_estimate is not None]
        applied = list(self.applied)
        if lines and view.rvu_table is not None:
            applied.append(view.rvu_table.id)
        if lines and factor is not None:
            applied.append(factor.id)
        return CodingResult(
            muscle_count=analysis.total,
            lines=lines,
            diagnoses=links.diagnoses,
            prompts=self.book.prompts(),
            date_of_service=view.day,
            payer_policy=self.policy.id,
            conversion_factor=factor.amount if factor is not None else None,
            total_payment=_money(sum(payments)) if payments else None,
            rules_applied=list(dict.fromkeys(applied)),
        )


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    unique = {(e.start, e.end, e.text): e for e in evidence}
    return [unique[k] for k in sorted(unique)]


def code(
    note: Note,
    context: EncounterContext | None = None,
    *,
    rules: BillingRules | None = None,
    scope: ScopeFile | None = None,
) -> CodingResult:
    """Code one dry needling session: claim lines, modifiers, payment estimate and prompts.

    Pure: the result depends only on ``note``, ``context``, ``rules`` (the rules in
    ``lexicons/billing``, loaded once, when not given) and ``scope`` (the scope-of-practice
    rules, read from the rules' folder when the context gives a state). The date of service
    (``context.dos``, else today) selects the rules, RVUs and conversion factor in force.
    """
    ctx = context if context is not None else EncounterContext()
    billing_rules = rules if rules is not None else default_rules()
    day = ctx.dos or dt.date.today()
    if scope is None and ctx.state is not None:
        keys = frozenset(p.key for p in billing_rules.prompts)
        scope = cached_scope(billing_rules.directory, keys)
    return _Coder(note, ctx, RuleView.at(billing_rules, day), scope).run()
