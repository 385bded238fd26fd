"""JSON API shapes: they document the API (/openapi.json) and check what it returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Failure(BaseModel):
    fetch_id: int
    fetched_at: str
    purpose: str
    url: str
    status: int | None
    error: str | None
    detail: str | None


class CrawlDelayCapped(BaseModel):
    robots: str = Field(description="the robots.txt asking for the Crawl-delay")
    asked: float = Field(description="seconds between requests it asks for")
    cap: float = Field(description="the source's crawl_delay_max, the spacing applied instead")


class SourceOut(BaseModel):
    name: str
    kind: str
    url: str | None
    schedule: str | None = Field(description="from the config given to serve; null without one")
    enabled: bool | None
    last_polled_at: str | None
    last_poll_ok: bool | None
    articles: int
    versions: int
    fetches_24h: int
    failures_24h: int
    degraded: bool
    degraded_reason: str | None
    recent_failures: list[Failure]
    crawl_delay_capped: CrawlDelayCapped | None = Field(
        description="the robots.txt Crawl-delay above crawl_delay_max that the last poll capped; null when none")
    revisits_due: int
    state: str = Field(description="healthy, needs attention or disabled (worker/health.py source_health)")
    healthy: bool
    problems: list[str] = Field(description="why the source is not healthy; empty when it is")


class ArticleSummary(BaseModel):
    id: int
    url: str
    title: str | None
    source: str
    versions: int
    first_seen_at: str
    last_seen_at: str
    published_at: str | None
    language: str | None
    gone: bool


class Page(BaseModel):
    next_cursor: str | None = Field(description="pass as ?cursor= for the next (older) page; null on the last")


class ArticlesPage(Page):
    items: list[ArticleSummary]


class Provenance(BaseModel):
    fetch_id: int
    source: str | None
    purpose: str
    discovered_via: str | None
    requested_url: str
    final_url: str | None
    status: int | None
    fetched_at: str
    duration_ms: int
    attempts: int
    etag: str | None
    last_modified: str | None
    content_type: str | None
    body_sha256: str | None
    raw_available: bool


class VersionRef(BaseModel):
    article_id: int
    url: str
    version: int


class VersionOut(BaseModel):
    number: int
    content_hash: str
    title: str
    authors: list[str]
    published_at: str | None
    modified_at: str | None
    language: str | None
    section: str | None
    words: int
    first_seen_at: str
    last_seen_at: str
    duplicate_of: VersionRef | None
    provenance: Provenance
    change: dict[str, Any] | None = Field(
        None, description="the export's `change`: fields, words added and removed; from version 2 on also "
                          "acknowledged / silent / signals (docs/export-format.md)")


class VersionFull(VersionOut):
    text: str


class Reprint(BaseModel):
    article_id: int
    url: str
    version: int
    source: str
    first_seen_at: str
    same_text_as_version: int = Field(description="this article's version that has the same text")


class ArticleOut(BaseModel):
    id: int
    url: str
    source: str
    discovered_via: str | None
    first_seen_at: str
    last_seen_at: str
    last_checked_at: str
    next_revisit_at: str | None
    versions: int
    gone: bool
    other_urls: list[str]


class ArticleDetail(BaseModel):
    article: ArticleOut
    versions: list[VersionOut]
    reprints: list[Reprint]


class DiffSegment(BaseModel):
    op: str = Field(description="equal | delete (only on the old side) | insert (only on the new side)")
    text: str


class DiffSides(BaseModel):
    old: list[DiffSegment]
    new: list[DiffSegment]


class DiffOut(BaseModel):
    article_id: int
    a: int
    b: int
    title: DiffSides
    text: DiffSides


class Change(BaseModel):
    version_id: int
    article_id: int
    url: str
    version: int
    title: str
    previous_title: str | None
    title_changed: bool
    source: str
    first_seen_at: str
    acknowledged: bool | None = Field(description="the publisher acknowledged the edit; null for a first capture")
    silent: bool = Field(description="a headline or body change with no acknowledgement")
    signals: list[dict[str, Any]] = Field(description="the evidence of the acknowledgement (docs/export-format.md)")


class ChangesPage(Page):
    items: list[Change]


class Capture(Provenance):
    article_id: int | None
    error: str | None
    raw_url: str | None


class Health(BaseModel):
    status: str
    database: str


class TimeMapLine(BaseModel):
    """One line of /web/timemap/json/<url>: pywb's timemap/json fields, and this archive's own."""

    urlkey: str = Field(description="SURT of the URL, as pywb's index keys it")
    timestamp: str = Field(description="14 digits, UTC: the version's first capture")
    url: str = Field(description="the article's canonical URL (the original resource)")
    mime: str | None = Field(None, description="media type of the capture")
    status: str | None = Field(None, description="HTTP status of the capture")
    digest: str | None = Field(None, description="sha256:<hex> of the raw body as fetched")
    length: str | None = Field(None, description="bytes of the raw body, when it is kept")
    mem_rel: str = Field(description="memento, first memento, last memento or first last memento")
    memento_url: str = Field(description="the memento: the version as the browser shows it")
    load_url: str = Field(description="the raw capture (id_)")
    version: int
    last_seen: str = Field(description="RFC 1123: the last capture that found this version unchanged")
