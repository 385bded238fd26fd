"""Section pages: the article links a CSS selector picks out of an HTML listing page."""

from __future__ import annotations

import codecs
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from worker.urls import canonicalize
from worker.values import Link

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def _decode(body: bytes) -> str:
    """UTF-8 with replacement, unless a BOM or an early <meta charset> says otherwise."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace")
    m = _META_CHARSET.search(body[:4096])
    encoding = "utf-8"
    if m:
        try:
            encoding = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            pass
    return body.decode(encoding, errors="replace")


def is_valid_selector(selector: str) -> bool:
    """True when lexbor can parse `selector` as CSS (checked against an empty document)."""
    if not isinstance(selector, str) or not selector.strip():
        return False
    try:
        LexborHTMLParser("<html></html>").css(selector)
    except Exception:  # selectolax raises its own error type for a bad selector
        return False
    return True


def _anchors(node: LexborNode) -> list[LexborNode]:
    return [node] if node.tag == "a" else node.css("a[href]")


def _link_text(anchor: LexborNode) -> str | None:
    text = " ".join((anchor.text(deep=True, separator=" ") or "").split())
    return text or None


def _base(tree: LexborHTMLParser, base_url: str) -> str:
    node = tree.css_first("base[href]")
    href = node.attributes.get("href") if node is not None else None
    return (canonicalize(href, base_url) if href else None) or base_url


def parse_page_links(body: bytes | str, base_url: str, selector: str) -> list[Link]:
    """Links under the elements `selector` matches, in document order, one per URL.

    When one URL occurs twice (a teaser image and its headline), the first place wins but the
    title comes from the first occurrence that has text.
    """
    html = body if isinstance(body, str) else _decode(body)
    tree = LexborHTMLParser(html)
    base = _base(tree, base_url)
    try:
        matched = tree.css(selector)
    except Exception:  # a bad selector finds nothing; config validation reports it
        return []
    found: dict[str, Link] = {}
    for node in matched:
        for anchor in _anchors(node):
            url = canonicalize(anchor.attributes.get("href") or "", base)
            if url is None:
                continue
            title = _link_text(anchor)
            if url not in found:
                found[url] = Link(url=url, title=title)
            elif found[url].title is None and title:
                found[url] = Link(url=url, title=title)
    return list(found.values())
