"""Settings in one place; each can be set from the environment (``SCRIBE_*``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from scribe.claims.identifiers import check_npi, check_tax_id

_REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCRIBE_", extra="ignore")

    lexicon_dir: Path = Field(
        default=_REPO_ROOT / "lexicons",
        description="Folder holding muscles.yaml, context_rules.yaml, billing rules...",
    )
    max_input_chars: int = Field(
        default=50_000, gt=0, description="Dictations longer than this are refused."
    )
    models_dir: Path = Field(
        default=_REPO_ROOT / "models",
        description="Holds registry.yaml, and weights/ for `scribe models install`.",
    )
    asr_model: str = Field(
        default="tiny.en",
        description="A name from models/registry.yaml, or a CTranslate2 Whisper model folder.",
    )
    asr_device: str = Field(default="cpu", description="cpu, cuda or auto.")
    asr_compute_type: str = Field(default="int8", description="CTranslate2 compute type.")
    max_audio_seconds: float = Field(
        default=900.0, gt=0, description="Recordings longer than this are refused."
    )
    low_confidence: float = Field(
        default=0.5,
        gt=0,
        lt=1,
        description="Word probability under which a muscle, side, count or injectate word is "
        "flagged for review.",
    )
    payer_policy_files: list[Path] = Field(
        default_factory=list,
        description="A practice's own payer policy files, loaded after lexicons/billing/payers/.",
    )

    # --- the service (`scribe serve`) ------------------------------------------------------
    data_dir: Path = Field(
        default=_REPO_ROOT / "var",
        description="Where the service keeps its SQLite database and uploaded audio.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL (sqlite:///... or postgresql+psycopg://...); "
        "default: a SQLite file in data_dir, WAL mode.",
    )
    max_upload_bytes: int = Field(
        default=100 * 1024 * 1024, gt=0, description="Largest audio upload accepted."
    )
    extract_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Time budget of one text extraction request (waiting for a free extraction "
        "thread included); past it the request is answered 503 and nothing is stored.",
    )
    extract_workers: int = Field(
        default=3,
        ge=1,
        le=64,
        description="Text extractions that run at once in one worker process, on threads of "
        "their own (reads and /health never wait behind them).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For is "
        "believed (the audit log's client address); empty: the header is ignored.",
    )
    worker_start_seconds: int = Field(
        default=180,
        ge=5,
        description="How long a `scribe serve` worker may take to start (load the pipeline) or "
        "to answer the supervisor's health check before it is restarted.",
    )
    audio_retention_hours: float = Field(
        default=0.0,
        ge=0,
        description="How long uploaded audio is kept after its job ends; 0 deletes it as soon "
        "as the transcription is done.",
    )

    # --- scale-out: Celery workers on other hosts (`scribe worker`, docs/scaling.md) ----------
    broker_url: str | None = Field(
        default=None,
        description="Celery broker (redis://host:6379/0 or amqp://...). Unset: recordings are "
        "transcribed inside the API's processes (one machine). Set: the API only enqueues and "
        "`scribe worker` processes on any host do the work; needs PostgreSQL.",
    )
    result_backend: str | None = Field(
        default=None,
        description="Celery result backend for `scribe batch` fan-out; default: the broker "
        "URL for Redis, rpc:// for RabbitMQ.",
    )
    job_seconds_base: float = Field(
        default=120.0, gt=0, description="A recording's job time limit: this many seconds..."
    )
    job_seconds_per_audio_second: float = Field(
        default=2.0, gt=0, description="...plus this many per second of audio."
    )
    broker_visibility_timeout_seconds: int | None = Field(
        default=None,
        ge=1,
        description="Redis: a job taken by a worker that died is handed out again after this "
        "long; default: the longest job's hard time limit plus 10 minutes.",
    )

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``data_dir/scribe.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'scribe.db'}"

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()


class ClaimSettings(BaseSettings):
    """Who bills the claims ``scribe claim`` writes (``SCRIBE_CLAIM_*``): the billing and
    rendering providers, the submitter and the receiver of the X12 file, and the practice's
    fee schedule. Unset values are never guessed: a claim that needs one is refused, naming
    the setting."""

    model_config = SettingsConfigDict(env_prefix="SCRIBE_CLAIM_", extra="ignore")

    billing_name: str | None = Field(default=None, description="Practice (billing provider).")
    billing_npi: str | None = Field(default=None, description="Billing provider NPI (type 2).")
    billing_tax_id: str | None = Field(default=None, description="Employer identification no.")
    billing_address: str | None = Field(default=None, description="Street address.")
    billing_city: str | None = None
    billing_state: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    billing_zip: str | None = Field(default=None, pattern=r"^\d{5}(?:\d{4})?$")
    billing_phone: str | None = Field(default=None, pattern=r"^\d{10}$")
    rendering_npi: str | None = Field(default=None, description="Treating clinician's NPI.")
    rendering_last_name: str | None = None
    rendering_first_name: str | None = None
    submitter_id: str | None = Field(default=None, description="ISA06/GS02 sender id.")
    submitter_name: str | None = None
    contact_name: str | None = None
    receiver_id: str | None = Field(default=None, description="ISA08/GS03 receiver id.")
    receiver_name: str | None = None
    usage: Literal["T", "P"] = Field(default="T", description="ISA15: test or production.")
    place_of_service: str = Field(default="11", pattern=r"^\d{2}$", description="11: office.")
    fee_schedule: Path | None = Field(
        default=None,
        description="A practice's fee schedule file; default lexicons/billing/fee_schedule.yaml.",
    )

    _npi = field_validator("billing_npi", "rendering_npi")(check_npi)
    _tax_id = field_validator("billing_tax_id")(check_tax_id)


def get_claim_settings() -> ClaimSettings:
    """The claim settings, read from the environment on each call (a practice may change them
    between claims)."""
    return ClaimSettings()
