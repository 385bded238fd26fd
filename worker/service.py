"""Wires config, store, fetcher and pipeline together for `run` (the service or one pass)."""

from __future__ import annotations

import logging
import sys
import time

from worker.config import Config, SourceConfig, load_config
from worker.examiners import Examiner
from worker.fetch import Fetcher
from worker.logs import ProgressCounter
from worker.notify import Notifier
from worker.pipeline import Pipeline, utcnow
from worker.runners.inprocess import Service, run_once
from worker.store.engine import make_engine, mask_url
from worker.store.migrate import upgrade
from worker.store.repository import ArchiveStore
from worker.writer import Writer

WRITE_LINGER = 0.1  # seconds a batch of writes waits for more (Writer.linger)

log = logging.getLogger(__name__)


async def run_service(config: Config, db_url: str, *, once: bool, only: list[str], migrate: bool,
                      examiners: int = 0) -> int:
    """examiners: processes that examine pages beside this one (0: examine and write here)."""
    if migrate:
        upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    ids = store.sync_sources(((s.name, s.kind, s.url) for s in config.sources), utcnow())
    sources = _selected(config, only)
    log.info("archive %s, %d sources", mask_url(db_url), len(sources))
    examiner = Examiner.from_env(examiners)  # with the page budget and caps of the environment
    # A core to spare for examining has one for writing too. The pipeline does not wait for its
    # writes, so a batch may wait a little for more (one transaction, one round trip for all).
    writer = Writer(store, process=examiners > 0, linger=WRITE_LINGER)
    notifier = Notifier.from_sources(config.sources, on_fetch=lambda f, name: store.log_fetch(f, ids.get(name)))
    pipeline: Pipeline | None = None
    try:
        async with Fetcher(on_fetch=lambda f: store.log_fetch(f, None)) as fetcher:
            pipeline = Pipeline(store, fetcher, ids, notifier=notifier, examiner=examiner,
                                writer=writer)
            if once:
                started = time.monotonic()
                with ProgressCounter(label="articles") as bar:  # drawn on a terminal only
                    pipeline.progress = bar
                    stats = await run_once(pipeline, sources)
                print(f"pass complete in {time.monotonic() - started:.1f}s: {stats.summary()}", file=sys.stdout)
                if stats.all_failed:  # nothing could be done: a script must be able to tell (exit 1)
                    return 1
            else:
                def reload() -> list[SourceConfig]:
                    """SIGHUP: re-read the same file; a bad file raises ConfigError and the old config stays."""
                    fresh = load_config(config.path)
                    ids.update(store.sync_sources(((s.name, s.kind, s.url) for s in fresh.sources), utcnow()))
                    notifier.set_targets({s.name: s.notify for s in fresh.sources if s.notify is not None})
                    service.retention = fresh.retention
                    return _selected(fresh, only)

                service = Service(pipeline, sources, utcnow, reload=reload, retention=config.retention)
                await service.serve()
    finally:
        if pipeline is not None:
            await pipeline.aclose()
        await notifier.aclose()
        examiner.close()
        engine.dispose()
    return 0


def _selected(config: Config, only: list[str]) -> list[SourceConfig]:
    return [s for s in config.sources if s.name in only] if only else [s for s in config.sources if s.enabled]
