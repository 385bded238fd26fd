"""The archive's tables (SQLAlchemy 2 typed ORM). The schema only changes through migrations/."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, on SQLite (which has no zones) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the archive; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_poll_ok: Mapped[bool | None] = mapped_column(Boolean)
    degraded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    degraded_reason: Mapped[str | None] = mapped_column(Text)
    # the last poll's robots.txt Crawl-delay above crawl_delay_max: {"robots": URL, "asked": s, "cap": s}
    crawl_delay_capped: Mapped[dict[str, object] | None] = mapped_column(JSON(none_as_null=True))  # None: SQL NULL


class ListingState(Base):
    """Validators of a feed/sitemap/page URL, for conditional GET on the next poll."""

    __tablename__ = "listing_state"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # a sitemap index's children: a 304 on the index must still lead to its (changed) children
    children: Mapped[list[str] | None] = mapped_column(JSON)


class Body(Base):
    """A raw response body, zstd-compressed, stored once per distinct content."""

    __tablename__ = "bodies"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    compressed_size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Fetch(Base):
    """Every request made, success or failure: the provenance log."""

    __tablename__ = "fetches"
    __table_args__ = (
        Index("ix_fetches_fetched_at", "fetched_at"),
        Index("ix_fetches_source_id", "source_id"),
        Index("ix_fetches_requested_url_id", "requested_url", "id"),  # the poll before a poll: one step
        Index("ix_fetches_failed_at", "fetched_at", postgresql_where=text("error IS NOT NULL"),
              sqlite_where=text("error IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    discovered_via: Mapped[str | None] = mapped_column(Text)
    requested_url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(40))
    error_detail: Mapped[str | None] = mapped_column(Text)
    not_modified: Mapped[bool] = mapped_column(Boolean, default=False)
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    body_size: Mapped[int | None] = mapped_column(Integer)
    # response headers as received (lower-case names; never Set-Cookie), for WARC export
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_next_revisit_at", "next_revisit_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    discovered_via: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)  # latest successful capture
    last_checked_at: Mapped[datetime] = mapped_column(UTCDateTime)  # latest fetch attempt
    next_revisit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    listed_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version_count: Mapped[int] = mapped_column(Integer, default=0)
    gone: Mapped[bool] = mapped_column(Boolean, default=False)


class ArticleUrl(Base):
    """Every URL an article was listed or reached under (its canonical URL included), so a listing
    that names a non-canonical URL is still recognised as known."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("article_id", "number", name="uq_versions_article_number"),
        Index("ix_versions_content_hash", "content_hash"),
        Index("ix_versions_first_seen_at", "first_seen_at"),
        Index("ix_versions_fetch_id", "fetch_id"),  # prune keeps the fetch a version names
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(JSON)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str | None] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fetch_id: Mapped[int] = mapped_column(ForeignKey("fetches.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    change: Mapped[dict[str, object] | None] = mapped_column(JSON)  # what changed from the previous version
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # MinHash signature of the body's 5-shingles
    # worker.extract.EXTRACTOR_VERSION that made this text (None: made before versions recorded it)
    extractor_version: Mapped[int | None] = mapped_column(Integer)
    extraction_method: Mapped[str | None] = mapped_column(String(20))  # rules | scorer | structured | fallback


class VersionRestatement(Base):
    """A version's text brought up to date by a newer extractor, from its own stored raw body, when a
    capture was compared with it: what the version said before is kept here, never lost."""

    __tablename__ = "version_restatements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    restated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetches.id"), index=True)  # the capture that led to it
    old_extractor_version: Mapped[int | None] = mapped_column(Integer)
    new_extractor_version: Mapped[int] = mapped_column(Integer)
    old_content_hash: Mapped[str] = mapped_column(String(64))
    new_content_hash: Mapped[str] = mapped_column(String(64))
    old_title: Mapped[str] = mapped_column(Text)
    old_text: Mapped[str] = mapped_column(Text)


class NearDuplicate(Base):
    """A version under another URL whose body is nearly the same text (both directions stored)."""

    __tablename__ = "near_duplicates"

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    similarity: Mapped[float] = mapped_column(Float)


class VersionBand(Base):
    """LSH band keys of a version's MinHash, so near-duplicates are found by index, not in memory."""

    __tablename__ = "version_bands"
    __table_args__ = (Index("ix_version_bands_version_id", "version_id"),)

    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)


TALLY_BUCKETS_MS = (50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)  # fetch latency histogram bounds


class FetchTally(Base):
    """Every request ever made, counted by (source, purpose, status, error) with its latency histogram,
    kept by the writer in the transaction that logs the fetch (worker/store/tallies.py): /metrics and
    `status` read these rows, never the fetch log, and `prune` leaves them alone."""

    __tablename__ = "fetch_tallies"

    source_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: no source (robots.txt, ...)
    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)
    status: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: no HTTP answer
    error: Mapped[str] = mapped_column(String(40), primary_key=True)  # "": no error
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # spreads a fleet's upserts
    n: Mapped[int] = mapped_column(BigInteger)
    duration_ms: Mapped[int] = mapped_column(BigInteger)


for _b in TALLY_BUCKETS_MS:  # le_50 ... le_30000: fetches that took at most that many ms
    FetchTally.__table__.append_column(Column(f"le_{_b}", BigInteger, nullable=False))
