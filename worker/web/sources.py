"""The sources overview: what each source is, when it last ran, what it holds, and whether it is healthy."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, func, select
from sqlalchemy.orm import Session

from worker.config import Config, SourceConfig
from worker.store.models import Article, Fetch, Source
from worker.web.queries import iso

RECENT = timedelta(hours=24)
SHOW_FAILURES = 5
FAILING_SHARE = 0.5  # more than half of the last day's fetches failed
OVERDUE_GRACE = timedelta(minutes=5)


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


def health(row: dict[str, Any], cfg: SourceConfig | None, config_given: bool, now: datetime) -> list[str]:
    """Why a source is not healthy; an empty list means healthy."""
    problems = []
    if config_given and cfg is None:
        problems.append("not in the config any more")
    if cfg is not None and not cfg.enabled:
        problems.append("disabled in the config")
    last = row["_last_polled_at"]
    if last is None:
        problems.append("never polled")
    elif row["last_poll_ok"] is False:
        problems.append("last poll failed")
    if last is not None and cfg is not None and cfg.enabled and cfg.every:
        if now - last > timedelta(seconds=2 * cfg.every) + OVERDUE_GRACE:
            problems.append("overdue: not polled for over twice its interval")
    if row["degraded"]:
        problems.append("extraction degraded" + (f": {row['degraded_reason']}" if row["degraded_reason"] else ""))
    if row["fetches_24h"] >= 4 and row["failures_24h"] > FAILING_SHARE * row["fetches_24h"]:
        problems.append(f"{row['failures_24h']} of {row['fetches_24h']} fetches failed in 24 h")
    return problems


def list_sources(conn: Connection, config: Config | None, now: datetime) -> list[dict[str, Any]]:
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
    with Session(conn) as session:
        rows = list(session.scalars(select(Source).order_by(Source.name)))
    out = []
    for s in rows:
        cfg = by_name.get(s.name)
        articles, versions = sizes.get(s.id, (0, 0))
        fetches, failures = recent.get(s.id, (0, 0))
        row: dict[str, Any] = {
            "name": s.name, "kind": s.kind, "url": s.url, "schedule": _schedule(cfg),
            "enabled": cfg.enabled if cfg else None, "last_polled_at": iso(s.last_polled_at),
            "_last_polled_at": s.last_polled_at, "last_poll_ok": s.last_poll_ok, "articles": articles,
            "versions": int(versions), "fetches_24h": fetches, "failures_24h": int(failures),
            "degraded": bool(s.degraded), "degraded_reason": s.degraded_reason,
            "recent_failures": recent_failed.get(s.id, []),
        }
        row["problems"] = health(row, cfg, config is not None, now)
        row["healthy"] = not row["problems"]
        del row["_last_polled_at"]
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
            {"fetch_id": r.id, "fetched_at": iso(r.fetched_at), "purpose": r.purpose, "url": r.requested_url,
             "status": r.status, "error": r.error, "detail": r.error_detail})
    return out
