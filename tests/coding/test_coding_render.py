"""The text summary for ``--format text``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scribe.coding import code, render_coding_text
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note


def test_render_shows_lines_modifiers_payment_and_prompts(
    build_note: Callable[[Mapping[str, Any]], Note],
    build_context: Callable[[Mapping[str, Any] | None], EncounterContext],
) -> None:
    note = build_note(
        {"muscles": ["right upper-trapezius", "levator-scapulae", "left teres-major"]}
    )
    result = code(note, build_context({"payer": "medicare", "abn_option": 1, "provider": "pt"}))
    text = render_coding_text(result)
    assert "20561-GP-GA" in text
    assert "$35.90" in text and "Estimated total: $35.90" in text
    assert "WARNING  laterality-missing:" in text
    assert "right upper trapezius" in text


def test_render_empty_result() -> None:
    text = render_coding_text(CodingResult(muscle_count=0))
    assert "Claim lines:\n  (none)" in text and "Prompts:\n  (none)" in text
