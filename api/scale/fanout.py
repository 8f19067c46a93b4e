"""``scribe batch`` with a broker: each input is sent, by its content, to the workers (which
may be on other hosts and see none of this machine's files); results come back through the
result backend, are written in input order, and are deleted there once read."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from api.scale.celery_app import BATCH_ITEM, QUEUE, configure, job_limits
from scribe.batch import Result, failure, is_recording, read_text
from scribe.config import Settings
from scribe.errors import ScribeError
from scribe.schemas.context import EncounterContext

UNFINISHED = "a worker could not finish this input"


def _message(path: Path, settings: Settings) -> tuple[str, str, str, float | None] | Result:
    """(kind, payload, suffix, seconds) of an input, or why it cannot be sent."""
    if is_recording(path):
        from scribe.asr.audio import probe_duration

        size = path.stat().st_size
        if size > settings.max_upload_bytes:
            return failure(f"the recording is over {settings.max_upload_bytes:,} bytes")
        seconds = probe_duration(path)
        payload = base64.b64encode(path.read_bytes()).decode("ascii")
        return "audio", payload, path.suffix.lower(), seconds
    read = read_text(path, settings)
    if isinstance(read, str):
        return "text", read, "", 0.0
    return read


def run_fanout(
    paths: Sequence[Path],
    *,
    settings: Settings,
    context: EncounterContext | None = None,
    on_result: Callable[[int], None] | None = None,
) -> Iterator[Result]:
    """Results of ``paths`` in input order, computed by ``scribe worker`` processes."""
    app = configure(settings)
    given = context.model_dump(mode="json") if context else None
    sent: list[str | Result] = []
    for path in paths:
        try:
            message = _message(path, settings)
        except ScribeError as exc:
            message = failure(str(exc))
        if isinstance(message, dict):
            sent.append(message)
            if on_result is not None:
                on_result(1)
            continue
        kind, payload, suffix, seconds = message
        soft, hard = job_limits(settings, seconds)
        async_result = app.send_task(
            BATCH_ITEM,
            args=[kind, payload, suffix, given],
            queue=QUEUE,
            soft_time_limit=soft,
            time_limit=hard,
            retry=True,
            # what Celery shows of a task's arguments (events, monitors): never the dictation
            argsrepr=f"({kind})",
            kwargsrepr="{}",
        )
        sent.append(async_result.id)
    done: dict[str, Result] = {}
    waiting = [s for s in sent if isinstance(s, str)]
    position = 0
    # as they come in: the key-value and RPC backends' get_many (not in the type stubs)
    backend: Any = app.backend
    for task_id, meta in backend.get_many(waiting, interval=0.2) if waiting else ():
        done[task_id] = _result_of(meta)
        backend.forget(task_id)  # the result holds a note: not kept in the backend
        if on_result is not None:
            on_result(1)
        while position < len(sent) and _ready(sent[position], done):
            yield _take(sent[position], done)
            position += 1
    while position < len(sent):
        yield _take(sent[position], done)
        position += 1


def _ready(item: str | Result, done: dict[str, Result]) -> bool:
    return not isinstance(item, str) or item in done


def _take(item: str | Result, done: dict[str, Result]) -> Result:
    if isinstance(item, str):
        return done.pop(item, None) or failure(UNFINISHED)
    return item


def _result_of(meta: dict[str, Any]) -> Result:
    result = meta.get("result")
    if meta.get("status") == "SUCCESS" and isinstance(result, dict):
        return result
    # a time limit, or an error outside the item's own handling: its kind, never its text
    kind = result.get("exc_type") if isinstance(result, dict) else None
    return failure(f"{UNFINISHED} ({kind})" if isinstance(kind, str) else UNFINISHED)
