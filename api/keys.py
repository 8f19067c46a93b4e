"""API keys: made once, shown once, stored as a SHA-256 digest.

Keys are 256-bit random tokens, so a plain SHA-256 digest is enough to store them safely (a slow
password hash protects guessable secrets; these are not guessable) and lets a request be
authenticated with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.persistence.database import utcnow
from api.persistence.tables import ApiKey, KeyHolder

KEY_PREFIX = "dns_"


class Role(StrEnum):
    clinician = "clinician"
    reviewer = "reviewer"
    integration = "integration"
    admin = "admin"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id, its holder's stable id (what "own" is decided by), the
    name (for display only), role and organisation."""

    key_id: str
    holder_id: str
    name: str
    role: Role
    organisation: str


@dataclass(frozen=True)
class IssuedKey:
    principal: Principal
    secret: str
    prefix: str


class KeyIssueError(ValueError):
    """A key that cannot be made as asked (the message says why; it holds no secret)."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_key(
    session: Session,
    *,
    role: Role,
    name: str,
    organisation: str,
    holder_id: str | None = None,
) -> IssuedKey:
    """Create a key; the secret is returned here and never stored or shown again.

    Without ``holder_id`` the key has a new holder; with it, the key is one more for that
    holder (a rotation: what the holder created stays theirs), who must have this role and
    organisation."""
    name = name.strip()
    organisation = organisation.strip()
    if not name or not organisation:
        raise KeyIssueError("a key needs a name and an organisation")
    now = utcnow()
    if holder_id is None:
        holder = KeyHolder(id=str(uuid.uuid4()), name=name, role=role.value,
                           organisation=organisation, created_at=now)  # fmt: skip
        session.add(holder)
        session.flush()  # before the key that points to it
    else:
        found = session.get(KeyHolder, holder_id)
        if found is None or found.organisation != organisation:
            raise KeyIssueError("no such key holder in this organisation")
        if found.role != role.value:
            raise KeyIssueError(f"the key holder's role is {found.role}, not {role.value}")
        holder = found
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    prefix = secret[: len(KEY_PREFIX) + 6]
    record = ApiKey(
        id=str(uuid.uuid4()),
        holder_id=holder.id,
        name=name,
        role=role.value,
        organisation=organisation,
        key_hash=digest(secret),
        prefix=prefix,
        created_at=now,
        revoked_at=None,
    )
    session.add(record)
    session.flush()
    return IssuedKey(principal=principal_of(record), secret=secret, prefix=prefix)


def principal_of(record: ApiKey) -> Principal:
    return Principal(
        key_id=record.id,
        holder_id=record.holder_id,
        name=record.name,
        role=Role(record.role),
        organisation=record.organisation,
    )


@dataclass(frozen=True)
class KeyCheck:
    """What a bearer secret turned out to be: a live key's principal, or a revoked key's id
    (for the audit log), or neither (unknown)."""

    principal: Principal | None
    revoked_key_id: str | None = None
    revoked_organisation: str | None = None


def check_key(session: Session, secret: str) -> KeyCheck:
    """Look the secret up now. There is deliberately no cache of positive answers: a key
    revoked by any process (another worker, the command line) fails on its next request."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return KeyCheck(None)
    record = session.scalars(select(ApiKey).where(ApiKey.key_hash == digest(secret))).first()
    if record is None:
        return KeyCheck(None)
    if record.revoked_at is not None:
        return KeyCheck(None, revoked_key_id=record.id, revoked_organisation=record.organisation)
    return KeyCheck(principal_of(record))


def authenticate(session: Session, secret: str) -> Principal | None:
    """The principal behind a bearer secret, or None (unknown or revoked)."""
    return check_key(session, secret).principal


_KEY_ROW = (
    "SELECT id, holder_id, name, role, organisation, revoked_at IS NOT NULL "
    "FROM api_keys WHERE key_hash = ?"
)


class SqliteKeyReader:
    """Reads key rows from a SQLite database on a read-only connection of its own, in the
    calling (event loop) thread: an indexed read in WAL mode does not wait for writers, and is
    cheaper than the trip to a thread that each request would otherwise make for it. Nothing is
    cached: every request reads the row as committed now.

    A read that finds the database busy (a checkpoint or recovery, rarely) gives up after
    ``busy_seconds`` and returns None: the caller then reads in a thread instead."""

    def __init__(self, database: Path, *, busy_seconds: float = 0.05) -> None:
        uri = f"{database.resolve().as_uri()}?mode=ro"
        self._connection = sqlite3.connect(
            uri, uri=True, timeout=busy_seconds, isolation_level=None, check_same_thread=False
        )

    def check(self, secret: str) -> KeyCheck | None:
        if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
            return KeyCheck(None)
        try:
            row = self._connection.execute(_KEY_ROW, (digest(secret),)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return KeyCheck(None)
        key_id, holder_id, name, role, organisation, revoked = row
        if revoked:
            return KeyCheck(None, revoked_key_id=key_id, revoked_organisation=organisation)
        return KeyCheck(Principal(key_id, holder_id, name, Role(role), organisation))

    def close(self) -> None:
        self._connection.close()
