"""Read-side queries: export, the fetch log, an article's history. All stream; none holds the archive."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from worker import acknowledged
from worker.store.models import Article, ArticleUrl, Fetch, FetchTally, NearDuplicate, Source, Version
from worker.urls import canonicalize

STREAM_BATCH = 1000


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def filter_versions(q: Select[Any], first_src: Any, *, latest: bool, source: str | None,
                    since: datetime | None, url: str | None = None) -> Select[Any]:
    """The export filters, shared by every export format. `first_src` is the article's Source alias;
    `url` keeps the one article reached under that URL (its canonical URL or any other it was listed under)."""
    if url:
        urls = sorted({url, canonicalize(url) or url})
        q = q.where(Article.id.in_(select(ArticleUrl.article_id).where(ArticleUrl.url.in_(urls))))
    if latest:
        q = q.where(Version.number == Article.version_count)
    if source:
        q = q.where(first_src.name == source)
    if since:
        q = q.where(Version.first_seen_at >= since)
    return q


def iter_versions(engine: Engine, *, latest: bool = False, source: str | None = None,
                  since: datetime | None = None, url: str | None = None) -> Iterator[dict[str, Any]]:
    """Every version as an export record (SPEC "Export: JSONL"), oldest first, streamed."""
    first_src = aliased(Source)
    fetch_src = aliased(Source)
    dup_v = aliased(Version)
    dup_a = aliased(Article)
    prev = aliased(Version)
    q = (
        select(Version, Article.url, first_src.name, Fetch, fetch_src.name.label("fetch_source"),
               dup_a.url.label("dup_url"), dup_v.number.label("dup_number"), *previous_columns(prev))
        .join(Article, Article.id == Version.article_id)
        .join(first_src, first_src.id == Article.source_id)
        .join(Fetch, Fetch.id == Version.fetch_id)
        .outerjoin(fetch_src, fetch_src.id == Fetch.source_id)
        .outerjoin(dup_v, dup_v.id == Version.duplicate_of_id)
        .outerjoin(dup_a, dup_a.id == dup_v.article_id)
        .outerjoin(prev, and_(prev.article_id == Version.article_id, prev.number == Version.number - 1))
        .order_by(Version.first_seen_at, Version.id)
    )
    q = filter_versions(q, first_src, latest=latest, source=source, since=since, url=url)
    with Session(engine) as session:
        batch: list[tuple[int, dict[str, Any]]] = []
        for row in session.execute(q.execution_options(yield_per=STREAM_BATCH)):
            batch.append((row[0].id, _export_record(row)))
            if len(batch) >= STREAM_BATCH:
                yield from _with_near_duplicates(session, batch)
                batch = []
        yield from _with_near_duplicates(session, batch)


def _with_near_duplicates(session: Session, batch: list[tuple[int, dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """Attach each version's near-duplicates, one query per batch of versions."""
    if not batch:
        return
    other = aliased(Version)
    q = (
        select(NearDuplicate.version_id, Article.url, other.number, NearDuplicate.similarity)
        .join(other, other.id == NearDuplicate.other_id)
        .join(Article, Article.id == other.article_id)
        .where(NearDuplicate.version_id.in_([vid for vid, _ in batch]))
        .order_by(NearDuplicate.similarity.desc(), Article.url)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for vid, url, number, sim in session.execute(q):  # same connection: no second transaction
        found.setdefault(vid, []).append({"url": url, "version": number, "similarity": sim})
    for vid, rec in batch:
        rec["near_duplicates"] = found.get(vid, [])
        yield rec


def previous_columns(prev: Any) -> list[Any]:
    """The version before's columns the silent/acknowledged verdict reads (select them with an outer
    join on article_id and number - 1; read them back with change_with_verdict)."""
    return [prev.number.label("prev_number"), prev.title.label("prev_title"), prev.text.label("prev_text"),
            prev.published_at.label("prev_published_at"), prev.modified_at.label("prev_modified_at")]


def change_with_verdict(stored: dict[str, Any] | None, row: Any, new: Any) -> dict[str, Any] | None:
    """A version's stored change summary with the silent/acknowledged verdict against the version
    before it (worker/acknowledged.py), computed now from the two stored versions. Version 1: as stored."""
    if row.prev_number is None:
        return stored
    old = acknowledged.Snapshot(row.prev_title, row.prev_text, row.prev_published_at, row.prev_modified_at)
    return {**(stored or {}), **acknowledged.verdict(old, new)}


def _export_record(row: Any) -> dict[str, Any]:
    v: Version = row[0]
    f: Fetch = row[3]
    return {
        "url": row[1],
        "version": v.number,
        "content_hash": v.content_hash,
        "title": v.title,
        "authors": list(v.authors or []),
        "published_at": _iso(v.published_at),
        "modified_at": _iso(v.modified_at),
        "language": v.language,
        "section": v.section,
        "text": v.text,
        "source": row[2],
        "first_seen_at": _iso(v.first_seen_at),
        "last_seen_at": _iso(v.last_seen_at),
        "provenance": {
            "source": row.fetch_source,
            "discovered_via": f.discovered_via,
            "requested_url": f.requested_url,
            "final_url": f.final_url,
            "status": f.status,
            "fetched_at": _iso(f.fetched_at),
            "etag": f.etag,
            "last_modified": f.last_modified,
            "body_sha256": f.body_sha256,
            "extraction_method": v.extraction_method,
            "extractor_version": v.extractor_version,
        },
        "duplicate_of": {"url": row.dup_url, "version": row.dup_number} if row.dup_url else None,
        "near_duplicates": [],
        "change": change_with_verdict(v.change, row, v),
    }


def iter_fetches(engine: Engine, *, failed: bool = False, source: str | None = None,
                 since: datetime | None = None, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The fetch log, oldest first, as SPEC's `fetches` records; `limit`: only the newest that many."""
    q = select(Fetch, Source.name).outerjoin(Source, Source.id == Fetch.source_id)
    if failed:
        q = q.where(Fetch.error.is_not(None))
    if source:
        q = q.where(Source.name == source)
    if since is not None:
        q = q.where(Fetch.fetched_at >= since)
    with Session(engine) as session:
        if limit is not None:  # the newest `limit` rows, read newest first, then given oldest first
            rows = list(reversed(session.execute(q.order_by(Fetch.id.desc()).limit(limit)).all()))
        else:
            rows = session.execute(q.order_by(Fetch.id).execution_options(yield_per=STREAM_BATCH))
        for f, name in rows:
            yield {
                "fetched_at": _iso(f.fetched_at),
                "source": name,
                "purpose": f.purpose,
                "requested_url": f.requested_url,
                "final_url": f.final_url,
                "status": f.status,
                "error": f.error,
                "error_detail": f.error_detail,
                "attempts": f.attempts,
                "duration_ms": f.duration_ms,
                "not_modified": f.not_modified,
                "etag": f.etag,
                "last_modified": f.last_modified,
                "content_type": f.content_type,
                "body_sha256": f.body_sha256,
                "discovered_via": f.discovered_via,
            }


def find_article(engine: Engine, url: str) -> int | None:
    """The article reached under this URL (its canonical URL or any other it was listed under)."""
    with engine.connect() as conn:
        return conn.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == url))


def article_versions(engine: Engine, article_id: int) -> list[dict[str, Any]]:
    """An article's versions, oldest first, with where each was captured and any reprint link."""
    dup_v = aliased(Version)
    dup_a = aliased(Article)
    q = (
        select(Version, Article.url, Fetch.final_url, Fetch.status, dup_a.url.label("dup_url"),
               dup_v.number.label("dup_number"))
        .join(Article, Article.id == Version.article_id)
        .join(Fetch, Fetch.id == Version.fetch_id)
        .outerjoin(dup_v, dup_v.id == Version.duplicate_of_id)
        .outerjoin(dup_a, dup_a.id == dup_v.article_id)
        .where(Version.article_id == article_id)
        .order_by(Version.number)
    )
    with Session(engine) as session:
        out = []
        for row in session.execute(q):
            v: Version = row[0]
            out.append({
                "url": row.url, "version": v.number, "content_hash": v.content_hash, "title": v.title,
                "authors": list(v.authors or []), "published_at": _iso(v.published_at),
                "first_seen_at": _iso(v.first_seen_at), "last_seen_at": _iso(v.last_seen_at),
                "final_url": row.final_url, "status": row.status, "text": v.text,
                "duplicate_of": {"url": row.dup_url, "version": row.dup_number} if row.dup_url else None,
            })
        return out


def reprints_of(engine: Engine, article_id: int) -> list[dict[str, Any]]:
    """Versions under other URLs that share a content hash with one of this article's versions."""
    mine = select(Version.content_hash).where(Version.article_id == article_id)
    q = (
        select(Article.url, Version.number, Version.first_seen_at)
        .join(Article, Article.id == Version.article_id)
        .where(and_(Version.content_hash.in_(mine), Version.article_id != article_id))
        .order_by(Version.first_seen_at)
    )
    with engine.connect() as conn:
        return [{"url": r.url, "version": r.number, "first_seen_at": _iso(r.first_seen_at)} for r in conn.execute(q)]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            "articles": conn.scalar(select(func.count()).select_from(Article)) or 0,
            "versions": conn.scalar(select(func.count()).select_from(Version)) or 0,
            # every request made, pruned ones too, from the tallies (worker/store/tallies.py): no count of the log
            "fetches": int(conn.scalar(select(func.sum(FetchTally.n))) or 0),
            "failed_fetches": int(conn.scalar(select(func.sum(FetchTally.n)).where(FetchTally.error != "")) or 0),
        }
