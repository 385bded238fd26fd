"""Helper processes (the examiners, the writer): how they are started, which signals they leave to
the main process, how they are stopped, and why they never outlive it.

A helper dies with its parent, whatever killed the parent (kill -9 included): on Linux the kernel
sends it SIGKILL when the parent goes (prctl PR_SET_PDEATHSIG, set first thing in the helper, then a
check that the parent is still the one that started it, for a parent that died before that); a helper
busy in a parser's C code for minutes dies all the same. Elsewhere a thread of the helper watches its
parent's pid once a second. The death signal follows the *thread* that started the helper: pools are
started by the event loop's thread, the main thread, which lives as long as the process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def helper_pool(processes: int, initializer: Callable[..., None] | None = None,
                initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of helper processes. Spawned, not forked: the service has threads (scheduler, database
    pool) a fork would copy mid-state. They ignore SIGINT and SIGTERM: Ctrl-C or a service manager's
    SIGTERM reach the whole process group, and the main process stops its helpers itself (stop_pool):
    the writer after the write under way, an examiner at once, mid-page or not."""
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(os.getpid(), initializer, initargs))


def _start(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def die_with_parent(parent: int) -> None:
    """Make this process end when `parent` does (see the module's docstring); at once if it already has."""
    if not _death_signal(signal.SIGKILL):
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the death signal was set: nobody would send it
        os._exit(1)


def _death_signal(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def stop_pool(pool: ProcessPoolExecutor, grace: float = 0.0) -> None:
    """Stop a pool now: what is queued is cancelled, idle processes get `grace` seconds to leave on
    their own, and whatever still runs (a page under way) is killed. Helpers that examine keep no
    state, so nothing is lost but the work under way, which nobody is waiting for any more."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in processes:
        if p.is_alive():
            p.kill()
    for p in processes:
        p.join(5)
