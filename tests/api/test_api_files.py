"""What the service writes to disk is for its own user only: the database and its side files
0600, the data and recordings folders 0700, each recording 0600 (whatever the umask)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from api_support import Api

from api.persistence.database import make_engine

AUDIO = Path(__file__).resolve().parents[2] / "fixtures" / "audio"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (022): files are world-readable unless the service says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_api_files_are_private(make_api: Callable[..., Api], open_umask: None) -> None:
    api = make_api(audio_retention_hours=24)  # keep the recording, to look at it
    api.create_text()
    uploaded = api.client.post(
        "/v1/encounters/audio",
        files={"file": ("x.flac", (AUDIO / "silence.flac").read_bytes(), "audio/flac")},
        data={"context": json.dumps({})},
        headers=api.auth("clinician"),
    )
    assert uploaded.status_code == 202, uploaded.text
    database = Path(api.settings.resolved_database_url.removeprefix("sqlite:///"))
    side = [database.with_name(database.name + s) for s in ("-wal", "-shm", "-writer")]
    assert all(p.exists() for p in side), [p.name for p in side if not p.exists()]
    for path in (database, *side):
        assert _mode(path) == 0o600, (path.name, oct(_mode(path)))
    audio_dir = api.settings.audio_dir
    assert _mode(api.settings.data_dir) == 0o700 and _mode(audio_dir) == 0o700
    recordings = list(audio_dir.iterdir())
    assert recordings and all(_mode(p) == 0o600 for p in recordings)


def test_api_files_left_readable_are_tightened(tmp_path: Path, open_umask: None) -> None:
    """A database an older version made world-readable is 0600 at the next start."""
    database = tmp_path / "data" / "scribe.db"
    database.parent.mkdir()
    for path in (database, database.with_name("scribe.db-wal")):
        path.touch(mode=0o644)
        os.chmod(path, 0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert _mode(database) == 0o600
    assert _mode(database.with_name("scribe.db-wal")) == 0o600
    assert _mode(database.parent) == 0o700
