"""Per-source CSS selectors (ExtractRules): remove, title, body, authors, published."""

from __future__ import annotations

from datetime import datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .boilerplate import drop_boilerplate_blocks
from .dates import parse_date
from .metadata import clean, split_names
from .render import render


def select(tree: LexborHTMLParser, selector: str | None) -> list[LexborNode]:
    """Matches of a selector; an invalid selector matches nothing rather than failing the page."""
    if not selector or not selector.strip():
        return []
    try:
        return list(tree.css(selector))
    except Exception:  # lexbor raises ValueError/SelectolaxError on bad syntax
        return []


def outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """The matches not inside another match, in the order given.

    A comma selector list returns its matches grouped by selector, not in document order, so
    nesting must be checked: freeing an ancestor first and then its (freed) descendant would crash.
    """
    ids = {node.mem_id for node in nodes}
    kept = []
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            kept.append(node)
    return kept


def apply_remove(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        for node in outermost(select(tree, selector)):
            node.decompose()


def rule_title(tree: LexborHTMLParser, selector: str | None) -> str:
    for node in select(tree, selector):
        text = clean(node.text())
        if text:
            return text
    return ""


def rule_body(tree: LexborHTMLParser, selector: str | None, title: str) -> str:
    blocks: list[str] = []
    for node in outermost(select(tree, selector)):  # rendering strips junk: nested matches could be freed
        blocks.extend(render(node))
    return "\n\n".join(drop_boilerplate_blocks(blocks, title))


def rule_authors(tree: LexborHTMLParser, selector: str | None) -> list[str]:
    names: list[str] = []
    for node in select(tree, selector):
        for name in split_names(node.text()):
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


def rule_published(tree: LexborHTMLParser, spec: str | None) -> datetime | None:
    """'time' (the element's text) or 'time@datetime' (an attribute's value)."""
    if not spec:
        return None
    selector, attribute = spec, None
    if "@" in spec:
        selector, attribute = (part.strip() for part in spec.rsplit("@", 1))
    for node in select(tree, selector):
        value = node.attributes.get(attribute) if attribute else node.text()
        found = parse_date(value)
        if found:
            return found
    return None
