"""The service's tables (SQLAlchemy 2 declarative).

Notes, codings and transcripts are stored as the JSON their pydantic models serialise to, so
what is read back is byte for byte what was validated when it was written. Revisions and audit
events are append-only: the migrations add database triggers that refuse UPDATE, DELETE and an
INSERT that would replace a row; audit events are also chained by hash (``audit_chain``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class KeyHolder(Base):
    """Who holds keys: a person or a system, with a stable id. Encounters belong to their
    holder (never to a name); a holder may have several keys over time (rotation)."""

    __tablename__ = "key_holders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiKey(Base):
    """A caller: its role, its organisation, and the SHA-256 of its secret (never the secret)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    holder_id: Mapped[str] = mapped_column(
        ForeignKey("key_holders.id", name="fk_api_keys_holder"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class User(Base):
    """A person who signs in to the web app: a key holder (their role, organisation and name,
    and what "own" means for them), with a password hashed by argon2 (never the password)."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    holder_id: Mapped[str] = mapped_column(
        ForeignKey("key_holders.id", name="fk_users_holder"), unique=True
    )
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A signed-in browser: the SHA-256 of its cookie's secret (never the secret), its CSRF
    token, and when it ends (idle or absolute expiry, or sign-out)."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", name="fk_web_sessions_user"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Encounter(Base):
    """One dictated session: its input, the extracted note, its coding and review state.

    ``version`` counts every change; SQLAlchemy checks it on UPDATE, so two writers that read
    the same version cannot both win (the loser gets a conflict, nothing is lost).
    """

    __tablename__ = "encounters"
    __table_args__ = (
        Index("ix_encounters_org_status", "organisation", "status"),
        Index("ix_encounters_status", "status"),
        Index("ix_encounters_history", "organisation", "patient_ref", "payer", "date_of_service"),
        Index("ix_encounters_owner", "organisation", "owner_id"),
        # One encounter per submission of each owner: a recording's repeat (the browser's
        # upload after a stream whose answer was lost) finds the first, even when both race.
        Index("uq_encounters_submission", "owner_id", "submission_id", unique=True),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(100))
    # Whose encounter it is: the holder of the key (or the user) that created it (what "own"
    # means).
    owner_id: Mapped[str] = mapped_column(ForeignKey("key_holders.id", name="fk_encounters_owner"))
    # The credential it was created with: an API key's id, or a signed-in user's id.
    created_by_key: Mapped[str] = mapped_column(String(36))
    created_by_name: Mapped[str] = mapped_column(String(200))
    # The id the client gave this submission (a UUID, per recording), so that a repeat of it
    # returns this encounter instead of making another; None when the client gave none.
    submission_id: Mapped[str | None] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(String(10))  # text | audio
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    context_json: Mapped[str] = mapped_column(Text)
    history_json: Mapped[str | None] = mapped_column(Text)
    patient_ref: Mapped[str | None] = mapped_column(String(200))
    payer: Mapped[str | None] = mapped_column(String(20))
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)
    transcript_json: Mapped[str | None] = mapped_column(Text)
    note_json: Mapped[str | None] = mapped_column(Text)
    coding_json: Mapped[str | None] = mapped_column(Text)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reasons_json: Mapped[str] = mapped_column(Text, default="[]")
    needling_session: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_off_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    signed_off_by: Mapped[str | None] = mapped_column(String(200))
    audio_path: Mapped[str | None] = mapped_column(Text)
    audio_format: Mapped[str | None] = mapped_column(String(20))
    # A recording's job: the worker process holding it, and when that worker last said so.
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's own mapping)


class RecordingChunk(Base):
    """Part of an uploaded recording kept in the database (scale-out mode: hosts share no
    folder). Deleted with the recording, as files are in the embedded mode."""

    __tablename__ = "recording_chunks"

    encounter_id: Mapped[str] = mapped_column(
        ForeignKey("encounters.id", name="fk_recording_chunks_encounter"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class NoteRevision(Base):
    """An immutable step in a note's history: the extraction, then each correction."""

    __tablename__ = "note_revisions"
    __table_args__ = (UniqueConstraint("encounter_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # extraction | correction
    author_key: Mapped[str | None] = mapped_column(String(36))
    author_name: Mapped[str] = mapped_column(String(200))
    author_role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    operations_json: Mapped[str] = mapped_column(Text, default="[]")
    note_before_json: Mapped[str | None] = mapped_column(Text)
    note_after_json: Mapped[str] = mapped_column(Text)
    coding_after_json: Mapped[str] = mapped_column(Text)


class AuditEvent(Base):
    """Who did what to which encounter, when and from where. Holds no note text and no
    patient identifier. ``seq`` numbers the events without gaps in commit order and ``hash``
    chains each to the one before (see ``api.persistence.audit_chain``)."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("seq", name="uq_audit_events_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_key: Mapped[str | None] = mapped_column(String(36))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    organisation: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    encounter_id: Mapped[str | None] = mapped_column(String(36), index=True)
    outcome: Mapped[str] = mapped_column(String(20))  # ok | denied | not_found | conflict...
    client: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(String(300))


class AuditChainHead(Base):
    """One row: the last audit event's ``seq`` and ``hash``. Writers of audit events lock it,
    so the chain has one order; a log cut at its end no longer matches it."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
