"""/v1/encounters/{id}/procedure-note: the encounter's audit-ready procedure note."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from api import encounter_views as views
from api import encounters as service
from api import problems
from api.deps import Reader, SessionDep
from api.problems import ApiProblem
from api.schemas import UUID_PATTERN
from scribe.procedure_note import (
    build_procedure_note,
    render_procedure_note_markdown,
    render_procedure_note_text,
)
from scribe.schemas.coding import CodingResult
from scribe.schemas.note import Note
from scribe.schemas.procedure_note import ProcedureNote

router = APIRouter(prefix="/v1", tags=["encounters"])
EncounterId = Annotated[str, PathParam(pattern=UUID_PATTERN, description="The encounter's id.")]
NoteFormat = Literal["text", "markdown", "json"]
MEDIA = {
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def render(procedure_note: ProcedureNote, fmt: NoteFormat) -> str:
    """The procedure note as text, Markdown or its JSON (sentences with their spans)."""
    if fmt == "text":
        return render_procedure_note_text(procedure_note)
    if fmt == "markdown":
        return render_procedure_note_markdown(procedure_note)
    return procedure_note.model_dump_json()


@router.get(
    "/encounters/{encounter_id:id}/procedure-note",
    name="encounter.procedure_note",
    responses={
        200: {
            "description": "The procedure note (the format asked for).",
            "content": {
                MEDIA["text"]: {"schema": {"type": "string"}},
                MEDIA["markdown"]: {"schema": {"type": "string"}},
                MEDIA["json"]: {"schema": {"type": "object"}},
            },
        },
        **problems.responses(404, 409),
    },
    summary="The audit-ready procedure note, built only from the dictation",
)
def procedure_note(
    encounter_id: EncounterId,
    caller: Reader,
    session: SessionDep,
    format: Annotated[NoteFormat, Query(description="text, markdown or json.")] = "text",
) -> Response:
    """Every sentence rests on the words of the dictation (or transcript) it comes from, which
    the JSON gives as offsets; an element the dictation lacks is shown as not documented.
    Built from the stored note and coding, reviewer corrections included (marked as such)."""
    row = service.load_visible(session, caller, encounter_id, "encounter.procedure_note")
    session.commit()
    if row.status != "ready" or row.note_json is None or row.coding_json is None:
        raise ApiProblem(409, f"the encounter is {row.status}, not ready", slug="not-ready")
    built = build_procedure_note(
        Note.model_validate_json(row.note_json),
        CodingResult.model_validate_json(row.coding_json),
        text=row.text,
    )
    headers = {"ETag": views.etag(row)}
    return Response(render(built, format), media_type=MEDIA[format], headers=headers)
