"""Typed errors of the coding engine (messages name files and rules, never patient text)."""

from __future__ import annotations

from scribe.errors import InputError, LexiconError


class BillingRulesError(LexiconError):
    """A billing rule file is missing, unreadable or invalid, or no rule applies on a date."""


class NoRulesInForceError(BillingRulesError, InputError):
    """The date of service is outside every rule this scribe holds: the caller's date is at
    fault, not the rule files."""
