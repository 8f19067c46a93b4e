"""Many dictations at once (``scribe batch``): a pool of local processes, each building the
pipeline (and, for recordings, loading the speech model) once.

Every input gives one result, in input order: the extraction as JSON data, or why it failed.
A failure is a message that never quotes the input or its file name; one input failing never
stops the others. Typed dictations are sent to a process in small groups and run through
spaCy's ``nlp.pipe`` there, as ``Scribe.extract_many`` does.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from scribe.config import Settings
from scribe.errors import ScribeError
from scribe.pipeline import Scribe
from scribe.schemas.context import EncounterContext

Result = dict[str, Any]
GROUP_MAX = 16  # typed dictations sent to a process together


def failure(message: str) -> Result:
    return {"ok": False, "error": message}


def _internal(exc: BaseException) -> Result:
    # the exception's own text may quote the input: only its kind is told
    return failure(f"internal error ({type(exc).__name__})")


def extract_item(
    scribe: Scribe,
    *,
    text: str | None = None,
    audio: Path | None = None,
    context: EncounterContext | None = None,
) -> Result:
    """One input's result as JSON data: ``{"ok": true, "kind": ..., "note": ..., "coding":
    ...}`` (and ``transcript`` for a recording), or ``{"ok": false, "error": ...}``."""
    try:
        if audio is not None:
            audio_result = scribe.extract_audio(audio, context)
            return {"ok": True, "kind": "audio", **audio_result.model_dump(mode="json")}
        text_result = scribe.extract(text or "", context)
        return {"ok": True, "kind": "text", **text_result.model_dump(mode="json")}
    except ScribeError as exc:
        return failure(str(exc))
    except Exception as exc:  # one input never stops the batch
        return _internal(exc)


def is_recording(path: Path) -> bool:
    from scribe.asr.audio import looks_like_audio

    return path.is_file() and looks_like_audio(path)


def read_text(path: Path, settings: Settings) -> str | Result:
    from scribe.cli import read_dictation

    try:
        return read_dictation(str(path), max_chars=settings.max_input_chars)
    except ScribeError as exc:
        return failure(str(exc))


def _texts(scribe: Scribe, texts: list[str], context: EncounterContext | None) -> list[Result]:
    """Results of several dictations through ``nlp.pipe``; one at a time when one of them
    fails, so that it alone gives an error."""
    try:
        return [
            {"ok": True, "kind": "text", **r.model_dump(mode="json")}
            for r in scribe.extract_many(texts, context)
        ]
    except Exception:
        return [extract_item(scribe, text=text, context=context) for text in texts]


def run_group(
    scribe: Scribe, paths: Sequence[Path], context: EncounterContext | None
) -> list[Result]:
    """Results of ``paths`` (files on this machine), in order."""
    results: list[Result | None] = [None] * len(paths)
    texts: list[tuple[int, str]] = []
    for i, path in enumerate(paths):
        try:
            if is_recording(path):
                results[i] = extract_item(scribe, audio=path, context=context)
                continue
            read = read_text(path, scribe.settings)
        except Exception as exc:
            read = _internal(exc)
        if isinstance(read, str):
            texts.append((i, read))
        else:
            results[i] = read
    for (i, _), result in zip(texts, _texts(scribe, [t for _, t in texts], context), strict=True):
        results[i] = result
    return [r if r is not None else failure("no result") for r in results]


_process_scribe: Scribe | None = None


def _start_process(settings: Settings) -> None:
    global _process_scribe
    _process_scribe = Scribe(settings=settings)


def _run_in_process(paths: list[Path], context: EncounterContext | None) -> list[Result]:
    if _process_scribe is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("the batch process was not started")
    return run_group(_process_scribe, paths, context)


def groups(paths: Sequence[Path], jobs: int) -> list[list[int]]:
    """Input positions grouped for the processes: each recording alone, typed dictations by
    up to GROUP_MAX, small enough that every process has several groups to take."""
    recordings = [i for i, p in enumerate(paths) if is_recording(p)]
    taken = set(recordings)
    others = [i for i in range(len(paths)) if i not in taken]
    size = max(1, min(GROUP_MAX, len(others) // max(1, jobs * 4)))
    found = [[i] for i in recordings]
    found += [others[k : k + size] for k in range(0, len(others), size)]
    return found


def run_local(
    paths: Sequence[Path],
    *,
    settings: Settings,
    context: EncounterContext | None = None,
    jobs: int | None = None,
    on_result: Callable[[int], None] | None = None,
) -> Iterator[Result]:
    """Results of ``paths`` in input order, each as soon as those before it are done;
    ``on_result(n)`` after every ``n`` inputs finished (any order), for a progress bar.
    ``jobs`` processes (default: one per core), started here, before the caller starts any
    thread (a progress bar's); with one, everything runs in this process."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    if jobs == 1:
        return _in_this_process(paths, settings, context, on_result)
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_process,
        initargs=(settings,),
    )
    # every process is forked at the first submit (the fork context starts them all at once)
    futures = {
        pool.submit(_run_in_process, [paths[i] for i in group], context): group
        for group in groups(paths, jobs)
    }
    return _collect(pool, futures, on_result)


def _in_this_process(
    paths: Sequence[Path],
    settings: Settings,
    context: EncounterContext | None,
    on_result: Callable[[int], None] | None,
) -> Iterator[Result]:
    scribe = Scribe(settings=settings)
    for path in paths:
        result = run_group(scribe, [path], context)[0]
        if on_result is not None:
            on_result(1)
        yield result


def _collect(
    pool: ProcessPoolExecutor,
    futures: dict[Future[list[Result]], list[int]],
    on_result: Callable[[int], None] | None,
) -> Iterator[Result]:
    done: dict[int, Result] = {}
    next_index = 0
    with pool:
        for future in as_completed(futures):
            group = futures[future]
            try:
                results = future.result()
            except Exception as exc:  # a process that died takes its group with it
                results = [_internal(exc)] * len(group)
            done.update(zip(group, results, strict=True))
            if on_result is not None:
                on_result(len(group))
            while next_index in done:
                yield done.pop(next_index)
                next_index += 1
