"""Encounter pages: the list, a new encounter (recorded, uploaded or pasted), its page with
the highlighted note, its progress while a recording is transcribed, and its audio."""

from __future__ import annotations

import json
import time
from typing import Annotated, Any, cast

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.responses import JSONResponse, Response

from api import encounter_views as views
from api import encounters as service
from api.deps import Services, ServicesDep
from api.problems import ApiProblem
from api.routers import encounters as api_routes
from api.schemas import EncounterTextCreate
from api.web.audio import audio_response
from api.web.forms import CONTEXT_FIELDS, FormError, context_from, text_of, today, upload_of
from api.web.render import page, see_other
from api.web.routes.shared import EncounterId, encounter_response, load_row
from api.web.security import Clinician, ClinicianWrites, Reader, WebUser
from scribe.errors import ScribeError

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25


def _list(services: Services, user: WebUser, offset: int) -> dict[str, Any]:
    with services.sessions() as session:
        rows, total = service.page(
            session, user.caller, limit=PAGE_SIZE, offset=offset, action="web.encounter.list"
        )
        return {
            "rows": [views.to_summary(r) for r in rows],
            "total": total,
            "offset": offset,
            "size": PAGE_SIZE,
        }


@router.get("/encounters", name="web.encounter.list")
def list_encounters(
    request: Request,
    user: Reader,
    services: ServicesDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    return page(request, "encounters.html", **_list(services, user, offset))


@router.get("/encounters/new", name="web.encounter.new")
def new_encounter(request: Request, user: Clinician) -> Response:
    values = {**dict.fromkeys(CONTEXT_FIELDS, ""), "dos": today()}
    return page(request, "new.html", values=values, error=None)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


@router.post("/encounters", name="web.encounter.create")
async def create(request: Request, user: ClinicianWrites, services: ServicesDep) -> Response:
    """From the form (a redirect to the new encounter) or the recorder's script (JSON)."""
    form = await request.form()
    values = {k: text_of(form, k) for k in CONTEXT_FIELDS}
    try:
        context = context_from(form)
        if text_of(form, "source") == "text":
            text = form.get("text")
            if not isinstance(text, str) or not text.strip():
                raise FormError("Paste or type the dictation first.")
            body = EncounterTextCreate(text=text, context=context)
            answer = await api_routes.create_text(body, user.caller, services)
        else:
            upload = upload_of(form)
            if upload is None:
                raise FormError("Choose a recording to upload, or record one.")
            answer = await run_in_threadpool(
                _create_audio,
                services,
                user,
                upload,
                context.model_dump_json(),
                _submission_of(form),
            )
    except (FormError, ApiProblem, ScribeError) as exc:
        # the library's and the API's messages never quote the dictation or the file name
        message = (
            _problem_text(exc.detail) if isinstance(exc, ApiProblem) else _problem_text(str(exc))
        )
        if _wants_json(request):
            status = exc.status if isinstance(exc, ApiProblem) else 400
            return JSONResponse({"error": message}, status_code=status)
        return page(request, "new.html", 400, values=values, error=message)
    encounter_id = json.loads(bytes(answer.body))["id"]
    url = f"/encounters/{encounter_id}"
    if _wants_json(request):
        # 200: a repeated submission (the recorder's upload of a stream stored already)
        status = 200 if answer.status_code == 200 else 201
        return JSONResponse({"id": encounter_id, "url": url}, status_code=status)
    return see_other(url)


def _submission_of(form: FormData) -> str | None:
    """The recorder's id for this recording (checked by the upload), None without one."""
    value = form.get("submission_id")
    if value is None or isinstance(value, str):
        return value
    raise FormError(_problem_text(str(service.SubmissionIdError())))


def _problem_text(message: str) -> str:
    message = message.rstrip(".")
    return message[:1].upper() + message[1:] + "."


def _create_audio(
    services: Services,
    user: WebUser,
    upload: StarletteUpload,
    context: str,
    submission_id: str | None,
) -> Response:
    with services.sessions() as session:
        return api_routes.create_audio(
            file=cast(UploadFile, upload),
            caller=user.caller,
            session=session,
            services=services,
            context=context,
            submission_id=submission_id,
        )


@router.get("/encounters/{encounter_id:id}", name="web.encounter.read")
def read(
    request: Request, encounter_id: EncounterId, user: Reader, services: ServicesDep
) -> Response:
    started = time.perf_counter()
    row = load_row(services, user, encounter_id, "web.encounter.read")
    return encounter_response(request, services, user, row, started=started)


@router.get("/encounters/{encounter_id:id}/status", name="web.encounter.status")
def status(encounter_id: EncounterId, user: Reader, services: ServicesDep) -> Response:
    """Progress for the page's script while a recording is transcribed (audited reads)."""
    row = load_row(services, user, encounter_id, "web.encounter.status")
    return JSONResponse(
        {"status": row.status, "progress": row.progress, "revision": row.version},
        headers={"Cache-Control": "no-store"},
    )


@router.get("/encounters/{encounter_id:id}/audio", name="web.encounter.audio")
def audio(
    request: Request, encounter_id: EncounterId, user: Reader, services: ServicesDep
) -> Response:
    """The recording as WAV (seekable, for playback synchronised with the transcript), while
    the service keeps it (SCRIBE_AUDIO_RETENTION_HOURS)."""
    row = load_row(services, user, encounter_id, "web.encounter.audio")
    limit = services.settings.max_audio_seconds
    if not row.audio_path:
        return audio_response(request, None, limit)
    # a file here (embedded mode) or a copy of the chunks in the database (scale-out mode)
    with (
        services.sessions() as session,
        services.jobs.store.local_copy(session, row.audio_path) as path,
    ):
        return audio_response(request, path, limit)
