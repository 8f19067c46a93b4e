"""The procedure note as plain text or Markdown; gaps stand out in both."""

from __future__ import annotations

from typing import Final

from scribe.schemas.procedure_note import ProcedureNote, Sentence

PREAMBLE: Final = (
    "Built only from the dictation: each statement quotes, or rests on, the words it comes "
    'from; an element the dictation does not document is shown as "not documented".'
)


def _date(note: ProcedureNote) -> str:
    day = note.date_of_service
    return day.isoformat() if day is not None else "not given"


def _text_line(sentence: Sentence) -> str:
    marker = {"gap": "[gap] ", "reviewer": "[reviewer] ", "unquoted": "[unquoted] "}.get(
        sentence.origin, ""
    )
    return f"  - {marker}{sentence.text}"


def render_procedure_note_text(note: ProcedureNote) -> str:
    """Plain text: a heading per section, a line per sentence, ``[gap]`` before each gap."""
    out = [note.title.upper(), f"Date of service: {_date(note)}", PREAMBLE]
    for section in note.sections:
        out.append("")
        out.append(section.title.upper())
        out.extend(_text_line(s) for s in section.sentences)
    gaps = note.gaps
    out.append("")
    out.append(f"Not documented: {len(gaps)} element{'' if len(gaps) == 1 else 's'}.")
    return "\n".join(out) + "\n"


def _markdown_line(sentence: Sentence) -> str:
    if sentence.origin == "gap":
        return f"- **{sentence.text}**"
    if sentence.origin in ("reviewer", "unquoted"):
        return f"- {sentence.text} _({sentence.origin})_"
    return f"- {sentence.text}"


def render_procedure_note_markdown(note: ProcedureNote) -> str:
    """Markdown: ``#`` title, ``##`` sections, gaps in bold."""
    out = [f"# {note.title}", "", f"Date of service: {_date(note)}", "", f"_{PREAMBLE}_"]
    for section in note.sections:
        out += ["", f"## {section.title}", ""]
        out.extend(_markdown_line(s) for s in section.sentences)
    return "\n".join(out) + "\n"
