"""The ``scribe`` command: extract a structured note and its coding from a dictation.

Errors go to stderr with a non-zero exit, and never quote the dictation or the file name
(file names can carry patient names).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from scribe.cli_options import (
    AbnArg,
    ClbpArg,
    DosArg,
    ExtractFormat,
    ExtractFormatOption,
    FormatOption,
    OtherCodesArg,
    OutputFormat,
    PayerArg,
    PolicyOption,
    PriorArg,
    ProviderArg,
    SessionArg,
    StateArg,
    encounter_context,
    settings_with_policies,
)
from scribe.config import Settings, get_settings
from scribe.errors import BinaryInputError, InputError, ScribeError
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note

app = typer.Typer(
    name="scribe",
    help="Local-first scribe for dry needling: dictation -> structured note -> CPT coding.",
    no_args_is_help=True,
    add_completion=False,
    # tracebacks with local variables would print the dictation: never
    pretty_exceptions_enable=False,
)
_err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Local-first scribe for dry needling: dictation -> structured note -> CPT coding."""


def _fail(message: str, code: int = 1) -> typer.Exit:
    _err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


def read_dictation(source: str, *, max_chars: int) -> str:
    """Read UTF-8 text from a file or ``-`` (stdin), refusing binary and oversized input."""
    if source == "-":
        data = sys.stdin.buffer.read(max_chars * 4 + 1)
    else:
        path = Path(source)
        if not path.exists():
            raise InputError("the input file does not exist")
        if not path.is_file():
            raise InputError("the input path is not a regular file")
        if path.stat().st_size > max_chars * 4:
            raise InputError(
                f"the input file is over the size limit ({max_chars:,} characters; "
                "raise SCRIBE_MAX_INPUT_CHARS if this is intended)"
            )
        data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise BinaryInputError()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # EHR exports in a Windows code page (a typographic quote as a single byte here and
        # there) are text; bytes that are mostly outside ASCII are not
        high = sum(1 for b in data[:8192] if b >= 0x80)
        if high > len(data[:8192]) // 20:
            raise BinaryInputError() from exc
        return data.decode("cp1252", errors="replace")


@app.command()
def extract(
    source: Annotated[
        str,
        typer.Argument(metavar="PATH|-", help="Dictation text or recording file, or - for stdin."),
    ],
    output: ExtractFormatOption = ExtractFormat.json,
    payer: PayerArg = None,
    clbp: ClbpArg = False,
    session_number: SessionArg = None,
    abn_option: AbnArg = None,
    other_codes: OtherCodesArg = None,
    provider: ProviderArg = None,
    dos: DosArg = None,
    prior_sessions: PriorArg = None,
    policy: PolicyOption = None,
    state: StateArg = None,
) -> None:
    """Extract the structured note and its coding from a dictation (text or a recording)."""
    settings = settings_with_policies(policy)
    try:
        context = encounter_context(
            payer,
            clbp,
            session_number,
            abn_option,
            other_codes,
            provider,
            dos,
            prior_sessions,
            state,
        )
        if source != "-" and _is_recording(Path(source)):
            _extract_recording(Path(source), context, settings, output)
            return
        text = read_dictation(source, max_chars=settings.max_input_chars)
        from scribe.pipeline import Scribe  # heavy import: only once the input is known good

        result = Scribe(settings=settings).extract(text, context)
    except ScribeError as exc:
        raise _fail(str(exc)) from None
    if output is ExtractFormat.json:
        _write_json(result.model_dump(mode="json"))
    elif output is ExtractFormat.text:
        from scribe.render import render_extraction_text

        sys.stdout.write(render_extraction_text(result))
    else:
        _write_procedure_note(result.note, result.coding, output, text=text)


def _write_procedure_note(
    note: Note, coding: CodingResult, output: ExtractFormat, *, text: str | None
) -> None:
    """The procedure note in the format asked for (``text``: the dictation, when known)."""
    from scribe.procedure_note import (
        build_procedure_note,
        render_procedure_note_markdown,
        render_procedure_note_text,
    )

    procedure_note = build_procedure_note(note, coding, text=text)
    if output is ExtractFormat.note_json:
        _write_json(procedure_note.model_dump(mode="json"))
    elif output is ExtractFormat.note_md:
        sys.stdout.write(render_procedure_note_markdown(procedure_note))
    else:
        sys.stdout.write(render_procedure_note_text(procedure_note))


def _write_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _is_recording(path: Path) -> bool:
    from scribe.asr.audio import looks_like_audio

    return path.is_file() and looks_like_audio(path)


@contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[float, float], None] | None]:
    """A progress bar on stderr for long recordings, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn())
    with Progress(*columns, console=_err, transient=True) as bar:
        task = bar.add_task(label, total=1.0)

        def update(done: float, total: float) -> None:
            bar.update(task, completed=done / total if total else 1.0)

        yield update


def _extract_recording(
    path: Path, context: EncounterContext, settings: Settings, output: ExtractFormat
) -> None:
    from scribe.pipeline import Scribe

    with _progress_bar("transcribing") as progress:
        result = Scribe(settings=settings).extract_audio(path, context, progress=progress)
    if output is ExtractFormat.json:
        _write_json(result.model_dump(mode="json"))
    elif output is not ExtractFormat.text:
        _write_procedure_note(result.note, result.coding, output, text=result.transcript.text)
    else:
        from scribe.render import render_extraction_text, render_transcript_text

        sys.stdout.write(render_transcript_text(result.transcript) + "\n")
        sys.stdout.write(render_extraction_text(result))


@app.command()
def transcribe(
    source: Annotated[
        Path, typer.Argument(metavar="AUDIO", help="wav, flac, mp3, m4a, ogg, webm...")
    ],
    output: FormatOption = OutputFormat.json,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name (see `scribe models list`) or folder.")
    ] = None,
) -> None:
    """Transcribe a recording on this machine: text, segments and words with probabilities."""
    settings = get_settings()
    if model:
        settings = settings.model_copy(update={"asr_model": model})
    try:
        from scribe.asr.transcriber import Transcriber

        transcriber = Transcriber(settings=settings)
        with _progress_bar("transcribing") as progress:
            transcript = transcriber.transcribe(source, progress=progress)
    except ScribeError as exc:
        raise _fail(str(exc)) from None
    if output is OutputFormat.json:
        _write_json(transcript.model_dump(mode="json"))
    else:
        from scribe.render import render_transcript_text

        sys.stdout.write(render_transcript_text(transcript))


@app.command("code")
def code_note(
    source: Annotated[
        str, typer.Argument(metavar="NOTE.json|-", help="A note, or an extraction's JSON.")
    ],
    output: ExtractFormatOption = ExtractFormat.json,
    payer: PayerArg = None,
    clbp: ClbpArg = False,
    session_number: SessionArg = None,
    abn_option: AbnArg = None,
    other_codes: OtherCodesArg = None,
    provider: ProviderArg = None,
    dos: DosArg = None,
    prior_sessions: PriorArg = None,
    policy: PolicyOption = None,
    state: StateArg = None,
) -> None:
    """Code a structured note again (after a reviewer corrected it, or with a new context)."""
    from scribe.coding import code, load_rules, render_coding_text

    settings = settings_with_policies(policy)
    try:
        context = encounter_context(
            payer,
            clbp,
            session_number,
            abn_option,
            other_codes,
            provider,
            dos,
            prior_sessions,
            state,
        )
        raw = read_dictation(source, max_chars=settings.max_input_chars * 20)
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"the note is not valid JSON (line {exc.lineno})") from exc
        if isinstance(data, dict) and "note" in data:
            data = data["note"]
        try:
            note = Note.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise InputError(
                f"the note does not match the note schema at {where}: {first['msg']}"
            ) from exc
        rules = load_rules(
            settings.lexicon_dir / "billing", extra_policy_files=settings.payer_policy_files
        )
        result = code(note, context, rules=rules)
    except ScribeError as exc:
        raise _fail(str(exc)) from None
    if output is ExtractFormat.json:
        sys.stdout.write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
    elif output is ExtractFormat.text:
        sys.stdout.write(render_coding_text(result))
    else:  # a note alone carries no dictation: its facts rest on their mentions
        _write_procedure_note(note, result, output, text=None)


def main() -> None:  # pragma: no cover - console script entry
    app()


# `scribe claim` (scribe/claims/command.py) and `scribe models` (scribe/asr/command.py) add
# themselves to the app
from scribe.asr import command as _models_command  # noqa: E402, F401
from scribe.claims import command as _claim_command  # noqa: E402, F401
