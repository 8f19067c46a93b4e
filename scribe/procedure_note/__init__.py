"""The audit-ready dry needling procedure note (issue 14): built from the structured note and
its coding, every sentence with the dictated words it rests on, gaps shown as gaps."""

from __future__ import annotations

from scribe.procedure_note.build import build_procedure_note
from scribe.procedure_note.render import (
    render_procedure_note_markdown,
    render_procedure_note_text,
)
from scribe.schemas.procedure_note import Fact, ProcedureNote, Section, Sentence

__all__ = [
    "Fact",
    "ProcedureNote",
    "Section",
    "Sentence",
    "build_procedure_note",
    "render_procedure_note_markdown",
    "render_procedure_note_text",
]
