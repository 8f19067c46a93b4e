"""What the encounter and review pages share: loading an encounter the user may see (audited,
404 otherwise) and rendering its page."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import Path as PathParam
from starlette.requests import Request
from starlette.responses import Response

from api import encounters as service
from api.deps import Services
from api.keys import Role
from api.persistence.tables import Encounter
from api.problems import ApiProblem
from api.schemas import UUID_PATTERN
from api.web.render import page
from api.web.security import WebRefusal, WebUser
from api.web.views import choices, encounter_page, lexicon_names

EncounterId = Annotated[str, PathParam(pattern=UUID_PATTERN)]
NOT_FOUND = "No such encounter, or it is not yours to see."


def load_row(services: Services, user: WebUser, encounter_id: str, action: str) -> Encounter:
    """The encounter if the user may see it (the read is audited as ``action``); a 404 page
    (audited) otherwise: another clinician's encounter is indistinguishable from none."""
    with services.sessions() as session:
        try:
            row = service.load_visible(session, user.caller, encounter_id, action)
        except ApiProblem:
            raise WebRefusal(404, NOT_FOUND) from None
        session.commit()
        return row


def encounter_response(
    request: Request,
    services: Services,
    user: WebUser,
    row: Encounter,
    *,
    started: float | None = None,
    status: int = 200,
    **extra: Any,
) -> Response:
    """The encounter's page; ``extra``: a conflict or an error to show with it. The time spent
    on the server is in the ``Server-Timing`` header."""
    started = time.perf_counter() if started is None else started
    view = encounter_page(row, low_confidence=services.settings.low_confidence)
    context: dict[str, Any] = {"e": view, "conflict": None, "error": None, **choices(), **extra}
    if user.role is Role.reviewer and view.editable:
        context.update(lexicon_names(services.scribe.lexicons))
    response = page(request, "encounter.html", status, **context)
    elapsed = (time.perf_counter() - started) * 1000
    response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
    return response
