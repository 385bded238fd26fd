"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) -> candidate article links.

Security: feed bytes come from strangers. feedparser hands XML to expat with external general
entities off, but expat still expands internal entities (feedparser's own filter misses a DTD
written on one line), bounded only by the installed expat's amplification guard (2.4+), and the
loose fallback parser keeps "safe" internal entities. So before feedparser sees the bytes every
DOCTYPE declaration, internal subset included, is blanked out (`sitemaps.strip_doctype`): no entity
is ever declared, so none can be expanded (billion laughs) or fetched (XXE). Feeds need no DTD;
undeclared entity references make feedparser fall back to its loose parser, which keeps them as text.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from datetime import UTC, datetime
from typing import Any

import feedparser
from w3lib.html import remove_tags, replace_entities

from worker import safejson
from worker.discover.sitemaps import parse_w3c_datetime, strip_doctype
from worker.urls import canonicalize
from worker.values import Link

_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_BOM_WS = b"\xef\xbb\xbf \t\r\n"
_ROOT_KINDS = {"rss": "rss", "rdf": "rss", "feed": "atom"}


def _json_items(body: bytes) -> list[Any] | None:
    """The items of a JSON Feed, or None when the body is not one."""
    try:
        doc = safejson.loads(body.decode("utf-8-sig", errors="replace"))  # too deep: that value alone is lost
    except ValueError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        return None
    return doc["items"]


def feed_kind(body: bytes) -> str | None:
    """Which feed format: rss (0.9x, 1.0/RDF, 2.0), atom, json (JSON Feed), or None."""
    head = body[:65536].lstrip(_BOM_WS)
    if head.startswith(b"{"):
        return "json" if _json_items(body) is not None else None
    m = _FIRST_TAG.search(_COMMENT.sub(b"", head))
    if not m:
        return None
    local = m.group(1).decode("ascii", errors="replace").rpartition(":")[2].lower()
    return _ROOT_KINDS.get(local)


def _clean_title(value: Any, is_html: bool = False) -> str | None:
    if not isinstance(value, str):
        return None
    if is_html:
        value = replace_entities(remove_tags(value))
    value = " ".join(value.split())
    return value or None


def _struct_to_utc(st: time.struct_time | None) -> datetime | None:
    if not st:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(st), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _entry_updated(entry: dict[str, Any]) -> datetime | None:
    """Modification date when the entry has one, else its publication date (feedparser gives UTC)."""
    raw = dict(entry)  # plain dict access: FeedParserDict maps missing "updated" to "published"
    for candidate in (
        _struct_to_utc(raw.get("updated_parsed")),
        parse_w3c_datetime(raw.get("dc_modified")),  # feedparser leaves dc:modified unparsed
        parse_w3c_datetime(raw.get("dcterms_modified")),
        _struct_to_utc(raw.get("published_parsed")),
        _struct_to_utc(raw.get("created_parsed")),
    ):
        if candidate is not None:
            return candidate
    return None


def _entry_url(entry: dict[str, Any], base_url: str) -> str | None:
    """Atom rel=alternate (else first href); RSS <link>, else a permalink <guid>."""
    hrefs = [entry.get("link")]
    hrefs += [link.get("href") for link in entry.get("links") or [] if isinstance(link, dict)]
    if entry.get("guidislink"):  # feedparser sets this for an RSS <guid> that is a permalink
        hrefs.append(entry.get("id"))
    for href in hrefs:
        if isinstance(href, str) and (url := canonicalize(href, base_url)):
            return url
    return None


def _parse_xml_feed(body: bytes, base_url: str) -> list[Link]:
    parsed = feedparser.parse(
        io.BytesIO(strip_doctype(body)),  # a stream: feedparser never treats it as a URL or path
        response_headers={"content-location": base_url},
        sanitize_html=True,
        resolve_relative_uris=False,  # only HTML content is affected; we do not use it
    )
    links: list[Link] = []
    for entry in parsed.get("entries", []):
        url = _total(_entry_url, entry, base_url)
        if url is None:
            continue
        detail = entry.get("title_detail") or {}
        title = _total(_clean_title, entry.get("title"), is_html="html" in str(detail.get("type", "")))
        links.append(Link(url=url, updated_at=_total(_entry_updated, entry), title=title))
    return links


def _total(read: Any, *args: Any, **kwargs: Any) -> Any:
    """read(...), or None when it raises: a bad field of one item costs that field, not the feed."""
    try:
        return read(*args, **kwargs)
    except Exception:
        return None


def _parse_json_feed(items: list[Any], base_url: str) -> list[Link]:
    links: list[Link] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = _total(_json_item, item, base_url)
        if link is not None:
            links.append(link)
    return links


def _json_item(item: dict[str, Any], base_url: str) -> Link | None:
    """One JSON Feed item's link; its date only when it parses (a bad one costs the date alone)."""
    url = None
    if isinstance(item.get("url"), str):
        url = canonicalize(item["url"], base_url)
    if url is None and isinstance(item.get("id"), str):
        url = canonicalize(item["id"])  # an id is a permalink only when it is an absolute URL
    if url is None:
        return None
    updated = None
    for key in ("date_modified", "date_published"):
        if isinstance(item.get(key), str) and (updated := parse_w3c_datetime(item[key])):
            break
    return Link(url=url, updated_at=updated, title=_total(_clean_title, item.get("title")))


def parse_feed(body: bytes, base_url: str) -> list[Link]:
    """Entry links of any RSS/Atom/JSON feed; what parses of a broken one; never raises."""
    try:
        if body[:64].lstrip(_BOM_WS).startswith(b"{"):
            items = _json_items(body)
            return [] if items is None else _parse_json_feed(items, base_url)
        return _parse_xml_feed(body, base_url)
    except Exception:  # untrusted bytes: a parser bug must cost this feed, not the pass
        return []
