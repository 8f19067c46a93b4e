"""The superbill: an itemized statement a patient who paid submits to an insurer (cash pay,
or ABN option 2), rendered as HTML from ``templates/superbill.html`` (autoescaped)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from jinja2 import Environment, PackageLoader, Template, select_autoescape

from scribe.claims.errors import MissingClaimData
from scribe.claims.x12 import BILLING_PROVIDER_SETTINGS
from scribe.config import ClaimSettings
from scribe.diagnoses import icd
from scribe.schemas.claim import ClaimParties
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext

_NEEDED = (*BILLING_PROVIDER_SETTINGS, "billing_phone")


@cache
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("scribe.claims", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    return env.get_template("superbill.html")


def render_superbill(
    coding: CodingResult,
    context: EncounterContext,
    parties: ClaimParties,
    settings: ClaimSettings,
    charges: list[float],
    *,
    day: dt.date,
) -> str:
    """The superbill HTML of one encounter."""
    missing = [f"SCRIBE_CLAIM_{n.upper()}" for n in _NEEDED if not getattr(settings, n)]
    if not coding.lines:
        missing.append("a coded service line")
    if missing:
        raise MissingClaimData(missing)
    zip_code = settings.billing_zip or ""
    rendering = None
    if settings.rendering_npi and settings.rendering_last_name:
        name = " ".join(filter(None, [settings.rendering_first_name, settings.rendering_last_name]))
        rendering = {"name": name, "npi": settings.rendering_npi}
    return _template().render(
        abn_option_2=context.abn_option == 2,
        provider={
            "name": settings.billing_name,
            "street": settings.billing_address,
            "city": settings.billing_city,
            "state": settings.billing_state,
            "zip": zip_code if len(zip_code) == 5 else f"{zip_code[:5]}-{zip_code[5:]}",
            "phone": settings.billing_phone,
            "npi": settings.billing_npi,
            "tax_id": settings.billing_tax_id,
        },
        rendering=rendering,
        patient=parties.patient,
        day=day.isoformat(),
        place_of_service=settings.place_of_service,
        diagnoses=coding.diagnoses,
        lines=[
            {**line.model_dump(), "charge": charge}
            for line, charge in zip(coding.lines, charges, strict=True)
        ],
        total=round(sum(charges), 2),
        release=icd.RELEASE,
    )
