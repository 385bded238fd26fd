"""The distributed runner: several workers share one PostgreSQL archive through procrastinate.

Every worker runs the same procrastinate worker over one queue. The work is cut into jobs:

    newsarchive.tick      every FLEET_TICK s (a periodic task: the database lets one worker defer each
                          tick): defers a poll for each due source and a fetch for each due revisit
    newsarchive.poll      one source's listings -> a fetch job per new or updated article
                          (lock and queueing lock "poll:NAME": one poll per source at a time)
    newsarchive.fetch     one article: fetch, extract, archive (lock and queueing lock "url:MD5(url)")
    newsarchive.recover   periodic: jobs of workers whose heartbeat stopped are retried; old jobs pruned
    newsarchive.prune     periodic, daily (NEWSARCHIVE_PRUNE_EVERY): the fetch log's old rows as the
                          config's `retention` says, in small batches (worker/store/retention.py)

A job re-checks under its lock that its work is still due (the source not polled within its
interval, the article not captured or revisited since), so a job deferred twice in a race does the
work once. The per-host politeness is fleet-wide (worker/fetch/fleet.py). When PostgreSQL goes
away the worker waits for it and starts again; jobs it had running are recovered like a dead
worker's. Settings come from NEWSARCHIVE_FLEET_* environment variables (FleetSettings).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

import procrastinate
import psycopg
from procrastinate import JobContext
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException, UniqueViolation
from procrastinate.jobs import Status
from procrastinate.worker import Worker
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

from worker.config import Config, RetentionConfig, SourceConfig
from worker.examiners import Examiner, default_processes
from worker.fetch import Fetcher
from worker.fetch.fleet import FleetGate, make_gate_pool
from worker.notify import Notifier
from worker.pipeline import Job, PassStats, Pipeline, utcnow
from worker.revisits import listed_as_updated
from worker.runners.inprocess import PRUNE_PAUSE, first_run, prune_every
from worker.store.engine import make_engine, mask_url
from worker.store.migrate import upgrade
from worker.store.models import Source
from worker.store.repository import ArchiveStore

log = logging.getLogger(__name__)

QUEUE = "newsarchive"
PRIORITY = {"control": 100, "poll": 10, "article": 0, "revisit": -10}  # higher runs first
SHUTDOWN_GRACE = 5.0  # seconds running jobs get on SIGTERM before they are cancelled (and retried)
KEEP_FINISHED_HOURS = 168  # failed or aborted jobs are kept this long for inspection
__all__ = ["FleetSettings", "build_app", "fleet_status", "format_fleet_status", "lock_key", "run_fleet"]


@dataclass(frozen=True)
class FleetSettings:
    """Tuning, from NEWSARCHIVE_FLEET_<NAME> environment variables (e.g. NEWSARCHIVE_FLEET_CONCURRENCY)."""

    concurrency: int = 16  # jobs one worker runs at once (they mostly wait on the network)
    tick: int = 10  # seconds between two looks for due polls and revisits
    heartbeat: float = 10.0  # seconds between a worker's heartbeats
    stalled_after: float = 60.0  # a worker silent this long is dead: its jobs go to the others
    recover_every: int = 15  # seconds between two looks for a dead worker's jobs
    poll: float = 2.0  # seconds between looks for jobs besides notifications (jobs freed by a lock)
    lease: float = 30.0  # seconds a dead worker's per-host slot stays taken (fleet gate)
    revisit_batch: int = 2000  # revisits deferred per tick at most

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> FleetSettings:
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"NEWSARCHIVE_FLEET_{f.name.upper()}")
            if raw:
                values[f.name] = int(raw) if f.type == "int" else float(raw)
        return cls(**values)


def every_seconds_cron(seconds: int) -> str:
    """A cron line (6th field: seconds) firing every `seconds`, rounded to a divisor of a minute."""
    if seconds >= 60:
        return "* * * * *"
    step = max(d for d in (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30) if d <= max(1, seconds))
    return f"* * * * * */{step}"


def lock_key(url: str) -> str:
    """The lock (and queueing lock) of an article's fetch; PostgreSQL computes the same as 'url:' || md5(url)."""
    return "url:" + hashlib.md5(url.encode("utf-8"), usedforsecurity=False).hexdigest()


def conninfo_of(db_url: str) -> str:
    """libpq form of an archive URL (postgresql+psycopg://... -> postgresql://...)."""
    url = make_url(db_url)
    if not url.drivername.startswith(("postgresql", "postgres")):
        raise ValueError(f"the fleet needs PostgreSQL, not {url.drivername} ({mask_url(db_url)})")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


# --- what the jobs run in ------------------------------------------------------------------------


class Runtime:
    """A worker process's shared objects, handed to every job through its context."""

    def __init__(self, app: procrastinate.App, engine: Engine, store: ArchiveStore, fetcher: Fetcher,
                 sources: Sequence[SourceConfig], ids: dict[str, int], settings: FleetSettings,
                 retention: RetentionConfig | None = None, stopping: threading.Event | None = None,
                 examiner: Examiner | None = None, notifier: Notifier | None = None) -> None:
        self.app, self.engine, self.store, self.settings = app, engine, store, settings
        self.retention = retention or RetentionConfig()
        self.stopping = stopping or threading.Event()  # set on SIGTERM: a prune under way ends after its batch
        self.pruned_to: dict[str, datetime] = {}  # what this process's complete prune walks decided
        self.sources = {s.name: s for s in sources}
        self.ids = ids
        # Pages and listings are examined in helper processes with the page budget, as in `run`.
        self.fetching = Pipeline(store, fetcher, ids, examiner=examiner,  # runs one article job in this process
                                 notifier=notifier)  # its new versions are notified by this worker
        self.polling = _DeferringPipeline(store, fetcher, ids, runtime=self, examiner=examiner)

    async def defer_fetch(self, source: str, job: Job) -> bool:
        key = lock_key(job.article_url or job.url)
        listed = job.listed_updated_at.isoformat() if job.listed_updated_at else None
        deferrer = self.app.configure_task("newsarchive.fetch", queue=QUEUE, lock=key, queueing_lock=key,
                                           priority=PRIORITY.get(job.purpose, 0))
        try:
            await deferrer.defer_async(source=source, url=job.url, purpose=job.purpose, via=job.discovered_via,
                                       article_url=job.article_url, listed_updated_at=listed)
        except AlreadyEnqueued:  # the same URL is already waiting: one fetch is enough
            return False
        return True


class _DeferringPipeline(Pipeline):
    """Polls a source as the in-process pipeline does, but hands each article to the queue."""

    def __init__(self, *args: Any, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.runtime = runtime

    async def run_jobs(self, src: SourceConfig, sid: int, jobs: list[Job], stats: PassStats) -> None:
        deferred = 0
        for job in jobs:
            deferred += await self.runtime.defer_fetch(src.name, job)
        log.info("source %s: %d article jobs deferred (%d already queued)", src.name, deferred, len(jobs) - deferred)


def _runtime(context: JobContext) -> Runtime:
    return context.additional_context["runtime"]


async def tick(context: JobContext, timestamp: int) -> str:
    """Defer a poll for every due source and a fetch for every due revisit."""
    rt = _runtime(context)
    now = utcnow()
    with rt.engine.connect() as conn:
        last = dict(conn.execute(select(Source.name, Source.last_polled_at)).tuples().all())
        busy = set(conn.execute(text(
            "SELECT lock FROM procrastinate_jobs WHERE status IN ('todo', 'doing') AND lock LIKE 'poll:%'"
        )).scalars())
        due_revisits = conn.execute(_DUE_REVISITS, {
            "now": now, "ids": [rt.ids[n] for n in rt.sources if n in rt.ids], "n": rt.settings.revisit_batch,
        }).all()
    polls = 0
    for name, src in rt.sources.items():
        if f"poll:{name}" not in busy and first_run(src, last.get(name), now) <= now:
            polls += await _defer_poll(rt.app, name)
    names = {sid: name for name, sid in rt.ids.items()}
    revisits = 0
    for url, source_id, via in due_revisits:
        revisits += await rt.defer_fetch(names[source_id], Job(url, "revisit", via, url))
    return f"{polls} polls, {revisits} revisits deferred"


_DUE_REVISITS = text("""
SELECT a.url, a.source_id, a.discovered_via FROM articles a
 WHERE a.next_revisit_at <= :now AND a.source_id = ANY(:ids)
   AND NOT EXISTS (SELECT 1 FROM procrastinate_jobs j
                    WHERE j.queueing_lock = 'url:' || md5(a.url) AND j.status = 'todo')
   AND NOT EXISTS (SELECT 1 FROM procrastinate_jobs j
                    WHERE j.lock = 'url:' || md5(a.url) AND j.status = 'doing')
 ORDER BY a.next_revisit_at LIMIT :n""")


async def _defer_poll(app: procrastinate.App, name: str) -> bool:
    key = f"poll:{name}"
    try:
        await app.configure_task("newsarchive.poll", queue=QUEUE, lock=key, queueing_lock=key,
                                 priority=PRIORITY["poll"]).defer_async(source=name)
    except AlreadyEnqueued:
        return False
    return True


async def poll(context: JobContext, source: str) -> str:
    rt = _runtime(context)
    src = rt.sources.get(source)
    if src is None or source not in rt.ids:
        return "not a source of this worker's config"
    now = utcnow()
    if first_run(src, rt.store.last_polled(rt.ids[source]), now) > now:
        return "skipped: polled within its interval"  # a twin job ran while this one waited
    stats = await rt.polling.poll(src)
    return stats.summary()


async def fetch(context: JobContext, source: str, url: str, purpose: str, via: str | None,
                article_url: str | None, listed_updated_at: str | None) -> str:
    rt = _runtime(context)
    src = rt.sources.get(source)
    if src is None or source not in rt.ids:
        return "not a source of this worker's config"
    listed = datetime.fromisoformat(listed_updated_at) if listed_updated_at else None
    if not _still_due(rt.engine, article_url or url, purpose, listed):
        return "skipped: captured or revisited since it was queued"
    stats = PassStats()
    await rt.fetching.run_jobs(src, rt.ids[source], [Job(url, purpose, via, article_url, listed)], stats)
    return (next(iter(stats.outcomes), None) or next(iter(stats.errors), None) or "done")


def _still_due(engine: Engine, url: str, purpose: str, listed: datetime | None) -> bool:
    """Is this article fetch still wanted? Checked under the URL's lock, so twins do the work once."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT a.last_seen_at, a.listed_updated_at, a.next_revisit_at FROM article_urls u "
            "JOIN articles a ON a.id = u.article_id WHERE u.url = :url"), {"url": url}).first()
    if row is None:
        return True
    if purpose != "revisit":
        return False  # a new URL someone captured meanwhile
    last_seen, recorded, next_revisit = row
    return (next_revisit is not None and next_revisit <= utcnow()) or listed_as_updated(listed, last_seen, recorded)


async def recover(context: JobContext, timestamp: int) -> str:
    """Give the jobs of dead workers (no heartbeat for stalled_after) to the living; prune old rows."""
    rt = _runtime(context)
    jm = context.app.job_manager
    stalled = list(await jm.get_stalled_jobs(seconds_since_heartbeat=rt.settings.stalled_after))
    for job in stalled:
        log.warning("recovering job %s (%s) of a dead worker", job.id, job.task_name)
        try:
            try:
                await jm.retry_job(job)
            except UniqueViolation:  # its twin already waits in the queue (a later tick, the same URL)
                await jm.finish_job(job, status=Status.FAILED, delete_job=True)
        except ConnectorException as e:  # another recover job got there first
            log.info("job %s: already recovered (%s)", job.id, type(e).__name__)
    await jm.prune_stalled_workers(rt.settings.stalled_after)
    await jm.delete_old_jobs(nb_hours=KEEP_FINISHED_HOURS, include_failed=True, include_cancelled=True,
                             include_aborted=True)
    await context.app.connector.execute_query_async(
        "DELETE FROM fleet_leases WHERE expires_at < now() - interval '1 minute'")
    return f"{len(stalled)} stalled jobs retried"


async def prune_job(context: JobContext, timestamp: int) -> str:
    """The fleet's daily prune: one worker runs it (queueing lock), in a thread, batch by batch."""
    from worker.store.retention import prune

    rt = _runtime(context)
    result = await asyncio.to_thread(prune, rt.engine, rt.retention, utcnow(), since=rt.pruned_to,
                                     pause=PRUNE_PAUSE, stop=rt.stopping.is_set)
    summary = ", ".join(f"{n} {k}" for k, n in result.removed.items())
    log.info("prune: removed %s in %.1fs", summary, result.seconds)
    return f"removed {summary}"


def prune_cron(seconds: float) -> str:
    """A cron line for a prune every `seconds` (a day: 04:23 UTC, out of the hour's rush)."""
    if seconds < 60:
        return every_seconds_cron(int(seconds))
    if seconds < 3600:
        return f"*/{max(1, int(seconds // 60))} * * * *"
    if seconds < 86400:
        return f"0 */{max(1, int(seconds // 3600))} * * *"
    return "23 4 * * *"


def build_app(conninfo: str, settings: FleetSettings) -> procrastinate.App:
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo, min_size=1, max_size=max(4, settings.concurrency // 2 + 2))
    app = procrastinate.App(connector=connector)
    retry = procrastinate.RetryStrategy(max_attempts=8, exponential_wait=2)  # DB hiccups, shutdown aborts
    # No lock on the control tasks: a dead worker's tick or recover job would hold it until recovered,
    # and recovery is itself a control task. Two overlapping ticks only defer deduplicated jobs.
    control = dict(queue=QUEUE, pass_context=True, priority=PRIORITY["control"])
    app.periodic(cron=every_seconds_cron(settings.tick), periodic_id="tick")(
        app.task(name="newsarchive.tick", queueing_lock="tick", **control)(tick))
    app.periodic(cron=every_seconds_cron(settings.recover_every), periodic_id="recover")(
        app.task(name="newsarchive.recover", queueing_lock="recover", **control)(recover))
    app.periodic(cron=prune_cron(prune_every()), periodic_id="prune")(
        app.task(name="newsarchive.prune", queueing_lock="prune", **control)(prune_job))
    app.task(name="newsarchive.poll", queue=QUEUE, pass_context=True, retry=retry)(poll)
    app.task(name="newsarchive.fetch", queue=QUEUE, pass_context=True, retry=retry)(fetch)
    return app


# --- status --------------------------------------------------------------------------------------


@dataclass
class FleetStatus:
    """The fleet as `status` shows it: its workers, the queue depth and the oldest waiting job."""

    workers: list[dict[str, Any]] = field(default_factory=list)  # worker_id, hostname, pid, heartbeat, alive, running
    waiting: int = 0  # jobs ready to run now
    scheduled: int = 0  # jobs waiting for a later time (retries)
    running: int = 0
    failed: int = 0
    oldest_waiting_since: datetime | None = None
    waiting_by_task: dict[str, int] = field(default_factory=dict)


def fleet_status(engine: Engine, stalled_after: float | None = None) -> FleetStatus | None:
    """None when the database has no fleet (SQLite, or not migrated to 0004)."""
    if engine.dialect.name != "postgresql":
        return None
    stalled = timedelta(seconds=stalled_after or FleetSettings.from_env().stalled_after)
    with engine.connect() as conn:
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None:
            return None
        st = FleetStatus()
        now = conn.execute(text("SELECT now()")).scalar_one()
        for r in conn.execute(_WORKERS).mappings():
            st.workers.append(dict(r) | {"alive": r["last_heartbeat"] > now - stalled})
        for task, status, ready, n, since in conn.execute(_QUEUE):
            if status == "todo" and ready:
                st.waiting += n
                st.waiting_by_task[task] = st.waiting_by_task.get(task, 0) + n
                st.oldest_waiting_since = min(filter(None, (st.oldest_waiting_since, since)), default=None)
            elif status == "todo":
                st.scheduled += n
            elif status == "doing":
                st.running += n
            elif status == "failed":
                st.failed += n
    return st


_WORKERS = text("""
SELECT w.id AS worker_id, m.hostname, m.pid, m.started_at, w.last_heartbeat,
       (SELECT count(*) FROM procrastinate_jobs j WHERE j.worker_id = w.id AND j.status = 'doing') AS running
  FROM procrastinate_workers w LEFT JOIN fleet_members m ON m.worker_id = w.id ORDER BY w.id""")
# A job waits since its latest deferral or retry (or its scheduled time, if later).
_QUEUE = text("""
SELECT j.task_name, j.status::text, coalesce(j.scheduled_at <= now(), true) AS ready, count(*),
       min(greatest(j.scheduled_at, (SELECT max(e.at) FROM procrastinate_events e
                                      WHERE e.job_id = j.id AND e.type IN ('deferred', 'deferred_for_retry', 'retried'))))
  FROM procrastinate_jobs j WHERE j.status IN ('todo', 'doing', 'failed')
 GROUP BY 1, 2, 3""")


def format_fleet_status(st: FleetStatus | None) -> list[str]:
    """Lines for `newsarchive status`."""
    if st is None:
        return ["fleet: none (SQLite or an in-process worker)"]
    alive = [w for w in st.workers if w["alive"]]
    oldest = st.oldest_waiting_since.isoformat(timespec="seconds") if st.oldest_waiting_since else "-"
    lines = [f"fleet: {len(alive)} workers alive ({len(st.workers) - len(alive)} silent); queue: {st.waiting} waiting "
             f"(oldest since {oldest}), {st.running} running, {st.scheduled} scheduled, {st.failed} failed"]
    for w in st.workers:
        who = f"{w['hostname']}:{w['pid']}" if w["hostname"] else "?"
        state = "alive" if w["alive"] else "SILENT"
        lines.append(f"  worker {w['worker_id']:<6} {who:<32} {state:<7} heartbeat "
                     f"{w['last_heartbeat'].isoformat(timespec='seconds')}  running {w['running']}")
    for task, n in sorted(st.waiting_by_task.items()):
        lines.append(f"  waiting {task:<22} {n}")
    return lines


# --- the worker process --------------------------------------------------------------------------


async def run_fleet(config: Config, db_url: str, *, migrate: bool = True,
                    settings: FleetSettings | None = None) -> int:
    """`newsarchive run` as one worker of a fleet: until SIGTERM/SIGINT, through database restarts.

    SIGHUP re-reads the config file (every worker of a fleet must run the same one) and restarts
    the procrastinate worker; jobs under way finish first (or are retried).
    """
    settings = settings or FleetSettings.from_env()
    conninfo = conninfo_of(db_url)
    # procrastinate logs every job's start and end at INFO: only worth it when debugging
    logging.getLogger("procrastinate").setLevel(max(logging.WARNING, logging.getLogger().getEffectiveLevel()))
    if migrate:
        upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    holder = f"{socket.gethostname()}:{os.getpid()}"
    stop, reload = asyncio.Event(), asyncio.Event()
    stopping = threading.Event()  # the same as `stop`, for a prune in its thread
    current: list[Worker] = []

    def on_signal(event: asyncio.Event) -> None:
        event.set()
        if event is stop:
            stopping.set()
        for w in current:
            w.stop()

    loop = asyncio.get_running_loop()
    for sig, event in ((signal.SIGTERM, stop), (signal.SIGINT, stop), (signal.SIGHUP, reload)):
        loop.add_signal_handler(sig, on_signal, event)
    log.info("fleet worker %s: archive %s, %d sources", holder, mask_url(db_url), len(config.sources))
    gate_pool = make_gate_pool(conninfo, settings.concurrency)
    await gate_pool.open(wait=False)
    examiner = Examiner.from_env(default_processes())  # the page budget and caps of the environment
    source_ids: dict[str, int] = {}
    notifier = Notifier.from_sources(config.sources, on_fetch=lambda f, name: store.log_fetch(f, source_ids.get(name)))
    try:
        async with Fetcher(gate=FleetGate(gate_pool, holder=holder, lease=settings.lease),
                           on_fetch=lambda f: store.log_fetch(f, None)) as fetcher:
            while not stop.is_set():
                if reload.is_set():
                    reload.clear()
                    config = _reloaded(config)
                    notifier.set_targets({s.name: s.notify for s in config.sources if s.notify is not None})
                try:
                    ids = store.sync_sources(((s.name, s.kind, s.url) for s in config.sources), utcnow())
                except Exception as e:  # the database is away: wait for it
                    log.error("fleet worker %s: %s", holder, str(e).strip().splitlines()[0][:300])
                    await _wait_for_database(conninfo, stop, pause=1.0)
                    continue
                source_ids.update(ids)
                app = build_app(conninfo, settings)
                runtime = Runtime(app, engine, store, fetcher, [s for s in config.sources if s.enabled], ids, settings,
                                  retention=config.retention, stopping=stopping, examiner=examiner,
                                  notifier=notifier)
                await _serve_until_failure(app, runtime, holder, current)
                if not stop.is_set() and not reload.is_set():
                    await _wait_for_database(conninfo, stop, pause=1.0)
    finally:
        await notifier.aclose()
        examiner.close()
        await gate_pool.close()
        engine.dispose()
    log.info("fleet worker %s stopped", holder)
    return 0


def _reloaded(config: Config) -> Config:
    from worker.config import ConfigError, load_config

    try:
        fresh = load_config(config.path)
    except ConfigError as e:  # keep working with what we have
        log.error("config not reloaded: %s", e)
        return config
    log.info("config reloaded from %s: %d sources", config.path, len(fresh.sources))
    return fresh


async def _serve_until_failure(app: procrastinate.App, runtime: Runtime, holder: str, current: list[Worker]) -> None:
    s = runtime.settings
    worker = Worker(app, queues=[QUEUE], name=holder, concurrency=s.concurrency, fetch_job_polling_interval=s.poll,
                    update_heartbeat_interval=s.heartbeat, stalled_worker_timeout=s.stalled_after,
                    shutdown_graceful_timeout=SHUTDOWN_GRACE, delete_jobs="successful",
                    install_signal_handlers=False, additional_context={"runtime": runtime})
    current[:] = [worker]
    try:
        async with app.open_async():
            member = asyncio.create_task(_announce(app, worker, holder, s.concurrency))
            try:
                await worker.run()
            finally:
                member.cancel()
    except Exception as e:  # the database went away (or a bug): wait for it and start again
        log.error("fleet worker %s: %s: %s; restarting", holder, type(e).__name__, str(e).strip()[:300])
    finally:
        current.clear()


async def _announce(app: procrastinate.App, worker: Worker, holder: str, concurrency: int) -> None:
    """Tell `status` which process on which machine this procrastinate worker is."""
    while worker.worker_id is None:
        await asyncio.sleep(0.05)
    hostname, _, pid = holder.rpartition(":")
    await app.connector.execute_query_async(
        "INSERT INTO fleet_members (worker_id, hostname, pid, concurrency) "
        "VALUES (%(w)s, %(h)s, %(p)s, %(c)s) ON CONFLICT DO NOTHING",
        w=worker.worker_id, h=hostname, p=int(pid), c=concurrency)
    log.info("fleet worker %s joined as worker %s", holder, worker.worker_id)


async def _wait_for_database(conninfo: str, stop: asyncio.Event, pause: float) -> None:
    """Back off, then return once PostgreSQL accepts connections again (or on stop)."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), pause)
        except TimeoutError:
            pass
        try:
            conn = await psycopg.AsyncConnection.connect(conninfo, connect_timeout=3)
            await conn.close()
            return
        except psycopg.Error as e:
            cause = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
            log.warning("waiting for the database: %s; next try in %.1fs", cause, pause)
        pause = min(pause * 2, 10.0)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m worker.runners.distributed`: one fleet worker (until `newsarchive run` offers it)."""
    from worker.config import ConfigError, load_config, resolve_config_path

    p = argparse.ArgumentParser(prog="python -m worker.runners.distributed", description=main.__doc__)
    p.add_argument("--config")
    p.add_argument("--db")
    p.add_argument("--no-migrate", action="store_true")
    p.add_argument("--status", action="store_true", help="print the fleet's status and exit")
    args = p.parse_args(argv)
    logging.basicConfig(level=os.environ.get("NEWSARCHIVE_LOG_LEVEL", "INFO").upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        config = load_config(resolve_config_path(args.config))
    except ConfigError as e:
        print(f"newsarchive: {e}", file=sys.stderr)
        return 2
    db_url = args.db or os.environ.get("NEWSARCHIVE_DATABASE_URL") or config.database
    if not db_url or not db_url.startswith("postgres"):
        print("newsarchive: the fleet needs a PostgreSQL database (--db postgresql://...)", file=sys.stderr)
        return 2
    if args.status:
        engine = make_engine(db_url, writer=False)
        print("\n".join(format_fleet_status(fleet_status(engine))))
        return 0
    return asyncio.run(run_fleet(config, db_url, migrate=not args.no_migrate))


if __name__ == "__main__":
    # Run the module under its real name, so procrastinate's tasks are not registered on `__main__`.
    from worker.runners.distributed import main as _main

    sys.exit(_main())
