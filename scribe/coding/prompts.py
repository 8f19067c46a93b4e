"""Prompts from the wording in ``prompts.yaml``: fill the fields, keep the evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from scribe.coding.errors import BillingRulesError
from scribe.schemas.billing import PromptTemplate
from scribe.schemas.coding import Prompt
from scribe.schemas.common import Evidence

_SEVERITY_ORDER: Final = {"error": 0, "warning": 1, "info": 2}


class _Fields(dict[str, object]):
    """Message fields; one the engine did not fill reads as a neutral word, never a crash."""

    def __missing__(self, key: str) -> str:
        return "(not known)"


def _dedupe(evidence: Iterable[Evidence]) -> list[Evidence]:
    unique = {(e.start, e.end, e.text): e for e in evidence}
    return [unique[k] for k in sorted(unique)]


class PromptBook:
    """Collects the prompts of one coding run, in severity order, without duplicates."""

    def __init__(self, templates: Mapping[str, PromptTemplate]) -> None:
        self._templates = templates
        self._prompts: list[Prompt] = []

    def add(
        self,
        key: str,
        *,
        rule_id: str | None = None,
        evidence: Iterable[Evidence] = (),
        **fields: object,
    ) -> None:
        """Raise the prompt worded by ``key`` with ``fields`` filled in."""
        template = self._templates.get(key)
        if template is None:
            raise BillingRulesError(f"prompts.yaml has no prompt with key {key!r}")
        message = " ".join(template.message.format_map(_Fields(fields)).split())
        prompt = Prompt(
            id=template.id,
            severity=template.severity,
            message=message,
            evidence=_dedupe(evidence),
            rule_id=rule_id,
        )
        if not any(p.id == prompt.id and p.message == prompt.message for p in self._prompts):
            self._prompts.append(prompt)

    def prompts(self) -> list[Prompt]:
        """Errors first, then warnings, then information; otherwise in the order raised."""
        return sorted(self._prompts, key=lambda p: _SEVERITY_ORDER[p.severity])
