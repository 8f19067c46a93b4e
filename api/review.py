"""QA review: corrections stored as immutable revisions, re-coding, the queue and sign-off."""

from __future__ import annotations

import json

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from api.audit import Caller, record, record_now
from api.encounter_views import check_if_match
from api.encounters import (
    apply_result,
    load_visible,
    next_revision,
    recorded_context,
    revision_row,
    with_recording_prompts,
)
from api.persistence.database import as_utc, utcnow
from api.persistence.tables import Encounter, NoteRevision
from api.problems import ApiProblem
from api.schemas import RevisionAuthor, RevisionPublic
from scribe.corrections import CorrectionError, apply_corrections
from scribe.pipeline import Scribe
from scribe.schemas.coding import CodingResult
from scribe.schemas.corrections import Correction, NoteCorrection
from scribe.schemas.note import Note
from scribe.schemas.transcript import Transcript

_OPERATIONS = TypeAdapter(list[Correction])


# What a correction error means, by the start of its message, in words that do not quote the
# names the reviewer typed (the message itself does).
_WHY = (
    ("unknown muscle", "names a muscle that is not in the lexicon"),
    ("unknown substance", "names a substance that is not in the lexicon"),
    ("the note has no", "names a muscle (and side) the note does not have"),
    ("substances are given only", "gives substances with a status other than 'injected'"),
)


def _why(exc: CorrectionError) -> str:
    message = str(exc)
    for start, meaning in _WHY:
        if message.startswith(start):
            return meaning
    if "several sides" in message:
        return "names a muscle the note has on several sides: give its laterality"
    if "already in the note" in message:
        return "adds a muscle (and side) the note already has"
    return "does not fit this note"


def _stale(session: Session, caller: Caller, encounter_id: str, action: str) -> ApiProblem:
    record_now(session, caller, action, encounter_id=encounter_id, outcome="conflict")
    return ApiProblem(
        412,
        "the encounter changed while your request ran; read it again and reapply your change",
        slug="stale-revision",
    )


def _editable(
    session: Session,
    caller: Caller,
    row: Encounter,
    action: str,
    if_match: str | None,
    *,
    required: bool,
) -> None:
    """The encounter may change: it is ready, not signed off, and the caller has seen its
    current revision (409, 412 or 428 otherwise, audited as a conflict)."""
    try:
        if row.status != "ready" or row.note_json is None:
            raise ApiProblem(409, f"the encounter is {row.status}, not ready", slug="not-ready")
        if row.signed_off_at is not None:
            raise ApiProblem(409, "the encounter is signed off", slug="signed-off")
        check_if_match(row, if_match, required=required)
    except ApiProblem:
        record_now(session, caller, action, encounter_id=row.id, outcome="conflict")
        raise


def correct_note(
    session: Session,
    caller: Caller,
    scribe: Scribe,
    encounter_id: str,
    correction: NoteCorrection,
    if_match: str | None,
) -> Encounter:
    """Apply a reviewer's corrections, re-code, and store both as a new revision."""
    action = "encounter.correct"
    row = load_visible(session, caller, encounter_id, action, audit=False)
    _editable(session, caller, row, action, if_match, required=True)
    before = row.note_json
    note = Note.model_validate_json(before or "{}")
    for index, operation in enumerate(correction.operations):  # one at a time: which failed
        try:
            note = apply_corrections(note, [operation], lexicons=scribe.lexicons)
        except CorrectionError as exc:
            record_now(session, caller, action, encounter_id=row.id, outcome="rejected")
            raise ApiProblem(
                422,
                f"operation {index} ({operation.op}) {_why(exc)}; nothing was changed",
                slug="bad-correction",
            ) from None
    transcript = (
        Transcript.model_validate_json(row.transcript_json) if row.transcript_json else None
    )
    coding = scribe.recode(note, recorded_context(row), transcript=transcript)
    coding = with_recording_prompts(coding, transcript)
    principal = caller.principal
    try:
        apply_result(row, note, coding)
        number = next_revision(session, row)
        revision = revision_row(
            row,
            number=number,
            kind="correction",
            author_key=principal.key_id,
            author_name=principal.name,
            author_role=principal.role.value,
            note_before=before,
            operations=_OPERATIONS.dump_json(list(correction.operations)).decode(),
            reason=correction.reason,
        )
        session.add(revision)
        record(session, caller, action, encounter_id=row.id, detail=f"revision {number}")
        session.commit()
    except StaleDataError:  # another writer committed after we read: theirs stands
        raise _stale(session, caller, encounter_id, action) from None
    return row


def sign_off(
    session: Session, caller: Caller, encounter_id: str, if_match: str | None
) -> Encounter:
    action = "encounter.sign_off"
    row = load_visible(session, caller, encounter_id, action)
    _editable(session, caller, row, action, if_match, required=True)
    row.signed_off_at = utcnow()
    row.signed_off_by = caller.principal.name
    row.needs_review = False
    row.updated_at = utcnow()
    try:
        session.commit()
    except StaleDataError:
        raise _stale(session, caller, encounter_id, action) from None
    return row


def revisions(session: Session, caller: Caller, encounter_id: str) -> list[RevisionPublic]:
    row = load_visible(session, caller, encounter_id, "encounter.revisions")
    stored = session.scalars(
        select(NoteRevision)
        .where(NoteRevision.encounter_id == row.id)
        .order_by(NoteRevision.number)
    ).all()
    session.commit()
    return [
        RevisionPublic(
            number=r.number,
            kind="correction" if r.kind == "correction" else "extraction",
            author=RevisionAuthor(name=r.author_name, role=r.author_role),
            created_at=as_utc(r.created_at),
            reason=r.reason,
            operations=_OPERATIONS.validate_python(json.loads(r.operations_json)),
            note_before=(
                Note.model_validate_json(r.note_before_json) if r.note_before_json else None
            ),
            note_after=Note.model_validate_json(r.note_after_json),
            coding_after=CodingResult.model_validate_json(r.coding_after_json),
        )
        for r in stored
    ]
