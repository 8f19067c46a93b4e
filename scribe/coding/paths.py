"""Where the data files live: the one setting in :mod:`scribe.config`."""

from __future__ import annotations

from pathlib import Path

from scribe.config import get_settings


def lexicon_dir() -> Path:
    """The ``lexicons/`` folder (``$SCRIBE_LEXICON_DIR`` if set, else the repository's)."""
    return get_settings().lexicon_dir
