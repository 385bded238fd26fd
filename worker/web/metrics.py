"""/metrics in the Prometheus text format, computed from the archive at scrape time (the database is the
truth; several workers may write it, so no in-process counter would be complete). The fetch counters
come from the fetch tallies (worker/store/tallies.py), never from the fetch log: a scrape costs the same
however long the log is, and `prune` shortening the log takes nothing off a counter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Connection, Engine, case, func, select

from worker.store.models import TALLY_BUCKETS_MS as BUCKETS_MS  # fetch latency buckets, in ms (Prometheus: s)
from worker.store.models import Article, FetchTally, Source, Version

LISTINGS = ("feed", "sitemap", "page")


class ArchiveCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        with self.engine.connect() as conn:
            yield from _polls(conn)
            yield _fetches(conn)
            yield _latency(conn)
            yield from _archive(conn)


def _polls(conn: Connection) -> Iterator[Metric]:
    polls = CounterMetricFamily("newsarchive_listing_fetches", "Feed, sitemap and page fetches (polls), by source",
                                labels=["source", "purpose"])
    stmt = (select(Source.name, FetchTally.purpose, func.sum(FetchTally.n))
            .join(Source, Source.id == FetchTally.source_id)
            .where(FetchTally.purpose.in_(LISTINGS)).group_by(Source.name, FetchTally.purpose))
    for name, purpose, n in conn.execute(stmt):
        polls.add_metric([name, purpose], n)
    yield polls
    last = GaugeMetricFamily("newsarchive_source_last_poll_timestamp_seconds", "When each source was last polled",
                             labels=["source"])
    ok = GaugeMetricFamily("newsarchive_source_last_poll_ok", "1 when the source's last poll succeeded",
                           labels=["source"])
    capped = GaugeMetricFamily("newsarchive_source_crawl_delay_capped_seconds",
                               "The robots.txt Crawl-delay above crawl_delay_max that the source's last poll capped",
                               labels=["source"])
    rows = select(Source.name, Source.last_polled_at, Source.last_poll_ok, Source.crawl_delay_capped)
    for name, at, good, delay in conn.execute(rows):
        if at is not None:
            last.add_metric([name], at.timestamp())
            ok.add_metric([name], 1.0 if good else 0.0)
        if delay:
            capped.add_metric([name], float(delay["asked"]))
    yield last
    yield ok
    yield capped


def _fetches(conn: Connection) -> Metric:
    m = CounterMetricFamily("newsarchive_fetches", "Requests made, by purpose, HTTP status and error kind",
                            labels=["purpose", "status", "error"])
    stmt = select(FetchTally.purpose, FetchTally.status, FetchTally.error, func.sum(FetchTally.n)).group_by(
        FetchTally.purpose, FetchTally.status, FetchTally.error)
    for purpose, status, error, n in conn.execute(stmt):
        m.add_metric([purpose, str(status) if status else "", error], n)
    return m


def _latency(conn: Connection) -> Metric:
    table = FetchTally.__table__
    cols = [func.sum(table.c[f"le_{b}"]) for b in BUCKETS_MS]
    row = conn.execute(select(func.sum(table.c.n), func.sum(table.c.duration_ms), *cols)).one()
    count, total = int(row[0] or 0), int(row[1] or 0)
    buckets = [(str(b / 1000), int(n or 0)) for b, n in zip(BUCKETS_MS, row[2:], strict=True)]
    buckets.append(("+Inf", count))
    m = HistogramMetricFamily("newsarchive_fetch_duration_seconds", "Fetch latency (whole request, retries included)")
    m.add_metric([], buckets, total / 1000)
    return m


def _archive(conn: Connection) -> Iterator[Metric]:
    now = datetime.now(UTC)
    versions = CounterMetricFamily("newsarchive_versions", "Versions created: first captures and edits",
                                   labels=["kind"])
    first, edits = conn.execute(select(func.sum(case((Version.number == 1, 1), else_=0)),
                                       func.sum(case((Version.number > 1, 1), else_=0)))).one()
    versions.add_metric(["first"], first or 0)
    versions.add_metric(["edit"], edits or 0)
    yield versions
    articles = GaugeMetricFamily("newsarchive_articles", "Articles in the archive")
    articles.add_metric([], conn.scalar(select(func.count()).select_from(Article)) or 0)
    yield articles
    due = GaugeMetricFamily("newsarchive_revisits_pending", "Articles whose revisit is due now")
    due.add_metric([], conn.scalar(select(func.count()).where(Article.next_revisit_at <= now)) or 0)
    yield due
    scheduled = GaugeMetricFamily("newsarchive_revisits_scheduled", "Articles with a revisit still to come")
    scheduled.add_metric([], conn.scalar(select(func.count()).where(Article.next_revisit_at.is_not(None))) or 0)
    yield scheduled


def render(engine: Engine) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ArchiveCollector(engine))
    return generate_latest(registry)
