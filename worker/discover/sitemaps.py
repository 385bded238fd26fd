"""Sitemaps (urlset, sitemap index, Google News, plain text, gzip) -> links and child sitemaps.

Real sitemaps are large, sometimes gzipped, sometimes broken, and their namespaces are often wrong,
so parsing streams with lxml in recover mode, matches local names, and never raises.

Security: lxml runs with resolve_entities=False, no_network=True, load_dtd=False, and the DOCTYPE is
cut out first (`strip_doctype`, shared with feeds.py), so no entity is declared: nothing to fetch,
nothing to expand, and libxml2's own amplification guard never has to give up on the document.
"""

from __future__ import annotations

import functools
import io
import re
import zlib
from datetime import UTC, datetime, timedelta, timezone

from lxml import etree

from worker.urls import canonicalize
from worker.values import Link, SitemapParse

MAX_INFLATED = 50 * 1024 * 1024  # refuse a gzip that inflates beyond this (gzip bomb)
_CHUNK = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_MAX_DOCTYPE = 65536  # real feeds' DOCTYPEs are tiny; a huge one is an attack, not a feed
_DOCTYPE_TOKEN = re.compile(rb"<!--|[\"'\[\]>]")

# W3C datetime profile of ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, then optional time and zone.
_W3C = re.compile(
    r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})"
    r"(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?)?)?\s*$"
)


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """W3C/ISO datetime (date only allowed, no zone = UTC) -> tz-aware UTC datetime, or None (also
    for one that has no UTC form: 9999-12-31T23:59:59-23:59 is past datetime's last day in UTC)."""
    if not isinstance(text, str) or not text:
        return None
    m = _W3C.match(text)
    if not m:
        return None
    year, month, day, hour, minute, sec, frac, zone = m.groups()
    try:
        dt = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(sec or 0),
            int((frac or "0")[:6].ljust(6, "0")),
            tzinfo=_zone(zone),
        )
        return dt.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _zone(zone: str | None) -> timezone:
    if not zone or zone in ("Z", "z"):
        return UTC
    digits = zone[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-offset if zone[0] == "-" else offset)


def _doctype_end(body: bytes, start: int) -> int:
    """Index just past the DOCTYPE starting at `start` (quotes, comments and [subset] respected)."""
    depth, pos, n = 0, start + 9, len(body)
    while (m := _DOCTYPE_TOKEN.search(body, pos)) and m.start() - start < _MAX_DOCTYPE:
        token = m.group()
        if token == b"<!--":
            close = body.find(b"-->", m.end())
            pos = n if close < 0 else close + 3
        elif token in (b'"', b"'"):
            close = body.find(token, m.end())
            pos = n if close < 0 else close + 1
        elif token == b"[":
            depth, pos = depth + 1, m.end()
        elif token == b"]":
            depth, pos = max(0, depth - 1), m.end()
        elif depth == 0:  # ">"
            return m.end()
        else:
            pos = m.end()
    return n  # unterminated or absurdly long: the rest is the declaration, nothing of it survives


# (BOM, codec) and (first four bytes' zero pattern, codec) of the XML spec's Appendix F; 32 before 16
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
              (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _wide_codec(body: bytes) -> tuple[bytes, str] | None:
    """(BOM, codec) of a UTF-16 or UTF-32 document (BOM b"" when it has none), else None."""
    for bom, codec in _WIDE_BOMS:
        if body.startswith(bom):
            return bom, codec
    head = body[:4]
    if len(head) < 4:
        return None
    zero = tuple(b == 0 for b in head)
    codec = {(False, True, True, True): "utf-32-le", (True, True, True, False): "utf-32-be",
             (False, True, False, True): "utf-16-le", (True, False, True, False): "utf-16-be"}.get(zero)
    return (b"", codec) if codec else None


def strip_doctype(body: bytes) -> bytes:
    """Blank out every <!DOCTYPE ...> declaration, with its internal subset (entity declarations).

    Each one becomes a single space (legal after the XML declaration), so the pieces left around
    it can never join into a new DOCTYPE; one linear pass. A UTF-16 or UTF-32 document is read as
    text for this (its DOCTYPE is not ASCII bytes) and written back in its own encoding.
    """
    wide = _wide_codec(body)
    if wide is not None:
        bom, codec = wide
        text = body[len(bom):].decode(codec, errors="replace").encode("utf-8")
        stripped = _strip_doctype(text)
        return body if stripped is text else bom + stripped.decode("utf-8").encode(codec)
    return _strip_doctype(body)


def _strip_doctype(body: bytes) -> bytes:
    out: list[bytes] = []
    pos = 0
    while m := _DOCTYPE.search(body, pos):
        out.append(body[pos : m.start()])
        out.append(b" ")
        pos = _doctype_end(body, m.start())
    if not out:
        return body
    out.append(body[pos:])
    return b"".join(out)


def _gunzip(body: bytes) -> bytes | None:
    """Inflate with a hard cap; None when the output would exceed MAX_INFLATED.

    A truncated or corrupt stream keeps what inflated so far (the recovering parser takes it).
    """
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 32)  # gzip or zlib header
    out: list[bytes] = []
    total = 0
    data = body
    try:
        while True:
            chunk = inflater.decompress(data, _CHUNK)  # never more than _CHUNK out per call
            total += len(chunk)
            if total > MAX_INFLATED:
                return None
            out.append(chunk)
            data = inflater.unconsumed_tail
            if inflater.eof:
                data = inflater.unused_data
                if not data.startswith(_GZIP_MAGIC):
                    break
                inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 32)  # next gzip member
            elif not data and len(chunk) < _CHUNK:
                break  # input ended before the stream did (truncated)
    except zlib.error:
        pass
    return b"".join(out)


@functools.lru_cache(maxsize=1024)  # a sitemap repeats a handful of tag names thousands of times
def _local(tag: object) -> str:
    """Local name of an element tag, whatever (or however broken) its namespace."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def _entry(elem: etree._Element, base_url: str) -> tuple[str | None, datetime | None, str | None]:
    """(canonical loc, updated_at, news title) of one <url> or <sitemap> element.

    Only direct children and <news:news> children count: an <image:loc> is not the page.
    """
    loc: str | None = None
    updated: datetime | None = None
    title: str | None = None
    for child in elem:
        name = _local(child.tag)
        if name == "loc" and loc is None:
            loc = canonicalize((child.text or "").strip(), base_url)
        elif name == "lastmod":
            updated = _later(updated, parse_w3c_datetime(child.text))
        elif name == "news":
            for item in child:
                item_name = _local(item.tag)
                if item_name == "publication_date":
                    updated = _later(updated, parse_w3c_datetime(item.text))
                elif item_name == "title" and item.text and item.text.strip():
                    title = " ".join(item.text.split())
    return loc, updated, title


def _parse_xml(body: bytes, base_url: str) -> SitemapParse:
    links: list[Link] = []
    children: list[str] = []
    events = etree.iterparse(
        io.BytesIO(body),
        events=("end",),
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _, elem in events:
            kind = _local(elem.tag)
            if kind not in ("url", "sitemap"):
                continue
            loc, updated, title = _entry(elem, base_url)
            if loc is not None:
                if kind == "url":
                    links.append(Link(url=loc, updated_at=updated, title=title))
                else:
                    children.append(loc)
            # Free what is done with, so 50,000 entries stay small in memory.
            elem.clear()
            parent = elem.getparent()
            while parent is not None and elem.getprevious() is not None:
                del parent[0]
    except (etree.XMLSyntaxError, ValueError):
        pass  # keep what parsed before the error
    return SitemapParse(links=links, children=children)


def _parse_text(text: str) -> SitemapParse:
    links = [Link(url=u) for line in text.splitlines() if (u := canonicalize(line.strip()))]
    return SitemapParse(links=links, children=[])


def parse_sitemap(body: bytes, base_url: str) -> SitemapParse:
    """Links (with lastmod / news dates) of a urlset, or children of a sitemap index. Never raises."""
    if body.startswith(_GZIP_MAGIC):
        inflated = _gunzip(body)
        if inflated is None:
            return SitemapParse(links=[], children=[])
        body = inflated
    wide = _wide_codec(body)
    if wide is not None:  # UTF-16/32: judge its first characters, not its bytes
        head = body[len(wide[0]):2048].decode(wide[1], errors="ignore").lstrip("\ufeff \t\r\n").encode()
        if head and not head.startswith(b"<"):
            return _parse_text(body[len(wide[0]):].decode(wide[1], errors="replace"))
        return _parse_xml(strip_doctype(body), base_url) if head else SitemapParse(links=[], children=[])
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return SitemapParse(links=[], children=[])
    if not head.startswith(b"<"):
        return _parse_text(body.decode("utf-8-sig", errors="replace"))
    return _parse_xml(strip_doctype(body), base_url)
