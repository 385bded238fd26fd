"""Where captures are written: by one writer beside the event loop, in a process of its own when the
machine has a core to spare, else on a thread.

    writer = Writer(store, process=True)
    decision = await writer.write("record_capture", capture)
    writer.close()  # waits for the writes under way

In a process because SQLAlchemy's statements and the database driver are about a third of a
capture's CPU: on a thread they took turns with fetching under the event loop's GIL. One writer,
never more: SQLite has one write lock, and writers queuing for it sleep in its busy handler.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from worker.store.repository import ArchiveStore

log = logging.getLogger(__name__)

_store: ArchiveStore | None = None  # the writing process's own store (see _open)


def ignore_stop_signals() -> None:
    """For helper processes: Ctrl-C or a service manager's SIGTERM reach the whole process group, and
    the main process stops its helpers itself, after their work under way is done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _open(url: str) -> None:
    global _store
    from worker.store.engine import make_engine

    ignore_stop_signals()
    _store = ArchiveStore(make_engine(url))


def _call(method: str, args: tuple[Any, ...]) -> Any:
    assert _store is not None, "the writing process was started without its store"
    return getattr(_store, method)(*args)


class Writer:
    def __init__(self, store: ArchiveStore, process: bool = False) -> None:
        self.store = store
        self.process = process
        self._executor: Executor | None = None  # made on first use

    async def write(self, method: str, *args: Any) -> Any:
        """The store's `method`(*args), run by the writer; its result."""
        loop = asyncio.get_running_loop()
        if not self.process:
            return await loop.run_in_executor(self._executor_now(), getattr(self.store, method), *args)
        for attempt in (1, 2):
            executor = self._executor_now()
            try:
                return await loop.run_in_executor(executor, _call, method, args)
            except BrokenProcessPool:
                # Killed (out of memory, an operator): its transaction was rolled back whole, so the
                # write is made again, once, by a new writing process.
                self._drop(executor)
                if attempt == 2:
                    raise
                log.error("the archive's writing process died; writing again in a new one")
        raise AssertionError("unreachable")

    def _executor_now(self) -> Executor:
        if self._executor is None:
            if self.process:
                url = self.store.engine.url.render_as_string(hide_password=False)
                # spawn, not fork: the service has threads (scheduler, database pool) a fork would copy mid-state
                self._executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=_open, initargs=(url,))
            else:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="archive-writer")
        return self._executor

    def _drop(self, executor: Executor) -> None:
        if self._executor is executor:
            self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Wait for the writes under way (a cancelled pass may leave one running: it completes whole)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
