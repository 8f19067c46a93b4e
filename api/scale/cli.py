"""`scribe worker` (a Celery worker for recordings' jobs and batch items) and `scribe batch`."""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from scribe.cli import app
from scribe.cli_options import (
    AbnArg,
    ClbpArg,
    DosArg,
    OtherCodesArg,
    PayerArg,
    PolicyOption,
    PriorArg,
    ProviderArg,
    SessionArg,
    StateArg,
    encounter_context,
    settings_with_policies,
)
from scribe.config import get_settings
from scribe.errors import ScribeError

_err = Console(stderr=True)


class DeviceOption(StrEnum):
    cpu = "cpu"
    cuda = "cuda"


class LogLevel(StrEnum):  # no debug: Celery's debug lines show tasks' arguments
    info = "info"
    warning = "warning"
    error = "error"


def _stop(message: str) -> typer.Exit:
    _err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(2)


@app.command()
def worker(
    concurrency: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Processes on this host, each with its own pipeline and speech model (CPU: "
            "about one per two cores; GPU: one or two per GPU).",
        ),
    ] = 1,
    device: Annotated[
        DeviceOption | None,
        typer.Option(help="cpu or cuda (default: SCRIBE_ASR_DEVICE)."),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="This worker's name (default: scribe@HOST).")
    ] = None,
    log_level: Annotated[LogLevel, typer.Option(help="info, warning or error.")] = LogLevel.info,
) -> None:
    """Run a Celery worker: recordings' jobs and `scribe batch` items from SCRIBE_BROKER_URL,
    results to the shared database. Start as many as you like, on any host."""
    from api.scale.gpu import CudaUnavailable, require_cuda
    from api.scale.process import SharedDatabaseRequired, require_shared_database

    os.umask(0o077)  # scratch copies of recordings are for this user only
    if device is not None:
        os.environ["SCRIBE_ASR_DEVICE"] = device.value
        get_settings.cache_clear()
    settings = get_settings()
    if not settings.broker_url:
        raise _stop("set SCRIBE_BROKER_URL (redis://... or amqp://...) to run workers")
    try:
        require_shared_database(settings)
        if settings.asr_device == "cuda":
            require_cuda()
        else:  # the host's cores shared between its processes
            threads = max(1, (os.cpu_count() or 1) // concurrency)
            os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    except (SharedDatabaseRequired, CudaUnavailable) as exc:
        raise _stop(str(exc)) from None
    from api.scale import tasks  # noqa: F401  (registers the tasks)
    from api.scale.celery_app import QUEUE, configure

    # its success line would print a batch item's result (a note)
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
    configure(settings).worker_main(
        [
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            f"--hostname={name or 'scribe@' + socket.gethostname()}",
            f"--loglevel={log_level.value}",
            f"--queues={QUEUE}",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command()
def batch(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Dictations: text files or recordings.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Results, one JSON line per input (0600).")],
    jobs: Annotated[
        int | None,
        typer.Option(min=1, max=256, help="Local processes (default: one per core)."),
    ] = None,
    local: Annotated[
        bool, typer.Option("--local", help="Run here even when SCRIBE_BROKER_URL is set.")
    ] = False,
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
    """Extract many dictations: a pool of local processes, or the workers when SCRIBE_BROKER_URL
    is set. One JSON line per input, in input order: {"index", "input", "ok", ...}, with the
    note and coding, or the reason it failed."""
    settings = settings_with_policies(policy)
    try:
        context = encounter_context(
            payer, clbp, session_number, abn_option, other_codes, provider, dos, prior_sessions,
            state,
        )  # fmt: skip
    except ScribeError as exc:
        raise _stop(str(exc)) from None
    ok = failed = 0
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())  # fmt: skip
    bar = Progress(*columns, console=_err, disable=not sys.stderr.isatty())
    task = bar.add_task("extracting", total=len(paths))

    def advance(count: int) -> None:
        bar.update(task, advance=count)

    if settings.broker_url and not local:
        from api.scale.fanout import run_fanout

        results = run_fanout(paths, settings=settings, context=context, on_result=advance)
    else:
        from scribe.batch import run_local

        results = run_local(paths, settings=settings, context=context, jobs=jobs,
                            on_result=advance)  # fmt: skip
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as sink, bar:
        # the paths are the user's own, echoed in the file they asked for (never logged)
        for index, (path, result) in enumerate(zip(paths, results, strict=True)):
            line = {"index": index, "input": str(path), **result}
            sink.write(json.dumps(line, ensure_ascii=False) + "\n")
            sink.flush()
            ok, failed = (ok + 1, failed) if result.get("ok") else (ok, failed + 1)
    _err.print(f"{len(paths)} inputs: {ok} extracted, {failed} failed")
    if failed and not ok:
        raise typer.Exit(1)
