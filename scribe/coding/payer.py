"""The payer's rules applied to drafted claim lines: coverage (covered, a benefit only, not
covered), the Medicare chronic low back pain benefit (session tiers, KX, the yearly limit), an
ABN and its option, prior authorization and frequency limits, therapy-plan modifiers.

Reads: the encounter context (payer, provider, session number, earlier session dates, ABN
option) and the rules (``lexicons/billing``). Writes: modifiers on the drafts, drafts withheld,
prompts, and the ids of the rules applied.
"""

from __future__ import annotations

from scribe.coding.draft import Draft
from scribe.coding.prompts import PromptBook
from scribe.coding.rules import RuleView
from scribe.schemas.billing import AbnRule, Benefit, PayerPolicy
from scribe.schemas.context import PROVIDER_NAMES, EncounterContext


class PayerStep:
    """One run of the payer's rules over the lines of one note."""

    def __init__(
        self,
        context: EncounterContext,
        view: RuleView,
        policy: PayerPolicy,
        book: PromptBook,
        applied: list[str],
    ) -> None:
        self.context = context
        self.view = view
        self.policy = policy
        self.book = book
        self.applied = applied

    def apply(self, drafts: list[Draft]) -> None:
        """Coverage, benefits, ABNs, prior authorization, frequency limits and therapy-plan
        modifiers of the payer's policy, applied to the lines drafted."""
        policy = self.policy
        raised_for: set[str] = set()
        for draft in [d for d in drafts if not d.withheld]:
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
        limited = [d for d in drafts if d.service in policy.policy_services and not d.withheld]
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
        for draft in drafts:
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

    def _benefit_or_abn(self, draft: Draft, benefit_id: str | None, abn_id: str | None) -> None:
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

    def _apply_benefit(self, draft: Draft, benefit: Benefit) -> None:
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

    def _apply_abn(self, draft: Draft, abn: AbnRule) -> None:
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
