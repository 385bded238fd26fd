"""Where captures are written: by one writer beside the event loop, in a process of its own when the
machine has a core to spare, else on a thread.

    writer = Writer(store, process=True)
    decision = await writer.write("record_capture", capture)
    writer.close()  # waits for the writes under way

In a process because SQLAlchemy's statements and the database driver are about a third of a
capture's CPU: on a thread they took turns with fetching under the event loop's GIL. One writer,
never more: SQLite has one write lock, and writers queuing for it sleep in its busy handler.
Writes that arrive while a batch is written go together in the next transaction (group commit),
and with `linger` a batch waits a little for writes that keep coming (the service's pass does not
wait for its writes); when one of them fails, the others are written alone (ArchiveStore.write_batch).
"""

from __future__ import annotations

import asyncio
import logging
import pickle
from concurrent.futures import Executor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from worker.processes import helper_pool
from worker.store.repository import ArchiveStore

log = logging.getLogger(__name__)

_store: ArchiveStore | None = None  # the writing process's own store (see _open)
MAX_BATCH = 64  # writes per transaction at most: a batch holds SQLite's write lock while it runs
LINGER_GAP = 0.02  # seconds without a new write after which a lingering batch goes


def _open(url: str) -> None:
    global _store
    from worker.store.engine import make_engine

    _store = ArchiveStore(make_engine(url))


def _write_batch(calls: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[bool, Any]]:
    assert _store is not None, "the writing process was started without its store"
    return [(ok, value if ok else _sendable(value)) for ok, value in _store.write_batch(calls)]


def _sendable(error: Exception) -> Exception:
    """The error itself when it survives the trip to the main process; else its text. One that did
    not would break the pool, and every write of the batch would be reported failed."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


class Writer:
    def __init__(self, store: ArchiveStore, process: bool = False, linger: float = 0.0) -> None:
        """linger: how long a batch may wait for more writes while they keep coming (each within
        LINGER_GAP of the last) and fewer than MAX_BATCH wait. A pass that does not wait for its
        writes (Pipeline.run_jobs) loses nothing by it, and a batch's round trip and commit are
        shared by more writes; a lone write waits LINGER_GAP at most."""
        self.store = store
        self.process = process
        self.linger = linger
        self._arrived: asyncio.Event | None = None  # set by each write while a batch lingers
        self._executor: Executor | None = None  # made on first use
        self._waiting: list[tuple[str, tuple[Any, ...], asyncio.Future[Any]]] = []
        self._flushing: asyncio.Task[None] | None = None
        self._closed = False

    async def write(self, method: str, *args: Any) -> Any:
        """The store's `method`(*args), run by the writer; its result. The writes that arrive while
        a batch is being written go together in the next one (one transaction, one commit)."""
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self._waiting.append((method, args, done))
        if self._arrived is not None:
            self._arrived.set()
        if self._flushing is None or self._flushing.done() or self._flushing.get_loop() is not loop:
            self._flushing = loop.create_task(self._flush())
        return await done  # a caller cancelled meanwhile leaves its write to be made all the same

    async def _flush(self) -> None:
        while self._waiting:
            if self.linger and not self._closed:
                await self._linger()
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                results = await self._run([(method, args) for method, args, _ in batch])
            except Exception as e:  # the writer could not be reached at all: every caller hears it
                results = [(False, e)] * len(batch)
            for (method, _, done), (ok, value) in zip(batch, results, strict=True):
                if done.done() or done.get_loop().is_closed():  # its caller was cancelled: nobody to tell
                    if not ok:
                        log.error("%s failed after its caller stopped: %s", method, value)
                elif ok:
                    done.set_result(value)
                else:
                    done.set_exception(value)

    async def _linger(self) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + self.linger
        self._arrived = asyncio.Event()
        try:
            while len(self._waiting) < MAX_BATCH and (left := until - loop.time()) > 0:
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), min(LINGER_GAP, left))
                except TimeoutError:
                    return  # no more coming for now
        finally:
            self._arrived = None

    async def _run(self, calls: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[bool, Any]]:
        loop = asyncio.get_running_loop()
        if not self.process:
            return await loop.run_in_executor(self._executor_now(), self.store.write_batch, calls)
        for attempt in (1, 2):
            executor = self._executor_now()
            try:
                return await loop.run_in_executor(executor, _write_batch, calls)
            except BrokenProcessPool:
                # Killed (out of memory, an operator): its transaction was rolled back whole, so the
                # writes are made again, once, by a new writing process. Killed after its commit, the
                # batch is made twice: a second fetch row each, and a capture found "same" the second
                # time goes without its notification. Rare enough (the writer is the smallest process).
                self._drop(executor)
                if attempt == 2:
                    raise
                log.error("the archive's writing process died; writing again in a new one")
        raise AssertionError("unreachable")

    def _executor_now(self) -> Executor:
        if self._closed:
            raise RuntimeError("the archive's writer is closed")
        if self._executor is None:
            if self.process:
                self._executor = helper_pool(1, _open, (self.store.engine.url.render_as_string(hide_password=False),))
            else:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="archive-writer")
        return self._executor

    def _drop(self, executor: Executor) -> None:
        if self._executor is executor:
            self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)

    async def aclose(self) -> None:
        """Make the writes still queued (a stopped pass leaves some), then stop the writer."""
        if self._flushing is not None and not self._flushing.done():
            await asyncio.gather(self._flushing, return_exceptions=True)
        if self._waiting:
            await self._flush()
        self.close()

    def close(self) -> None:
        """Wait for the batch under way (a cancelled pass may leave one running: it completes whole)."""
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
