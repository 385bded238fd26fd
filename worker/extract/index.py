"""One pass of lexbor's selector engine over the page, shared by every consumer.

Each whole-page query costs about as much as the next (a walk over every node), so the elements
that metadata and content scoring need are fetched together once and bucketed by tag.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

_QUERY = ":is(meta, script, title, h1, link, time, p, pre)"


class PageIndex:
    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        self.by_tag: dict[str, list[LexborNode]] = {}
        for node in tree.css(_QUERY):
            tag = node.tag or ""
            if tag in self.by_tag:
                self.by_tag[tag].append(node)
            else:
                self.by_tag[tag] = [node]

    def all(self, tag: str) -> list[LexborNode]:
        return self.by_tag.get(tag, [])

    def first(self, tag: str) -> LexborNode | None:
        nodes = self.by_tag.get(tag)
        return nodes[0] if nodes else None

    def headings(self) -> tuple[str, ...]:
        """The page's <title> text ("" when none; an SVG's <title> is not the page's), then its <h1>s'."""
        title = next((n for n in self.all("title") if not _in_svg(n)), None)
        return (title.text() if title is not None else "", *(h.text() for h in self.all("h1")))

    def paragraphs(self) -> list[tuple[LexborNode, str]]:
        """<p> and <pre> with their text: the scorer's paragraph candidates (scores are sums: order is
        moot). Each text is read once here for the paragraph mass, the scorer and its rival check;
        valid while the tree is unchanged."""
        return [(node, node.text()) for node in (*self.all("p"), *self.all("pre"))]


def _in_svg(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "svg":
            return True
        parent = parent.parent
    return False
