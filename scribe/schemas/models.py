"""Schema of ``models/registry.yaml``: which names map to which speech models."""

from __future__ import annotations

from pydantic import Field, model_validator

from scribe.schemas.common import Frozen
from scribe.schemas.lexicon import FileHeader


class PackageFile(Frozen):
    package: str
    file: str


class PackageDir(Frozen):
    package: str
    dir: str


class InstallStep(Frozen):
    requirements: list[str] = Field(min_length=1)
    files_from: PackageDir
    model_parts: list[PackageFile] = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class ModelEntry(Frozen):
    name: str
    description: str
    license: str
    package: str | None = None
    package_dir: str | None = None
    directory: str | None = Field(default=None, description="Under models/, once installed.")
    install: InstallStep | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ModelEntry:
        if (self.package is None) == (self.directory is None):
            raise ValueError(f"{self.name}: give either a package or a directory")
        if self.directory is not None and self.install is None:
            raise ValueError(f"{self.name}: a directory model needs an install step")
        return self


class ModelRegistry(FileHeader):
    models: list[ModelEntry] = Field(min_length=1)
