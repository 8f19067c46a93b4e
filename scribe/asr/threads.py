"""numpy's BLAS on one thread while speech is decoded.

The speech features go through numpy's BLAS, and its result is not the same to the last bit
on one thread and on several: now and then a word of the transcript changes ("today to" /
"to date on"). One thread is the number every host can give, so a worker, the API and a
laptop read a recording alike whatever OMP_NUM_THREADS says. The limit is process-wide (that
is how BLAS works): it holds while any transcription runs, and the original comes back when
the last one ends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits


class _OneBlasThread:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._limits: threadpool_limits | None = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self._limits = threadpool_limits(limits=1, user_api="blas")
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._limits is not None:
                    self._limits.restore_original_limits()
                    self._limits = None


one_blas_thread = _OneBlasThread()
