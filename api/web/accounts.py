"""User accounts and their sign-in sessions (no HTTP here).

A user is a key holder: the same principal (stable holder id, role, organisation) as a key's,
so ownership, visibility and the audit log treat a signed-in person and an API key alike.
Passwords are hashed with argon2id (argon2-cffi); a session is a random secret held by the
browser's cookie, stored here as its SHA-256 (like API keys: it is not guessable), with a CSRF
token and two expiries (idle and absolute), and ends at sign-out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.keys import Principal, Role
from api.persistence.database import as_utc, utcnow
from api.persistence.tables import KeyHolder, User, WebSession
from api.web.settings import WebSettings

USER_ROLES = (Role.clinician, Role.reviewer, Role.admin)  # integrations use API keys
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # argon2 hashes any length; this bounds the work a request can ask for
TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most this often
_hasher = PasswordHasher()
# Verified when the username is unknown, so that the answer takes as long as for a known one.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A user that cannot be made or changed as asked; the message holds no password."""


class SignInError(Exception):
    """Sign-in refused; ``reason`` is for the audit log (the person sees one message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignedIn:
    """A live session: who, and the CSRF token its writes must carry."""

    principal: Principal
    session_id: str
    csrf_token: str
    username: str


def normalise_username(username: str) -> str:
    return username.strip().casefold()


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password_rules(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    if password.strip() != password or not password.isprintable():
        raise AccountError("a password cannot start or end with spaces or hold control characters")


def create_user(
    session: Session,
    *,
    username: str,
    name: str,
    role: Role,
    organisation: str,
    password: str,
) -> User:
    """A new user with a key holder of their own (not committed)."""
    username = normalise_username(username)
    name, organisation = name.strip(), organisation.strip()
    if not USERNAME.fullmatch(username):
        raise AccountError(
            "a username is 2 to 100 characters: letters, digits and . _ @ - (not first)"
        )
    if role not in USER_ROLES:
        raise AccountError("a user is a clinician, reviewer or admin (integrations use keys)")
    if not name or not organisation or len(name) > 200 or len(organisation) > 100:
        raise AccountError("a user needs a name (200 characters at most) and an organisation")
    if not name.isprintable() or not organisation.isprintable():
        raise AccountError("a name or organisation cannot hold control characters")
    check_password_rules(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError("that username is taken")
    now = utcnow()
    holder = KeyHolder(
        id=str(uuid.uuid4()), name=name, role=role.value, organisation=organisation, created_at=now
    )
    session.add(holder)
    session.flush()
    user = User(
        id=str(uuid.uuid4()),
        holder_id=holder.id,
        username=username,
        password_hash=_hasher.hash(password),
        created_at=now,
        disabled_at=None,
        failed_attempts=0,
        locked_until=None,
    )
    session.add(user)
    session.flush()
    return user


def principal_of(user: User, holder: KeyHolder) -> Principal:
    """The user as a principal: their user id is the credential, their holder id the owner."""
    return Principal(
        key_id=user.id,
        holder_id=holder.id,
        name=holder.name,
        role=Role(holder.role),
        organisation=holder.organisation,
    )


def sign_in(
    session: Session, username: str, password: str, settings: WebSettings
) -> tuple[str, SignedIn]:
    """Check the password and open a session: (the cookie's secret, the session). Raises
    SignInError (audit reason: unknown, disabled, locked, wrong-password); not committed."""
    now = utcnow()
    found = session.execute(
        select(User, KeyHolder)
        .join(KeyHolder, KeyHolder.id == User.holder_id)
        .where(User.username == normalise_username(username))
    ).first()
    if found is None or len(password) > MAX_PASSWORD:
        _verify(_DUMMY_HASH, password[:MAX_PASSWORD])
        raise SignInError("unknown-user" if found is None else "wrong-password")
    user, holder = found
    if user.locked_until is not None and as_utc(user.locked_until) > now:
        raise SignInError("locked")
    if not _verify(user.password_hash, password):
        user.failed_attempts += 1
        if user.failed_attempts >= settings.max_failed_sign_ins:
            user.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
            user.failed_attempts = 0
        raise SignInError("wrong-password")
    if user.disabled_at is not None:
        raise SignInError("disabled")
    user.failed_attempts, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=settings.session_max_hours)
    record = WebSession(
        id=digest(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=expires,
        ended_at=None,
    )
    session.add(record)
    return token, SignedIn(principal_of(user, holder), record.id, record.csrf_token, user.username)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def current(session: Session, token: str, settings: WebSettings) -> SignedIn | None:
    """The live session behind a cookie's secret, or None (unknown, ended, expired by age or
    idleness, or its user disabled). Marks it used (at most once a minute; committed by the
    caller's transaction, or here when the caller only reads)."""
    if not token or len(token) > 100:
        return None
    now = utcnow()
    found = session.execute(
        select(WebSession, User, KeyHolder)
        .join(User, User.id == WebSession.user_id)
        .join(KeyHolder, KeyHolder.id == User.holder_id)
        .where(WebSession.id == digest(token))
    ).first()
    if found is None:
        return None
    record, user, holder = found
    idle = dt.timedelta(minutes=settings.session_idle_minutes)
    if (
        record.ended_at is not None
        or user.disabled_at is not None
        or as_utc(record.expires_at) <= now
        or as_utc(record.last_seen_at) + idle <= now
    ):
        return None
    if now - as_utc(record.last_seen_at) >= TOUCH_EVERY:
        session.execute(
            update(WebSession).where(WebSession.id == record.id).values(last_seen_at=now)
        )
        session.commit()
    return SignedIn(principal_of(user, holder), record.id, record.csrf_token, user.username)


def end_session(session: Session, session_id: str) -> None:
    """Sign out: the session is refused from now on (not committed)."""
    session.execute(
        update(WebSession)
        .where(WebSession.id == session_id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def disable_user(session: Session, user: User) -> None:
    """The user can no longer sign in, and their open sessions end (not committed)."""
    now = utcnow()
    if user.disabled_at is None:
        user.disabled_at = now
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
        .values(ended_at=now)
    )
