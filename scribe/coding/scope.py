"""Scope of practice: may this provider type dry needle in the practice's state (DOMAIN.md 9)?

The answers are data (``lexicons/billing/scope_of_practice.yaml``, dated and cited); this module
finds the rule in force and raises the prompt the file names for what it found. Nothing here
knows a state's law.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Final

from scribe.coding.errors import BillingRulesError
from scribe.coding.prompts import PromptBook
from scribe.coding.rules import applies_on, read_rule_file
from scribe.schemas.common import Evidence
from scribe.schemas.context import PROVIDER_NAMES, EncounterContext, Provider
from scribe.schemas.scope import ScopeFile, ScopeFinding, ScopeRule, TrainingRequirement

SCOPE_FILE: Final = "scope_of_practice.yaml"

#: What each rule status raises; ``allowed`` raises the training prompt only when it has some.
_STATUS_FINDING: Final[dict[str, ScopeFinding | None]] = {
    "prohibited": "prohibited",
    "restricted": "restricted",
    "not_listed": "not_listed",
    "allowed": None,
}


def load_scope(directory: Path, *, prompt_keys: Collection[str]) -> ScopeFile:
    """Read and validate ``scope_of_practice.yaml`` in ``directory``; every prompt it names
    must be one of ``prompt_keys`` (the keys of ``prompts.yaml``)."""
    path = directory / SCOPE_FILE
    scope = read_rule_file(path, ScopeFile)
    unknown = sorted(finding for finding, key in scope.prompts.items() if key not in prompt_keys)
    if unknown:
        fields = ", ".join(f"prompts.{finding}" for finding in unknown)
        raise BillingRulesError(f"{path}: {fields}: not a prompt key of prompts.yaml")
    return scope


@lru_cache(maxsize=4)
def cached_scope(directory: str, prompt_keys: frozenset[str]) -> ScopeFile:
    """``load_scope``, once per rules folder."""
    return load_scope(Path(directory), prompt_keys=prompt_keys)


def rule_in_force(
    scope: ScopeFile, state: str, provider: Provider, day: dt.date
) -> ScopeRule | None:
    """The rule for ``provider`` in ``state`` on ``day``, if the data holds one."""
    return next(
        (
            r
            for r in scope.rules
            if r.state == state and r.provider == provider and applies_on(r, day)
        ),
        None,
    )


def describe_training(training: Sequence[TrainingRequirement]) -> str:
    """ "2 years of physical therapy licensure; 46 hours of in-person dry needling training"."""
    parts = []
    for item in training:
        if item.hours is not None:
            least = " or more" if item.at_least else ""
            parts.append(f"{item.hours} hours{least} of {item.what}")
        if item.years_licensed is not None:
            parts.append(f"{item.years_licensed} {item.what}")
        if item.supervised_treatments is not None:
            parts.append(f"{item.supervised_treatments} {item.what}")
    return "; ".join(parts)


def check_scope(
    context: EncounterContext,
    *,
    scope: ScopeFile,
    day: dt.date,
    book: PromptBook,
    evidence: Sequence[Evidence],
    no_rule_prompt: str,
) -> ScopeRule | None:
    """Raise the scope-of-practice prompt for the encounter's state and provider type, if any,
    and return the rule applied.

    Call it only for a note that documents dry needling and a context that gives a state;
    ``no_rule_prompt`` (the documentation check's prompt) is raised when no rule is in force.
    Silence means the data holds a rule in force that allows it without conditions.
    """
    state = context.state
    if state is None:
        return None
    fields: dict[str, object] = {
        "state": scope.jurisdictions.get(state, state),
        "date": day.isoformat(),
    }
    provider = context.provider
    if provider is None:
        book.add(scope.prompts["provider_missing"], rule_id=None, evidence=evidence, **fields)
        return None
    fields["provider"] = PROVIDER_NAMES[provider]
    coverage = scope.providers[provider]
    if not coverage.covered:
        book.add(
            scope.prompts["provider_not_covered"],
            rule_id=None,
            evidence=evidence,
            detail=coverage.note.rstrip("."),
            **fields,
        )
        return None
    rule = rule_in_force(scope, state, provider, day)
    if rule is None:
        book.add(no_rule_prompt, rule_id=None, evidence=evidence, **fields)
        return None
    training = describe_training(rule.training)
    finding = _STATUS_FINDING[rule.status]
    if finding is None and training:
        finding = "training"
    if finding is None:
        return rule
    book.add(
        scope.prompts[finding],
        rule_id=rule.id,
        evidence=evidence,
        **{
            **fields,
            "date": rule.effective.isoformat(),
            "detail": rule.detail or "",
            "training": f" Training required: {training}." if training else "",
            "citation": rule.source,
        },
    )
    return rule
