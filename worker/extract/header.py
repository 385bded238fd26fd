"""The article's header: the short lines between its headline and its body ("20 ноября 2026, 14:20",
"Müəllif: Əli Həsənov"), where a page shows its own date and byline in boxes named in no word the
metadata queries know. Read only as a last resort, after every named source failed.

Lists, links, asides and boxes named as related stories, comments or a sidebar are passed over: their
dates are other stories'. The walk ends at the body's first paragraph, so nothing after it (comments,
a footer) is ever read.
"""

from __future__ import annotations

from collections.abc import Iterator
from weakref import WeakKeyDictionary

import regex
from selectolax.lexbor import LexborNode

from .index import PageIndex

_MAX_LINE = 250  # as a dateline: a longer text is an article, not a header line
_BODY_TEXT = 120  # a text this long outside a short box is the body's first paragraph
_MAX_LINES = 12
_SKIPPED_TAGS = frozenset(
    {"a", "ul", "ol", "li", "nav", "aside", "footer", "form", "figure", "figcaption", "blockquote", "table",
     "script", "style", "noscript", "template", "button", "select", "iframe", "h2", "h3"}
)  # fmt: skip
_SKIPPED_BOX = regex.compile(
    r"related|relacionad|verwandt|comment|sidebar|rail|promo|recommend|popular|teaser|widget|share|social"
    r"|breadcrumb|caption|footer|tags?\b|stories|latest|trending|\bmore\b|\balso\b",
    regex.I,
)


def _mostly_links(node: LexborNode, text: str) -> bool:
    links = node.css("a")
    return len(links) >= 2 and sum(len(a.text() or "") for a in links) * 2 > len(text)


Line = tuple[LexborNode | None, str]  # the box (None for a bare text) and its text
_SEEN: WeakKeyDictionary[PageIndex, list[Line]] = WeakKeyDictionary()


def _lines(node: LexborNode, left: list[int]) -> Iterator[Line | None]:
    """The short boxes in and under `node`, in page order; None once the body has begun."""
    tag = node.tag
    if tag == "-text":
        text = (node.text() or "").strip()
        if len(text) > _BODY_TEXT:
            yield None
        elif text:
            yield None, text
        return
    if not tag or tag.startswith("-") or tag in _SKIPPED_TAGS:
        return
    attrs = node.attributes
    if _SKIPPED_BOX.search((attrs.get("class") or "") + " " + (attrs.get("id") or "")):
        return
    text = (node.text() or "").strip()
    if not text:
        return
    if tag == "p" and len(text) > _BODY_TEXT:
        yield None
        return
    if _mostly_links(node, text):
        return  # other stories' headlines
    if len(text) <= _MAX_LINE:
        left[0] -= 1
        yield node, text
        if left[0] <= 0:
            yield None
        return
    for child in node.iter(include_text=True):
        for line in _lines(child, left):
            yield line
            if line is None:
                return


def _walk(page: PageIndex) -> Iterator[Line]:
    node = page.first("h1")
    left = [_MAX_LINES]
    for _ in range(3):
        if node is None:
            return
        sibling = node.next
        while sibling is not None:
            for line in _lines(sibling, left):
                if line is None:
                    return
                yield line
            sibling = sibling.next
        node = node.parent
        if node is None or node.tag in ("body", "html"):
            return


def header_lines(page: PageIndex) -> list[Line]:
    """The short boxes after the page's first <h1> (its later siblings, then its parents' up to three
    levels), up to the body's first paragraph; none on a page without an <h1>. Walked once a page."""
    if page not in _SEEN:
        _SEEN[page] = list(_walk(page))
    return _SEEN[page]


def is_sentence(line: str) -> bool:
    """A line of prose ("On 20 November 2026 the council voted ..."), not a dateline or a byline."""
    if line.endswith(("。", "！", "？")):
        return True
    return line.endswith((".", "!", "?")) and len(line.split(None, 6)) > 6
