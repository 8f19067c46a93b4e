"""Where the data files live (kept in one small function so config can take it over)."""

from __future__ import annotations

import os
from pathlib import Path


def lexicon_dir() -> Path:
    """The ``lexicons/`` folder: ``$SCRIBE_LEXICON_DIR`` if set, else the one in the repository."""
    configured = os.environ.get("SCRIBE_LEXICON_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "lexicons"
