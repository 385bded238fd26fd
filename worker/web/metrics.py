"""/metrics in the Prometheus text format, computed from the archive at scrape time (the database is the
truth; several workers may write it, so no in-process counter would be complete). The fetch counters
come from the fetch tallies (worker/store/tallies.py), never from the fetch log: a scrape costs the same
however long the log is, and `prune` shortening the log takes nothing off a counter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Connection, Engine, case, func, select

from worker.store import tallies
from worker.store.models import TALLY_BUCKETS_MS as BUCKETS_MS  # fetch latency buckets, in ms (Prometheus: s)
from worker.store.models import Article, Source, Version

LISTINGS = ("feed", "sitemap", "page")


class ArchiveCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        with self.engine.connect() as conn:
            counted = tallies.totals(conn)
            yield from _polls(conn, counted)
            yield _fetches(counted)
            yield _latency(counted)
            yield from _archive(conn)


def _polls(conn: Connection, counted: list[Any]) -> Iterator[Metric]:
    polls = CounterMetricFamily("newsarchive_listing_fetches", "Feed, sitemap and page fetches (polls), by source",
                                labels=["source", "purpose"])
    names: dict[int, str] = {sid: name for sid, name in conn.execute(select(Source.id, Source.name))}
    by_source: dict[tuple[str, str], int] = {}
    for r in counted:
        if r.purpose in LISTINGS and r.source_id in names:
            key = (names[r.source_id], r.purpose)
            by_source[key] = by_source.get(key, 0) + r.n
    for (name, purpose), n in sorted(by_source.items()):
        polls.add_metric([name, purpose], n)
    yield polls
    last = GaugeMetricFamily("newsarchive_source_last_poll_timestamp_seconds", "When each source was last polled",
                             labels=["source"])
    ok = GaugeMetricFamily("newsarchive_source_last_poll_ok", "1 when the source's last poll succeeded",
                           labels=["source"])
    for name, at, good in conn.execute(select(Source.name, Source.last_polled_at, Source.last_poll_ok)):
        if at is not None:
            last.add_metric([name], at.timestamp())
            ok.add_metric([name], 1.0 if good else 0.0)
    yield last
    yield ok


def _fetches(counted: list[Any]) -> Metric:
    m = CounterMetricFamily("newsarchive_fetches", "Requests made, by purpose, HTTP status and error kind",
                            labels=["purpose", "status", "error"])
    by_kind: dict[tuple[str, str, str], int] = {}
    for r in counted:
        key = (r.purpose, str(r.status) if r.status else "", r.error)
        by_kind[key] = by_kind.get(key, 0) + r.n
    for key, n in sorted(by_kind.items()):
        m.add_metric(list(key), n)
    return m


def _latency(counted: list[Any]) -> Metric:
    count = sum(r.n for r in counted)
    total = sum(r.duration_ms for r in counted)
    buckets = [(str(b / 1000), sum(getattr(r, f"le_{b}") for r in counted)) for b in BUCKETS_MS]
    buckets.append(("+Inf", count))
    m = HistogramMetricFamily("newsarchive_fetch_duration_seconds", "Fetch latency (whole request, retries included)")
    m.add_metric([], [(le, int(n)) for le, n in buckets], total / 1000)
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
