"""The sources overview, read once for `newsarchive status` and the browser's /sources (the same rows,
judged by the same worker/health.py `source_health`, so the two never disagree)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, func, select
from sqlalchemy.orm import Session

from worker.config import Config, SourceConfig
from worker.health import source_health
from worker.store.models import Article, Fetch, Source

RECENT = timedelta(hours=24)
SHOW_FAILURES = 5


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def _schedule(cfg: SourceConfig | None) -> str | None:
    if cfg is None:
        return None
    if cfg.cron:
        return f"cron {cfg.cron}"
    return f"every {_human(cfg.every or 0)}"


def _human(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def list_sources(conn: Connection, config: Config | None, now: datetime) -> list[dict[str, Any]]:
    """Every source of the archive: what it is, its last poll, its size, the last day's fetches and
    failures, and its health (`state`, `healthy`, `problems`)."""
    by_name = {s.name: s for s in config.sources} if config else {}
    sizes = {r.source_id: (r.articles, r.versions or 0) for r in conn.execute(
        select(Article.source_id, func.count().label("articles"), func.sum(Article.version_count).label("versions"))
        .group_by(Article.source_id))}
    since = now - RECENT
    # "+ 0" keeps the planner on the fetched_at index (a day's rows), not a walk of the source_id one
    recent = {r.source_id: (r.fetches, r.failures or 0) for r in conn.execute(
        select(Fetch.source_id, func.count().label("fetches"),
               func.sum(case((Fetch.error.is_not(None), 1), else_=0)).label("failures"))
        .where(Fetch.fetched_at >= since).group_by(Fetch.source_id + 0, Fetch.source_id))}
    recent_failed = _failures(conn, since)
    due = {r.source_id: r.due for r in conn.execute(
        select(Article.source_id, func.count().label("due")).where(Article.next_revisit_at <= now)
        .group_by(Article.source_id))}
    with Session(conn) as session:
        rows = list(session.scalars(select(Source).order_by(Source.name)))
    out = []
    for s in rows:
        cfg = by_name.get(s.name)
        articles, versions = sizes.get(s.id, (0, 0))
        fetches, failures = recent.get(s.id, (0, 0))
        row: dict[str, Any] = {
            "name": s.name, "kind": s.kind, "url": s.url, "schedule": _schedule(cfg),
            "enabled": cfg.enabled if cfg else None, "last_polled_at": _iso(s.last_polled_at),
            "last_poll_ok": s.last_poll_ok, "articles": articles,
            "versions": int(versions), "fetches_24h": fetches, "failures_24h": int(failures),
            "revisits_due": due.get(s.id, 0),
            "degraded": bool(s.degraded), "degraded_reason": s.degraded_reason,
            "recent_failures": recent_failed.get(s.id, []),
            "crawl_delay_capped": s.crawl_delay_capped,
        }
        judged = source_health(row, s.last_polled_at, cfg, config is not None, now)
        row.update(state=judged.state, healthy=judged.healthy, problems=judged.problems)
        out.append(row)
    return out


def _failures(conn: Connection, since: datetime) -> dict[int, list[dict[str, Any]]]:
    """The latest few failed fetches of each source since `since`, in one pass over a day of the log."""
    # partition on an expression, so the planner reads the day by the fetched_at index
    rank = func.row_number().over(partition_by=Fetch.source_id + 0, order_by=(Fetch.fetched_at.desc(), Fetch.id.desc()))
    recent = (select(Fetch.id, Fetch.source_id, Fetch.fetched_at, Fetch.purpose, Fetch.requested_url, Fetch.status,
                     Fetch.error, Fetch.error_detail, rank.label("n"))
              .where(Fetch.fetched_at >= since, Fetch.error.is_not(None)).subquery())
    out: dict[int, list[dict[str, Any]]] = {}
    for r in conn.execute(select(recent).where(recent.c.n <= SHOW_FAILURES).order_by(recent.c.n)):
        out.setdefault(r.source_id, []).append(
            {"fetch_id": r.id, "fetched_at": _iso(r.fetched_at), "purpose": r.purpose, "url": r.requested_url,
             "status": r.status, "error": r.error, "detail": r.error_detail})
    return out
