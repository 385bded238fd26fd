"""The archive's writes and the reads the pipeline needs. Each public method is one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import zstandard
from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from worker.archive import Decision, Latest, content_hash, decide
from worker.revisits import next_revisit
from worker.store.models import Article, ArticleUrl, Body, Fetch, ListingState, Source, Version
from worker.values import Extracted, Fetched

_ZSTD = zstandard.ZstdCompressor(level=6)
_LOOKUP_BATCH = 500


@dataclass(frozen=True)
class Known:
    id: int
    url: str
    last_seen_at: datetime
    listed_updated_at: datetime | None


@dataclass(frozen=True)
class Due:
    article_id: int
    url: str
    source_id: int
    discovered_via: str | None


@dataclass(frozen=True)
class Capture:
    """One successful article fetch with what was extracted from it."""

    source_id: int
    url: str  # the article's canonical URL (for a revisit: the URL the archive already keys it by)
    discovered_via: str | None
    fetched: Fetched
    extracted: Extracted
    revisit_ages: tuple[float, ...]
    listed_updated_at: datetime | None = None
    aliases: tuple[str, ...] = ()  # other URLs that reached this article (the listed one, ...)


class ArchiveStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)

    # --- sources -------------------------------------------------------------------------------

    def sync_sources(self, sources: Iterable[tuple[str, str, str | None]], now: datetime) -> dict[str, int]:
        """Make sure every configured (name, kind, url) has a row; return name -> id for all rows.

        Sources removed from the config keep their row and their archive.
        """
        wanted = list(sources)
        with self.session.begin() as s:
            rows = {src.name: src for src in s.scalars(select(Source))}
            for name, kind, url in wanted:
                row = rows.get(name)
                if row is None:
                    s.execute(_insert_ignore(s, Source).values(name=name, kind=kind, url=url, created_at=now))
                elif (row.kind, row.url) != (kind, url):
                    row.kind, row.url = kind, url
            return {name: sid for name, sid in s.execute(select(Source.name, Source.id))}

    def last_polled(self, source_id: int) -> datetime | None:
        with self.session() as s:
            return s.scalar(select(Source.last_polled_at).where(Source.id == source_id))

    def mark_polled(self, source_id: int, at: datetime, ok: bool) -> None:
        with self.session.begin() as s:
            s.execute(update(Source).where(Source.id == source_id).values(last_polled_at=at, last_poll_ok=ok))

    # --- listings (feeds, sitemaps, pages) -----------------------------------------------------

    def listing_state(self, source_id: int, url: str) -> tuple[str | None, str | None, list[str]]:
        """ETag, Last-Modified and (for a sitemap index) the children seen at the previous poll."""
        with self.session() as s:
            row = s.get(ListingState, (source_id, url))
            return (row.etag, row.last_modified, list(row.children or [])) if row else (None, None, [])

    def log_listing_fetch(self, source_id: int, fetched: Fetched, discovered_via: str | None,
                          children: list[str] | None = None) -> None:
        """Log a feed/sitemap/page fetch and keep its validators for the next conditional GET."""
        with self.session.begin() as s:
            s.add(_fetch_row(fetched, source_id, None, discovered_via))
            if fetched.body is not None and (fetched.etag or fetched.last_modified or children):
                state = s.get(ListingState, (source_id, fetched.requested_url))
                if state is None:
                    state = ListingState(source_id=source_id, url=fetched.requested_url)
                    s.add(state)
                state.etag, state.last_modified = fetched.etag, fetched.last_modified
                state.children = children or None
                state.checked_at = fetched.fetched_at

    def log_fetch(self, fetched: Fetched, source_id: int | None, discovered_via: str | None = None) -> None:
        with self.session.begin() as s:
            s.add(_fetch_row(fetched, source_id, None, discovered_via))

    # --- articles ------------------------------------------------------------------------------

    def known(self, urls: Sequence[str]) -> dict[str, Known]:
        """Which of these URLs the archive holds, looked up in batches (no set of every URL in memory)."""
        found: dict[str, Known] = {}
        with self.session() as s:
            for i in range(0, len(urls), _LOOKUP_BATCH):
                batch = urls[i : i + _LOOKUP_BATCH]
                q = (
                    select(ArticleUrl.url.label("alias"), Article.id, Article.url, Article.last_seen_at,
                           Article.listed_updated_at)
                    .join(Article, Article.id == ArticleUrl.article_id)
                    .where(ArticleUrl.url.in_(batch))
                )
                for row in s.execute(q):
                    found[row.alias] = Known(row.id, row.url, row.last_seen_at, row.listed_updated_at)
        return found

    def note_listed_updates(self, updates: dict[int, datetime]) -> None:
        """Remember the newest "updated" date a listing gave for known articles."""
        if not updates:
            return
        with self.session.begin() as s:
            for article_id, at in updates.items():
                s.execute(update(Article).where(Article.id == article_id).values(listed_updated_at=at))

    def due_revisits(self, now: datetime, source_ids: Sequence[int], limit: int = 10_000) -> list[Due]:
        with self.session() as s:
            q = (
                select(Article.id, Article.url, Article.source_id, Article.discovered_via)
                .where(Article.next_revisit_at <= now, Article.source_id.in_(source_ids))
                .order_by(Article.next_revisit_at)
                .limit(limit)
            )
            return [Due(r.id, r.url, r.source_id, r.discovered_via) for r in s.execute(q)]

    def record_failure(self, fetched: Fetched, source_id: int, url: str, discovered_via: str | None,
                       retry_at: datetime | None) -> None:
        """A failed article fetch: logged; a known article keeps its versions and is retried later."""
        with self.session.begin() as s:
            article = s.scalar(
                select(Article).join(ArticleUrl, ArticleUrl.article_id == Article.id).where(ArticleUrl.url == url)
            )
            s.add(_fetch_row(fetched, source_id, article.id if article else None, discovered_via))
            if article is not None:
                article.last_checked_at = fetched.fetched_at
                if fetched.status in (404, 410):
                    article.gone = True
                if retry_at is not None and (article.next_revisit_at is None or article.next_revisit_at < retry_at):
                    article.next_revisit_at = retry_at

    def record_capture(self, cap: Capture) -> Decision:
        """Archive one capture atomically: fetch row, raw body, article, version or last_seen."""
        f, ex = cap.fetched, cap.extracted
        new_hash = content_hash(ex.title, ex.text)
        with self.session.begin() as s:
            article = self._lock_article(s, cap)
            latest_row = s.execute(
                select(Version).where(Version.article_id == article.id).order_by(Version.number.desc()).limit(1)
            ).scalar_one_or_none()
            latest = Latest(latest_row.number, latest_row.content_hash) if latest_row else None
            dup_id = None
            if latest is None or latest.content_hash != new_hash:
                dup_id = s.scalar(
                    select(func.min(Version.id)).where(
                        Version.content_hash == new_hash, Version.article_id != article.id
                    )
                )
            decision = decide(latest, new_hash, dup_id)
            fetch_row = _fetch_row(f, cap.source_id, article.id, cap.discovered_via)
            s.add(fetch_row)
            if decision.kind == "same":
                assert latest_row is not None
                latest_row.last_seen_at = max(latest_row.last_seen_at, f.fetched_at)
            else:
                _store_body(s, f)
                s.flush()  # the fetch row's id
                s.add(_version_row(article.id, decision, ex, f, fetch_row.id))
                article.version_count = decision.number
            article.last_seen_at = max(article.last_seen_at, f.fetched_at)
            article.last_checked_at = f.fetched_at
            article.gone = False
            if cap.listed_updated_at and (
                article.listed_updated_at is None or cap.listed_updated_at > article.listed_updated_at
            ):
                article.listed_updated_at = cap.listed_updated_at
            article.next_revisit_at = next_revisit(article.first_seen_at, f.fetched_at, cap.revisit_ages)
        return decision

    def _lock_article(self, s: Session, cap: Capture) -> Article:
        at = cap.fetched.fetched_at
        s.execute(
            _insert_ignore(s, Article).values(
                url=cap.url, source_id=cap.source_id, discovered_via=cap.discovered_via, first_seen_at=at,
                last_seen_at=at, last_checked_at=at, version_count=0, gone=False,
            )
        )
        # FOR UPDATE serialises two workers capturing the same article (a no-op on SQLite, which
        # already holds its one write lock for this transaction).
        article = s.execute(select(Article).where(Article.url == cap.url).with_for_update()).scalar_one()
        for url in {cap.url, *cap.aliases}:
            s.execute(_insert_ignore(s, ArticleUrl).values(url=url, article_id=article.id))
        return article


def _insert_ignore(s: Session, table: type) -> object:
    """INSERT ... ON CONFLICT DO NOTHING on both SQLite and PostgreSQL."""
    dialect = s.get_bind().dialect.name
    mod = postgresql if dialect == "postgresql" else sqlite
    return mod.insert(table).on_conflict_do_nothing()


def _store_body(s: Session, f: Fetched) -> None:
    if f.body is None or f.body_sha256 is None:
        return
    data = _ZSTD.compress(f.body)
    s.execute(
        _insert_ignore(s, Body).values(
            sha256=f.body_sha256, data=data, size=len(f.body), compressed_size=len(data), created_at=f.fetched_at
        )
    )


def _fetch_row(f: Fetched, source_id: int | None, article_id: int | None, discovered_via: str | None) -> Fetch:
    return Fetch(
        source_id=source_id, article_id=article_id, purpose=f.purpose, discovered_via=discovered_via,
        requested_url=f.requested_url, final_url=f.final_url, status=f.status, fetched_at=f.fetched_at,
        duration_ms=f.duration_ms, attempts=f.attempts, etag=f.etag, last_modified=f.last_modified,
        content_type=f.content_type, error=f.error, error_detail=f.error_detail, not_modified=f.not_modified,
        body_sha256=f.body_sha256, body_size=len(f.body) if f.body is not None else None,
        headers=dict(f.headers) or None,
    )


def _version_row(article_id: int, d: Decision, ex: Extracted, f: Fetched, fetch_id: int) -> Version:
    return Version(
        article_id=article_id, number=d.number, content_hash=d.content_hash, title=ex.title,
        authors=list(ex.authors), published_at=ex.published_at, modified_at=ex.modified_at,
        language=ex.language, section=ex.section, text=ex.text, first_seen_at=f.fetched_at,
        last_seen_at=f.fetched_at, fetch_id=fetch_id, duplicate_of_id=d.duplicate_of,
    )
