"""What the encounter pages show, built from a stored encounter (no HTTP, no database)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from api.persistence.database import as_utc
from api.persistence.tables import Encounter
from api.recordings import DATABASE_PREFIX
from api.schemas import EncounterContextIn, SessionHistory
from api.web.highlight import KIND_NAMES, Highlighted, highlight
from scribe.lexicons import Lexicons
from scribe.schemas.coding import CodingResult
from scribe.schemas.note import InjectateStatus, Laterality, MuscleStatus, Note
from scribe.schemas.transcript import Transcript

LATERALITIES: tuple[str, ...] = get_args(Laterality)
STATUSES: tuple[str, ...] = get_args(MuscleStatus)
INJECTATE_STATUSES: tuple[str, ...] = get_args(InjectateStatus)
ACTIVE = ("queued", "transcribing", "extracting")
LEGEND = (
    ("hl k-m st-treated", "muscle treated"),
    ("hl k-m st-planned", "muscle planned"),
    ("hl k-m st-negated", "muscle not treated"),
    ("hl k-m st-palpated_only", "muscle palpated only"),
    ("hl k-m st-historical", "muscle treated before"),
    ("hl k-m st-mentioned", "muscle mentioned"),
    ("hl k-inj", KIND_NAMES["inj"]),
    ("hl k-sub", KIND_NAMES["sub"]),
    ("hl k-find", KIND_NAMES["find"]),
    ("hl k-limit", KIND_NAMES["limit"]),
    ("hl k-pain", "pain and range of motion"),
    ("hl k-doc", KIND_NAMES["doc"]),
    ("hl k-grp", KIND_NAMES["grp"]),
    ("w lc", "recognition unsure"),
)


@dataclass(frozen=True)
class EncounterPage:
    """An encounter as its page shows it."""

    id: str
    status: str
    progress: float
    failure_reason: str | None
    source: str
    revision: int
    created_at: str
    created_by: str
    date_of_service: str
    needs_review: bool
    review_reasons: list[str]
    signed_off_at: str | None
    signed_off_by: str | None
    context: EncounterContextIn
    history: SessionHistory | None
    note: Note | None
    coding: CodingResult | None
    text: Highlighted | None
    duration: float | None
    has_audio: bool
    low_words: int

    @property
    def ready(self) -> bool:
        return self.status == "ready" and self.note is not None and self.coding is not None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def editable(self) -> bool:
        return self.ready and self.signed_off_at is None


def encounter_page(row: Encounter, *, low_confidence: float) -> EncounterPage:
    """The page's view of ``row`` (parses the stored note, coding and transcript once)."""
    note = Note.model_validate_json(row.note_json) if row.note_json else None
    coding = CodingResult.model_validate_json(row.coding_json) if row.coding_json else None
    transcript = (
        Transcript.model_validate_json(row.transcript_json) if row.transcript_json else None
    )
    text = (
        highlight(row.text, note, coding, transcript, low_confidence=low_confidence)
        if (row.text is not None and row.status == "ready")
        else None
    )
    low_words = sum(
        1
        for segment in (transcript.segments if transcript else [])
        for word in segment.words
        if word.probability < low_confidence
    )
    return EncounterPage(
        id=row.id,
        status=row.status,
        progress=row.progress,
        failure_reason=row.failure_reason,
        source=row.source,
        revision=row.version,
        created_at=as_utc(row.created_at).strftime("%Y-%m-%d %H:%M UTC"),
        created_by=row.created_by_name,
        date_of_service=row.date_of_service.isoformat(),
        needs_review=row.needs_review,
        review_reasons=json.loads(row.review_reasons_json),
        signed_off_at=(
            as_utc(row.signed_off_at).strftime("%Y-%m-%d %H:%M UTC") if row.signed_off_at else None
        ),
        signed_off_by=row.signed_off_by,
        context=EncounterContextIn.model_validate_json(row.context_json),
        history=SessionHistory.model_validate_json(row.history_json) if row.history_json else None,
        note=note,
        coding=coding,
        text=text,
        duration=transcript.duration if transcript else None,
        has_audio=_has_audio(row.audio_path),
        low_words=low_words,
    )


def _has_audio(reference: str | None) -> bool:
    """A recording is kept: in the database (scale-out mode) or as a file here."""
    if not reference:
        return False
    return reference.startswith(DATABASE_PREFIX) or Path(reference).exists()


_NAMES: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _names(lexicons: Lexicons) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = _NAMES.get(id(lexicons))
    if found is None:  # the app's lexicons live as long as the app: computed once
        muscles = tuple(sorted({m.name for m in lexicons.muscles.muscles}))
        substances = tuple(sorted({s.name for s in lexicons.substances.substances}))
        found = _NAMES[id(lexicons)] = (muscles, substances)
    return found


def lexicon_names(lexicons: Lexicons) -> dict[str, Any]:
    """Muscle and substance names for the correction forms' autocomplete."""
    muscles, substances = _names(lexicons)
    return {"muscle_names": muscles, "substance_names": substances}


def choices() -> dict[str, Any]:
    return {
        "lateralities": LATERALITIES,
        "statuses": STATUSES,
        "injectate_statuses": INJECTATE_STATUSES,
        "legend": LEGEND,
    }
