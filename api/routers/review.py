"""/v1/review-queue: what QA reviewers still have to look at."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import encounter_views as views
from api import encounters as service
from api import problems
from api.deps import Reviewer, SessionDep
from api.persistence.tables import Encounter
from api.routers.encounters import json_response
from api.schemas import EncounterPage

router = APIRouter(prefix="/v1", tags=["review"])


@router.get("/review-queue", name="review_queue.list", response_model=EncounterPage,
            responses=problems.responses())  # fmt: skip
def review_queue(
    caller: Reviewer,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> Response:
    """Ready encounters with error or warning prompts (low ASR confidence among them), not yet
    signed off."""
    rows, total = service.page(
        session,
        caller,
        Encounter.status == "ready",
        Encounter.needs_review.is_(True),
        limit=limit,
        offset=offset,
        action="review_queue.list",
    )
    items = [views.to_summary(r) for r in rows]
    return json_response(EncounterPage(items=items, total=total, limit=limit, offset=offset))
