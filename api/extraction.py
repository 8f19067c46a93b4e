"""Extraction runs on threads of its own, within a time budget per request.

A dictation's extraction is CPU work measured in milliseconds to seconds. Run on the threads
that serve every other request, a few slow ones would hold them all, and reads and ``/health``
would wait behind them. Here at most ``workers`` extractions run at once, on their own threads;
a request whose extraction has not finished within its budget (waiting for a thread included)
is answered 503 ``extraction-timeout``, and its result, should it finish later, is thrown
away: nothing is stored for a request that was told it failed.

A thread cannot be stopped from outside, so one that overran keeps its thread until it ends;
the pool's size still bounds how many run.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from api.problems import ApiProblem

T = TypeVar("T")
TIMEOUT_SLUG = "extraction-timeout"


class Abandoned(Exception):
    """The request gave up on this extraction (its budget ran out): store nothing."""


class Attempt:
    """One request's extraction: whether its result may still be stored.

    The worker claims the right to store just before it writes; the request abandons the
    attempt when its budget runs out. Whichever comes first wins, so a request is never told
    "timed out" about an encounter that was stored, nor "created" about one that was not."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "running"

    def claim_store(self) -> None:
        """Called by the worker before it writes; raises Abandoned when too late."""
        with self._lock:
            if self._state == "abandoned":
                raise Abandoned
            self._state = "storing"

    def abandon(self) -> bool:
        """Called by the request when its budget has run out: False when the worker is
        already storing (the request then waits for that write, which is short)."""
        with self._lock:
            if self._state == "storing":
                return False
            self._state = "abandoned"
            return True


class ExtractionPool:
    """``workers`` threads for extraction, and the budget each request has."""

    def __init__(self, *, workers: int, budget_seconds: float) -> None:
        self.budget_seconds = budget_seconds
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="extract")

    async def run(self, job: Callable[[Attempt], T]) -> T:
        """``job(attempt)`` on an extraction thread; ApiProblem 503 when it overruns."""
        attempt = Attempt()
        future = self._executor.submit(job, attempt)
        try:
            return await asyncio.wait_for(
                asyncio.shield(asyncio.wrap_future(future)), self.budget_seconds
            )
        except TimeoutError:
            if not attempt.abandon():
                return await asyncio.wrap_future(future)
            future.cancel()  # still waiting for a thread: never starts
            raise ApiProblem(
                503,
                f"the extraction did not finish within {self.budget_seconds:g} s; nothing was "
                "stored. Try again later, or send a shorter dictation",
                slug=TIMEOUT_SLUG,
                headers={"Retry-After": "30"},
            ) from None

    def shutdown(self) -> None:
        """Stop taking work; queued extractions are dropped, running ones are not waited for."""
        self._executor.shutdown(wait=False, cancel_futures=True)
