"""/metrics and `status` stay fast as the fetch log grows: neither counts the log. The counters come
from the fetch tallies the writer keeps (worker/store/tallies.py); status reads only the last day of
the log, by the fetched_at index. Checked on the statements they send (no timings here: those are
bench/archive_scale.py --phases fetchlog), and the tallies checked against the log they count."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event, func, select

from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.models import Fetch, FetchTally
from worker.store.overview import list_sources
from worker.store.reading import counts
from worker.store.repository import ArchiveStore
from worker.values import Fetched
from worker.web.metrics import render

NOW = datetime.now(UTC)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    sent: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _archive(db_url: str) -> Engine:
    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    sid = store.sync_sources([("daily", "feed", "https://example.com/rss")], NOW)["daily"]
    for i in range(30):
        f = Fetched(purpose="feed", requested_url="https://example.com/rss", final_url=None, status=[200, 304, 503][i % 3],
                    fetched_at=NOW - timedelta(hours=i), duration_ms=[40, 700, 12_000][i % 3], attempts=1,
                    error="http_status" if i % 3 == 2 else None, not_modified=i % 3 == 1)
        store.log_listing_fetch(sid, f, None, keep_state=False)
    store.log_fetch(Fetched(purpose="robots", requested_url="https://example.com/robots.txt", final_url=None,
                            status=None, fetched_at=NOW, duration_ms=5, attempts=1, error="timeout"), None)
    return engine


def _reads_fetch_log(sql: str) -> bool:
    return re.search(r"\bfetches\b", sql) is not None


def test_metrics_never_reads_the_fetch_log(db_url: str) -> None:
    engine = _archive(db_url)
    with statements(engine) as sent:
        text = render(engine).decode()
    assert sent and not [s for s in sent if _reads_fetch_log(s)]
    assert 'newsarchive_listing_fetches_total{purpose="feed",source="daily"} 30.0' in text
    assert 'newsarchive_fetches_total{error="http_status",purpose="feed",status="503"} 10.0' in text
    assert 'newsarchive_fetches_total{error="timeout",purpose="robots",status=""} 1.0' in text
    assert 'newsarchive_fetch_duration_seconds_bucket{le="0.05"} 11.0' in text
    assert 'newsarchive_fetch_duration_seconds_bucket{le="1.0"} 21.0' in text
    assert 'newsarchive_fetch_duration_seconds_count 31.0' in text
    engine.dispose()


def test_status_reads_only_the_last_day_of_the_fetch_log(db_url: str) -> None:
    engine = _archive(db_url)
    with statements(engine) as sent:
        c = counts(engine)
        with engine.connect() as conn:
            rows = list_sources(conn, None, NOW)
    on_log = [s for s in sent if _reads_fetch_log(s)]
    assert on_log and all("fetched_at >=" in s for s in on_log), on_log  # bounded by the day's window
    assert c["fetches"] == 31 and c["failed_fetches"] == 11
    assert rows[0]["fetches_24h"] == 25 and rows[0]["failures_24h"] == 8  # hours 0..24, the edge included
    engine.dispose()


def test_tallies_match_the_log_they_count(db_url: str) -> None:
    """Every write path counts its fetch once: the tallies agree with a count of the log."""
    engine = _archive(db_url)
    with engine.connect() as c:
        by_log = dict(c.execute(select(Fetch.purpose, func.count()).group_by(Fetch.purpose)).all())
        by_tally = dict(c.execute(select(FetchTally.purpose, func.sum(FetchTally.n)).group_by(FetchTally.purpose)).all())
    assert by_log == {p: int(n) for p, n in by_tally.items()} == {"feed": 30, "robots": 1}
    engine.dispose()


def test_a_real_pass_counts_every_fetch_once(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Captures, failures and polls written by `run --once` (the writer's batches) are each counted once."""
    from tests.simweb import SimWeb
    from tests.test_e2e import newsarchive, write_config
    from tests.test_faults_process import add_articles

    with SimWeb() as web:
        site = web.add_site("daily")
        add_articles(site, 4)
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")},
                                                 {"name": "gone", "kind": "feed", "url": site.url("/missing.xml")}])
        newsarchive("run", "--once", "--config", str(cfg), "--db", db_url, check=False)
        newsarchive("run", "--once", "--config", str(cfg), "--db", db_url, check=False)
    engine = make_engine(db_url)
    key = (Fetch.purpose, func.coalesce(Fetch.status, 0), func.coalesce(Fetch.error, ""))
    with engine.connect() as c:
        by_log = {tuple(r[:3]): r[3] for r in c.execute(select(*key, func.count()).group_by(*key))}
        by_tally = {tuple(r[:3]): int(r[3]) for r in c.execute(
            select(FetchTally.purpose, FetchTally.status, FetchTally.error, func.sum(FetchTally.n))
            .group_by(FetchTally.purpose, FetchTally.status, FetchTally.error))}
    engine.dispose()
    assert by_log == by_tally
    assert by_log[("article", 200, "")] == 4 and ("feed", 404, "http_4xx") in by_log
