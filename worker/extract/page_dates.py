"""A page's publication and modification dates: JSON-LD, <meta>, <time>, microdata, the visible
dateline ("Опубликовано 20.11.2026, обновлено 21.11.2026", "入力 2026.11.20 10:30"), the URL.

A date labelled "updated" is never taken for the publication date, nor the reverse.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

import regex
from selectolax.lexbor import LexborNode

from .date_labels import label_kind, labelled_dates
from .dates import date_from_url, local_dates, normalise, parse_date
from .header import header_lines, is_sentence
from .index import PageIndex
from .jsonld import JsonLd

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "publishdate", "pubdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published", "published_time", "citation_publication_date",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
    "dcterms.modified", "last-modified", "article.updated", "lastmod",
)  # fmt: skip
# Elements that hold a dateline. Only short texts are read: a long one is an article, not a date.
# (Each selector costs a check per node of the page: these cover "article-date", "post__time",
# "entry-date published", "timestamp", bylines; the query runs only on pages without machine dates.)
_DATELINE_QUERY = ':is([class*="date" i], [class*="time" i], [class*="byline" i])'

_MAX_DATELINE = 250

Dates = tuple[datetime | None, datetime | None]
_SEEN: WeakKeyDictionary[PageIndex, tuple[datetime | None, datetime | None, bool]] = WeakKeyDictionary()


def _first_date(values: list[Any]) -> datetime | None:
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str):
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None


def _time_element(node: LexborNode, lang: str | None) -> Dates:
    """A <time>'s date, published or modified by the label before it in its parent's text."""
    attrs = node.attributes
    text = node.text() or ""
    when = parse_date(attrs.get("datetime") or attrs.get("content") or text, lang)
    if when is None:
        return None, None
    if label_kind(_text_before(node)) == "modified":
        return None, when
    return when, None


def _text_before(node: LexborNode, enough: int = 40) -> str:
    """The text just before a node (its earlier siblings', then its parent's): where a label stands."""
    parts: list[str] = []
    size = 0
    for _ in range(2):
        sibling = node.prev
        while sibling is not None and size < enough:
            piece = sibling.text() or ""
            parts.append(piece)
            size += len(piece)
            sibling = sibling.prev
        if size >= enough or node.parent is None:
            break
        node = node.parent
    return "".join(reversed(parts))[-enough:]


def _dateline_scope(page: PageIndex):  # type: ignore[no-untyped-def]
    """Where the article's dateline is: around its headline (three levels up from the <h1>), not in a
    ticker or a sidebar of other stories' dates; the whole page when there is no <h1>."""
    node = page.first("h1")
    if node is None:
        return page.tree
    for _ in range(3):
        parent = node.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        node = parent
    return node


def visible_dates(
    page: PageIndex, lang: str | None, datelines: bool = True
) -> tuple[datetime | None, datetime | None, bool]:
    """(published, modified, from a dateline) that the page shows: <time> elements, microdata, then
    datelines (a class saying "date" is weaker evidence than a <time>). Without `datelines`, the
    page-wide queries are skipped unless an earlier call made them."""
    if page in _SEEN:
        return _SEEN[page]
    if not datelines:
        found = [_time_element(node, lang) for node in page.all("time")[:8]]
        return None, next((m for _, m in found if m), None), False
    published = modified = None
    for node in page.all("time")[:8]:
        p, m = _time_element(node, lang)
        published, modified = published or p, modified or m
    if published is None:
        for node in page.tree.css('[itemprop="datePublished"]')[:3]:
            attrs = node.attributes
            published = parse_date(attrs.get("datetime") or attrs.get("content") or node.text(), lang)
            if published:
                break
    strong = published is not None
    if published is None or modified is None:
        for node in _dateline_scope(page).css(_DATELINE_QUERY)[:40]:
            text = node.text()
            if not text or len(text) > _MAX_DATELINE:
                continue
            p, m = labelled_dates(text, lang)
            published, modified = published or p, modified or m
            if published and modified:
                break
    _SEEN[page] = published, modified, not strong
    return _SEEN[page]


# A field's label right before a date ("Deadline: 15. März 2020", "Event: 3 May 2026")
_FIELD_LABEL_END = regex.compile(r"\p{L}{2,}\s*[:：]\s*$")
_DATE_WORD = regex.compile(r"(?i:\b(?:date|datum|fecha|data|tarih|дата)|日期|日付|날짜)\s*[:：]\s*$")


def _other_field(line: str, lang: str | None) -> bool:
    """A line whose first date follows a label no date word knows: another field's date, not the page's."""
    text = normalise(line[:400])
    found = local_dates(text, lang)
    before = text[: found[0].start] if found else ""
    return (
        bool(_FIELD_LABEL_END.search(before)) and label_kind(before) is None and not _DATE_WORD.search(before)
    )


def header_date(page: PageIndex, lang: str | None) -> datetime | None:
    """The first publication date among the short lines under the headline, in boxes named as no
    date ("article-meta", "info"): the last resort. A date past tomorrow is no capture's page's own."""
    latest = datetime.now(UTC) + timedelta(days=1)
    for _, line in header_lines(page):
        if is_sentence(line):
            continue
        published, _ = labelled_dates(line, lang)
        if published and published <= latest and not _other_field(line, lang):
            return published
    return None


def find_published(
    page: PageIndex, meta: Any, ld: JsonLd, url: str | None, lang: str | None = None
) -> datetime | None:
    found = _first_date([ld.article.get("datePublished"), ld.article.get("dateCreated")])
    found = found or _first_date([meta.get(k) for k in _PUBLISHED_META])
    if found:
        return found
    shown, _, weak = visible_dates(page, lang)
    from_url = date_from_url(url)
    if shown is None:
        shown, weak = header_date(page, lang), True
    # A dateline days away from the URL's date is another story's (a sidebar's): the URL wins.
    if weak and shown and from_url and abs(shown - from_url) > timedelta(days=2):
        return from_url
    return shown or from_url


def find_modified(
    meta: Any, ld: JsonLd, page: PageIndex | None = None, lang: str | None = None
) -> datetime | None:
    found = _first_date([ld.article.get("dateModified")]) or _first_date(
        [meta.get(k) for k in _MODIFIED_META]
    )
    if found or page is None:
        return found
    # <time> elements only, unless find_published already read the datelines: a page that gives its
    # publication date in JSON-LD or <meta> is not walked again for an "updated" line.
    return visible_dates(page, lang, datelines=False)[1]
