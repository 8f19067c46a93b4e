"""API keys: made once, shown once, stored as a SHA-256 digest.

Keys are 256-bit random tokens, so a plain SHA-256 digest is enough to store them safely (a slow
password hash protects guessable secrets; these are not guessable) and lets a request be
authenticated with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.persistence.database import utcnow
from api.persistence.tables import ApiKey

KEY_PREFIX = "dns_"


class Role(StrEnum):
    clinician = "clinician"
    reviewer = "reviewer"
    integration = "integration"
    admin = "admin"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id, name, role and organisation."""

    key_id: str
    name: str
    role: Role
    organisation: str


@dataclass(frozen=True)
class IssuedKey:
    principal: Principal
    secret: str
    prefix: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_key(session: Session, *, role: Role, name: str, organisation: str) -> IssuedKey:
    """Create a key; the secret is returned here and never stored or shown again."""
    name = name.strip()
    organisation = organisation.strip()
    if not name or not organisation:
        raise ValueError("a key needs a name and an organisation")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    prefix = secret[: len(KEY_PREFIX) + 6]
    record = ApiKey(
        id=str(uuid.uuid4()),
        name=name,
        role=role.value,
        organisation=organisation,
        key_hash=digest(secret),
        prefix=prefix,
        created_at=utcnow(),
        revoked_at=None,
    )
    session.add(record)
    session.flush()
    return IssuedKey(principal=principal_of(record), secret=secret, prefix=prefix)


def principal_of(record: ApiKey) -> Principal:
    return Principal(
        key_id=record.id,
        name=record.name,
        role=Role(record.role),
        organisation=record.organisation,
    )


class KeyCache:
    """Recently authenticated keys, so most requests need no database lookup.

    A revocation through the API takes effect at once (``forget``); one made from the command
    line or another process within ``ttl`` seconds.
    """

    def __init__(self, ttl: float = 10.0) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def get(self, secret: str) -> Principal | None:
        key = digest(secret)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                self._entries.pop(key, None)
                return None
            return entry[1]

    def put(self, secret: str, principal: Principal) -> None:
        with self._lock:
            if len(self._entries) > 10_000:  # bounded: drop everything rather than grow
                self._entries.clear()
            self._entries[digest(secret)] = (time.monotonic() + self.ttl, principal)

    def forget(self, key_id: str) -> None:
        with self._lock:
            for key in [k for k, (_, p) in self._entries.items() if p.key_id == key_id]:
                del self._entries[key]


def authenticate(session: Session, secret: str) -> Principal | None:
    """The principal behind a bearer secret, or None (unknown or revoked)."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    record = session.scalars(select(ApiKey).where(ApiKey.key_hash == digest(secret))).first()
    if record is None or record.revoked_at is not None:
        return None
    return principal_of(record)
