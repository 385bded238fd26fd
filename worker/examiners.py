"""Where captures are examined: in worker processes, so that decoding, extraction, classification
and packing (most of a capture's CPU) run beside the event loop's fetching and writing, not on it.

    examiner = Examiner(processes=default_processes())
    seen = await examiner.examine(fetched, url, rules, previous)
    examiner.close()

processes=0 examines on the calling thread (small machines, tests). A page that kills its process
(a parser crash, the kernel's OOM killer) is a failed fetch of kind `examine_crash`; the pool is
replaced and the pass goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from worker.examine import Examined, Previous, examine_for_archive
from worker.processes import helper_pool, stop_pool
from worker.values import ExtractRules, Fetched

log = logging.getLogger(__name__)
PROCESSES_ENV = "NEWSARCHIVE_EXAMINERS"


def default_processes() -> int:
    """NEWSARCHIVE_EXAMINERS if set, else one per core but the event loop's own (none on one core)."""
    configured = os.environ.get(PROCESSES_ENV, "").strip()
    if configured:
        if not configured.isdigit():
            raise ValueError(f"{PROCESSES_ENV}={configured!r}: give a whole number of processes, 0 or more "
                             "(0 examines pages in the main process)")
        return int(configured)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, cores - 1)


def _examine_elsewhere(fetched: Fetched, url: str, rules: ExtractRules | None, previous: Previous | None) -> Examined:
    """examine_for_archive in an examining process; the raw body (100-200 KB) is not sent back: the
    caller has it, and pickling it across again cost the event loop's process more than the rest."""
    seen = examine_for_archive(fetched, url, rules, previous)
    return replace(seen, fetched=replace(seen.fetched, body=None))


class Examiner:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    async def examine(self, fetched: Fetched, url: str, rules: ExtractRules | None,
                      previous: Previous | None) -> Examined:
        if self.processes == 0:
            return examine_for_archive(fetched, url, rules, previous)
        pool = self._pool_now()
        try:
            seen = await asyncio.get_running_loop().run_in_executor(
                pool, _examine_elsewhere, fetched, url, rules, previous)
            return replace(seen, fetched=replace(seen.fetched, body=fetched.body))
        except BrokenProcessPool:
            self._drop(pool)
            log.error("examining %s killed its process; recorded as a failed fetch", url)
            detail = "the process examining this page died (a parser crash or out of memory)"
            return Examined(replace(fetched, error="examine_crash", error_detail=detail), None, None)

    def _pool_now(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = helper_pool(self.processes)
        return self._pool

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        if self._pool is pool:  # the first of the futures that broke with it replaces it
            self._pool = None
            stop_pool(pool)  # its other processes too: none may live on beside the new pool

    def close(self) -> None:
        """Stop the examining processes: idle ones leave, one still on a page is killed (its page
        is nobody's business any more; waiting could take as long as the page's budget)."""
        if self._pool is not None:
            stop_pool(self._pool, grace=1.0)
            self._pool = None
