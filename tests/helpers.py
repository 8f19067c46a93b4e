"""Helpers shared by the extraction tests (imported by test modules; fixtures live in conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scribe import Scribe
from scribe.schemas.note import Note
from scribe.schemas.transcript import Transcript


def status_by_id(note: Note) -> dict[str, str]:
    """muscle id -> status, for dictations that name each muscle on one side only."""
    found: dict[str, str] = {m.id: m.status for m in note.muscles}
    for other in note.other_mentions:
        found.setdefault(other.id, "mentioned")
    return found


def sides(note: Note) -> dict[str, str]:
    """muscle id -> laterality, for dictations that name each muscle once."""
    return {m.id: m.laterality for m in note.muscles}


def evidence_objects(data: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON-like tree that quotes the source (has start, end and text)."""
    if isinstance(data, dict):
        if {"start", "end", "text"} <= data.keys():
            yield data
        for value in data.values():
            yield from evidence_objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from evidence_objects(value)


def muscle_statuses(scribe: Scribe, text: str) -> dict[tuple[str, str], str]:
    """(name, side) -> status of each muscle of a dictation."""
    return {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}


def claim_lines(scribe: Scribe, text: str) -> set[tuple[str, tuple[str, ...]]]:
    """(code, modifiers) of each claim line of a dictation."""
    result = scribe.extract(text)
    return {(line.code, tuple(line.modifiers)) for line in result.coding.lines}


def treated_sides(scribe: Scribe, text: str) -> set[tuple[str, str]]:
    """(name, laterality) of each muscle a dictation says was treated today."""
    result = scribe.extract(text)
    return {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}


def transcript(text: str) -> Transcript:
    """A recogniser's transcript of ``text`` (tiny.en, 30 s), for the transcript path."""
    return Transcript(text=text, language="en", duration=30.0, model="tiny.en")


Statuses = dict[tuple[str, str], str]


def _statuses(result: Any) -> Statuses:
    return {(m.name, m.laterality): m.status for m in result.note.muscles}


def heard(scribe: Scribe, text: str) -> tuple[Statuses, set[str]]:
    """(name, side) -> status and the claim's codes of ``text`` read as a transcript."""
    result = scribe.extract_transcript(transcript(text))
    return _statuses(result), {line.code for line in result.coding.lines}


def read(scribe: Scribe, text: str) -> tuple[Statuses, set[str]]:
    """(name, side) -> status and the claim's codes of ``text`` read as typed."""
    result = scribe.extract(text)
    return _statuses(result), {line.code for line in result.coding.lines}


def read_lines(scribe: Scribe, text: str) -> tuple[Statuses, list[tuple[str, tuple[str, ...]]]]:
    """(name, side) -> status and the claim's (code, modifiers), in order, of typed ``text``."""
    result = scribe.extract(text)
    lines = sorted((line.code, tuple(line.modifiers)) for line in result.coding.lines)
    return _statuses(result), lines
