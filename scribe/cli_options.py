"""What the ``scribe`` commands share: their output formats, the encounter options (payer,
provider, dates of service...) and how those options become an ``EncounterContext``."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from scribe.config import Settings, get_settings
from scribe.errors import InputError
from scribe.schemas.context import EncounterContext


class OutputFormat(StrEnum):
    json = "json"
    text = "text"


class ExtractFormat(StrEnum):
    """What ``extract`` and ``code`` print: the JSON contract, a summary, or the procedure note
    (text, Markdown, or its JSON with the words each sentence rests on)."""

    json = "json"
    text = "text"
    note = "note"
    note_md = "note-md"
    note_json = "note-json"


class PayerOption(StrEnum):
    medicare = "medicare"
    commercial = "commercial"
    self_pay = "self-pay"


class ProviderOption(StrEnum):
    pt = "pt"
    pta = "pta"
    dc = "dc"
    md = "md"
    do = "do"
    np = "np"
    pa = "pa"


def _date_of_service(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError("invalid date of service (--dos): use a real date as YYYY-MM-DD") from exc


def _session_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError("invalid date in --prior-sessions: use YYYY-MM-DD,YYYY-MM-DD") from exc


def encounter_context(
    payer: PayerOption | None,
    clbp: bool,
    session_number: int | None,
    abn_option: int | None,
    other_codes: str | None,
    provider: ProviderOption | None,
    dos: str | None,
    prior_sessions: str | None = None,
    state: str | None = None,
) -> EncounterContext:
    try:
        return EncounterContext(
            payer=payer.value if payer else None,
            clbp=clbp,
            session_number=session_number,
            abn_option=abn_option,
            other_codes=[c for c in (other_codes or "").split(",") if c.strip()],
            provider=provider.value if provider else None,
            state=state,
            dos=_date_of_service(dos),
            prior_session_dates=[
                _session_date(d) for d in (prior_sessions or "").split(",") if d.strip()
            ],
        )
    except ValueError as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            detail = f"{where}: {first['msg']}" if where else first["msg"]
        else:
            detail = str(exc)
        raise InputError(f"invalid encounter context: {detail}") from exc


# the options both commands take, declared once
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="json or text.")]
ExtractFormatOption = Annotated[
    ExtractFormat,
    typer.Option(
        "--format",
        "-f",
        help="json, text, or the procedure note: note (text), note-md, note-json (with spans).",
    ),
]
PayerArg = Annotated[PayerOption | None, typer.Option("--payer", help="Payer of the claim.")]
ClbpArg = Annotated[bool, typer.Option("--clbp", help="Medicare chronic low back pain benefit.")]
SessionArg = Annotated[
    int | None, typer.Option("--session-number", min=1, help="cLBP session number.")
]
AbnArg = Annotated[int | None, typer.Option("--abn-option", min=1, max=3, help="ABN option (1-3).")]
OtherCodesArg = Annotated[
    str | None, typer.Option("--other-codes", help="Other codes billed today, e.g. 97140,97810.")
]
ProviderArg = Annotated[
    ProviderOption | None,
    typer.Option("--provider", "--provider-type", help="Who performed the service."),
]
StateArg = Annotated[
    str | None,
    typer.Option(
        "--state",
        metavar="XX",
        help="Postal code of the practice's state (TX, DC...): checks dry needling scope.",
    ),
]
DosArg = Annotated[str | None, typer.Option("--dos", help="Date of service, YYYY-MM-DD.")]
PriorArg = Annotated[
    str | None,
    typer.Option(
        "--prior-sessions", help="Dates of earlier sessions, YYYY-MM-DD,... (checks limits)."
    ),
]
PolicyOption = Annotated[
    list[Path] | None,
    typer.Option("--policy", help="A practice payer policy file (repeatable).", exists=True),
]


def settings_with_policies(policies: list[Path] | None) -> Settings:
    settings = get_settings()
    if policies:
        settings = settings.model_copy(
            update={"payer_policy_files": [*settings.payer_policy_files, *policies]}
        )
    return settings
