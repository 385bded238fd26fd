"""Discovery: feed, sitemap and page bytes -> candidate article links. Pure: no network, no database."""

from __future__ import annotations

import re

from worker.discover.feeds import feed_kind, parse_feed
from worker.discover.pages import is_valid_selector, parse_page_links
from worker.discover.sitemaps import parse_sitemap
from worker.values import Link

__all__ = [
    "feed_kind",
    "filter_links",
    "is_valid_selector",
    "parse_feed",
    "parse_page_links",
    "parse_sitemap",
]


def filter_links(
    links: list[Link], include: list[re.Pattern[str]], exclude: list[re.Pattern[str]]
) -> list[Link]:
    """Keep links some include matches (or all, without includes) and no exclude matches.

    One link per URL, at its first position; it carries the latest updated_at seen for that URL
    (a later listing saying "updated" must not be lost) and the first non-empty title.
    """
    kept: dict[str, Link] = {}
    for link in links:
        if include and not any(p.search(link.url) for p in include):
            continue
        if any(p.search(link.url) for p in exclude):
            continue
        first = kept.get(link.url)
        if first is None:
            kept[link.url] = link
            continue
        updated = first.updated_at
        if link.updated_at is not None and (updated is None or link.updated_at > updated):
            updated = link.updated_at
        kept[link.url] = Link(url=first.url, updated_at=updated, title=first.title or link.title)
    return list(kept.values())
