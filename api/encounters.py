"""Encounters: creating them, who may see them, the session history, their public form."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import ColumnElement, and_, false, func, select
from sqlalchemy.orm import Session

from api.audit import Caller, audit_event, record, record_now
from api.extraction import Attempt
from api.keys import Role
from api.persistence.database import utcnow
from api.persistence.group_commit import GroupCommit
from api.persistence.tables import Encounter, NoteRevision
from api.problems import ApiProblem
from api.recordings import RecordingStore
from api.schemas import (
    UUID_PATTERN,
    EncounterContextIn,
    SessionHistory,
)
from scribe.asr.guards import recording_prompts
from scribe.pipeline import Scribe, check_text
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note
from scribe.schemas.transcript import Transcript

# Prompts of these severities send a note to the review queue.
REVIEW_SEVERITIES = frozenset({"error", "warning"})
NEEDLING_SERVICE = "dry_needling"
HISTORY_DAYS = 366  # the benefit counts sessions per year
_SUBMISSION_ID = re.compile(UUID_PATTERN, re.IGNORECASE)
REPEAT = "repeat"  # the audit outcome of a submission recognised as one stored already


class SubmissionIdError(ValueError):
    """A submission id that is not a UUID. The message never repeats what was sent."""

    def __init__(self) -> None:
        super().__init__("the submission id is not a UUID")


def submission_key(value: str | None) -> str | None:
    """The submission id a client sent, as it is stored (a lower-case UUID); None when it sent
    none (absent or empty). ``SubmissionIdError`` when it is anything but a UUID."""
    if value is None or value == "":
        return None
    if not _SUBMISSION_ID.fullmatch(value):
        raise SubmissionIdError
    return value.lower()


def repeated_submission(
    session: Session, caller: Caller, submission_id: str, *, detail: str
) -> Encounter | None:
    """The caller's encounter stored already for ``submission_id``, its repeat audited
    (``encounter.create``, outcome ``repeat``, ``detail`` saying how it arrived) and committed;
    None when there is none. Only the caller's own encounters answer (the same holder id,
    never the same name): another person's id is a new submission for this caller."""
    row = session.scalars(
        select(Encounter).where(
            Encounter.owner_id == caller.principal.holder_id,
            Encounter.submission_id == submission_id,
            visible_to(caller),
        )
    ).first()
    if row is not None:
        record(session, caller, "encounter.create", encounter_id=row.id, outcome=REPEAT,
               detail=detail)  # fmt: skip
        session.commit()
    return row


def visible_to(caller: Caller) -> ColumnElement[bool]:
    """Encounters the caller may see: clinicians their own (created by a key of theirs: the
    same holder id, never the same name), reviewers and integrations their organisation's,
    admins none (they manage keys and read the audit log)."""
    principal = caller.principal
    if principal.role is Role.clinician:
        return and_(
            Encounter.organisation == principal.organisation,
            Encounter.owner_id == principal.holder_id,
        )
    if principal.role in (Role.reviewer, Role.integration):
        return Encounter.organisation == principal.organisation
    return false()


def load_visible(
    session: Session, caller: Caller, encounter_id: str, action: str, *, audit: bool = True
) -> Encounter:
    """The encounter, audited as ``action`` (unless the caller records the outcome itself); 404
    (always audited) when it does not exist or the caller may not see it, so ids cannot be
    probed."""
    row = session.scalars(
        select(Encounter).where(Encounter.id == encounter_id, visible_to(caller))
    ).first()
    if row is None:
        record_now(session, caller, action, encounter_id=encounter_id, outcome="not_found")
        raise ApiProblem(404, "no such encounter", slug="not-found")
    if audit:
        record(session, caller, action, encounter_id=row.id)
    return row


def prior_sessions(
    session: Session,
    *,
    organisation: str,
    patient_ref: str,
    payer: str | None,
    day: dt.date,
    exclude: str,
) -> list[dt.date]:
    """Dates of this patient's earlier dry needling sessions with this payer (last year)."""
    payer_match = Encounter.payer.is_(None) if payer is None else Encounter.payer == payer
    rows = session.scalars(
        select(Encounter.date_of_service).where(
            Encounter.organisation == organisation,
            Encounter.patient_ref == patient_ref,
            payer_match,
            Encounter.needling_session.is_(True),
            Encounter.status == "ready",
            Encounter.id != exclude,
            Encounter.date_of_service < day,
            Encounter.date_of_service > day - dt.timedelta(days=HISTORY_DAYS),
        )
    )
    return sorted(set(rows))


def coding_context(
    session: Session, row: Encounter, given: EncounterContextIn
) -> tuple[EncounterContext, SessionHistory | None]:
    """The context the coder gets: the caller's, plus the session history this service keeps.

    With a patient reference, the Medicare chronic low back pain session number is computed
    from that history unless the caller gave one (sessions elsewhere are the caller's to add,
    as ``session_number`` or ``prior_session_dates``).
    """
    fields = given.model_dump(exclude={"patient_ref"})
    if given.patient_ref is None:
        return EncounterContext(**fields), None
    known = prior_sessions(
        session,
        organisation=row.organisation,
        patient_ref=given.patient_ref,
        payer=given.payer,
        day=row.date_of_service,
        exclude=row.id,
    )
    prior = sorted(set(known) | set(given.prior_session_dates))
    number, source = given.session_number, "given"
    if number is None and given.clbp:
        in_year = [d for d in prior if 0 < (row.date_of_service - d).days < HISTORY_DAYS]
        number, source = len(in_year) + 1, "computed"
    elif number is None:
        source = "none"
    fields.update(prior_session_dates=prior, session_number=number)
    history = SessionHistory(
        prior_session_dates=prior, session_number=number, session_number_source=source
    )
    return EncounterContext(**fields), history


def stored_context(row: Encounter) -> EncounterContextIn:
    return EncounterContextIn.model_validate_json(row.context_json)


def recorded_context(row: Encounter) -> EncounterContext:
    """The context the encounter was coded with (history as it stood then)."""
    given = stored_context(row)
    fields = given.model_dump(exclude={"patient_ref"})
    if row.history_json:
        history = SessionHistory.model_validate_json(row.history_json)
        fields.update(
            prior_session_dates=history.prior_session_dates,
            session_number=history.session_number,
        )
    return EncounterContext(**fields)


def with_recording_prompts(coding: CodingResult, transcript: Transcript | None) -> CodingResult:
    """The coding of a recording's note, plus prompts about the recording itself (no speech
    found, audio cut off before its announced length), so that it goes to review."""
    if transcript is None:
        return coding
    known = {p.id for p in coding.prompts}
    extra = [p for p in recording_prompts(transcript) if p.id not in known]
    return coding.model_copy(update={"prompts": [*coding.prompts, *extra]}) if extra else coding


def review_reasons(coding: CodingResult) -> list[str]:
    return sorted({p.id for p in coding.prompts if p.severity in REVIEW_SEVERITIES})


def apply_result(row: Encounter, note: Note, coding: CodingResult) -> None:
    """Store a note and its coding, and what follows from them."""
    row.note_json = note.model_dump_json()
    row.coding_json = coding.model_dump_json()
    reasons = review_reasons(coding)
    row.review_reasons_json = json.dumps(reasons)
    row.needs_review = bool(reasons) and row.signed_off_at is None
    row.needling_session = any(line.service == NEEDLING_SERVICE for line in coding.lines)
    row.updated_at = utcnow()


def revision_row(
    row: Encounter,
    *,
    number: int,
    kind: str,
    author_key: str | None,
    author_name: str,
    author_role: str,
    note_before: str | None,
    operations: str = "[]",
    reason: str | None = None,
) -> NoteRevision:
    """Revision ``number`` of the encounter's note, as it stands now (not yet stored)."""
    return NoteRevision(
        encounter_id=row.id,
        number=number,
        kind=kind,
        author_key=author_key,
        author_name=author_name,
        author_role=author_role,
        created_at=utcnow(),
        reason=reason,
        operations_json=operations,
        note_before_json=note_before,
        note_after_json=row.note_json or "{}",
        coding_after_json=row.coding_json or "{}",
    )


def next_revision(session: Session, row: Encounter) -> int:
    """The number the encounter's next revision takes."""
    last = session.scalar(
        select(func.max(NoteRevision.number)).where(NoteRevision.encounter_id == row.id)
    )
    return (last or 0) + 1


def new_row(
    caller: Caller,
    *,
    source: str,
    status: str,
    context: EncounterContextIn,
    submission_id: str | None = None,
) -> tuple[Encounter, EncounterContextIn]:
    """A fresh encounter; the date of service is fixed now (today, UTC, when not given) so a
    later re-coding applies the same year's rules. ``submission_id``: the client's id for this
    submission (checked by ``submission_key``), unique per owner."""
    dos = context.dos or utcnow().date()
    context = context.model_copy(update={"dos": dos})
    now = utcnow()
    principal = caller.principal
    row = Encounter(
        id=str(uuid.uuid4()),
        organisation=principal.organisation,
        owner_id=principal.holder_id,
        created_by_key=principal.key_id,
        created_by_name=principal.name,
        submission_id=submission_id,
        source=source,
        status=status,
        progress=0.0,
        context_json=context.model_dump_json(),
        patient_ref=context.patient_ref,
        payer=context.payer,
        date_of_service=dos,
        needs_review=False,
        review_reasons_json="[]",
        needling_session=False,
        created_at=now,
        updated_at=now,
    )
    return row, context


def add_recording(
    session: Session,
    caller: Caller,
    store: RecordingStore,
    row: Encounter,
    path: Path,
    fmt: str,
    *,
    how: str = "",
) -> str:
    """Add a new encounter ``row``, its recording (``path``, a private local file in ``fmt``)
    and its ``encounter.create`` event to ``session`` (the caller commits, then deletes
    ``path`` unless it is the reference kept); the recording's reference. ``how``: how the
    recording arrived, for the event (an upload when empty)."""
    reference = store.reference(row.id, path)
    row.audio_path, row.audio_format = reference, fmt
    session.add(row)
    detail = f"audio {fmt} {how}" if how else f"audio {fmt}"
    record(session, caller, "encounter.create", encounter_id=row.id, detail=detail)
    session.flush()  # the recording's chunks (scale-out mode) point to the row
    store.put(session, row.id, path)
    return reference


def create_from_text(
    session: Session,
    caller: Caller,
    scribe: Scribe,
    text: str,
    context: EncounterContextIn,
    *,
    writes: GroupCommit,
    max_chars: int,
    attempt: Attempt,
) -> Encounter:
    """Extract, code and store a typed or dictated note: the encounter, its first revision and
    its audit event in one transaction (``session`` only reads the session history). Nothing
    is stored when the request gave up on the ``attempt`` (its time budget ran out). The row
    returned is not attached to a session."""
    check_text(text, max_chars=max_chars)
    row, context = new_row(caller, source="text", status="ready", context=context)
    row.progress = 1.0
    row.text = text
    coding_ctx, history = coding_context(session, row, context)
    row.history_json = history.model_dump_json() if history else None
    result = scribe.extract(text, coding_ctx)
    apply_result(row, result.note, result.coding)
    row.version = 1
    principal = caller.principal
    attempt.claim_store()
    # The busiest write of the service: plain INSERTs (no unit of work), committed together
    # with the creations that arrive at the same time.
    writes.write(
        row,
        revision_row(row, number=1, kind="extraction", author_key=principal.key_id,
                     author_name=principal.name, author_role=principal.role.value,
                     note_before=None),
        audit_event(caller, "encounter.create", encounter_id=row.id, detail="text"),
    )  # fmt: skip
    return row


def page(
    session: Session,
    caller: Caller,
    *conditions: ColumnElement[bool],
    limit: int,
    offset: int,
    action: str,
) -> tuple[Sequence[Encounter], int]:
    """A page of visible encounters (newest first), each listing audited."""
    where = and_(visible_to(caller), *conditions)
    total = session.scalar(select(func.count()).select_from(Encounter).where(where)) or 0
    rows = session.scalars(
        select(Encounter)
        .where(where)
        .order_by(Encounter.created_at.desc(), Encounter.id)
        .limit(limit)
        .offset(offset)
    ).all()
    for row in rows:
        record(session, caller, action, encounter_id=row.id)
    session.commit()
    return rows, total
