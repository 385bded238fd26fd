"""The plain typed values that flow through the pipeline, one way:

Source config -> Link (discover) -> Fetched (fetch) -> Extracted (extract) -> Decision (archive) -> rows.

Nothing here does I/O. Every module may import this one; this one imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how defensively to fetch for one source (from its config)."""

    timeout: float = 20.0  # seconds, whole request including the body
    retries: int = 3  # further attempts on 5xx, 429, timeouts, connection errors
    max_bytes: int = 5_000_000  # after decompression
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0  # seconds between two requests to one host
    respect_robots: bool = True
    user_agent: str = "newsarchive/0.1 (+https://example.org/bot)"
    allow_private_networks: bool = False
    headers: tuple[tuple[str, str], ...] = ()  # extra request headers; never logged
    headers_hosts: tuple[str, ...] = ()  # hosts `headers` go to; () = the host each fetch starts at
    proxy: str | None = None
    max_redirects: int = 10
    backoff_base: float = 0.5  # seconds; attempt n waits backoff_base * 2**(n-1)
    max_retry_after: float = 120.0  # a Retry-After longer than this is capped
    crawl_delay_max: float = 30.0  # a robots.txt Crawl-delay longer than this is capped (the source reported)

    def __repr__(self) -> str:
        """Header names without their values, the proxy without its user:password: a repr ends up in
        tracebacks and log lines."""
        shown = []
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name == "headers":
                value = tuple((key, "***") for key, _ in value)
            elif name == "proxy" and value and "@" in value:
                scheme, sep, rest = value.partition("://")
                value = f"{scheme}{sep}***@{rest.rpartition('@')[2]}" if sep else "***"
            shown.append(f"{name}={value!r}")
        return f"FetchPolicy({', '.join(shown)})"


@dataclass(frozen=True)
class ExtractRules:
    """Per-source CSS selectors that override the generic extractor where they match."""

    title: str | None = None
    body: str | None = None
    authors: str | None = None
    published: str | None = None  # "selector" or "selector@attribute"
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A candidate article URL found by discovery."""

    url: str  # absolute, canonicalised
    updated_at: datetime | None = None  # the feed/sitemap's own "updated"/lastmod, tz-aware UTC
    title: str | None = None


@dataclass(frozen=True)
class SitemapParse:
    links: list[Link]
    children: list[str]  # child sitemaps of a sitemap index (absolute URLs)


@dataclass
class Fetched:
    """What one request (with its retries and redirects) produced. Failures are values too."""

    purpose: str  # robots | feed | sitemap | page | article | revisit
    requested_url: str
    final_url: str | None
    status: int | None
    fetched_at: datetime  # tz-aware UTC, when the request started
    duration_ms: int
    attempts: int
    body: bytes | None = None  # None when failed, refused or not modified
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # None, or a short kind: timeout, too_large, not_html, ...
    error_detail: str | None = None
    not_modified: bool = False
    body_sha256: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # response headers, lower-case, no cookies
    # (robots.txt URL, the Crawl-delay it asks for) when that delay was above the policy's
    # crawl_delay_max and this request was spaced by the cap instead; not stored in the fetch log
    crawl_delay_capped: tuple[str, float] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and (self.body is not None or self.not_modified)


@dataclass
class Extracted:
    title: str
    authors: list[str]
    published_at: datetime | None
    language: str | None
    text: str  # paragraphs separated by one blank line
    modified_at: datetime | None = None
    section: str | None = None
    canonical_url: str | None = None
    rules_matched: bool | None = None  # None: no per-source rules; False: rules given but body missed
    # Which method produced the body: "rules" (per-source selectors), "scorer" (the generic main-content
    # scorer), "structured" (JSON-LD articleBody or a page's own data payload), "fallback" (the second,
    # independent method), or None when there is no body.
    extraction_method: str | None = None
    # The page's <title> ("" when none), then its <h1>s, as extraction found them: classify reads
    # them instead of parsing the page again. Not stored; None when not known.
    headings: tuple[str, ...] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Restated:
    """An article's latest version as today's extractor reads that version's own stored raw body (made
    when another extractor made its text), so that a capture is compared with it like with like."""

    version_id: int
    extracted: Extracted
    content_hash: str
    old_extractor_version: int | None
    minhash: bytes | None = None  # the restated text's near-duplicate signature
