"""Where captures are examined: in worker processes, so that decoding, extraction, classification
and packing (most of a capture's CPU) run beside the event loop's fetching and writing, not on it.

    examiner = Examiner(processes=default_processes())
    seen = await examiner.examine(fetched, url, rules, previous)
    links = await examiner.parse_listing("feed", body, base)  # feeds, sitemaps, section pages
    examiner.close()

processes=0 examines on the calling thread (small machines, tests) and parses listings on a thread.
Each examining process takes one page at a time, so that what goes wrong is known to be that page's:

- a page that kills its process (a parser crash, the kernel's OOM killer) is a failed fetch of kind
  `examine_crash`;
- a page still examined after its budget (NEWSARCHIVE_PAGE_SECONDS, default 10 s of wall clock) has
  its process killed and is a failed fetch of kind `too_complex`; so is a page over the caps checked
  before parsing (worker/extract/complexity.py: NEWSARCHIVE_PAGE_MAX_DEPTH, _MAX_ELEMENTS);

either way a fresh process takes the next page and the pass goes on. The budget needs a process to
kill: with processes=0 only the caps apply.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any, TypeVar

from worker.examine import Examined, Previous, examine_for_archive
from worker.extract.complexity import DEFAULT_LIMITS, Limits
from worker.processes import helper_pool, stop_pool
from worker.values import ExtractRules, Fetched, Link, SitemapParse

log = logging.getLogger(__name__)
PROCESSES_ENV = "NEWSARCHIVE_EXAMINERS"
BUDGET_ENV = "NEWSARCHIVE_PAGE_SECONDS"
DEPTH_ENV = "NEWSARCHIVE_PAGE_MAX_DEPTH"
ELEMENTS_ENV = "NEWSARCHIVE_PAGE_MAX_ELEMENTS"
PAGE_BUDGET = 10.0  # seconds of wall clock an examining process may spend on one page or listing
T = TypeVar("T")


class TooComplex(Exception):
    """A listing over the caps or over its budget (kind too_complex), or one that killed its process
    (kind examine_crash): the listing's fetch is failed with that kind."""

    def __init__(self, detail: str, kind: str = "too_complex") -> None:
        super().__init__(detail)
        self.kind = kind


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


def _number(env: str, default: float) -> float:
    configured = os.environ.get(env, "").strip()
    if not configured:
        return default
    try:
        value = float(configured)
    except ValueError:
        value = -1.0
    if value < 0:
        raise ValueError(f"{env}={configured!r}: give a number, 0 or more (0: no limit)")
    return value


def default_budget() -> float | None:
    """NEWSARCHIVE_PAGE_SECONDS if set (0: none), else PAGE_BUDGET."""
    return _number(BUDGET_ENV, PAGE_BUDGET) or None


def default_limits() -> Limits:
    """The caps checked before a page is parsed: NEWSARCHIVE_PAGE_MAX_DEPTH, _MAX_ELEMENTS (0: none)."""
    return Limits(int(_number(DEPTH_ENV, DEFAULT_LIMITS.max_depth)),
                  int(_number(ELEMENTS_ENV, DEFAULT_LIMITS.max_elements)))


def _examine_elsewhere(fetched: Fetched, url: str, rules: ExtractRules | None, previous: Previous | None,
                       limits: Limits) -> Examined:
    """examine_for_archive in an examining process; the raw body (100-200 KB) is not sent back: the
    caller has it, and pickling it across again cost the event loop's process more than the rest."""
    seen = examine_for_archive(fetched, url, rules, previous, limits)
    return replace(seen, fetched=replace(seen.fetched, body=None))


def _ready() -> None:
    """Run once by a new examining process before its first page: starting is not the page's time."""


def parse_listing(kind: str, body: bytes | str, base: str, selector: str | None, limits: Limits) -> Any:
    """A listing's links: parse_feed, parse_sitemap or (kind "page") parse_page_links; TooComplex
    when an HTML section page is over the caps (XML parsers keep their own: libxml2 stops at 256
    levels, and feeds go through a streaming parser)."""
    # imported here: an examining process that never parses a feed need not hold feedparser (7 MB)
    if kind == "feed":
        from worker.discover import parse_feed

        return parse_feed(body if isinstance(body, bytes) else body.encode(), base)
    if kind == "sitemap":
        from worker.discover import parse_sitemap

        return parse_sitemap(body if isinstance(body, bytes) else body.encode(), base)
    from worker.discover.pages import parse_page_links

    assert selector is not None and isinstance(body, str)
    reason = limits.exceeded(body)
    if reason is not None:
        raise TooComplex(reason)
    return parse_page_links(body, base, selector)


class _Slot:
    """One examining process (a pool of one): a page killed with it is known to be the one it had."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None

    async def ready(self) -> ProcessPoolExecutor:
        if self.pool is None:
            pool = self.pool = helper_pool(1)
            try:
                await asyncio.get_running_loop().run_in_executor(pool, _ready)
            except BaseException:
                self.kill()
                raise
        return self.pool

    def kill(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            stop_pool(pool)


class Examiner:
    def __init__(self, processes: int, budget: float | None = PAGE_BUDGET,
                 limits: Limits = DEFAULT_LIMITS) -> None:
        """budget: seconds of wall clock one page may take in its process (None: no limit)."""
        self.processes = processes
        self.budget = budget
        self.limits = limits
        self._slots = [_Slot() for _ in range(processes)]
        self._idle: asyncio.Queue[_Slot] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_env(cls, processes: int) -> Examiner:
        return cls(processes, default_budget(), default_limits())

    async def examine(self, fetched: Fetched, url: str, rules: ExtractRules | None,
                      previous: Previous | None) -> Examined:
        if self.processes == 0:
            return examine_for_archive(fetched, url, rules, previous, self.limits)
        try:
            seen = await self._run(_examine_elsewhere, fetched, url, rules, previous, self.limits)
        except BrokenProcessPool:
            log.error("examining %s killed its process; recorded as a failed fetch", url)
            detail = "the process examining this page died (a parser crash or out of memory)"
            return Examined(replace(fetched, error="examine_crash", error_detail=detail), None, None)
        except TimeoutError:
            log.error("examining %s took more than %ss; its process was replaced", url, self.budget)
            detail = f"examining this page took more than {self.budget:g} s; stopped"
            return Examined(replace(fetched, error="too_complex", error_detail=detail), None, None)
        return replace(seen, fetched=replace(seen.fetched, body=fetched.body))

    async def parse_listing(self, kind: str, body: bytes | str, base: str,
                            selector: str | None = None) -> list[Link] | SitemapParse:
        """The links of a feed, sitemap or section page, parsed off the event loop; TooComplex when
        the page is over the caps, over its budget or kills its process. Feeds and sitemaps, whose
        XML parsers are linear and bounded, are parsed in a thread here: sent to an examining
        process, a sitemap of 20,000 URLs and its links crossed twice and stayed in that process's
        heap (+23 MB peak in a 20,000-page pass). HTML section pages go there, within the budget."""
        if self.processes == 0 or kind != "page":
            return await asyncio.to_thread(parse_listing, kind, body, base, selector, self.limits)  # type: ignore[no-any-return]
        try:
            return await self._run(parse_listing, kind, body, base, selector, self.limits)  # type: ignore[no-any-return]
        except TimeoutError:
            raise TooComplex(f"parsing this listing took more than {self.budget:g} s; stopped") from None
        except BrokenProcessPool:
            raise TooComplex("the process parsing this listing died (a parser crash or out of memory)",
                             "examine_crash") from None

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in an idle examining process, within the budget; TimeoutError past it (the
        process is killed), BrokenProcessPool when the process died."""
        idle = self._idle_now()
        slot = await idle.get()
        try:
            pool = await slot.ready()
            future = asyncio.get_running_loop().run_in_executor(pool, fn, *args)
            try:
                return await asyncio.wait_for(future, self.budget)
            except (BrokenProcessPool, TimeoutError, asyncio.CancelledError):
                # died; or over budget, or the caller stopped: nobody wants the work under way
                slot.kill()
                raise
        finally:
            idle.put_nowait(slot)

    def _idle_now(self) -> asyncio.Queue[_Slot]:
        loop = asyncio.get_running_loop()
        if self._idle is None or self._loop is not loop:  # first use, or a new event loop (tests)
            self._idle, self._loop = asyncio.Queue(), loop
            for slot in self._slots:
                self._idle.put_nowait(slot)
        return self._idle

    def close(self) -> None:
        """Stop the examining processes: idle ones leave, one still on a page is killed (its page is
        nobody's business any more; waiting could take as long as the page's budget)."""
        for slot in self._slots:
            if slot.pool is not None:
                stop_pool(slot.pool, grace=1.0)
                slot.pool = None
