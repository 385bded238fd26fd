"""Wires config, store, fetcher and pipeline together for `run` (the service or one pass)."""

from __future__ import annotations

import logging
import sys
import time

from worker.config import Config
from worker.fetch import Fetcher
from worker.pipeline import Pipeline, utcnow
from worker.runners.inprocess import Service, run_once
from worker.store.engine import make_engine, mask_url
from worker.store.migrate import upgrade
from worker.store.repository import ArchiveStore

log = logging.getLogger(__name__)


async def run_service(config: Config, db_url: str, *, once: bool, only: list[str], migrate: bool) -> int:
    if migrate:
        upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    ids = store.sync_sources(((s.name, s.kind, s.url) for s in config.sources), utcnow())
    sources = [s for s in config.sources if s.name in only] if only else [s for s in config.sources if s.enabled]
    log.info("archive %s, %d sources", mask_url(db_url), len(sources))
    try:
        async with Fetcher(on_fetch=lambda f: store.log_fetch(f, None)) as fetcher:
            pipeline = Pipeline(store, fetcher, ids)
            if once:
                started = time.monotonic()
                stats = await run_once(pipeline, sources)
                print(f"pass complete in {time.monotonic() - started:.1f}s: {stats.summary()}", file=sys.stdout)
            else:
                await Service(pipeline, sources, utcnow).serve()
    finally:
        engine.dispose()
    return 0
