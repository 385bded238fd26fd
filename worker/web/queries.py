"""The browser's read queries. Lists are paginated by keyset on (time, id), never OFFSET, so the
thousandth page costs what the first does. Every function takes an open Connection and returns plain
dicts that both the HTML pages and the JSON API render."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, literal, select, text, tuple_
from sqlalchemy.orm import Session, aliased

from worker import acknowledged
from worker.store import bodies
from worker.store.models import Article, ArticleUrl, Body, Fetch, Source, UTCDateTime, Version
from worker.web.search import search_clause

MAX_RAW = 50_000_000  # a stored body never decompresses past this (bodies are capped at max_bytes anyway)


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# a cursor is plain "MICROSECONDS-ID" (time since 1970, row id): every string of this shape is a valid
# position (tampering only moves where the page starts), so /openapi.json can describe it exactly
CURSOR_PATTERN = r"^[0-9]{1,17}-[0-9]{1,18}$"
_CURSOR = re.compile(CURSOR_PATTERN, re.ASCII)


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: strictly older than (at, id)."""

    at: datetime
    id: int

    def encode(self) -> str:
        return f"{max(0, (self.at - EPOCH) // timedelta(microseconds=1))}-{self.id}"

    @staticmethod
    def decode(token: str) -> Cursor:
        """Raises ValueError on a string that is not a cursor."""
        if not _CURSOR.fullmatch(token):
            raise ValueError("not a cursor")
        micros, _, ident = token.partition("-")
        return Cursor(EPOCH + timedelta(microseconds=int(micros)), int(ident))


@dataclass(frozen=True)
class ArticleFilter:
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    q: str | None = None
    url: str | None = None


def _orm_rows(conn: Connection, stmt: Any) -> list[Any]:
    """Rows with ORM entities, on the request's connection (a Core Connection alone returns columns)."""
    with Session(conn) as session:
        return list(session.execute(stmt))


def _page(rows: list[Any], limit: int, key: Any) -> tuple[list[Any], str | None]:
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (key(rows[-1]).encode() if more and rows else None)


def list_articles(conn: Connection, f: ArticleFilter, cursor: Cursor | None, limit: int) -> tuple[list[dict], str | None]:
    """Articles newest first (by first capture), each with its latest version's headline."""
    latest = aliased(Version)
    stmt = (
        select(Article.id, Article.url, Article.first_seen_at, Article.last_seen_at, Article.version_count,
               Article.gone, Source.name.label("source"), latest.title, latest.published_at, latest.language)
        .join(Source, Source.id == Article.source_id)
        .outerjoin(latest, and_(latest.article_id == Article.id, latest.number == Article.version_count))
        .order_by(Article.first_seen_at.desc(), Article.id.desc())
        .limit(limit + 1)
    )
    if f.source:
        stmt = stmt.where(Article.source_id == select(Source.id).where(Source.name == f.source).scalar_subquery())
    if f.since:
        stmt = stmt.where(Article.first_seen_at >= f.since)
    if f.until:
        stmt = stmt.where(Article.first_seen_at < f.until)
    if f.url:
        stmt = stmt.where(Article.id.in_(select(ArticleUrl.article_id).where(ArticleUrl.url == f.url)))
    if f.q:
        found = search_clause(conn, f.q)
        if found is not None:
            stmt = stmt.where(found)
    if cursor:
        stmt = stmt.where(tuple_(Article.first_seen_at, Article.id)
                          < tuple_(literal(cursor.at, UTCDateTime()), literal(cursor.id)))
    rows, nxt = _page(list(conn.execute(stmt)), limit, lambda r: Cursor(r.first_seen_at, r.id))
    return [
        {"id": r.id, "url": r.url, "title": r.title, "source": r.source, "versions": r.version_count,
         "first_seen_at": iso(r.first_seen_at), "last_seen_at": iso(r.last_seen_at),
         "published_at": iso(r.published_at), "language": r.language, "gone": r.gone}
        for r in rows
    ], nxt


def get_article(conn: Connection, article_id: int) -> dict | None:
    found = _orm_rows(conn, select(Article, Source.name).join(Source, Source.id == Article.source_id)
                      .where(Article.id == article_id))
    if not found:
        return None
    row = found[0]
    a: Article = row[0]
    aliases = conn.scalars(select(ArticleUrl.url).where(ArticleUrl.article_id == a.id, ArticleUrl.url != a.url))
    return {"id": a.id, "url": a.url, "source": row[1], "discovered_via": a.discovered_via,
            "first_seen_at": iso(a.first_seen_at), "last_seen_at": iso(a.last_seen_at),
            "last_checked_at": iso(a.last_checked_at), "next_revisit_at": iso(a.next_revisit_at),
            "versions": a.version_count, "gone": a.gone, "other_urls": sorted(aliases)}


def get_versions(conn: Connection, article_id: int) -> list[dict]:
    """The version timeline, oldest first, each with its text and the provenance of its capture."""
    fetch_src = aliased(Source)
    dup_v, dup_a = aliased(Version), aliased(Article)
    stmt = (
        select(Version, Fetch, fetch_src.name.label("fetch_source"), dup_a.id.label("dup_article"),
               dup_a.url.label("dup_url"), dup_v.number.label("dup_number"),
               select(Body.sha256).where(Body.sha256 == Fetch.body_sha256).scalar_subquery().label("raw"))
        .join(Fetch, Fetch.id == Version.fetch_id)
        .outerjoin(fetch_src, fetch_src.id == Fetch.source_id)
        .outerjoin(dup_v, dup_v.id == Version.duplicate_of_id)
        .outerjoin(dup_a, dup_a.id == dup_v.article_id)
        .where(Version.article_id == article_id)
        .order_by(Version.number)
    )
    out = []
    before: Version | None = None
    for row in _orm_rows(conn, stmt):
        v, fe = row[0], row[1]
        change = {**(v.change or {}), **acknowledged.verdict(before, v)} if before is not None else v.change
        before = v
        out.append({
            "number": v.number, "content_hash": v.content_hash, "title": v.title, "authors": list(v.authors or []),
            "published_at": iso(v.published_at), "modified_at": iso(v.modified_at), "language": v.language,
            "section": v.section, "text": v.text, "words": len(v.text.split()),
            "first_seen_at": iso(v.first_seen_at), "last_seen_at": iso(v.last_seen_at),
            "duplicate_of": ({"article_id": row.dup_article, "url": row.dup_url, "version": row.dup_number}
                             if row.dup_url else None),
            "provenance": _provenance(fe, row.fetch_source, bool(row.raw)),
            "change": change,
        })
    return out


def _provenance(fe: Fetch, source: str | None, has_raw: bool) -> dict[str, Any]:
    return {"fetch_id": fe.id, "source": source, "purpose": fe.purpose, "discovered_via": fe.discovered_via,
            "requested_url": fe.requested_url, "final_url": fe.final_url, "status": fe.status,
            "fetched_at": iso(fe.fetched_at), "duration_ms": fe.duration_ms, "attempts": fe.attempts,
            "etag": fe.etag, "last_modified": fe.last_modified, "content_type": fe.content_type,
            "body_sha256": fe.body_sha256, "raw_available": has_raw}


def get_reprints(conn: Connection, article_id: int) -> list[dict]:
    """Versions under other URLs with the same content hash as one of this article's versions."""
    mine = aliased(Version)
    stmt = (
        select(Article.id, Article.url, Version.number, Version.first_seen_at, mine.number.label("matches"),
               Source.name.label("source"))
        .select_from(mine)
        .join(Version, and_(Version.content_hash == mine.content_hash, Version.article_id != article_id))
        .join(Article, Article.id == Version.article_id)
        .join(Source, Source.id == Article.source_id)
        .where(mine.article_id == article_id)
        .order_by(Version.first_seen_at, Version.id)
        .limit(200)
    )
    return [{"article_id": r.id, "url": r.url, "version": r.number, "source": r.source,
             "first_seen_at": iso(r.first_seen_at), "same_text_as_version": r.matches} for r in conn.execute(stmt)]


SILENT_SCAN = 2000  # edits judged per request for ?silent=1 at most; the page then ends early, with a cursor
_SCAN_CHUNK = 200


def list_changes(conn: Connection, cursor: Cursor | None, limit: int, edits_only: bool = True,
                 silent: bool = False) -> tuple[list[dict], str | None]:
    """The newest versions across the archive (by default only edits: version 2 and later), each with
    the silent/acknowledged verdict against the version before it (worker/acknowledged.py).

    silent: only silent edits. The verdict is computed from the stored texts, not stored, so these are
    found by judging edits newest first: a page judges SILENT_SCAN at most and may hold fewer than
    `limit` items (even none) with a next cursor where the scan stopped."""
    if not silent:
        rows, nxt = _page(_change_rows(conn, cursor, limit + 1, edits_only), limit,
                          lambda r: Cursor(r.first_seen_at, r.id))
        return [_change_item(r) for r in rows], nxt
    items: list[dict] = []
    at, scanned = cursor, 0
    while scanned < SILENT_SCAN:
        batch = _change_rows(conn, at, _SCAN_CHUNK, True)
        for r in batch:
            item = _change_item(r)
            if item["silent"]:
                if len(items) == limit:
                    return items, at.encode() if at else None
                items.append(item)
            at = Cursor(r.first_seen_at, r.id)
        scanned += len(batch)
        if len(batch) < _SCAN_CHUNK:
            return items, None
    return items, at.encode() if at else None


def _change_rows(conn: Connection, cursor: Cursor | None, count: int, edits_only: bool) -> list[Any]:
    prev = aliased(Version)
    stmt = (
        select(Version.id, Version.number, Version.title, Version.first_seen_at, Version.article_id,
               Version.text, Version.published_at, Version.modified_at, Article.url, Source.name.label("source"),
               prev.title.label("prev_title"), prev.text.label("prev_text"),
               prev.published_at.label("prev_published_at"), prev.modified_at.label("prev_modified_at"))
        .join(Article, Article.id == Version.article_id)
        .join(Source, Source.id == Article.source_id)
        .outerjoin(prev, and_(prev.article_id == Version.article_id, prev.number == Version.number - 1))
        .order_by(Version.first_seen_at.desc(), Version.id.desc())
        .limit(count)
    )
    if edits_only:
        stmt = stmt.where(text("versions.number > 1"))  # a literal, so the partial index ix_versions_edits applies
    if cursor:
        stmt = stmt.where(tuple_(Version.first_seen_at, Version.id)
                          < tuple_(literal(cursor.at, UTCDateTime()), literal(cursor.id)))
    return list(conn.execute(stmt))


def _change_item(r: Any) -> dict:
    verdict: dict[str, Any] = {"acknowledged": None, "silent": False, "signals": []}
    if r.prev_title is not None:
        old = acknowledged.Snapshot(r.prev_title, r.prev_text, r.prev_published_at, r.prev_modified_at)
        verdict = acknowledged.verdict(old, acknowledged.Snapshot(r.title, r.text, r.published_at, r.modified_at))
    return {"version_id": r.id, "article_id": r.article_id, "url": r.url, "version": r.number, "title": r.title,
            "previous_title": r.prev_title, "title_changed": r.prev_title is not None and r.prev_title != r.title,
            "source": r.source, "first_seen_at": iso(r.first_seen_at), **verdict}


def get_capture(conn: Connection, fetch_id: int) -> tuple[dict, bytes | None] | None:
    """A fetch's provenance and its raw body as fetched (None when that body was not kept)."""
    found = _orm_rows(conn, select(Fetch, Source.name, Body.data, Article.id.label("article_id"))
                      .outerjoin(Source, Source.id == Fetch.source_id)
                      .outerjoin(Body, Body.sha256 == Fetch.body_sha256)
                      .outerjoin(Article, Article.id == Fetch.article_id)
                      .where(Fetch.id == fetch_id))
    if not found:
        return None
    row = found[0]
    body = None
    if row.data is not None:
        body = bodies.unpack(row.data, MAX_RAW)
    meta = _provenance(row[0], row[1], body is not None)
    meta["article_id"] = row.article_id
    meta["error"] = row[0].error
    return meta, body


def source_names(conn: Connection) -> list[str]:
    return list(conn.scalars(select(Source.name).order_by(Source.name)))
