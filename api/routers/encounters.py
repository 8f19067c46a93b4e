"""/v1/encounters: create from text or audio, read, list, revisions, FHIR export, claim file."""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Header, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from api import encounter_views as views
from api import encounters as service
from api import problems
from api.audit import Caller, record, record_now
from api.deps import Creator, JobQueue, Reader, Reviewer, ServicesDep, SessionDep
from api.extraction import TIMEOUT_SLUG, Attempt
from api.fhir import FhirEncounter, build_bundle
from api.persistence.database import as_utc, private_folder
from api.persistence.tables import Encounter
from api.problems import ApiProblem
from api.recording_job import QUEUE_UNAVAILABLE, fail
from api.review import correct_note, revisions, sign_off
from api.schemas import (
    UUID_PATTERN,
    EncounterContextIn,
    EncounterPage,
    EncounterPublic,
    EncounterStatus,
    EncounterTextCreate,
    RevisionList,
)
from scribe.asr.audio import SNIFF_BYTES, probe_duration, sniff_audio_format
from scribe.errors import AudioError
from scribe.schemas.claim import ClaimParties
from scribe.schemas.coding import CodingResult
from scribe.schemas.corrections import NoteCorrection
from scribe.schemas.note import Note

_log = logging.getLogger("scribe.api")
router = APIRouter(prefix="/v1", tags=["encounters"])
EncounterId = Annotated[str, PathParam(pattern=UUID_PATTERN, description="The encounter's id.")]
JSON = "application/json"
READ = problems.responses(404)
CREATE = problems.responses(400, 413, 415)
CHANGE = problems.responses(400, 404, 409, 412, 413, 428)
UPLOAD_REPEAT = "audio upload"  # the detail of a repeated upload's audit event


class FhirResponse(Response):
    media_type = "application/fhir+json"


def json_response(body: Any, status: int = 200, etag: str | None = None) -> Response:
    """Serialise once, without FastAPI validating the response model again."""
    headers = {"ETag": etag} if etag else None
    return Response(body.model_dump_json(), status_code=status, media_type=JSON, headers=headers)


def encounter_response(row: Encounter) -> Response:
    return Response(views.public_json(row), media_type=JSON, headers={"ETag": views.etag(row)})


@router.post(
    "/encounters/text",
    name="encounter.create",
    status_code=201,
    response_model=EncounterPublic,
    responses={**CREATE, **problems.responses(503)},
    summary="Extract, code and store a typed or dictated note",
)
async def create_text(body: EncounterTextCreate, caller: Creator,
                      services: ServicesDep) -> Response:  # fmt: skip
    """Extraction runs on its own threads within SCRIBE_EXTRACT_TIMEOUT_SECONDS: past it the
    answer is 503 ``extraction-timeout`` and nothing is stored."""

    def create(attempt: Attempt) -> Encounter:
        with services.sessions() as session:
            return service.create_from_text(
                session,
                caller,
                services.scribe,
                body.text,
                body.context,
                writes=services.writes,
                max_chars=services.settings.max_input_chars,
                attempt=attempt,
            )

    try:
        row = await services.extraction.run(create)
    except ApiProblem as problem:
        if problem.slug == TIMEOUT_SLUG:
            await run_in_threadpool(_record_timeout, services, caller)
        raise
    headers = {"Location": f"/v1/encounters/{row.id}", "ETag": views.etag(row)}
    return Response(views.public_json(row), status_code=201, media_type=JSON, headers=headers)


def store_upload(upload: UploadFile, folder: Path, limit: int) -> tuple[Path, str]:
    """Copy the upload to ``folder`` after checking what its bytes are (its name and content
    type are not trusted); nothing is left behind when it is refused."""
    head = upload.file.read(SNIFF_BYTES)
    fmt = sniff_audio_format(head)
    if fmt is None:
        raise ApiProblem(415, "the upload is not a recording in a supported format "
                         "(wav, flac, mp3, m4a, ogg, webm...)", slug="not-audio")  # fmt: skip
    private_folder(folder)
    path = folder / f"{uuid.uuid4()}.{fmt}"
    try:  # readable by this user only, like the database
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            out.write(head)
            shutil.copyfileobj(upload.file, out, length=1024 * 1024)
        if path.stat().st_size > limit:
            raise ApiProblem(413, f"the recording is over {limit:,} bytes", slug="too-large")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, fmt


def _record_timeout(services: ServicesDep, caller: Caller) -> None:
    with services.sessions() as session:
        record_now(session, caller, "encounter.create", outcome="timeout", detail="text")


@router.post(
    "/encounters/audio",
    name="encounter.create",
    status_code=202,
    response_model=EncounterPublic,
    responses={
        200: {
            "model": EncounterPublic,
            "description": "A repeated submission_id: the encounter it created",
        },
        **CREATE,
    },
    summary="Upload a recording; transcription and extraction run in the background",
)
def create_audio(
    file: Annotated[UploadFile, File(description="The recording (wav, flac, mp3, m4a, ogg...).")],
    caller: Creator,
    session: SessionDep,
    services: ServicesDep,
    context: Annotated[str, Form(description="EncounterContextIn as JSON.")] = "{}",
    submission_id: Annotated[
        str | None,
        Form(
            description="Your id for this submission, a UUID: sent again (a retry), it gives "
            "back the encounter it created (200) instead of another one."
        ),
    ] = None,
) -> Response:
    """A ``submission_id`` makes the upload idempotent for its caller: a repeat answers 200
    with the encounter stored the first time (audited as ``encounter.create``, outcome
    ``repeat``), even when the two arrive together. Another caller's id names nothing of
    theirs: it is a new submission."""
    try:
        given = EncounterContextIn.model_validate_json(context or "{}")
    except ValidationError as exc:
        detail = (
            f"the context is not valid JSON for EncounterContextIn ({exc.error_count()} error(s))"
        )
        raise ApiProblem(422, detail, slug="invalid-request") from None
    try:
        submission = service.submission_key(submission_id)
    except service.SubmissionIdError as exc:
        raise ApiProblem(422, str(exc), slug="invalid-request") from None
    if submission is not None:
        stored = service.repeated_submission(session, caller, submission, detail=UPLOAD_REPEAT)
        if stored is not None:
            return _repeat_response(stored)
    settings, jobs = services.settings, services.jobs
    path, fmt = store_upload(file, jobs.upload_folder, settings.max_upload_bytes)
    reference = None
    try:
        seconds = probe_duration(path)
        if seconds is not None and seconds > settings.max_audio_seconds:
            raise ApiProblem(413, f"the recording lasts {seconds:.0f} s, over the limit of "
                             f"{settings.max_audio_seconds:.0f} s", slug="too-long")  # fmt: skip
        row, _ = service.new_row(caller, source="audio", status="queued", context=given,
                                 submission_id=submission)  # fmt: skip
        reference = service.add_recording(session, caller, jobs.store, row, path, fmt)
        session.commit()
    except (ApiProblem, AudioError):
        path.unlink(missing_ok=True)
        raise
    except IntegrityError:
        # the same submission was stored meanwhile (a stream's commit): answer with it
        session.rollback()
        path.unlink(missing_ok=True)
        raced = None
        if submission is not None:
            raced = service.repeated_submission(session, caller, submission, detail=UPLOAD_REPEAT)
        if raced is None:
            raise
        return _repeat_response(raced)
    except BaseException:
        session.rollback()
        path.unlink(missing_ok=True)
        raise
    if reference != str(path):
        path.unlink(missing_ok=True)  # kept elsewhere (the database)
    try:
        jobs.queued(row.id, seconds)
    except Exception as exc:  # the broker is unreachable past its retries
        _queue_unavailable(session, jobs, row.id, exc)
    headers = {"Location": f"/v1/encounters/{row.id}", "ETag": views.etag(row)}
    return Response(views.public_json(row), status_code=202,
                    media_type=JSON, headers=headers)  # fmt: skip


def _repeat_response(row: Encounter) -> Response:
    """The answer to a repeated submission: the encounter it created, nothing new (200)."""
    headers = {"Location": f"/v1/encounters/{row.id}", "ETag": views.etag(row)}
    return Response(views.public_json(row), status_code=200, media_type=JSON, headers=headers)


def _queue_unavailable(session: SessionDep, jobs: JobQueue, encounter_id: str,
                      exc: Exception) -> None:  # fmt: skip
    """The job could not be sent: the encounter fails at once and its recording goes, and the
    caller is told to upload it again (a 503), rather than waiting for a job that never runs."""
    _log.error("could not enqueue a recording: %s", type(exc).__name__)
    session.rollback()
    row = session.get(Encounter, encounter_id)
    if row is not None and row.status == "queued":
        fail(row, QUEUE_UNAVAILABLE)
        row.submission_id = None  # sent again as told, it is a new submission
        record(session, None, "job.fail", encounter_id=row.id, outcome="failed",
               organisation=row.organisation)  # fmt: skip
        if row.audio_path:
            jobs.store.delete(session, row.audio_path)
            row.audio_path = None
        session.commit()
    raise ApiProblem(503, f"{QUEUE_UNAVAILABLE}; nothing was kept, upload the recording again "
                     "later", slug="queue-unavailable", headers={"Retry-After": "30"})  # fmt: skip


@router.get("/encounters/{encounter_id:id}", name="encounter.read",
            response_model=EncounterPublic, responses=READ)  # fmt: skip
def read_encounter(encounter_id: EncounterId, caller: Reader, session: SessionDep) -> Response:
    row = service.load_visible(session, caller, encounter_id, "encounter.read")
    session.commit()
    return encounter_response(row)


@router.get("/encounters", name="encounter.list", response_model=EncounterPage,
            responses=problems.responses())  # fmt: skip
def list_encounters(
    caller: Reader,
    session: SessionDep,
    status: EncounterStatus | None = None,
    needs_review: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> Response:
    conditions = []
    if status is not None:
        conditions.append(Encounter.status == status)
    if needs_review is not None:
        conditions.append(Encounter.needs_review.is_(needs_review))
    rows, total = service.page(session, caller, *conditions, limit=limit, offset=offset,
                               action="encounter.list")  # fmt: skip
    items = [views.to_summary(r) for r in rows]
    return json_response(EncounterPage(items=items, total=total, limit=limit, offset=offset))


@router.patch(
    "/encounters/{encounter_id:id}/note",
    name="encounter.correct",
    response_model=EncounterPublic,
    responses=CHANGE,
    summary="Correct the note (reviewer); re-coded and stored as a new revision",
)
def patch_note(
    encounter_id: EncounterId,
    body: NoteCorrection,
    caller: Reviewer,
    session: SessionDep,
    services: ServicesDep,
    if_match: Annotated[str | None, Header(description="The ETag you read.")] = None,
) -> Response:
    row = correct_note(session, caller, services.scribe, encounter_id, body, if_match)
    return encounter_response(row)


@router.get("/encounters/{encounter_id:id}/revisions", name="encounter.revisions",
            response_model=RevisionList, responses=READ)  # fmt: skip
def list_revisions(encounter_id: EncounterId, caller: Reader, session: SessionDep) -> Response:
    items = revisions(session, caller, encounter_id)
    return json_response(RevisionList(encounter_id=encounter_id, items=items))


@router.post(
    "/encounters/{encounter_id:id}/sign-off",
    name="encounter.sign_off",
    response_model=EncounterPublic,
    responses=CHANGE,
)
def post_sign_off(
    encounter_id: EncounterId,
    caller: Reviewer,
    session: SessionDep,
    if_match: Annotated[str | None, Header(description="The ETag you read.")] = None,
) -> Response:
    row = sign_off(session, caller, encounter_id, if_match)
    return encounter_response(row)


@router.get(
    "/encounters/{encounter_id:id}/fhir",
    name="encounter.fhir",
    response_class=FhirResponse,
    responses={200: {"content": {FhirResponse.media_type: {"schema": {"type": "object"}}}},
               **problems.responses(404, 409)},
    summary="The encounter as a FHIR R4 Bundle (validated)",
)  # fmt: skip
def fhir_bundle(encounter_id: EncounterId, caller: Reader, session: SessionDep,
                services: ServicesDep) -> Response:  # fmt: skip
    row = service.load_visible(session, caller, encounter_id, "encounter.fhir")
    session.commit()
    if row.status != "ready" or row.note_json is None or row.coding_json is None:
        raise ApiProblem(409, f"the encounter is {row.status}, not ready", slug="not-ready")
    context = service.stored_context(row)
    bundle = build_bundle(
        FhirEncounter(
            id=row.id,
            organisation=row.organisation,
            patient_ref=row.patient_ref,
            date_of_service=row.date_of_service,
            created_at=as_utc(row.created_at),
            performer=row.created_by_name,
            provider=context.provider,
            payer=context.payer,
            signed_off=row.signed_off_at is not None,
            source_text=row.text or "",
            note=Note.model_validate_json(row.note_json),
            coding=CodingResult.model_validate_json(row.coding_json),
        ),
        lexicons=services.scribe.lexicons,
    )
    return FhirResponse(json.dumps(bundle))


class ClaimFileResponse(Response):
    media_type = "application/edi-x12"


@router.post(
    "/encounters/{encounter_id:id}/claim",
    name="encounter.claim",
    response_class=ClaimFileResponse,
    responses={200: {"content": {"application/edi-x12": {"schema": {"type": "string"}},
                                 "text/html": {"schema": {"type": "string"}}}},
               **problems.responses(404, 409)},
    summary="The encounter's claim: X12 837P (validated) or a superbill (HTML)",
)  # fmt: skip
def claim_file(
    encounter_id: EncounterId,
    body: ClaimParties,
    caller: Reader,
    session: SessionDep,
    services: ServicesDep,
    file_format: Annotated[
        Literal["837p", "superbill"], Query(alias="format", description="837p or superbill.")
    ] = "837p",
) -> Response:
    """The patient and payer come in the body (the service stores neither); the providers,
    submitter, receiver and fee schedule from the SCRIBE_CLAIM_* settings. Audited as a read."""
    from scribe.claims.errors import ClaimError
    from scribe.claims.service import claim_837p, superbill_html
    from scribe.config import get_claim_settings

    row = service.load_visible(session, caller, encounter_id, "encounter.claim")
    session.commit()
    if row.status != "ready" or row.coding_json is None:
        raise ApiProblem(409, f"the encounter is {row.status}, not ready", slug="not-ready")
    context = service.stored_context(row)
    context = context.model_copy(update={"dos": context.dos or row.date_of_service})
    coding = CodingResult.model_validate_json(row.coding_json)
    folder = services.scribe.settings.lexicon_dir
    try:
        settings = get_claim_settings()
        if file_format == "837p":
            text = claim_837p(coding, context, body, settings, lexicon_dir=folder)
            return ClaimFileResponse(text)
        html = superbill_html(coding, context, body, settings, lexicon_dir=folder)
    except ValidationError as exc:  # the settings: their names, never their values
        fields = ", ".join(sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]}))
        raise ApiProblem(
            409, f"claim settings are not valid: {fields}", slug="claim-refused"
        ) from None
    except ClaimError as exc:
        raise ApiProblem(409, str(exc), slug="claim-refused") from None
    return Response(html, media_type="text/html")
