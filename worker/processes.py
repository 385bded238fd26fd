"""Helper processes (the examiners, the writer): how they are started and which signals they leave
to the main process."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def helper_pool(processes: int, initializer: Callable[..., None] | None = None,
                initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of helper processes. Spawned, not forked: the service has threads (scheduler, database
    pool) a fork would copy mid-state. They ignore SIGINT and SIGTERM: Ctrl-C or a service manager's
    SIGTERM reach the whole process group, and the main process stops its helpers itself, after the
    work under way is done."""
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(initializer, initargs))


def _start(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)
