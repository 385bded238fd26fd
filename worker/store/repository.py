"""The archive's writes and the reads the pipeline needs. Each public method is one transaction."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import ParamSpec, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from worker import acknowledged, neardup, storable
from worker.archive import Decision, Latest, content_hash, decide, search_document
from worker.changes import summarise_change
from worker.revisits import next_revisit
from worker.store import bodies, search_index, tallies
from worker.store.engine import is_unavailable
from worker.store.models import (
    Article,
    ArticleUrl,
    Body,
    Fetch,
    ListingState,
    NearDuplicate,
    Source,
    Version,
    VersionBand,
    VersionRestatement,
)
from worker.values import Extracted, Fetched, Restated

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
_LOOKUP_BATCH = 500
_DB_ATTEMPTS = 8  # about a minute of waiting in all (0.5 s doubling, capped at 8 s)
_MAX_NEAR_CANDIDATES = 200  # a text sharing bands with more versions than this is boilerplate-like


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
    next_revisit_at: datetime  # with article_id, where the next page of due revisits starts


@dataclass(frozen=True)
class LatestVersion:
    article_id: int
    content_hash: str
    extracted: Extracted
    version_id: int | None = None
    extractor_version: int | None = None  # which extractor made its text (None: not recorded)


@dataclass(frozen=True)
class StoredRaw:
    """The raw body of the capture that started a version, as stored (packed), and how to read it."""

    packed: bytes
    content_type: str | None
    url: str


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
    packed_body: bytes | None = None  # the body's zstd frame, when made off the loop (else made here)
    minhash: bytes | None = None  # the text's signature, when made off the loop (else made here)
    content_hash: str | None = None  # as examine made it (else made here)
    body_size: int | None = None  # the raw body's length when fetched.body was left out (packed_body has it)
    extractor_version: int | None = None  # which extractor made `extracted`
    restated: Restated | None = None  # the latest version as this extractor reads its raw body
    search_document: str | None = None  # the version's search terms, as examine made them (else made here)


def _retrying(method: Callable[P, R]) -> Callable[P, R]:
    """Run a store method (one transaction) again when the database went away or was busy.

    A PostgreSQL restart or failover, or a SQLite file locked past its busy timeout, must not
    unwind a pass: the transaction is rolled back whole, so trying it again is safe.
    """

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        delay = 0.5
        for attempt in range(1, _DB_ATTEMPTS + 1):
            try:
                return method(*args, **kwargs)
            except OperationalError as e:
                if attempt == _DB_ATTEMPTS or not is_unavailable(e):  # an error in the SQL is no outage
                    raise
                log.warning("database unavailable (%s); trying again in %.1fs", str(e.orig).strip()[:200], delay)
                time.sleep(delay)  # blocks this worker's loop on purpose: nothing can be archived meanwhile
                delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")

    return wrapper


class ArchiveStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)

    # --- sources -------------------------------------------------------------------------------

    @_retrying
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

    @_retrying
    def last_polled(self, source_id: int) -> datetime | None:
        with self.session() as s:
            return s.scalar(select(Source.last_polled_at).where(Source.id == source_id))

    @_retrying
    def mark_polled(self, source_id: int, at: datetime, ok: bool,
                    listings: Sequence[tuple[Fetched, list[str] | None]] = (),
                    crawl_delay_capped: dict[str, object] | None = None) -> None:
        """End of a poll; `listings` are the listing answers whose validators the next poll may send;
        `crawl_delay_capped` the robots.txt Crawl-delay this poll capped ({robots, asked, cap}), if any."""
        with self.session.begin() as s:
            s.execute(update(Source).where(Source.id == source_id).values(
                last_polled_at=at, last_poll_ok=ok, crawl_delay_capped=crawl_delay_capped))
            for fetched, children in listings:
                _keep_listing_state(s, source_id, fetched, children)

    @_retrying
    def health_samples(self, source_id: int, recent: int = 30, baseline: int = 150
                       ) -> tuple[list[tuple[str, str, datetime | None]], list[tuple[str, str, datetime | None]]]:
        """(title, text, published) of the source's newest versions, and of the ones before them.

        Empty extractions among the source's latest fetches count as empty samples of the recent window.
        """
        with self.session() as s:
            rows = s.execute(
                select(Version.title, Version.text, Version.published_at)
                .join(Article, Article.id == Version.article_id)
                .where(Article.source_id == source_id)
                .order_by(Version.first_seen_at.desc())
                .limit(recent + baseline)
            ).all()
            empty = s.scalar(
                select(func.count()).select_from(Fetch)
                .where(Fetch.source_id == source_id, Fetch.error == "empty_extraction")
                .where(Fetch.id.in_(select(Fetch.id).where(Fetch.source_id == source_id)
                                    .order_by(Fetch.id.desc()).limit(recent)))
            ) or 0
        samples = [(r[0], r[1], r[2]) for r in rows]
        return [("", "", None)] * empty + samples[:recent], samples[recent:]

    @_retrying
    def set_health(self, source_id: int, degraded_reason: str | None) -> None:
        with self.session.begin() as s:
            s.execute(update(Source).where(Source.id == source_id)
                      .values(degraded=degraded_reason is not None, degraded_reason=degraded_reason))

    # --- listings (feeds, sitemaps, pages) -----------------------------------------------------

    @_retrying
    def listing_state(self, source_id: int, url: str) -> tuple[str | None, str | None, list[str]]:
        """ETag, Last-Modified and (for a sitemap index) the children seen at the previous poll."""
        with self.session() as s:
            row = s.get(ListingState, (source_id, url))
            return (row.etag, row.last_modified, list(row.children or [])) if row else (None, None, [])

    @_retrying
    def log_listing_fetch(self, source_id: int, fetched: Fetched, discovered_via: str | None,
                          children: list[str] | None = None, keep_state: bool = True) -> None:
        """Log a feed/sitemap/page fetch; with keep_state, keep its validators for the next conditional GET
        at once (the pipeline passes False and hands them to mark_polled when its poll ends cleanly)."""
        with self.session.begin() as s:
            _log_fetch_row(s, fetched, source_id, discovered_via)
            if keep_state:
                _keep_listing_state(s, source_id, fetched, children)

    @_retrying
    def log_fetch(self, fetched: Fetched, source_id: int | None, discovered_via: str | None = None) -> None:
        with self.session.begin() as s:
            _log_fetch_row(s, fetched, source_id, discovered_via)

    # --- articles ------------------------------------------------------------------------------

    @_retrying
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

    @_retrying
    def note_listed_updates(self, updates: dict[int, datetime]) -> None:
        """Remember the newest "updated" date a listing gave for known articles (one statement for
        all: a sitemap of 20,000 known URLs took 11 s as one UPDATE per article)."""
        if not updates:
            return
        with self.engine.begin() as c:
            c.execute(_NOTE_LISTED_UPDATE, [{"article_id": a, "at": at} for a, at in updates.items()])

    @_retrying
    def due_revisits(self, now: datetime, source_ids: Sequence[int], limit: int = 10_000,
                     after: Due | None = None) -> list[Due]:
        """Articles due at `now`, oldest due first, one page of `limit`; `after` the last of the
        previous page (keyset paging: a page costs the same however deep in the list it starts)."""
        with self.engine.connect() as c:
            q = (
                select(_ARTICLES.c.id, _ARTICLES.c.url, _ARTICLES.c.source_id, _ARTICLES.c.discovered_via,
                       _ARTICLES.c.next_revisit_at)
                .where(_ARTICLES.c.next_revisit_at <= now, _ARTICLES.c.source_id.in_(source_ids))
                .order_by(_ARTICLES.c.next_revisit_at, _ARTICLES.c.id)
                .limit(limit)
            )
            if after is not None:
                q = q.where(or_(_ARTICLES.c.next_revisit_at > after.next_revisit_at,
                                and_(_ARTICLES.c.next_revisit_at == after.next_revisit_at,
                                     _ARTICLES.c.id > after.article_id)))
            return [Due(*row) for row in c.execute(q)]

    @_retrying
    def recheck(self, source_names: Sequence[str], now: datetime) -> int:
        """Every known article of these sources (of all, when none is named) due at `now`, so the next
        pass fetches it again (`run --once --recheck`); gone ones stay gone. Its later revisits keep
        their schedule: the next check consumes only the revisit ages already past. Articles marked."""
        sources = select(Source.__table__.c.id)
        if source_names:
            sources = sources.where(Source.__table__.c.name.in_(list(source_names)))
        with self.engine.begin() as c:
            marked = c.execute(update(_ARTICLES)
                               .where(_ARTICLES.c.source_id.in_(sources), _ARTICLES.c.gone.is_(False))
                               .values(next_revisit_at=now))
            return int(marked.rowcount or 0)

    @_retrying
    def record_failure(self, fetched: Fetched, source_id: int, url: str, discovered_via: str | None,
                       retry_at: datetime | None) -> None:
        """A failed article fetch: logged; a known article keeps its versions and is retried later."""
        with self.engine.begin() as c, tallies.counting(c):
            _record_failure(c, fetched, source_id, url, discovered_via, retry_at)

    @_retrying
    def latest_version(self, url: str) -> LatestVersion | None:
        """The newest version of the article reached under this URL, or None."""
        with self.session() as s:
            row = s.execute(
                select(Version)
                .join(ArticleUrl, ArticleUrl.article_id == Version.article_id)
                .where(ArticleUrl.url == url)
                .order_by(Version.number.desc())
                .limit(1)
            ).scalar_one_or_none()
            if row is None:
                return None
            return LatestVersion(row.article_id, row.content_hash, _as_extracted(row), row.id, row.extractor_version)

    @_retrying
    def version_raw(self, version_id: int) -> StoredRaw | None:
        """The stored raw body a version was extracted from, or None when it was not kept."""
        with self.engine.connect() as c:
            row = c.execute(
                select(Body.data, Fetch.content_type, Fetch.final_url, Fetch.requested_url)
                .select_from(Version).join(Fetch, Fetch.id == Version.fetch_id).join(Body, Body.sha256 == Fetch.body_sha256)
                .where(Version.id == version_id)
            ).first()
            return StoredRaw(row.data, row.content_type, row.final_url or row.requested_url) if row else None

    @_retrying
    def record_capture(self, cap: Capture) -> Decision:
        """Archive one capture atomically: fetch row, raw body, article, version or last_seen."""
        with self.engine.begin() as c, tallies.counting(c):
            return _record_capture(c, cap)

    def write_batch(self, calls: Sequence[tuple[str, tuple[object, ...]]]) -> list[tuple[bool, object]]:
        """Several writes (record_capture, record_failure) in one transaction: one commit for all, a
        third of a capture's database time when each had its own. (ok, result or exception) per call.
        When one fails the transaction is rolled back whole and each is made alone, so that the
        others are not lost with it (and the failing one is retried as its method is)."""
        if len(calls) > 1:
            # In URL order: two workers of a fleet then lock the articles they share in the same order.
            order = sorted(range(len(calls)), key=lambda i: _write_key(calls[i]))
            try:
                results: list[tuple[bool, object]] = [(False, None)] * len(calls)
                with self.engine.begin() as c, tallies.counting(c):
                    for i in order:
                        method, args = calls[i]
                        results[i] = (True, _BATCHED[method](c, *args))
                return results
            except Exception as e:
                log.info("a batch of %d writes failed (%s); writing each alone", len(calls), str(e)[:200])
        out: list[tuple[bool, object]] = []
        for method, args in calls:
            try:
                out.append((True, getattr(self, method)(*args)))
            except Exception as e:  # handed back to its caller, as if it had been called alone
                out.append((False, e))
        return out


def _record_capture(c: Connection, cap: Capture) -> Decision:
    """Core statements on one connection, not the ORM's unit of work: this runs for every article
    fetched, and the ORM's bookkeeping cost more than the database's own work."""
    cap = _storable(cap)
    f, ex = cap.fetched, cap.extracted
    new_hash = cap.content_hash or content_hash(ex.title, ex.text)
    size = len(f.body) if f.body is not None else cap.body_size
    article, inserted = _lock_article(c, cap)
    latest = None if inserted else c.execute(_LATEST_VERSION, {"article_id": article.id}).first()
    logged = _fetch_values(f, cap.source_id, article.id, cap.discovered_via, size)
    fetch_id = c.execute(_INSERT_FETCH, logged).inserted_primary_key[0]
    tallies.add(c, [logged])
    previous = _as_extracted(latest) if latest else None
    if latest is not None and cap.restated is not None and cap.restated.version_id == latest.id:
        latest, previous = _restate(c, latest, cap, fetch_id)
    decision = decide(Latest(latest.number, latest.content_hash) if latest else None, new_hash, None)
    assert not inserted or decision.kind == "new"  # a new row was made as it stands after its first version
    if decision.kind == "same":
        assert latest is not None
        c.execute(_SEEN_AGAIN, {"version_id": latest.id, "seen": max(latest.last_seen_at, f.fetched_at)})
        c.execute(_TOUCH_ARTICLE, _touch(article, cap))
    else:
        _store_body(c, f, cap.packed_body, size)
        change = summarise_change(previous, ex)
        minhash = cap.minhash or neardup.signature(ex.text)
        version_id = c.execute(_INSERT_VERSION, {
            **_version_values(article.id, decision, ex, f, fetch_id), "extractor_version": cap.extractor_version,
            "change": change, "minhash": minhash,
        }).inserted_primary_key[0]
        document = cap.search_document if cap.search_document is not None else search_document(ex.title, ex.text)
        search_index.write(c, [{"version_id": version_id, "article_id": article.id, "document": document}])
        # the silent/acknowledged verdict goes with the notification, not into the row: readers compute
        # it from the two stored versions (worker/acknowledged.py), so it never goes stale
        told = {**change, **acknowledged.verdict(previous, ex)} if previous is not None else change
        decision = replace(decision, change=told, duplicate_of=_link_duplicates(c, new_hash, version_id))
        _link_near_duplicates(c, version_id, article.id, new_hash, minhash)
        if not inserted:  # a new row already stands as after its first version
            c.execute(_TOUCH_ARTICLE_NEW_VERSION, {**_touch(article, cap), "count": decision.number})
    return decision


def _storable(cap: Capture) -> Capture:
    """The capture with every text an archive can hold (worker/storable.py): PostgreSQL refuses a
    NUL, and the page's whole poll failed with it."""
    r = cap.restated
    return replace(cap, url=storable.text(cap.url), aliases=tuple(storable.text(a) for a in cap.aliases),
                   extracted=storable.extracted(cap.extracted), search_document=storable.text(cap.search_document),
                   discovered_via=storable.text(cap.discovered_via),
                   restated=replace(r, extracted=storable.extracted(r.extracted)) if r is not None else None)


def _restate(c: Connection, latest: Row, cap: Capture, fetch_id: int) -> tuple[Row, Extracted]:
    """Bring the latest version's text up to date with the capture's extractor (it read the version's own
    raw body again), keeping what the version said before in version_restatements; then the capture
    is decided like with like. A version restated meanwhile by another worker is left as it is."""
    r = cap.restated
    assert r is not None
    if latest.extractor_version == cap.extractor_version:
        return latest, _as_extracted(latest)
    ex = r.extracted
    if r.content_hash != latest.content_hash:  # the same hash: only which extractor made it is news
        c.execute(_INSERT_RESTATEMENT, {
            "version_id": latest.id, "restated_at": cap.fetched.fetched_at, "fetch_id": fetch_id,
            "old_extractor_version": latest.extractor_version, "new_extractor_version": cap.extractor_version,
            "old_content_hash": latest.content_hash, "new_content_hash": r.content_hash,
            "old_title": latest.title, "old_text": latest.text,
        })
        if r.minhash is not None:  # its near-duplicate links follow its text
            c.execute(delete(VersionBand).where(VersionBand.version_id == latest.id))
            c.execute(delete(NearDuplicate).where(or_(NearDuplicate.version_id == latest.id,
                                                      NearDuplicate.other_id == latest.id)))
            c.execute(update(_VERSIONS).where(_VERSIONS.c.id == latest.id).values(minhash=r.minhash))
            _link_near_duplicates(c, latest.id, latest.article_id, r.content_hash, r.minhash)
        search_index.write(c, [{"version_id": latest.id, "article_id": latest.article_id,
                                "document": search_document(ex.title, ex.text)}], replacing=True)
    c.execute(_RESTATE_VERSION, {
        "version_id": latest.id, "content_hash": r.content_hash, "title": ex.title, "authors": list(ex.authors),
        "published_at": ex.published_at, "modified_at": ex.modified_at, "language": ex.language,
        "section": ex.section, "text": ex.text, "extractor_version": cap.extractor_version,
        "extraction_method": ex.extraction_method,
    })
    return c.execute(_LATEST_VERSION, {"article_id": latest.article_id}).one(), ex


def _touch(article: Row, cap: Capture) -> dict[str, object]:
    """The values of a known article's row after this capture (seen, checked, next revisit, listed date)."""
    at = cap.fetched.fetched_at
    listed = article.listed_updated_at
    if cap.listed_updated_at and (listed is None or cap.listed_updated_at > listed):
        listed = cap.listed_updated_at
    return {"article_id": article.id, "seen": max(article.last_seen_at, at), "checked": at,
            "next": next_revisit(article.first_seen_at, at, cap.revisit_ages), "listed": listed}


def _record_failure(c: Connection, fetched: Fetched, source_id: int, url: str, discovered_via: str | None,
                    retry_at: datetime | None) -> None:
    url = storable.text(url)
    article = c.execute(
        select(_ARTICLES.c.id, _ARTICLES.c.next_revisit_at)
        .join(ArticleUrl.__table__, ArticleUrl.article_id == _ARTICLES.c.id)
        .where(ArticleUrl.url == url)
    ).first()
    logged = _fetch_values(fetched, source_id, article.id if article else None, discovered_via)
    c.execute(_INSERT_FETCH, logged)
    tallies.add(c, [logged])
    if article is not None:
        values: dict[str, object] = {"last_checked_at": fetched.fetched_at}
        if fetched.status in (404, 410):
            values["gone"] = True
        if retry_at is not None and (article.next_revisit_at is None or article.next_revisit_at < retry_at):
            values["next_revisit_at"] = retry_at
        c.execute(update(_ARTICLES).where(_ARTICLES.c.id == article.id).values(values))


_BATCHED: dict[str, Callable[..., object]] = {"record_capture": _record_capture, "record_failure": _record_failure}


def _write_key(call: tuple[str, tuple[object, ...]]) -> str:
    method, args = call
    return args[0].url if method == "record_capture" else str(args[2])  # type: ignore[attr-defined]


_ARTICLES = Article.__table__
_VERSIONS = Version.__table__
_FETCHES = Fetch.__table__
# FOR UPDATE serialises two workers capturing the same article (a no-op on SQLite, which already
# holds its one write lock for the transaction).
_ARTICLE_FOR_UPDATE = (
    select(_ARTICLES.c.id, _ARTICLES.c.first_seen_at, _ARTICLES.c.last_seen_at, _ARTICLES.c.listed_updated_at)
    .where(_ARTICLES.c.url == bindparam("url"))
    .with_for_update()
)
_LATEST_VERSION = (
    select(_VERSIONS.c.id, _VERSIONS.c.article_id, _VERSIONS.c.extractor_version,
           _VERSIONS.c.number, _VERSIONS.c.content_hash, _VERSIONS.c.last_seen_at,
           _VERSIONS.c.title, _VERSIONS.c.authors, _VERSIONS.c.published_at, _VERSIONS.c.modified_at,
           _VERSIONS.c.language, _VERSIONS.c.section, _VERSIONS.c.text)
    .where(_VERSIONS.c.article_id == bindparam("article_id"))
    .order_by(_VERSIONS.c.number.desc())
    .limit(1)
)


# The statements a capture runs, built once: SQLAlchemy memoises a statement's cache key on the
# object, so building them anew for every capture (.values(), .where()) cost more than running them.
_INSERT_FETCH = insert(_FETCHES)
_INSERT_VERSION = insert(_VERSIONS)
_INSERT_BANDS = insert(VersionBand.__table__)
_SEEN_AGAIN = (update(_VERSIONS).where(_VERSIONS.c.id == bindparam("version_id"))
               .values(last_seen_at=bindparam("seen")))
_TOUCH_ARTICLE = (
    update(_ARTICLES).where(_ARTICLES.c.id == bindparam("article_id"))
    .values(last_seen_at=bindparam("seen"), last_checked_at=bindparam("checked"), gone=False,
            next_revisit_at=bindparam("next"), listed_updated_at=bindparam("listed"))
)
_TOUCH_ARTICLE_NEW_VERSION = _TOUCH_ARTICLE.values(version_count=bindparam("count"))
_INSERT_RESTATEMENT = insert(VersionRestatement.__table__)
_RESTATE_VERSION = (
    update(_VERSIONS).where(_VERSIONS.c.id == bindparam("version_id"))
    .values({name: bindparam(name) for name in (
        "content_hash", "title", "authors", "published_at", "modified_at", "language", "section", "text",
        "extractor_version", "extraction_method")})
)
_SAME_TEXT = (
    select(_VERSIONS.c.id, _VERSIONS.c.article_id, _VERSIONS.c.duplicate_of_id)
    .where(_VERSIONS.c.content_hash == bindparam("content_hash"))
    .order_by(_VERSIONS.c.first_seen_at, _VERSIONS.c.id)
)
_NOTE_LISTED_UPDATE = (update(_ARTICLES).where(_ARTICLES.c.id == bindparam("article_id"))
                       .values(listed_updated_at=bindparam("at")))
_SET_DUPLICATE_OF = (update(_VERSIONS).where(_VERSIONS.c.id == bindparam("version_id"))
                     .values(duplicate_of_id=bindparam("original")))


@dataclass(frozen=True)
class _DialectStatements:
    """INSERT ... ON CONFLICT DO NOTHING statements, which SQLite and PostgreSQL spell alike but
    SQLAlchemy builds per dialect."""

    new_article: object
    article_url: object
    body: object
    bands_in_one: object | None  # a version's band rows as one statement, where an executemany costs more


@functools.cache
def _statements_for(dialect: str) -> _DialectStatements:
    mod = postgresql if dialect == "postgresql" else sqlite
    return _DialectStatements(
        new_article=mod.insert(_ARTICLES).on_conflict_do_nothing().returning(_ARTICLES.c.id),
        article_url=mod.insert(ArticleUrl.__table__).on_conflict_do_nothing(),
        body=mod.insert(Body.__table__).on_conflict_do_nothing(),
        # PostgreSQL runs an executemany as one INSERT per row (32 per version); this is one, with
        # two array parameters. SQLite's executemany is a loop in C: it stays.
        bands_in_one=text(
            "INSERT INTO version_bands (band, key, version_id) "
            "SELECT unnest(CAST(:bands AS integer[])), unnest(CAST(:keys AS bigint[])), :version_id"
        ) if dialect == "postgresql" else None,
    )


def _dialect_statements(c: Connection) -> _DialectStatements:
    return _statements_for(c.dialect.name)


def _lock_article(c: Connection, cap: Capture) -> tuple[Row, bool]:
    """The article's row, locked, created when new; True when this call created it.

    A new row is made as it will stand once its first version is written (last seen, next revisit,
    one version): the capture then needs no UPDATE of it. A page found in a listing is most likely
    new, so its row is inserted first and looked up only when it exists; a revisit's is looked up."""
    new = cap.fetched.purpose == "article"
    row = None if new else c.execute(_ARTICLE_FOR_UPDATE, {"url": cap.url}).first()
    inserted = False
    if row is None:
        at = cap.fetched.fetched_at
        row = c.execute(_dialect_statements(c).new_article, {
            "url": cap.url, "source_id": cap.source_id, "discovered_via": cap.discovered_via, "first_seen_at": at,
            "last_seen_at": at, "last_checked_at": at, "version_count": 1, "gone": False,
            "next_revisit_at": next_revisit(at, at, cap.revisit_ages), "listed_updated_at": cap.listed_updated_at,
        }).first()
        inserted = row is not None  # None: it exists (another worker may have made it meanwhile)
        if row is None:
            row = c.execute(_ARTICLE_FOR_UPDATE, {"url": cap.url}).one()
    urls = ({cap.url} if inserted else set()) | set(cap.aliases)
    if urls:
        c.execute(_dialect_statements(c).article_url, [{"url": u, "article_id": row.id} for u in sorted(urls)])
    return row, inserted


def _as_extracted(v: Version | Row) -> Extracted:
    return Extracted(title=v.title, authors=list(v.authors or []), published_at=v.published_at,
                     language=v.language, text=v.text, modified_at=v.modified_at, section=v.section)


def _link_duplicates(c: Connection, content_hash: str, version_id: int) -> int | None:
    """duplicate_of for every version with this hash: the earliest-captured one under another URL.

    Captures are not always written in the order they were made (a confirming fetch delays one), so
    the links of the whole hash group are set again, not only the new version's. Returns the new one's.
    """
    group = c.execute(_SAME_TEXT, {"content_hash": content_hash}).all()
    mine = None
    for i, (vid, article_id, current) in enumerate(group):
        original = next((g.id for g in group[:i] if g.article_id != article_id), None)
        if original != current:
            c.execute(_SET_DUPLICATE_OF, {"version_id": vid, "original": original})
        if vid == version_id:
            mine = original
    return mine


def _link_near_duplicates(c: Connection, version_id: int, article_id: int, content_hash: str, minhash: bytes) -> None:
    """Index the version's MinHash bands and link it with nearly-identical versions under other URLs."""
    keys = neardup.band_keys(minhash)
    if not keys:
        return
    params: dict[str, object] = {"article_id": article_id, "content_hash": content_hash}
    for band, key in keys:
        params[f"band{band}"], params[f"key{band}"] = band, key
    candidates = c.execute(_NEAR_CANDIDATES, params).all()
    bands_in_one = _dialect_statements(c).bands_in_one
    if bands_in_one is not None:
        c.execute(bands_in_one, {"bands": [b for b, _ in keys], "keys": [k for _, k in keys], "version_id": version_id})
    else:
        c.execute(_INSERT_BANDS, [{"band": b, "key": k, "version_id": version_id} for b, k in keys])
    pairs = []
    for other_id, other_sig, _ in candidates:
        if other_sig is None:
            continue
        sim = neardup.similarity(minhash, other_sig)
        if sim >= neardup.THRESHOLD:
            pairs += [{"version_id": version_id, "other_id": other_id, "similarity": round(sim, 3)},
                      {"version_id": other_id, "other_id": version_id, "similarity": round(sim, 3)}]
    if pairs:
        c.execute(insert(NearDuplicate.__table__), pairs)


# Versions sharing a band with a new one, under other URLs and with other text. Built once: making
# the 32-way OR anew for every capture cost more than running it. An OR of (band, key) pairs, not a
# row-value IN: SQLite plans the IN as a scan of every band (114 ms per capture at 20,000 versions),
# the OR as one primary-key probe per band.
_NEAR_CANDIDATES = (
    select(Version.id, Version.minhash, Version.content_hash)
    .where(Version.id.in_(
        select(VersionBand.version_id)
        .where(or_(*(
            and_(VersionBand.band == bindparam(f"band{b}"), VersionBand.key == bindparam(f"key{b}"))
            for b in range(neardup.BANDS)
        )))
        .distinct()
        .limit(_MAX_NEAR_CANDIDATES)
    ))
    .where(Version.article_id != bindparam("article_id"), Version.content_hash != bindparam("content_hash"))
)


def _insert_ignore(bind: Session | Connection, table: type) -> object:
    """INSERT ... ON CONFLICT DO NOTHING on both SQLite and PostgreSQL."""
    dialect = bind.dialect if isinstance(bind, Connection) else bind.get_bind().dialect
    mod = postgresql if dialect.name == "postgresql" else sqlite
    return mod.insert(table).on_conflict_do_nothing()


def _keep_listing_state(s: Session, source_id: int, fetched: Fetched, children: list[str] | None) -> None:
    if fetched.body is not None and (fetched.etag or fetched.last_modified or children):
        state = s.get(ListingState, (source_id, fetched.requested_url))
        if state is None:
            state = ListingState(source_id=source_id, url=fetched.requested_url)
            s.add(state)
        state.etag, state.last_modified = storable.text(fetched.etag), storable.text(fetched.last_modified)
        state.children = [storable.text(u) for u in children] if children else None
        state.checked_at = fetched.fetched_at


def _store_body(c: Connection, f: Fetched, packed: bytes | None, size: int | None) -> None:
    if f.body_sha256 is None or (packed is None and f.body is None):
        return
    data = packed if packed is not None else bodies.pack(f.body)  # type: ignore[arg-type]
    c.execute(_dialect_statements(c).body, {"sha256": f.body_sha256, "data": data, "size": size,
                                            "compressed_size": len(data), "created_at": f.fetched_at})


def _log_fetch_row(s: Session, f: Fetched, source_id: int | None, discovered_via: str | None) -> None:
    """A fetch row through the ORM session, counted in the fetch tallies of the same transaction."""
    values = _fetch_values(f, source_id, None, discovered_via)
    s.add(Fetch(**values))
    c = s.connection()
    with tallies.counting(c):
        tallies.add(c, [values])


def _fetch_values(f: Fetched, source_id: int | None, article_id: int | None, discovered_via: str | None,
                  body_size: int | None = None) -> dict[str, object]:
    """A fetch row's values, every text storable (worker/storable.py)."""
    f, discovered_via = storable.fetched(f), storable.text(discovered_via)
    return {
        "source_id": source_id, "article_id": article_id, "purpose": f.purpose, "discovered_via": discovered_via,
        "requested_url": f.requested_url, "final_url": f.final_url, "status": f.status, "fetched_at": f.fetched_at,
        "duration_ms": f.duration_ms, "attempts": f.attempts, "etag": f.etag, "last_modified": f.last_modified,
        "content_type": f.content_type, "error": f.error, "error_detail": f.error_detail,
        "not_modified": f.not_modified, "body_sha256": f.body_sha256,
        "body_size": len(f.body) if f.body is not None else body_size, "headers": dict(f.headers) or None,
    }


def _version_values(article_id: int, d: Decision, ex: Extracted, f: Fetched, fetch_id: int) -> dict[str, object]:
    return {
        "article_id": article_id, "number": d.number, "content_hash": d.content_hash, "title": ex.title,
        "authors": list(ex.authors), "published_at": ex.published_at, "modified_at": ex.modified_at,
        "language": ex.language, "section": ex.section, "text": ex.text, "first_seen_at": f.fetched_at,
        "last_seen_at": f.fetched_at, "fetch_id": fetch_id, "duplicate_of_id": d.duplicate_of,
        "extraction_method": ex.extraction_method,
    }
