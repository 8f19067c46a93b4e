"""The QA pages (reviewers): figures with charts, and the gold page (signed-off encounters
as golden cases, the current pipeline scored against them)."""

from __future__ import annotations

from typing import Any

import yaml
from fastapi import APIRouter, Request
from starlette.responses import Response

from api.audit import record
from api.deps import Services, ServicesDep
from api.gold import as_yaml_document, case_of, score, signed_off
from api.web.qa import bar_chart, qa_figures
from api.web.render import page
from api.web.security import Reviewer, WebUser

router = APIRouter(include_in_schema=False)
PAGE_LIMIT = 500  # cases scored on the page (the command line takes more)


def _figures(services: Services, user: WebUser) -> dict[str, Any]:
    organisation = user.caller.principal.organisation
    with services.sessions() as session:
        figures = qa_figures(session, organisation)
        record(session, user.caller, "web.qa.read", detail=f"{figures.encounters} encounters")
        session.commit()
    months = list(figures.months.items())
    charts = {
        "share": bar_chart(
            "Share of 20561 among dry needling lines, by month (typical 40-60%)",
            [(k, m.share_20561) for k, m in months if m.share_20561 is not None],
            percent=True,
            band=(0.4, 0.6),
        ),
        "fields": bar_chart("Corrections per field", figures.by_field.most_common()),
        "clinicians": bar_chart(
            "Corrections per clinician", [(k, v[0]) for k, v in figures.by_clinician.items()]
        ),
        "prompts": bar_chart(
            "Share of encounters with each prompt",
            [(p, n / figures.encounters) for p, n in figures.prompts.most_common(15)],
            percent=True,
        ),
        "corrections": bar_chart(
            "Corrections by month", [(k, float(m.corrections)) for k, m in months]
        ),
    }
    return {"f": figures, "charts": charts, "months": months}


@router.get("/qa", name="web.qa.read")
def qa(request: Request, user: Reviewer, services: ServicesDep) -> Response:
    return page(request, "qa.html", **_figures(services, user))


def _gold(services: Services, user: WebUser, action: str) -> list[Any]:
    organisation = user.caller.principal.organisation
    with services.sessions() as session:
        rows = signed_off(session, organisation=organisation, limit=PAGE_LIMIT)
        cases = [case_of(row) for row in rows]
        for row in rows:
            record(session, user.caller, action, encounter_id=row.id)
        session.commit()
    return cases


@router.get("/qa/gold", name="web.gold.read")
def gold(request: Request, user: Reviewer, services: ServicesDep) -> Response:
    cases = _gold(services, user, "web.gold.read")
    scores = score(services.scribe, cases)
    return page(
        request,
        "gold.html",
        scores=scores,
        limit=PAGE_LIMIT,
        chart=bar_chart(
            "Accuracy per field", [(f, a or 0.0) for f, _, _, a in scores.rows()], percent=True
        ),
    )


@router.get("/qa/gold.yaml", name="web.gold.export")
def gold_export(user: Reviewer, services: ServicesDep) -> Response:
    """The cases as one YAML stream (one document per case), for fixtures/golden/."""
    cases = _gold(services, user, "web.gold.export")
    body = yaml.safe_dump_all(
        [as_yaml_document(c) for c in cases], sort_keys=False, allow_unicode=True
    )
    return Response(
        body,
        media_type="application/yaml",
        headers={"Content-Disposition": 'attachment; filename="signed-off-cases.yaml"'},
    )
