"""`prune`: the fetch log's old rows that no one needs, deleted in small batches (the `retention` block).

Three kinds, each with its age (None: kept forever):
  unchanged_polls  feed, sitemap and page polls that changed nothing: answered 304 Not Modified, or with
                   the body of the previous successful poll of the same URL (the first poll of each
                   body is kept, so every listing ever seen keeps its row)
  failed_fetches   fetches that failed, of any purpose but notify
  deliveries       webhook deliveries (purpose notify), delivered or not
Article captures are never pruned, nor any fetch a version or a restatement names. Counters do not
go down: /metrics and `status` count from the fetch tallies (worker/store/tallies.py).

Each batch is found by keyset (fetched_at, id) over the fetched_at indexes and deleted in its own
short transaction, so writers wait at most one batch. `since` skips what an earlier complete walk of
the same process already decided (rows older than its cutoff stay as they were judged).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, delete, exists, or_, select, tuple_
from sqlalchemy.orm import aliased

from worker.config import RetentionConfig
from worker.store.models import Fetch, Version, VersionRestatement

KINDS = ("unchanged_polls", "failed_fetches", "deliveries")
LISTINGS = ("feed", "sitemap", "page")
BATCH = 1000  # rows per transaction
LATE_WRITES = timedelta(days=1)  # a fetch row can be written this long after its fetched_at (a walk's overlap)

_previous = aliased(Fetch)


def _previous_body():  # type: ignore[no-untyped-def]
    """The body of the previous successful poll of the same URL (one step back on (requested_url, id))."""
    return (select(_previous.body_sha256)
            .where(_previous.requested_url == Fetch.requested_url, _previous.id < Fetch.id,
                   _previous.body_sha256.is_not(None), _previous.error.is_(None))
            .order_by(_previous.id.desc()).limit(1).scalar_subquery())


def _condition(kind: str):  # type: ignore[no-untyped-def]
    if kind == "unchanged_polls":
        return and_(Fetch.purpose.in_(LISTINGS), Fetch.error.is_(None),
                    or_(Fetch.not_modified.is_(True),
                        and_(Fetch.body_sha256.is_not(None), Fetch.body_sha256 == _previous_body())))
    if kind == "failed_fetches":
        return and_(Fetch.error.is_not(None), Fetch.purpose != "notify")
    if kind == "deliveries":
        return Fetch.purpose == "notify"
    raise ValueError(kind)


_REFERENCED = or_(exists().where(Version.fetch_id == Fetch.id),
                  exists().where(VersionRestatement.fetch_id == Fetch.id))


@dataclass
class PruneResult:
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    cutoffs: dict[str, datetime | None] = field(default_factory=dict)  # None: kept forever
    seconds: float = 0.0


def prune(engine: Engine, retention: RetentionConfig, now: datetime, *, dry_run: bool = False,
          batch: int = BATCH, since: dict[str, datetime] | None = None, pause: float = 0.0,
          stop: Callable[[], bool] = lambda: False) -> PruneResult:
    """Delete (or with dry_run count) each kind's rows older than its age, `batch` rows per transaction,
    sleeping `pause` s between batches; `stop()` true ends it early. `since` (kind -> datetime) starts
    the walks there and is moved to each complete walk's cutoff (give the same dict on the next call)."""
    started = time.monotonic()
    result = PruneResult()
    for kind in KINDS:
        age = getattr(retention, kind)
        if age is None:
            result.cutoffs[kind] = None
            continue
        cutoff = now - timedelta(seconds=age)
        result.cutoffs[kind] = cutoff
        start = since.get(kind) - LATE_WRITES if since and kind in since else None
        after: tuple[datetime, int] | None = None
        condition = _condition(kind)
        while not stop():
            q = (select(Fetch.id, Fetch.fetched_at).where(Fetch.fetched_at < cutoff, condition, ~_REFERENCED)
                 .order_by(Fetch.fetched_at, Fetch.id).limit(batch))
            if start is not None:
                q = q.where(Fetch.fetched_at >= start)
            if after is not None:  # the plain bound lets the fetched_at index start there
                q = q.where(Fetch.fetched_at >= after[0], tuple_(Fetch.fetched_at, Fetch.id) > tuple_(*after))
            with engine.begin() as c:
                rows = c.execute(q).all()
                if rows and not dry_run:
                    c.execute(delete(Fetch).where(Fetch.id.in_([r.id for r in rows])))
            result.removed[kind] += len(rows)
            if len(rows) < batch:
                if since is not None:
                    since[kind] = cutoff
                break
            after = (rows[-1].fetched_at, rows[-1].id)
            if pause:
                time.sleep(pause)
    result.seconds = time.monotonic() - started
    return result


def describe(result: PruneResult, dry_run: bool) -> list[str]:
    """One line per kind, for `newsarchive prune`."""
    verb = "would remove" if dry_run else "removed"
    lines = []
    for kind in KINDS:
        cutoff = result.cutoffs.get(kind)
        if cutoff is None:
            lines.append(f"{kind}: kept forever (retention.{kind} is forever)")
        else:
            lines.append(f"{kind}: {verb} {result.removed[kind]} (fetched before {cutoff.isoformat(timespec='seconds')})")
    return lines
