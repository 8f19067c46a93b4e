"""The coding engine: a structured note and its encounter context in, claim lines and prompts out.

Everything a coder or a practice may change (codes and muscle bands, edits, modifiers, benefit
tiers, ABN handling, payer policies, prompt wording, RVUs) is read from ``lexicons/billing``;
this module only knows the order in which the rules are applied.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from scribe.coding.diagnoses import DiagnosisLinks, Line, link_diagnoses
from scribe.coding.documentation import check_documentation
from scribe.coding.draft import Draft
from scribe.coding.muscles import (
    DRY_NEEDLING,
    INJECTION,
    MuscleAnalysis,
    analyse_muscles,
    describe,
    muscle_refs,
    side_evidence,
)
from scribe.coding.payer import PayerStep
from scribe.coding.prompts import PromptBook
from scribe.coding.rules import RuleView, default_rules
from scribe.coding.scope import cached_scope, check_scope
from scribe.schemas.billing import BillingRules, Edit, PayerPolicy
from scribe.schemas.coding import ClaimLine, CodingResult
from scribe.schemas.common import Evidence
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note, Procedure
from scribe.schemas.scope import ScopeFile

#: Fallback prompt when the code table has no code for a service on the date.
NO_CODE_PROMPT: Final = "no-code-for-date"
#: The order lines are listed in.
LINE_ORDER: Final = (DRY_NEEDLING, INJECTION)


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
        self.drafts: list[Draft] = []
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
        PayerStep(self.context, self.view, self.policy, self.book, self.applied).apply(self.drafts)
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
        draft = Draft(service, billing_code, sides, count)
        if service == INJECTION:
            draft.extra_evidence = [
                Evidence(start=s.start, end=s.end, text=s.text)
                for s in self.note.injectate.substances
                if s.status == "injected"
            ]
        self.drafts.append(draft)

    def _line(self, service: str) -> Draft | None:
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

    def _documented_today(self, services: list[str]) -> list[Procedure]:
        """Procedures of ``services`` the note says were done to the patient today; none where
        the note also says one of them was not done ("no acupuncture today")."""
        of_them = [p for p in self.note.procedures if p.kind in services]
        if any(p.time == "not_done" for p in of_them):
            return []
        return [p for p in of_them if p.time == "today" and p.experiencer == "patient"]

    def _edit_suppress(self, edit: Edit) -> None:
        line = self._line(edit.service)
        triggers = self._other_codes_matching(edit, list(edit.with_services))
        lines = [d for d in self.drafts if d.service in edit.with_services and not d.withheld]
        if line is None:
            return
        if not (triggers or lines):
            documented = self._documented_today(list(edit.with_services))
            if edit.documented_prompt is None or not documented:
                return
            # "acupuncture at BL23 ... I also dry needled the L QL": the note speaks of the
            # other service today though no code of it is on the claim. The line is kept and
            # the reviewer told: a note's "acupuncture" is too often the needles' name, another
            # provider's or another day's to withhold a line on its word alone
            self.applied.append(edit.id)
            self.book.add(
                edit.documented_prompt,
                rule_id=edit.id,
                evidence=[
                    *line.evidence,
                    *(Evidence(start=p.start, end=p.end, text=p.text) for p in documented),
                ],
                code=line.billing_code.code,
                count=line.muscle_count,
            )
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
