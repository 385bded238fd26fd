"""The main text: score candidate containers, clean the winner, render its blocks as paragraphs.

Readability-style: every paragraph-like element scores itself (length, commas) and passes the
score up to its ancestors; class/id hints and link density weigh the candidates; siblings of the
winner that look like article text join it. Heavy lifting (selectors, text) stays in lexbor's C
code: Python touches paragraphs and candidates, not every node of the page.
"""

from __future__ import annotations

import re
from html import unescape as html_unescape

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .boilerplate import drop_boilerplate_blocks, is_boilerplate_attr

# Never part of an article's text; removed from the whole tree before scoring.
JUNK_TAGS = [
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "video",
    "audio", "button", "select", "input", "textarea", "nav", "head", "dialog", "map", "link", "meta",
]  # fmt: skip
# Removed inside the chosen container only (a page may wrap everything in one of these).
_CONTAINER_JUNK = "aside, figure, figcaption, footer, header, form, menu, [hidden], [aria-hidden=true]"
_PARAGRAPHS = "p, pre, td"
_TEXT_HOLDERS = "div, section, article, main, center"
_LINK_HOLDERS = ", ".join(f"{tag}:has(a)" for tag in ("ul", "ol", "dl", "div", "section", "table", "p"))
BLOCK_TAGS = (
    "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, div, section, article, main, tr, br, dd, dt, "
    "ul, ol, dl, table, address, hr, figure, header, footer, aside, caption, summary, details, center"
)
MARK = "\ue000"  # private-use character: splits the container's text into blocks

_POSITIVE_RE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|rich-?text"
)
_NEGATIVE_RE = re.compile(
    r"-ad-|hidden|^hid$|banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media|"
    r"meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|"
    r"widget|nav|menu|cookie|newsletter|subscribe|recommend|teaser|caption"
)  # both matched against lower-cased values, without re.I (much faster)
_TAG_WEIGHT = {
    "div": 5, "article": 8, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
    "form": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "address": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5, "header": -5, "footer": -10,
}  # fmt: skip
_COMMAS_RE = re.compile(r"[,，、،]")


def class_weight(node: LexborNode) -> int:
    attrs = node.attrs
    weight = 0
    for value in (attrs.get("class"), attrs.get("id")):
        if value:
            value = value.lower()
            if _NEGATIVE_RE.search(value):
                weight -= 25
            if _POSITIVE_RE.search(value):
                weight += 25
    if attrs.get("itemprop") == "articleBody":
        weight += 50
    return weight


def link_density(node: LexborNode, text_len: int | None = None) -> float:
    total = len(node.text()) if text_len is None else text_len
    if not total:
        return 0.0
    linked = sum(len(a.text()) for a in node.css("a"))
    return min(linked / total, 1.0)


class _Scores:
    """Candidate containers by lexbor node identity, with their accumulated scores."""

    def __init__(self) -> None:
        self.nodes: dict[int, LexborNode] = {}
        self.scores: dict[int, float] = {}

    def add(self, node: LexborNode, amount: float) -> None:
        key = node.mem_id
        if key not in self.scores:
            self.nodes[key] = node
            self.scores[key] = _TAG_WEIGHT.get(node.tag or "", 0) + class_weight(node)
        self.scores[key] += amount


def _paragraphs(root: LexborNode) -> list[tuple[LexborNode, str]]:
    found = [(node, node.text()) for node in root.css(_PARAGRAPHS)]
    for node in root.css(_TEXT_HOLDERS):
        own = node.text(deep=False, strip=True)
        if len(own) >= 25:
            found.append((node, own))
    return found


def score_candidates(root: LexborNode) -> _Scores:
    scores = _Scores()
    for node, text in _paragraphs(root):
        length = len(text.strip())
        if length < 25:
            continue
        score = 1 + len(_COMMAS_RE.findall(text)) + min(length / 100, 3.0)
        ancestor, level = node.parent, 0
        while ancestor is not None and level < 5 and ancestor.tag not in ("html", None, "-undef"):
            scores.add(ancestor, score / (1 if level == 0 else 2 if level == 1 else level * 3))
            ancestor, level = ancestor.parent, level + 1
    return scores


def _best(scores: _Scores) -> tuple[LexborNode | None, float]:
    top = sorted(scores.scores.items(), key=lambda item: item[1], reverse=True)[:5]
    best: LexborNode | None = None
    best_score = 0.0
    for key, raw in top:
        node = scores.nodes[key]
        final = raw * (1 - link_density(node))
        scores.scores[key] = final
        if final > best_score:
            best, best_score = node, final
    return best, best_score


def _with_siblings(top: LexborNode, top_score: float, scores: _Scores) -> list[LexborNode]:
    parent = top.parent
    if parent is None or parent.tag in ("html", "body"):
        return [top]
    threshold = max(10.0, top_score * 0.2)
    chosen = []
    for sibling in parent.iter():
        if sibling.mem_id == top.mem_id:
            chosen.append(sibling)
            continue
        if is_boilerplate_attr(sibling.attributes):
            continue
        score = scores.scores.get(sibling.mem_id)
        if score is not None and score * (1 - link_density(sibling)) >= threshold:
            chosen.append(sibling)
        elif sibling.tag == "p":
            text = sibling.text()
            density = link_density(sibling, len(text))
            if (len(text) > 80 and density < 0.25) or (0 < len(text) <= 80 and density == 0 and ". " in text):
                chosen.append(sibling)
    return chosen


def _remove(nodes: list[LexborNode]) -> None:
    # Reverse document order: descendants go before their ancestors, so no freed node is touched.
    for node in reversed(nodes):
        node.decompose()


def clean_container(node: LexborNode) -> None:
    """Drop boilerplate inside the chosen container: junk tags, hinted classes, link lists."""
    total = len(node.text()) or 1
    doomed = []
    for child in node.css(_CONTAINER_JUNK):
        doomed.append(child)
    for child in node.css("[class], [id], [role]"):
        if is_boilerplate_attr(child.attrs) and len(child.text()) < total * 0.5:
            doomed.append(child)
    _remove(_unique_in_order(doomed))
    doomed = []
    for child in node.css(_LINK_HOLDERS):
        text = child.text()
        if text.strip() and link_density(child, len(text)) > (0.5 if child.tag != "p" else 0.8):
            doomed.append(child)
    _remove(doomed)


def _unique_in_order(nodes: list[LexborNode]) -> list[LexborNode]:
    seen: set[int] = set()
    out = []
    for node in nodes:
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            out.append(node)
    # css() results of two queries are each in document order; merge them by position.
    order = {n.mem_id: i for i, n in enumerate(out)}
    return sorted(out, key=lambda n: (_depth_key(n), order[n.mem_id]))


def _depth_key(node: LexborNode) -> int:
    depth = 0
    parent = node.parent
    while parent is not None:
        depth += 1
        parent = parent.parent
    return depth


def render(node: LexborNode) -> list[str]:
    """The node's text as a list of paragraphs (one per block element), whitespace collapsed."""
    for block in node.css(BLOCK_TAGS):
        block.insert_before(MARK)
        block.insert_after(MARK)
    for cell in node.css("td, th"):
        cell.insert_after(" ")
    blocks = []
    for part in node.text().split(MARK):
        part = " ".join(part.replace("\u200b", "").split())
        if part:
            blocks.append(part)
    return blocks


def generic_body(tree: LexborHTMLParser, title: str) -> str:
    """The article text found by scoring, or "" when the page has no article-like block."""
    root = tree.body
    if root is None:
        return ""
    scores = score_candidates(root)
    top, top_score = _best(scores)
    if top is None:
        return ""
    blocks: list[str] = []
    for node in _with_siblings(top, top_score, scores):
        if node.tag != "p":
            clean_container(node)
        blocks.extend(render(node))
    return "\n\n".join(drop_boilerplate_blocks(blocks, title))


_WORD_RE = re.compile(r"\w+")
_TAG_RE = re.compile(r"<[^>]{0,500}>")


def _ld_paragraphs(body: str) -> str:
    if "<" in body and _TAG_RE.search(body):
        # Some CMSs put HTML into articleBody: render it like any other fragment.
        body = "\n".join(render(LexborHTMLParser(body).body or LexborHTMLParser("").root))
    parts = (" ".join(line.split()) for line in body.replace("\r", "\n").split("\n"))
    return "\n\n".join(part for part in parts if part)


def ld_body_if_better(dom_text: str, ld_body: str | None) -> str:
    """JSON-LD articleBody when it is the complete text and the DOM candidate is not.

    articleBody is often a truncated teaser, so it only wins when it is clearly longer than what the
    DOM gave and covers most of it (the same article, not another text).
    """
    if not ld_body or len(ld_body) < 100:
        return dom_text
    ld_text = _ld_paragraphs(html_unescape(ld_body))
    if not dom_text:
        return ld_text
    if ld_text.rstrip().endswith(("...", "…")) or len(ld_text) < len(dom_text) * 1.15:
        return dom_text
    ld_words = set(_WORD_RE.findall(ld_text.casefold()))
    dom_words = _WORD_RE.findall(dom_text.casefold())
    covered = sum(1 for w in dom_words if w in ld_words) / max(len(dom_words), 1)
    return ld_text if covered >= 0.8 else dom_text
