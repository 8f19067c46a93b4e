"""GET /health: no authentication; says whether the service can do its work."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from anyio import to_thread
from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import ServicesDep
from api.persistence.database import is_ready
from api.schemas import Health
from scribe.asr.models import resolve_model
from scribe.errors import ModelError

router = APIRouter(tags=["health"])


def _version() -> str:
    try:
        return version("dn-scribe")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


@router.get(
    "/health",
    name="health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database is unreachable."}},
)
async def health(services: ServicesDep) -> Response:
    settings = services.settings
    # on a thread of its own: /health answers while every request thread is busy
    database = await to_thread.run_sync(is_ready, services.engine, limiter=services.health)
    try:
        resolve_model(settings.asr_model, settings)
        asr_available = True
    except ModelError:
        asr_available = False
    body = Health(
        status="ok" if database else "unavailable",
        database=database,
        nlp=services.scribe.nlp is not None,
        asr_model=settings.asr_model,
        asr_model_available=asr_available,
        version=_version(),
    )
    return Response(body.model_dump_json(), status_code=200 if database else 503,
                    media_type="application/json")  # fmt: skip
