"""The in-process runner: APScheduler 3 calls the pipeline for each source on its schedule, plus a
revisit sweep. SIGTERM/SIGINT cancel what is under way between transactions and exit cleanly."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from worker.config import ConfigError, RetentionConfig, SourceConfig
from worker.pipeline import PassStats, Pipeline

log = logging.getLogger(__name__)

REVISIT_SWEEP_EVERY = 60.0  # seconds between two looks for due revisits
PRUNE_PAUSE = 0.05  # seconds between two prune batches: writers get the database in between
SHUTDOWN_GRACE = 5.0  # seconds given to cancelled work to unwind


async def run_once(pipeline: Pipeline, sources: list[SourceConfig]) -> PassStats:
    """One pass: poll these sources now (concurrently; the fetcher keeps hosts polite), then revisits."""
    total = PassStats()
    for stats in await asyncio.gather(*(pipeline.poll(s) for s in sources)):
        total.add(stats)
    total.add(await pipeline.revisit(sources))
    return total


def prune_every() -> float:
    """Seconds between two prunes of the service: a day, or NEWSARCHIVE_PRUNE_EVERY (a duration: 1h, 30s)."""
    from worker.config import parse_duration

    raw = os.environ.get("NEWSARCHIVE_PRUNE_EVERY")
    return max(1.0, parse_duration(raw)) if raw else 86400.0


def _trigger(src: SourceConfig) -> IntervalTrigger | CronTrigger:
    if src.cron:
        return CronTrigger.from_crontab(src.cron, timezone="UTC", jitter=30)
    assert src.every is not None
    return IntervalTrigger(seconds=src.every, timezone="UTC", jitter=min(30.0, src.every * 0.05))


def first_run(src: SourceConfig, last_polled: datetime | None, now: datetime) -> datetime:
    """Poll at start unless the archive shows this source was polled within its interval."""
    if last_polled is None:
        return now
    if src.every is not None:
        return max(now, last_polled + timedelta(seconds=src.every))
    trigger = CronTrigger.from_crontab(src.cron or "* * * * *", timezone="UTC")
    after_last = trigger.get_next_fire_time(None, last_polled + timedelta(seconds=1))
    return now if after_last is None or after_last <= now else after_last


class Service:
    def __init__(self, pipeline: Pipeline, sources: list[SourceConfig], clock: Callable[[], datetime],
                 reload: Callable[[], list[SourceConfig]] | None = None,
                 retention: RetentionConfig | None = None) -> None:
        self.pipeline = pipeline
        self.retention = retention  # None: no daily prune (the `retention` block; ages may be forever)
        self.pruned_to: dict[str, datetime] = {}  # what the last complete prune walks decided (retention.prune)
        self.sources = sources
        self.clock = clock
        self.reload = reload  # SIGHUP: returns the sources to run now (raises ConfigError on a bad file)
        self.running: set[asyncio.Task[object]] = set()
        self.stop = asyncio.Event()
        self.scheduler: AsyncIOScheduler | None = None

    def _tracked(self, make: Callable[[], Awaitable[PassStats]], what: str) -> Callable[[], Awaitable[None]]:
        async def job() -> None:
            task = asyncio.current_task()
            assert task is not None
            self.running.add(task)
            try:
                stats = await make()
                log.info("%s: %s", what, stats.summary())
            except asyncio.CancelledError:
                # Only our own shutdown cancels a job: end it quietly, or APScheduler logs the normal
                # stop as an ERROR with a traceback.
                log.info("%s: stopped; the rest is left to the next run", what)
            except Exception:  # a bug in one poll must not stop the service
                log.exception("%s failed", what)
            finally:
                self.running.discard(task)

        return job

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop.set)
        if self.reload is not None:
            loop.add_signal_handler(signal.SIGHUP, self._reload)
        scheduler = self.scheduler = AsyncIOScheduler(timezone="UTC", job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
        now = self.clock()
        for src in self.sources:
            self._schedule(src, now)
        scheduler.add_job(self._tracked(lambda: self.pipeline.revisit(self.sources), "revisits"),
                          IntervalTrigger(seconds=REVISIT_SWEEP_EVERY, timezone="UTC"), id="revisits",
                          next_run_time=now)
        if self.retention is not None:
            every = prune_every()
            scheduler.add_job(self._prune, IntervalTrigger(seconds=every, timezone="UTC"), id="prune",
                              next_run_time=now + timedelta(seconds=min(every, 600.0)))
        scheduler.start()
        log.info("newsarchive running: %d sources", len(self.sources))
        await self.stop.wait()
        log.info("stopping")
        scheduler.shutdown(wait=False)
        await self._cancel_running()

    async def _prune(self) -> None:
        """The daily prune, in a thread and small batches: polls and captures go on meanwhile."""
        from worker.store.retention import prune

        assert self.retention is not None
        task = asyncio.current_task()
        assert task is not None
        self.running.add(task)
        try:
            result = await asyncio.to_thread(prune, self.pipeline.store.engine, self.retention, self.clock(),
                                             since=self.pruned_to, pause=PRUNE_PAUSE, stop=self.stop.is_set)
            log.info("prune: removed %s in %.1fs", ", ".join(f"{n} {k}" for k, n in result.removed.items()),
                     result.seconds)
        except asyncio.CancelledError:
            log.info("prune: stopped; the rest is left to the next run")
        except Exception:  # a failed prune must not stop the service; the next one tries again
            log.exception("prune failed")
        finally:
            self.running.discard(task)

    def _schedule(self, src: SourceConfig, now: datetime) -> None:
        assert self.scheduler is not None
        sid = self.pipeline.source_ids[src.name]
        start = first_run(src, self.pipeline.store.last_polled(sid), now)
        self.scheduler.add_job(self._tracked(lambda s=src: self.pipeline.poll(s), f"poll {src.name}"),
                               _trigger(src), id=f"poll:{src.name}", next_run_time=start, replace_existing=True)
        log.info("source %s: next poll at %s", src.name, start.isoformat())

    def _reload(self) -> None:
        """SIGHUP: apply a changed config. Polls under way finish with the config they started with;
        removed sources keep their archive and are no longer scheduled; a bad file changes nothing."""
        assert self.reload is not None and self.scheduler is not None
        try:
            fresh = self.reload()
        except ConfigError as e:
            log.error("config reload refused, the running config stays: %s", e)
            return
        old = {s.name: s for s in self.sources}
        new = {s.name: s for s in fresh}
        now = self.clock()
        for name in old.keys() - new.keys():
            self.scheduler.remove_job(f"poll:{name}")
            log.info("source %s: removed from the config; its archive is kept", name)
        for name, src in new.items():
            if old.get(name) != src:
                self._schedule(src, now)
        self.sources = fresh  # the revisit sweep reads self.sources at each run
        log.info("config reloaded: %d sources", len(fresh))

    async def _cancel_running(self) -> None:
        # Cancellation lands only at await points, which lie between the store's transactions:
        # a capture is written whole or not at all.
        tasks = list(self.running)
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE)
