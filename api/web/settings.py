"""The web app's own settings (``SCRIBE_WEB_*``): how long a sign-in lasts, how much the
recorder may stream."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCRIBE_WEB_", extra="ignore")

    session_idle_minutes: float = Field(
        default=30.0, gt=0, description="A session unused this long ends (sign in again)."
    )
    session_max_hours: float = Field(
        default=12.0, gt=0, description="A session ends this long after sign-in, used or not."
    )
    secure_cookies: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="The session cookie's Secure flag: auto sets it when the request came over "
        "TLS (https, or X-Forwarded-Proto from a trusted proxy).",
    )
    max_failed_sign_ins: int = Field(
        default=10, ge=1, description="Failed passwords in a row before the account waits."
    )
    lockout_minutes: float = Field(
        default=15.0, ge=0, description="How long an account waits after too many failures."
    )
    stream_max_concurrent: int = Field(
        default=4,
        ge=0,
        description="Dictations one worker process transcribes while they are spoken, at once; "
        "a recorder refused a place sends its recording when the clinician stops.",
    )
    stream_max_piece_bytes: int = Field(
        default=131_072,
        ge=1_024,
        description="Largest audio piece (one WebSocket message) a recorder may stream.",
    )
    stream_idle_seconds: float = Field(
        default=20.0, gt=0, description="A stream with no message for this long is closed."
    )
