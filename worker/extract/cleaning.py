"""Cleaning the chosen container: boilerplate boxes by tag, by class/id hints, link lists."""

from __future__ import annotations

import re
from collections.abc import Callable

from selectolax.lexbor import LexborNode

from .boilerplate import correction_note, is_boilerplate_attr
from .render import effective_length

# Removed inside the chosen container only (a page may wrap everything in one of these).
_JUNK_INSIDE = frozenset(("aside", "figure", "figcaption", "footer", "header", "form", "menu"))
# One selector, so results come once each and in document order (a comma list repeats matches).
_CLEAN_QUERY = (
    ":is(aside, figure, figcaption, footer, header, form, menu, [class], [id], [role], [hidden], [aria-hidden])"
    # Links, images, list items and inline formatting are judged with their box, not one by one.
    ":not(a, img, picture, source, i, b, em, strong, sup, sub, small, abbr, time, label, br, hr, li)"
)
_LINK_HOLDERS = ":is(ul, ol, dl, div, section, table, p):has(a)"  # one selector: document order


def link_density(node: LexborNode, text_len: int | None = None) -> float:
    """Share of the node's text inside links; scripts and styles (not yet stripped) do not count."""
    if text_len is None:
        text_len = len(node.text()) - sum(len(junk.text()) for junk in node.css("script, style, noscript"))
    total = text_len
    if total <= 0:
        return 0.0
    linked = sum(len(a.text()) for a in node.css("a"))
    return min(linked / total, 1.0)


def ancestor_ids(node: LexborNode) -> list[int]:
    ids = []
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        ids.append(parent.mem_id)
        parent = parent.parent
    return ids


def _remove(nodes: list[LexborNode]) -> None:
    # Reverse document order: descendants go before their ancestors, so no freed node is touched.
    for node in reversed(nodes):
        node.decompose()


def clean_container(node: LexborNode, core: LexborNode | None = None) -> None:
    """Drop boilerplate inside the chosen container: junk tags, hinted classes, link lists.

    `core` (the best-scoring block) and its ancestors are never dropped, whatever their names, nor is
    a box holding half the container's text, or half the core's text when inside the core.
    """
    total = len(node.text()) or 1
    keep = {core.mem_id, *ancestor_ids(core)} if core is not None else set()
    core_half = len(core.text()) * 0.5 if core is not None else total

    prose_total: list[int] = []  # the container's prose, measured once and only when needed

    def small(child: LexborNode, size: int) -> bool:
        if size >= total * 0.5:
            return False
        if size >= total * 0.2:
            # A box holding most of the container's paragraphs is the body, whatever its name
            # ("banners-contenido-nota": the CMS's name for the article's text with its ad slots).
            if not prose_total:
                prose_total.append(_prose(node))
            if _prose(child) >= prose_total[0] * 0.5 > 0:
                return False
        return size < core_half or core is None or not _inside(child, core.mem_id, node.mem_id)

    spared: list[LexborNode] = []  # headers kept for their lead: their kicker, byline and date go
    doomed = [child for child in node.css(_CLEAN_QUERY) if child.mem_id not in keep and _junk(child, spared)]
    def goes(child: LexborNode) -> bool:
        size = len(child.text())
        # a box holding a correction or update note stays (judged for the outermost boxes only: few)
        return small(child, size) and (size > _NOTE_BOX or not _note_box(child))

    removed = _outermost(doomed, node, goes)
    if (
        total > 1000
        and total - sum(len(child.text()) for child in removed) < total * 0.1
        and not _prose_left(node, removed)
    ):
        # Boxes named as boilerplate would leave the container next to empty: the names misled (a
        # forum thread's posts are "comments"); only what is junk by its tag or hidden goes.
        removed = [child for child in removed if child.tag in _JUNK_INSIDE or _hidden(child.attributes)]
    gone = {child.mem_id for child in removed}
    spared = [h for h in spared if h.mem_id not in gone and gone.isdisjoint(ancestor_ids(h))]
    _remove(removed)
    for header in reversed(spared):  # a header inside another is pruned before the outer one may free it
        _remove([child for child in header.iter() if child.is_element_node and not _lead_part(child)])
    linky = [child for child in node.css(_LINK_HOLDERS) if child.mem_id not in keep]
    _remove(_outermost(linky, node, lambda child: _link_list(child, small)))


def _inside(node: LexborNode, ancestor_id: int, stop_id: int) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id != stop_id:
        if parent.mem_id == ancestor_id:
            return True
        parent = parent.parent
    return False


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def _lead_part(node: LexborNode) -> bool:
    """What of an article header is text: its headings (the title is dropped later) and prose."""
    if node.tag in _HEADINGS:
        return True
    text = node.text().strip()
    return (effective_length(text) >= 80 and link_density(node, len(text)) < 0.2) or (len(text) <= _NOTE_BOX and correction_note(text))


_SCREEN_READER_RE = re.compile(r"sr-only|visually-?hidden|screen-?reader|offscreen|element-invisible")


def _prose(node: LexborNode) -> int:
    """Effective characters in the node's paragraphs of 80 or more."""
    return sum(length for p in node.css("p") if (length := effective_length(p.text())) >= 80)


def _prose_left(node: LexborNode, removed: list[LexborNode]) -> bool:
    """Whether a paragraph of prose stays in the node once the removed boxes are gone."""
    gone = {child.mem_id for child in removed}
    for p in node.css("p"):
        text = p.text()
        if effective_length(text) >= 100 and gone.isdisjoint(ancestor_ids(p)) and p.mem_id not in gone:
            return True
    return False


def _hidden(attrs: dict) -> bool:
    return "hidden" in attrs or attrs.get("aria-hidden") == "true"


def _junk(node: LexborNode, spared: list[LexborNode]) -> bool:
    attrs = node.attributes
    if _hidden(attrs):
        return True
    tag = node.tag
    if tag in _HEADINGS:
        return False  # a sub-heading's id or class ("nav-point-3", "header-12") names an anchor, not a box
    if tag == "span":
        parent = node.parent
        if parent is not None and parent.tag == "p":
            # words of a running sentence ("<span class=dateline>KOBE –</span> A total of..."): only hidden ones go
            return _SCREEN_READER_RE.search((attrs.get("class") or "").lower()) is not None
    if _lead_header(node, tag, attrs):
        spared.append(node)
        return False  # an article's header with its lead paragraph
    if tag in _JUNK_INSIDE:
        return True
    if not is_boilerplate_attr(attrs):
        return False
    ident = attrs.get("id")
    if ident and "-" in ident and _heading_anchor(node, ident):
        # a section whose id is its heading's slug ("sharing-with-a-developer"): judge it by its class
        return is_boilerplate_attr({key: value for key, value in attrs.items() if key != "id"})
    return True


_NOTE_BOX = 1500  # characters: a correction box is a paragraph or two, never a comments section


def _note_box(node: LexborNode) -> bool:
    """A box (an <aside>, a <footer>, a "disclaimer") holding a correction or update note: kept."""
    text = node.text(separator="\n")
    return len(text) <= _NOTE_BOX and correction_note(text.strip())


_SLUG_RE = re.compile(r"[\W_]+")


def _heading_anchor(node: LexborNode, ident: str) -> bool:
    heading = node.css_first("h1, h2, h3, h4, h5, h6")
    if heading is None:
        return False
    slug = _SLUG_RE.sub("-", heading.text().casefold()).strip("-")
    return bool(slug) and (slug.startswith(ident.casefold()) or ident.casefold().startswith(slug))


def lead_header(node: LexborNode) -> bool:
    """A header (by tag or name) holding a paragraph of prose: the article's title block with its lead."""
    return _lead_header(node, node.tag, node.attributes)


def _lead_header(node: LexborNode, tag: str | None, attrs: dict) -> bool:
    named = (
        tag == "header"
        or "header" in (attrs.get("class") or "").lower()
        or "header" in (attrs.get("id") or "").lower()
    )
    return named and (has_prose(node) or _lead_text(node))


def _lead_text(node: LexborNode) -> bool:
    """A lead written in a <div> or a sub-heading rather than a <p> ("summary", "Post__lead")."""
    for block in node.css("div, h2, h3"):
        text = block.text(deep=False, strip=True)
        if len(text) >= 34 and effective_length(text) >= 100:
            return True
    return False


def has_prose(node: LexborNode) -> bool:
    """A paragraph of 100 characters or more, few of them in links."""
    for p in node.css("p"):
        text = p.text()
        if len(text) >= 34 and effective_length(text) >= 100 and link_density(p, len(text)) < 0.2:
            return True
    return False


def _link_list(node: LexborNode, small: Callable[[LexborNode, int], bool]) -> bool:
    """A list of links (navigation, related stories), unless it is half the text (a link roll post)."""
    text = node.text()
    if not text.strip() or not small(node, len(text)):
        return False
    return link_density(node, len(text)) > (0.5 if node.tag != "p" else 0.8)


def _outermost(
    nodes: list[LexborNode], root: LexborNode, accept: Callable[[LexborNode], bool]
) -> list[LexborNode]:
    """The accepted nodes (given in document order), skipping any inside one already accepted.

    So no returned node contains another (safe to free), and nested boxes of a dropped box cost
    no text() of their own.
    """
    accepted: set[int] = set()
    out = []
    for child in nodes:
        parent = child.parent
        while parent is not None and parent.mem_id not in accepted and parent.mem_id != root.mem_id:
            parent = parent.parent
        if parent is not None and parent.mem_id in accepted:
            continue
        if accept(child):
            accepted.add(child.mem_id)
            out.append(child)
    return out
