"""The `scribe` command with the service's commands added: `scribe serve`, `scribe admin ...`.

The library's commands live in ``scribe.cli``; this module adds those that need the service,
so that ``scribe/`` never imports ``api/``.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from scribe.cli import app
from scribe.config import get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_err = Console(stderr=True)
admin_app = typer.Typer(help="API keys for the service.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (about one per core).")
    ] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs, GET /health)."""
    import uvicorn

    from api.persistence.database import make_engine, upgrade

    # Migrate once here, before any worker starts, so that workers never race to do it.
    engine = make_engine(get_settings().resolved_database_url)
    upgrade(engine)
    engine.dispose()
    # Each worker process loads the speech model and the NLP pipeline once and serves many
    # requests; recordings are claimed from the database by whichever worker is free.
    uvicorn.run(
        "api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
    )


def _open_session() -> Session:
    """A session on the configured database, its schema brought up to date first."""
    from api.persistence.database import make_engine, make_sessions, upgrade

    engine = make_engine(get_settings().resolved_database_url)
    upgrade(engine)
    return make_sessions(engine)()


class RoleOption(StrEnum):
    clinician = "clinician"
    reviewer = "reviewer"
    integration = "integration"
    admin = "admin"


@admin_app.command("create-key")
def create_key(
    role: Annotated[RoleOption, typer.Option(help="clinician, reviewer, integration or admin.")],
    name: Annotated[str, typer.Option(help="Who or what uses the key (no patient data).")],
    organisation: Annotated[str, typer.Option("--org", help="Organisation it belongs to.")] = (
        "default"
    ),
) -> None:
    """Create an API key and print it once; only its digest is stored."""
    from api.keys import Role, issue_key

    with _open_session() as session:
        try:
            issued = issue_key(session, role=Role(role.value), name=name, organisation=organisation)
        except ValueError as exc:
            _err.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(2) from None
        session.commit()
    _err.print(
        f"created {role.value} key {issued.principal.key_id} for {name!r} "
        f"({organisation}); it is shown once, store it now:"
    )
    sys.stdout.write(issued.secret + "\n")


@admin_app.command("list-keys")
def list_keys() -> None:
    """Keys (never their secrets)."""
    from sqlalchemy import select

    from api.persistence.tables import ApiKey

    table = Table("id", "prefix", "role", "name", "organisation", "created", "revoked")
    with _open_session() as session:
        for key in session.scalars(select(ApiKey).order_by(ApiKey.created_at)):
            revoked = key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else ""
            table.add_row(key.id, key.prefix, key.role, key.name, key.organisation,
                          key.created_at.isoformat(timespec="seconds"), revoked)  # fmt: skip
    Console().print(table)


@admin_app.command("revoke-key")
def revoke_key(key_id: Annotated[str, typer.Argument(help="The key's id.")]) -> None:
    """Revoke a key at once."""
    from api.persistence.database import utcnow
    from api.persistence.tables import ApiKey

    with _open_session() as session:
        key = session.get(ApiKey, key_id)
        if key is None:
            _err.print("[bold red]error:[/] no such key")
            raise typer.Exit(2)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            session.commit()
    _err.print(f"revoked {key_id}")


__all__ = ["app"]
