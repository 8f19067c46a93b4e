"""Coding rules engine: from a structured note to claim lines, modifiers and prompts.

Rules are data in ``lexicons/billing/`` (see its README); the engine is the pure function
:func:`code`.
"""

from __future__ import annotations

from scribe.coding.engine import code
from scribe.coding.errors import BillingRulesError
from scribe.coding.muscles import MuscleAnalysis, analyse_muscles, count_muscles
from scribe.coding.paths import lexicon_dir
from scribe.coding.render import render_coding_text
from scribe.coding.rules import default_rules, load_rules
from scribe.schemas.billing import BillingRules

__all__ = [
    "BillingRules",
    "BillingRulesError",
    "MuscleAnalysis",
    "analyse_muscles",
    "code",
    "count_muscles",
    "default_rules",
    "lexicon_dir",
    "load_rules",
    "render_coding_text",
]
