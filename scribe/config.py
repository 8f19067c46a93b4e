"""Settings in one place; each can be set from the environment (``SCRIBE_*``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    payer_policy_files: list[Path] = Field(
        default_factory=list,
        description="A practice's own payer policy files, loaded after lexicons/billing/payers/.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
