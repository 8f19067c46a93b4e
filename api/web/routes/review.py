"""QA review pages: the queue, corrections (re-coded at once), sign-off, revision history."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import and_, select
from starlette.responses import Response

from api import encounter_views as views
from api import encounters as service
from api.audit import record
from api.deps import Services, ServicesDep
from api.persistence.tables import Encounter, KeyHolder
from api.problems import ApiProblem
from api.review import correct_note, revisions, sign_off
from api.web.diffs import revision_diffs
from api.web.forms import CorrectionForm, FormError, correction_from, revision_of
from api.web.render import page, see_other
from api.web.routes.shared import NOT_FOUND, EncounterId, encounter_response, load_row
from api.web.security import Reader, Reviewer, ReviewerWrites, WebRefusal, WebUser
from scribe.schemas.corrections import NoteCorrection

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
COUNT_LIMIT = 10_000
_PROMPT = r"^[a-z0-9-]{0,60}$"
_ID = r"^([0-9a-f-]{36})?$"  # empty: any (the filter form sends every field)


def _queue(
    services: Services, user: WebUser, prompt: str | None, owner: str | None, offset: int
) -> dict[str, Any]:
    caller = user.caller
    where = and_(
        service.visible_to(caller), Encounter.status == "ready", Encounter.needs_review.is_(True)
    )
    with services.sessions() as session:
        everything = session.execute(
            select(Encounter.id, Encounter.owner_id, Encounter.review_reasons_json)
            .where(where)
            .order_by(Encounter.created_at, Encounter.id)
            .limit(COUNT_LIMIT)
        ).all()
        by_prompt: Counter[str] = Counter()
        by_owner: Counter[str] = Counter()
        chosen = []
        for encounter_id, owner_id, reasons_json in everything:
            reasons = json.loads(reasons_json)
            by_prompt.update(reasons)
            by_owner[owner_id] += 1
            if (prompt is None or prompt in reasons) and (owner is None or owner == owner_id):
                chosen.append(encounter_id)
        shown = chosen[offset : offset + PAGE_SIZE]
        rows = session.scalars(select(Encounter).where(Encounter.id.in_(shown))).all()
        rows = sorted(rows, key=lambda r: shown.index(r.id))
        names = {
            holder_id: name
            for holder_id, name in session.execute(
                select(KeyHolder.id, KeyHolder.name).where(KeyHolder.id.in_(list(by_owner)))
            )
        }
        for row in rows:
            record(session, caller, "web.review_queue", encounter_id=row.id)
        session.commit()
    return {
        "rows": [views.to_summary(r) for r in rows],
        "owners": {r.id: names.get(r.owner_id, "") for r in rows},
        "total": len(everything),
        "matching": len(chosen),
        "by_prompt": by_prompt.most_common(),
        "by_owner": sorted(((names.get(k, k), k, n) for k, n in by_owner.items())),
        "prompt": prompt,
        "owner": owner,
        "offset": offset,
        "size": PAGE_SIZE,
    }


@router.get("/queue", name="web.review_queue")
def queue(
    request: Request,
    user: Reviewer,
    services: ServicesDep,
    prompt: Annotated[str | None, Query(pattern=_PROMPT)] = None,
    clinician: Annotated[str | None, Query(pattern=_ID)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Encounters with error or warning prompts (low recognition confidence among them), not
    signed off, oldest first."""
    chosen = _queue(services, user, prompt or None, clinician or None, offset)
    return page(request, "queue.html", **chosen)


def _correct(services: Services, user: WebUser, encounter_id: str, form: CorrectionForm) -> None:
    body = NoteCorrection(reason=form.reason, operations=form.operations)
    with services.sessions() as session:
        correct_note(
            session, user.caller, services.scribe, encounter_id, body, f'"{form.revision}"'
        )


def _after_refusal(
    request: Request,
    services: Services,
    user: WebUser,
    encounter_id: str,
    problem: ApiProblem | FormError,
    pending: dict[str, str] | None,
) -> Response:
    """The page again, as it stands now, with what went wrong: a conflict (someone saved
    first) offers to re-apply the change to the new revision."""
    if isinstance(problem, ApiProblem) and problem.status == 404:
        raise WebRefusal(404, NOT_FOUND)
    row = load_row(services, user, encounter_id, "web.encounter.read")
    if isinstance(problem, ApiProblem) and problem.slug == "stale-revision":
        return encounter_response(
            request,
            services,
            user,
            row,
            status=409,
            conflict={"fields": pending or {}, "revision": row.version},
        )
    message = str(problem) if isinstance(problem, FormError) else problem.detail
    return encounter_response(
        request,
        services,
        user,
        row,
        status=400 if isinstance(problem, FormError) else problem.status,
        error=message[:1].upper() + message[1:],
    )


@router.post("/encounters/{encounter_id:id}/corrections", name="web.encounter.correct")
async def correct(
    request: Request, encounter_id: EncounterId, user: ReviewerWrites, services: ServicesDep
) -> Response:
    form = await request.form()
    pending: dict[str, str] | None = None
    try:
        correction = correction_from(form)
        pending = {**correction.fields, "reason": correction.reason}
        await run_in_threadpool(_correct, services, user, encounter_id, correction)
    except (ApiProblem, FormError) as problem:
        return await run_in_threadpool(
            _after_refusal, request, services, user, encounter_id, problem, pending
        )
    return see_other(f"/encounters/{encounter_id}?m=corrected#coding")


def _sign_off(services: Services, user: WebUser, encounter_id: str, revision: int) -> None:
    with services.sessions() as session:
        sign_off(session, user.caller, encounter_id, f'"{revision}"')


@router.post("/encounters/{encounter_id:id}/sign-off", name="web.encounter.sign_off")
async def post_sign_off(
    request: Request, encounter_id: EncounterId, user: ReviewerWrites, services: ServicesDep
) -> Response:
    form = await request.form()
    try:
        revision = revision_of(form)
        await run_in_threadpool(_sign_off, services, user, encounter_id, revision)
    except (ApiProblem, FormError) as problem:
        return await run_in_threadpool(
            _after_refusal, request, services, user, encounter_id, problem, {"action": "sign-off"}
        )
    return see_other(f"/encounters/{encounter_id}?m=signed-off")


@router.get("/encounters/{encounter_id:id}/revisions", name="web.encounter.revisions")
def history(
    request: Request, encounter_id: EncounterId, user: Reader, services: ServicesDep
) -> Response:
    with services.sessions() as session:
        try:
            items = revisions(session, user.caller, encounter_id)
        except ApiProblem:
            raise WebRefusal(404, NOT_FOUND) from None
    return page(request, "revisions.html", encounter_id=encounter_id, diffs=revision_diffs(items))
