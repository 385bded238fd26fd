"""The second, independent method for the main text: the densest run of text blocks over the page.

Body-text extraction in the manner of Finn et al. (BTE): the page becomes one sequence of blocks,
each worth its text minus its links minus a fixed cost; the article is the run of consecutive blocks
with the greatest total (maximum subarray, one linear pass). It shares nothing with the container
scorer (no class names, no candidate containers), so when the two disagree one of them failed.

Only run on pages where the scorer's answer looks too short (see __init__.py); it parses the page
afresh because the scorer's cleaning changed the first tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .boilerplate import drop_boilerplate_blocks, is_boilerplate_attr
from .content import unlikely_name
from .render import MARK, effective_length, strip_junk
from .rules import apply_remove

_LINK = "\ue001"  # before and after every link's text
_OPEN, _CLOSE = "\ue002", "\ue003"  # around a box named as boilerplate
_BLOCKS = (
    ":is(p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, div, section, article, main, tr, br, dd, dt,"
    " ul, ol, dl, table, address, hr, figure, header, footer, aside, caption, summary, details, center,"
    " figcaption, form, fieldset, td, th)"
)
# One selector: each element once, in document order (a comma list repeats an element for each part it
# matches, and a repeat was marked twice over).
_REGIONS = ":is(aside, footer, header, nav, menu, [class], [id], [role])"
BLOCK_COST = 30  # what a block must hold (in effective characters) to add to the run


@dataclass
class Block:
    text: str
    length: int  # effective characters
    linked: int  # effective characters inside links
    region: int = -1  # which box named as boilerplate holds it (-1: none)

    @property
    def value(self) -> float:
        if self.region >= 0:
            return -BLOCK_COST - self.length  # never what extends a run: at most what a run crosses
        return self.length - 4 * self.linked - BLOCK_COST

    @property
    def link_density(self) -> float:
        return self.linked / self.length if self.length else 0.0


def _mark_regions(root: LexborNode) -> None:
    """Mark the outermost boxes named as comments, sidebars, related, share, ads (or by their tag)."""
    # Whether each node seen is marked or inside a marked box. Document order (an ancestor comes
    # before its descendants) makes an ancestor's answer final once known: a walk up stops at the
    # first known one, not at the root.
    covered: dict[int, bool] = {}
    for node in root.css(_REGIONS):
        path = []
        parent = node.parent
        while parent is not None and parent.mem_id not in covered:
            path.append(parent.mem_id)
            parent = parent.parent
        inside = parent is not None and covered[parent.mem_id]
        for key in path:
            covered[key] = inside
        if not inside:
            attrs = node.attributes
            named = node.tag in ("aside", "footer", "header", "nav", "menu") or is_boilerplate_attr(attrs)
            if named or unlikely_name(attrs.get("class") or "", attrs.get("id") or ""):
                inside = True
                node.insert_before(_OPEN)
                node.insert_after(_CLOSE)
        covered[node.mem_id] = inside


_BREAKS = frozenset((MARK, _OPEN, _CLOSE))
_SPLIT = re.compile(f"([{MARK}{_LINK}{_OPEN}{_CLOSE}])")  # stdlib re: faster, same split


def blocks_of(root: LexborNode) -> list[Block]:
    """The node's text as blocks in document order: how much of each is link text, which named box
    holds it. A named box holding half the page's prose is no boilerplate: its name misled."""
    _mark_regions(root)
    for link in root.css("a"):
        link.insert_before(_LINK)
        link.insert_after(_LINK)
    for block in root.css(_BLOCKS):
        block.insert_before(MARK)
        block.insert_after(MARK)
    text = " ".join(root.text().replace("\u200b", "").split())
    out: list[Block] = []
    in_link, region, regions = False, -1, 0  # carried across blocks: a link may wrap a teaser card
    parts: list[str] = []
    linked = 0
    for token in _SPLIT.split(text):
        if token in _BREAKS:
            if parts:  # (no parts: nothing to close, and no linked text either)
                _close_block(out, parts, linked, region)
                parts, linked = [], 0
            if token == _OPEN:
                region, regions = regions, regions + 1
            elif token == _CLOSE:
                region = -1
        elif token == _LINK:
            in_link = not in_link
        elif token and (parts or token != " "):  # a block's leading space is dropped anyway
            parts.append(token)
            if in_link:
                linked += effective_length(token.strip())
    _close_block(out, parts, linked, region)
    _clear_misnamed(out)
    return out


def _close_block(out: list[Block], parts: list[str], linked: int, region: int) -> None:
    clean = " ".join("".join(parts).split())
    if clean:
        length = effective_length(clean)
        out.append(Block(clean, length, min(linked, length), region))


def _clear_misnamed(blocks: list[Block]) -> None:
    """A named box holding half the page's prose (blocks of 150+) is the article, whatever its name."""
    prose: dict[int, int] = {}
    for block in blocks:
        if block.length >= 150:
            prose[block.region] = prose.get(block.region, 0) + block.length
    total = sum(prose.values())
    cleared = {region for region, mass in prose.items() if region >= 0 and mass >= total * 0.5}
    for block in blocks:
        if block.region in cleared:
            block.region = -1


def densest_run(blocks: list[Block]) -> list[Block]:
    """The consecutive blocks of greatest total value (Kadane's maximum subarray)."""
    best, best_span = 0.0, (0, 0)
    running, start = 0.0, 0
    for index, block in enumerate(blocks):
        if running <= 0:
            running, start = 0.0, index
        running += block.value
        if running > best:
            best, best_span = running, (start, index + 1)
    return blocks[best_span[0] : best_span[1]]


def fallback_body(html: str, title: str, remove: tuple[str, ...] = ()) -> str:
    """The main text by block density over the whole page, or "". `remove`: a source's removals."""
    tree = LexborHTMLParser(html)
    if remove:
        apply_remove(tree, remove)
    root = tree.body
    if root is None:
        return ""
    strip_junk(root)
    run = [b for b in densest_run(blocks_of(root)) if b.link_density <= 0.5]
    return "\n\n".join(drop_boilerplate_blocks([b.text for b in run], title))
