"""Request and response bodies of the HTTP API (``XCreate`` in, ``XPublic`` out)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext
from scribe.schemas.corrections import Correction
from scribe.schemas.note import Note
from scribe.schemas.transcript import Transcript

# Text a caller names things with: one line, no control characters (PostgreSQL refuses NUL).
Label = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# Dates of service outside these years are typing errors, not sessions.
EARLIEST_DOS = dt.date(1990, 1, 1)
LATEST_DOS = dt.date(2199, 12, 31)

EncounterStatus = Literal["queued", "transcribing", "extracting", "ready", "failed"]
RoleName = Literal["clinician", "reviewer", "integration", "admin"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EncounterContextIn(EncounterContext):
    """The coding context, plus the EHR's patient reference (used for session history)."""

    patient_ref: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9._:/|#-]+$",
        description="The EHR's patient identifier; with it the service keeps the session "
        "history and computes the Medicare chronic low back pain session number.",
    )

    @field_validator("dos", "prior_session_dates")
    @classmethod
    def _plausible_dates(cls, value: dt.date | list[dt.date] | None) -> object:
        dates = value if isinstance(value, list) else [value] if value else []
        for day in dates:
            if not EARLIEST_DOS <= day <= LATEST_DOS:
                raise ValueError(
                    f"a date of service must be between {EARLIEST_DOS} and {LATEST_DOS}"
                )
        return value


class EncounterTextCreate(Strict):
    text: str = Field(description="The dictation, as typed or dictated.")
    context: EncounterContextIn = Field(default_factory=EncounterContextIn)


class SignOff(Strict):
    at: dt.datetime
    by: str


class SessionHistory(Strict):
    """How the session limits were checked."""

    prior_session_dates: list[dt.date] = Field(
        description="Earlier dry needling sessions of this patient with this payer (this "
        "service's records plus any the caller gave)."
    )
    session_number: int | None
    session_number_source: Literal["given", "computed", "none"]


class EncounterSummary(Strict):
    id: str
    status: EncounterStatus
    progress: float = Field(ge=0, le=1)
    source: Literal["text", "audio"]
    revision: int = Field(description="Changes with every write; send it back in If-Match.")
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    date_of_service: dt.date
    needs_review: bool
    review_reasons: list[str]
    signed_off: SignOff | None
    muscle_count: int | None
    codes: list[str]
    failure_reason: str | None


class EncounterEnvelope(EncounterSummary):
    context: EncounterContextIn
    history: SessionHistory | None
    text: str | None = Field(description="The dictation, or the transcript of the recording.")


class EncounterPublic(EncounterEnvelope):
    transcript: Transcript | None
    note: Note | None
    coding: CodingResult | None


class EncounterPage(Strict):
    items: list[EncounterSummary]
    total: int
    limit: int
    offset: int


class RevisionAuthor(Strict):
    name: str
    role: str


class RevisionPublic(Strict):
    number: int
    kind: Literal["extraction", "correction"]
    author: RevisionAuthor
    created_at: dt.datetime
    reason: str | None
    operations: list[Correction]
    note_before: Note | None
    note_after: Note
    coding_after: CodingResult


class RevisionList(Strict):
    encounter_id: str
    items: list[RevisionPublic]


class ApiKeyCreate(Strict):
    role: RoleName
    name: Label
    organisation: Annotated[Label, Field(max_length=100)] | None = Field(
        default=None, description="The admin's own organisation (the default; no other)."
    )
    holder_id: str | None = Field(
        default=None,
        pattern=UUID_PATTERN,
        description="Another key for this holder (same role): what they created stays theirs.",
    )


class ApiKeyPublic(Strict):
    id: str
    holder_id: str = Field(description="Who holds the key: encounters belong to this id.")
    name: str
    role: RoleName
    organisation: str
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The secret: shown this once, stored only as a digest.")


class AuditEventPublic(Strict):
    id: int
    seq: int = Field(description="Place in the hash chain (1, 2, 3... in commit order).")
    at: dt.datetime
    actor_key: str | None
    actor_name: str | None
    actor_role: str | None
    organisation: str | None
    action: str
    encounter_id: str | None
    outcome: str
    client: str | None
    detail: str | None


class AuditPage(Strict):
    items: list[AuditEventPublic]
    limit: int
    before_id: int | None


class Health(Strict):
    status: Literal["ok", "unavailable"]
    database: bool
    nlp: bool
    asr_model: str
    asr_model_available: bool
    version: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, object]] | None = None
