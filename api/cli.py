"""The `scribe` command with the service's commands added: `scribe serve`, `scribe admin ...`.

The library's commands live in ``scribe.cli``; this module adds those that need the service,
so that ``scribe/`` never imports ``api/``.
"""

from __future__ import annotations

import getpass
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from scribe.cli import app
from scribe.config import get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from api.audit import Anonymous

_err = Console(stderr=True)
admin_app = typer.Typer(
    help="API keys and the audit log, for every organisation (the command line is the "
    "service's only superuser).",
    no_args_is_help=True,
)
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

    # Whatever the service writes (database, recordings) is for this user only.
    os.umask(0o077)
    settings = get_settings()
    # Migrate once here, before any worker starts, so that workers never race to do it.
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    engine.dispose()
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    # Each worker process loads the speech model and the NLP pipeline once and serves many
    # requests; recordings are claimed from the database by whichever worker is free.
    uvicorn.run(
        "api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        # X-Forwarded-For names the client only when a configured proxy sends it (uvicorn
        # otherwise believes any local peer, so any local process could set the audited
        # address)
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        # loading the pipeline takes seconds: a worker is not "hung" while it does
        timeout_worker_healthcheck=settings.worker_start_seconds,
    )


@app.command("eval")
def evaluate(
    from_service: Annotated[
        bool,
        typer.Option(
            "--from-service",
            help="Score the current pipeline against the service's signed-off encounters.",
        ),
    ] = False,
    organisation: Annotated[
        str | None, typer.Option("--org", help="Only this organisation's encounters.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Also write each as a golden case (YAML) in this folder (0700)."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Newest N sign-offs.")] = 1000,
) -> None:
    """Corrections become gold: signed-off encounters (the reviewers' corrections included)
    as golden cases, and the current pipeline's accuracy on them field by field. The golden
    fixtures themselves are scored by bench/golden_accuracy.py."""
    if not from_service:
        _err.print(
            "[bold red]error:[/] give --from-service (the golden fixtures are scored by "
            "bench/golden_accuracy.py)"
        )
        raise typer.Exit(2)
    import yaml

    from api.gold import as_yaml_document, case_of, score, signed_off
    from api.persistence.database import private_folder
    from scribe.pipeline import Scribe

    with _open_session() as session:
        rows = signed_off(session, organisation=organisation, limit=limit)
        cases = [case_of(row) for row in rows]
        _record_cli(session, "gold.export", f"{len(cases)} encounters", organisation)
        session.commit()
    if out is not None:
        private_folder(out)
        for case in cases:
            path = out / f"{case.id}.yaml"
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
                yaml.safe_dump(as_yaml_document(case), f, sort_keys=False, allow_unicode=True)
    scores = score(Scribe(settings=get_settings()), cases)
    table = Table("field", "right", "cases", "accuracy")
    for name, right, checked, accuracy in scores.rows():
        table.add_row(
            name, str(right), str(checked), f"{accuracy:.1%}" if accuracy is not None else "-"
        )
    Console(width=120).print(table)
    share = f"{scores.all_right / scores.cases:.1%}" if scores.cases else "-"
    sys.stdout.write(
        f"signed-off encounters: {scores.cases}; every field right: {scores.all_right} ({share})\n"
    )
    for case_id, fields in sorted(scores.failures.items()):
        sys.stdout.write(f"  {case_id}: {', '.join(fields)}\n")


def _open_session() -> Session:
    """A session on the configured database, its schema brought up to date first."""
    from api.persistence.database import make_engine, make_sessions, upgrade

    os.umask(0o077)
    engine = make_engine(get_settings().resolved_database_url)
    upgrade(engine)
    return make_sessions(engine)()


def _operator(organisation: str | None) -> Anonymous:
    """The command line as an audit actor: the operating system user running it."""
    from api.audit import Anonymous

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid
        user = str(os.getuid())
    return Anonymous(client=f"cli:{user}", organisation=organisation)


def _record_cli(
    session: Session, action: str, detail: str, organisation: str | None = None
) -> None:
    """An audit event for a command; ``organisation``: the one it acted on (its admins see
    it in their log)."""
    from api.audit import COMMAND_LINE, audit_event

    event = audit_event(_operator(organisation), action, detail=detail)
    event.actor_name = COMMAND_LINE
    session.add(event)


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
    holder: Annotated[
        str | None,
        typer.Option(
            help="Another key for this holder id (rotation: their encounters stay "
            "theirs); role and organisation must be the holder's."
        ),
    ] = None,
) -> None:
    """Create an API key and print it once; only its digest is stored."""
    from api.keys import KeyIssueError, Role, issue_key

    with _open_session() as session:
        try:
            issued = issue_key(session, role=Role(role.value), name=name,
                               organisation=organisation, holder_id=holder)  # fmt: skip
        except KeyIssueError as exc:
            _err.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(2) from None
        _record_cli(session, "key.create", f"key {issued.principal.key_id}", organisation)
        session.commit()
    _err.print(
        f"created {role.value} key {issued.principal.key_id} (holder "
        f"{issued.principal.holder_id}) for {name!r} ({organisation}); it is shown once, "
        "store it now:"
    )
    sys.stdout.write(issued.secret + "\n")


class UserRoleOption(StrEnum):
    clinician = "clinician"
    reviewer = "reviewer"
    admin = "admin"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        _err.print("[bold red]error:[/] the passwords differ")
        raise typer.Exit(2)
    return first


@admin_app.command("create-user")
def create_user(
    username: Annotated[str, typer.Option(help="What the person signs in with.")],
    name: Annotated[str, typer.Option(help="Their name as shown (no patient data).")],
    role: Annotated[UserRoleOption, typer.Option(help="clinician, reviewer or admin.")],
    organisation: Annotated[str, typer.Option("--org", help="Organisation they belong to.")] = (
        "default"
    ),
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from the first line of standard input.")
    ] = False,
) -> None:
    """Create a web app user (a key holder of their own); the password is asked for twice, or
    read from standard input, and stored only as an argon2 hash."""
    from api.keys import Role
    from api.web.accounts import AccountError
    from api.web.accounts import create_user as make_user

    password = _read_password(password_stdin)
    with _open_session() as session:
        try:
            user = make_user(session, username=username, name=name, role=Role(role.value),
                             organisation=organisation, password=password)  # fmt: skip
        except AccountError as exc:
            _err.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(2) from None
        _record_cli(session, "user.create", f"user {user.id}", organisation)
        session.commit()
    _err.print(f"created {role.value} user {user.username} (id {user.id}, holder {user.holder_id})")


@admin_app.command("disable-user")
def disable_user(username: Annotated[str, typer.Argument(help="The user's username.")]) -> None:
    """Disable a user: they cannot sign in, and their open sessions end now."""
    from sqlalchemy import select

    from api.persistence.tables import KeyHolder, User
    from api.web.accounts import disable_user as disable
    from api.web.accounts import normalise_username

    with _open_session() as session:
        user = session.scalars(
            select(User).where(User.username == normalise_username(username))
        ).first()
        if user is None:
            _err.print("[bold red]error:[/] no such user")
            raise typer.Exit(2)
        holder = session.get(KeyHolder, user.holder_id)
        disable(session, user)
        _record_cli(session, "user.disable", f"user {user.id}",
                    holder.organisation if holder else None)  # fmt: skip
        session.commit()
    _err.print(f"disabled {user.username}")


@admin_app.command("list-keys")
def list_keys() -> None:
    """Keys (never their secrets)."""
    from sqlalchemy import select

    from api.persistence.tables import ApiKey

    table = Table("id", "holder", "prefix", "role", "name", "organisation", "created", "revoked")
    with _open_session() as session:
        keys = session.scalars(select(ApiKey).order_by(ApiKey.created_at)).all()
        for key in keys:
            revoked = key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else ""
            table.add_row(key.id, key.holder_id, key.prefix, key.role, key.name, key.organisation,
                          key.created_at.isoformat(timespec="seconds"), revoked)  # fmt: skip
        _record_cli(session, "key.list", f"{len(keys)} keys")
        session.commit()
    Console(width=200).print(table)


@admin_app.command("revoke-key")
def revoke_key(key_id: Annotated[str, typer.Argument(help="The key's id.")]) -> None:
    """Revoke a key: every worker of a running service refuses it from its next request."""
    from api.persistence.database import utcnow
    from api.persistence.tables import ApiKey

    with _open_session() as session:
        key = session.get(ApiKey, key_id)
        if key is None:
            _err.print("[bold red]error:[/] no such key")
            raise typer.Exit(2)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            _record_cli(session, "key.revoke", f"key {key.id}", key.organisation)
            session.commit()
    _err.print(f"revoked {key_id}")


@admin_app.command("audit")
def audit_log(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Events, newest first.")] = 50,
    organisation: Annotated[
        str | None, typer.Option("--org", help="Only this organisation's events.")
    ] = None,
) -> None:
    """The audit log of every organisation, requests without a valid key included (what an
    organisation's admin cannot see through the API)."""
    from sqlalchemy import select

    from api.persistence.tables import AuditEvent

    table = Table("seq", "at", "actor", "role", "organisation", "action", "outcome",
                  "encounter", "client", "detail")  # fmt: skip
    with _open_session() as session:
        query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
        if organisation is not None:
            query = query.where(AuditEvent.organisation == organisation)
        events = session.scalars(query).all()
        for e in events:
            table.add_row(str(e.seq), e.at.isoformat(timespec="seconds"), e.actor_name or "",
                          e.actor_role or "", e.organisation or "", e.action, e.outcome,
                          e.encounter_id or "", e.client or "", e.detail or "")  # fmt: skip
        _record_cli(session, "audit.read", f"{len(events)} events", organisation)
        session.commit()
    Console(width=240).print(table)


@admin_app.command("verify-audit")
def verify_audit() -> None:
    """Check the audit log's hash chain; exits 1 when an event was changed, removed or added
    outside the service. Keep the printed head elsewhere to detect a rebuilt chain too."""
    from api.persistence.audit_chain import verify

    with _open_session() as session:
        report = verify(session)
    if not report.intact:
        _err.print(f"[bold red]audit log tampered:[/] {report.problem} (at seq {report.at_seq})")
        raise typer.Exit(1)
    _err.print(f"audit log intact: {report.events} events")
    sys.stdout.write(f"head {report.head_seq} {report.head_hash}\n")


from api.scale import cli as _scale_cli  # noqa: E402  (adds `scribe worker` and `scribe batch`)

__all__ = ["_scale_cli", "app"]
