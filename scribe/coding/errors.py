"""Typed errors of the coding engine (messages name files and rules, never patient text)."""

from __future__ import annotations

from scribe.errors import LexiconError


class BillingRulesError(LexiconError):
    """A billing rule file is missing, unreadable or invalid, or no rule applies on a date."""
