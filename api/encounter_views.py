"""How an encounter is shown: its summary (lists), the whole encounter as JSON, its ETag,
and the If-Match check a change must pass (optimistic concurrency)."""

from __future__ import annotations

import json
from typing import Any

from api.encounters import stored_context
from api.persistence.database import as_utc
from api.persistence.tables import Encounter
from api.problems import ApiProblem
from api.schemas import EncounterEnvelope, EncounterSummary, SessionHistory, SignOff
from scribe.schemas.coding import CodingResult


def _sign_off(row: Encounter) -> SignOff | None:
    if row.signed_off_at is None or row.signed_off_by is None:
        return None
    return SignOff(at=as_utc(row.signed_off_at), by=row.signed_off_by)


def summary_fields(row: Encounter, coding: CodingResult | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": row.status,
        "progress": row.progress,
        "source": row.source,
        "revision": row.version,
        "created_at": as_utc(row.created_at),
        "updated_at": as_utc(row.updated_at),
        "created_by": row.created_by_name,
        "date_of_service": row.date_of_service,
        "needs_review": row.needs_review,
        "review_reasons": json.loads(row.review_reasons_json),
        "signed_off": _sign_off(row),
        "muscle_count": coding.muscle_count if coding else None,
        "codes": [line.code for line in coding.lines] if coding else [],
        "failure_reason": row.failure_reason,
    }


def to_summary(row: Encounter) -> EncounterSummary:
    coding = CodingResult.model_validate_json(row.coding_json) if row.coding_json else None
    return EncounterSummary.model_validate(summary_fields(row, coding))


def public_json(row: Encounter) -> str:
    """The whole encounter as JSON (the shape of ``EncounterPublic``).

    The note, coding and transcript are stored as the JSON their models serialised to when they
    were validated; they are spliced in as stored instead of being parsed and serialised again
    on every read (most of a read's cost otherwise).
    """
    coding = CodingResult.model_validate_json(row.coding_json) if row.coding_json else None
    envelope = EncounterEnvelope.model_construct(
        **summary_fields(row, coding),
        context=stored_context(row),
        history=SessionHistory.model_validate_json(row.history_json) if row.history_json else None,
        text=row.text,
    ).model_dump_json()
    parts = [
        f'"{name}":{stored or "null"}'
        for name, stored in (
            ("transcript", row.transcript_json),
            ("note", row.note_json),
            ("coding", row.coding_json),
        )
    ]
    return envelope[:-1] + "," + ",".join(parts) + "}"


def etag(row: Encounter) -> str:
    return f'"{row.version}"'


def check_if_match(row: Encounter, if_match: str | None, *, required: bool) -> None:
    """Optimistic concurrency: the caller must have seen the current revision."""
    if if_match is None:
        if required:
            raise ApiProblem(
                428,
                "send If-Match with the encounter's ETag (its revision) to change it",
                slug="precondition-required",
            )
        return
    # RFC 9110: If-Match compares strongly, so a weak tag (W/"n") never matches.
    wanted = {tag.strip() for tag in if_match.split(",")}
    if "*" not in wanted and etag(row) not in wanted:
        raise ApiProblem(
            412,
            f"the encounter changed since you read it (now revision {row.version}); "
            "read it again and reapply your change",
            slug="stale-revision",
            headers={"ETag": etag(row)},
        )
