"""The main text: score candidate containers, clean the winner, render its blocks as paragraphs.

Readability-style: every paragraph-like element scores itself (length, commas) and passes the
score up to its ancestors; class/id hints and link density weigh the candidates; siblings of the
winner that look like article text join it. Heavy lifting (selectors, text) stays in lexbor's C
code: Python touches paragraphs and candidates, not every node of the page.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .boilerplate import KEEP_RE as _KEEP_RE
from .boilerplate import drop_boilerplate_blocks, is_boilerplate_attr, literal_alternation
from .cleaning import ancestor_ids, clean_container, has_prose, lead_header, link_density
from .render import effective_length, render, strip_junk

_PARAGRAPHS = "p, pre"
_TEXT_HOLDERS = ":is(td, div, section, article, main, center)"
_INLINE_HOLDERS = "span, font, em, strong, b, i"
_INLINE_TAGS = frozenset("span font em strong b i a u small big sup sub abbr cite q mark time".split())

_POSITIVE_RE = re.compile(
    literal_alternation(
        "article body content entry hentry h-entry main page post text blog story prose richtext rich-text".split()
    )
)
_NEGATIVE_RE = re.compile(
    literal_alternation(
        """-ad- hidden banner combx comment com- contact foot footer footnote gdpr masthead media meta
        outbrain promo related scroll share shoutbox sidebar skyscraper sponsor shopping tags tool widget
        nav menu cookie newsletter subscribe recommend teaser caption""".split()
    )
    + "|^hid$"
)  # both matched against lower-cased values (re.I makes alternations much slower)
_TAG_WEIGHT = {
    "div": 5, "article": 8, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
    "form": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "address": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5, "header": -5, "footer": -10,
}  # fmt: skip


def class_weight(node: LexborNode) -> int:
    attrs = node.attributes  # one dict from C; LexborAttributes.get is several times slower
    if not attrs:
        return 0
    classes, ident = attrs.get("class"), attrs.get("id")
    weight = _name_weight(classes or "", ident or "") if classes or ident else 0  # nothing named weighs 0
    if attrs.get("itemprop") == "articleBody":
        weight += 50
    return weight


@lru_cache(maxsize=8192)
def _name_weight(classes: str, ident: str) -> int:
    weight = 0
    for value in (classes.lower(), ident.lower()):
        if value:
            if _NEGATIVE_RE.search(value):
                weight -= 25
            if _POSITIVE_RE.search(value):
                weight += 25
    return weight


class _Scores:
    """Candidate containers by lexbor node identity, with their accumulated scores."""

    def __init__(self) -> None:
        self.nodes: dict[int, LexborNode] = {}
        self.scores: dict[int, float] = {}
        self.final: dict[int, float] = {}  # after the link-density penalty, for the best few
        self.core: LexborNode | None = None  # the best candidate before widening: never cleaned away
        self.prose = 0  # characters in the page's <p> of 80 or more


def _paragraphs(
    root: LexborNode, inline: bool, paragraphs: list[tuple[LexborNode, str]] | None
) -> list[tuple[LexborNode, str, bool]]:
    """(element, its text, whether it holds the text itself rather than being a <p>)."""
    texts = [(node, node.text()) for node in root.css(_PARAGRAPHS)] if paragraphs is None else paragraphs
    found = [(node, text, False) for node, text in texts if len(text) >= 25 or short_prose(text)]
    if not inline:
        total = sum(len(text) for _, text, _ in found)
        if total > 2000:
            if total > 5000:
                return found
            whole = len(root.text())
            if total * 10 >= whole or total * 10 >= _visible_length(root, whole):
                return found  # plenty of <p> text: cells and divs holding text of their own are not worth the scan
            inline = True  # nearly all the page's text is outside <p>: lines of <div>/<span> (serial fiction, forums)
    for node in root.css(_TEXT_HOLDERS):
        # A table cell counts its own text only (in layout tables a cell holds the whole page), and
        # as a paragraph of its row; a div with text of its own is that text's container.
        own = node.text(deep=False, strip=True)
        if len(own) >= 25 or short_prose(own):
            found.append((node, own, node.tag != "td"))
    if inline:
        # Text inside <span>/<font> soup (old blog templates): the span counts as a paragraph.
        for node in root.css(_INLINE_HOLDERS):
            own = node.text(deep=False, strip=True)
            if len(own) >= 25 or short_prose(own):
                # The nearest block around the span plays the paragraph.
                block = node.parent
                while block is not None and block.tag in _INLINE_TAGS:
                    node, block = block, block.parent
                found.append((block or node, own, False))
    return found


def _visible_length(root: LexborNode, whole: int) -> int:
    """The node's text (`whole` characters) less its scripts, styles and templates (data payloads can
    dwarf the prose)."""
    hidden = sum(len(node.text()) for node in root.css("script, style, noscript, template"))
    return whole - hidden


# Commas of other scripts, and the space that parts Thai clauses (Thai writes neither commas nor stops).
_OTHER_COMMAS = re.compile("[，、،၊፣]")
_THAI = re.compile("[\u0e00-\u0e7f]")
_THAI_CLAUSE = re.compile("(?<=[\u0e00-\u0e7f]) (?=[\u0e00-\u0e7f])")


def short_prose(text: str) -> bool:
    """Under 25 characters, yet 25 effective ones (a line of Han, kana or Hangul): a paragraph too."""
    return len(text) >= 9 and not text.isascii() and effective_length(text) >= 25


def prose_length(text: str) -> int:
    """Effective characters of a paragraph of prose (80 or more), else 0."""
    if len(text) < 27:
        return 0  # (never 80 effective characters)
    length = len(text) if text.isascii() else effective_length(text)
    return length if length >= 80 else 0


_PIECES = frozenset(("tr", "tbody", "thead", "tfoot", "li", "dd", "dt"))
_DIVIDERS = (1.0, 2.0, 6.0, 9.0, 12.0)  # readability: parent, grandparent, then level * 3


def score_candidates(
    root: LexborNode, inline: bool = False, paragraphs: list[tuple[LexborNode, str]] | None = None
) -> _Scores:
    """Candidates and scores; `paragraphs` are the page's p/pre with their text when already read."""
    scores = _Scores()
    totals = scores.scores
    # first container -> its chain of (key, divider), shared by sibling paragraphs
    chains: dict[int, list[tuple[int, float]]] = {}
    found = _paragraphs(root, inline, paragraphs)
    for node, text, holder in found:
        # effective characters: a Japanese paragraph weighs what the same content in English weighs
        shown = text if text[:1].isalnum() and text[-1:].isalnum() else text.strip()
        length = len(shown) if shown.isascii() else effective_length(shown)  # (no call for ASCII: most text)
        if length >= 80 and not holder:
            scores.prose += length
        if length < 25:
            continue
        commas = text.count(",")
        if not text.isascii():
            commas += len(_OTHER_COMMAS.findall(text))
            if _THAI.search(text):
                commas += len(_THAI_CLAUSE.findall(text))
        if commas >= 8 and not holder:
            commas *= 1 - link_density(node, len(text))  # a comma-separated list of links (tags, names)
        score = 1 + commas + min(length / 100, 3.0)
        # Text written straight into a <div> (lines split by <br>) makes the div its own container.
        first = node if holder else node.parent
        if first is None:
            continue
        chain = chains.get(first.mem_id)
        if chain is None:
            chain = chains[first.mem_id] = list(zip(_chain(first, scores), _DIVIDERS, strict=False))
        for key, divider in chain:
            totals[key] += score / divider
    return scores


def _chain(node: LexborNode | None, scores: _Scores) -> list[int]:
    """Keys of the node and its next four ancestors, registering each as a candidate."""
    keys = []
    known = scores.scores
    while node is not None and len(keys) < 5:
        tag = node.tag
        if tag in ("html", None, "-undef"):
            break
        key = node.mem_id
        if key not in known:
            scores.nodes[key] = node
            known[key] = _TAG_WEIGHT.get(tag or "", 0) + class_weight(node)
        keys.append(key)
        node = node.parent
    return keys


# Whole class/id segments (split on - and _) that name a non-article box; the first group also as a
# prefix of a segment ("commentlist", "relatedarticles").
_UNLIKELY_PREFIXES = ("comment", "sidebar", "related", "recommend", "outbrain", "taboola", "disqus",
                      "newsletter", "breadcrumb", "sponsor", "mostread", "mostpopular")  # fmt: skip
_UNLIKELY_WORDS = frozenset(
    "footer promo modal popup cookie cookies popular trending share sharing social masthead "
    "menu nav navbar navigation banner overlay lightbox colophon dialog consent gdpr dsgvo".split()
)
_UNLIKELY_TAGS = frozenset(("footer", "aside", "nav", "dialog"))
_STATE_PREFIX_RE = re.compile(
    r"^(?:has|with|no|non|is|show|hide|js|enable|enabled)[-_]|[-_](?:enabled|active|open|visible|sticky)$"
)
_SEGMENT_RE = re.compile(r"[-_]+")


def unlikely(node: LexborNode, levels: int = 3) -> bool:
    """The node or one of its nearest ancestors is named as comments, sidebar, related box...

    Narrower than the in-article boilerplate test: CMSs put "author-x", "tag-y" on the article itself.
    """
    for _ in range(levels + 1):
        if node is None:
            return False
        tag = node.tag
        if tag in ("body", "html"):
            return False
        if tag in _UNLIKELY_TAGS:
            return True
        attrs = node.attributes
        if attrs:
            classes, ident = attrs.get("class"), attrs.get("id")
            if (classes or ident) and unlikely_name(classes or "", ident or ""):  # ("", ""): never
                return True
        node = node.parent
    return False


@lru_cache(maxsize=8192)
def unlikely_name(classes: str, ident: str) -> bool:
    value = f"{classes} {ident}".lower()
    if _KEEP_RE.search(value):
        return False
    for token in value.split():
        if _STATE_PREFIX_RE.search(token) or "layout" in token:
            continue  # "has-sidebar", "no-comments": a state of the page, not the box's name
        segments = _SEGMENT_RE.split(token)
        if "content" in segments and "sidebar" in segments[segments.index("content") + 1 :]:
            continue  # "content-sidebar-wrap": the wrapper of the content and its sidebar, a layout
        for segment in segments:
            if segment in _UNLIKELY_WORDS or (
                segment.startswith(_UNLIKELY_PREFIXES) and not segment.startswith("commentar")
            ):
                return True  # ("commentary" is an opinion piece, not comments)
    return False


def _best(scores: _Scores) -> tuple[LexborNode | None, float]:
    """Readability's choice: best final score, then moved up where the content spreads wider."""
    raw = sorted(scores.scores.items(), key=lambda item: item[1], reverse=True)[:10]
    final: list[tuple[float, int]] = []
    leader = 0.0
    for key, value in raw:
        # The penalty only lowers scores: once raw scores fall below what could still matter, stop.
        if value < leader * 0.75:
            break
        node = scores.nodes[key]
        if not unlikely(node):
            final.append((value * (1 - link_density(node)), key))
            leader = max(leader, final[-1][0])
    if not final and raw:
        # Nothing but boxes named as unlikely: the page shows only that (a consent wall's notice, a
        # comment thread), which is its text; telling walls from articles is the classifier's job.
        key = raw[0][0]
        final.append((raw[0][1] * (1 - link_density(scores.nodes[key])), key))
    if not final:
        return None, 0.0
    final.sort(reverse=True)
    for value, key in final:
        scores.final[key] = value
    best_score, best_key = final[0]
    best = scores.nodes[best_key]
    scores.core = best
    best = _unify(best, best_score, [scores.nodes[k] for v, k in final[1:5] if v >= best_score * 0.75])
    best = _climb(best, scores)
    return best, scores.final.get(best.mem_id, scores.scores.get(best.mem_id, best_score))


def _unify(best: LexborNode, best_score: float, close: list[LexborNode]) -> LexborNode:
    """When three or more near-equal candidates share an ancestor, the article is that ancestor."""
    if len(close) < 3:
        return best
    lists = [set(ancestor_ids(node)) for node in close]
    ancestor = best.parent
    while ancestor is not None and ancestor.tag not in ("body", "html"):
        if sum(1 for ids in lists if ancestor.mem_id in ids) >= 3:
            return ancestor
        ancestor = ancestor.parent
    return best


def _climb(best: LexborNode, scores: _Scores) -> LexborNode:
    """Go up while the parent scores higher (more content lurks beside us) or is a mere wrapper."""
    # A table row or list item is a piece of a container, never the article itself.
    while best.tag in _PIECES and best.parent is not None and best.parent.tag not in ("body", "html"):
        best = best.parent
    last = scores.scores.get(best.mem_id, 0.0)
    threshold = last / 3
    parent = best.parent
    while parent is not None and parent.tag not in ("body", "html"):
        score = scores.scores.get(parent.mem_id)
        if score is None:
            parent = parent.parent
            continue
        if score < threshold:
            break
        if score > last:
            best = parent
            break
        last = score
        parent = parent.parent
    # A lone child's parent holds exactly the same content plus nothing: prefer the wider one.
    while best.parent is not None and best.parent.tag not in ("body", "html") and _only_child(best):
        best = best.parent
    return best


def _only_child(node: LexborNode) -> bool:
    parent = node.parent
    return parent is not None and sum(1 for child in parent.iter() if child.is_element_node) == 1


SIBLING_MAX_LINK_DENSITY = 0.33


def _with_siblings(top: LexborNode, top_score: float, scores: _Scores, leads: set[int]) -> list[LexborNode]:
    """The container with its siblings that are article text; `leads` gets the ids of prose boxes
    before it (a lead, standfirst or intro), of which only the sentences are kept."""
    parent = top.parent
    if parent is None or parent.tag in ("html", "body"):
        return [top]
    threshold = max(10.0, top_score * 0.2)
    chosen = []
    before = True  # still before the container: where a lead stands
    for sibling in parent.iter():
        if sibling.mem_id == top.mem_id:
            chosen.append(sibling)
            before = False
            continue
        if not sibling.is_element_node:
            continue
        if is_boilerplate_attr(sibling.attributes):
            if before and lead_header(sibling):
                leads.add(sibling.mem_id)
                chosen.append(sibling)
            continue
        score = scores.final.get(sibling.mem_id)
        if score is None and sibling.mem_id in scores.scores:
            score = scores.scores[sibling.mem_id] * (1 - link_density(sibling))
        # A link-heavy sibling is a rail (most read, related, teasers), however well its few
        # sentences score: taken in whole, its boxes would pass for "half the container" and stay.
        if score is not None and score >= threshold and link_density(sibling) < SIBLING_MAX_LINK_DENSITY:
            chosen.append(sibling)
        elif sibling.tag == "p":
            text = sibling.text()
            density, length = link_density(sibling, len(text)), effective_length(text)
            if (length > 80 and density < 0.25) or (
                0 < length <= 80 and density == 0 and _two_sentences(text)
            ):
                chosen.append(sibling)
        elif _continues(sibling, top):
            chosen.append(sibling)  # the body goes on in a box like the container's, past an ad or a promo
        elif before and _prose_box(sibling):
            leads.add(sibling.mem_id)
            chosen.append(sibling)
    return _cousins(top, parent, chosen)


def _two_sentences(text: str) -> bool:
    """A stop inside the text, not only at its end: in scripts that put no space after one too."""
    return ". " in text or _INNER_STOP.search(text.rstrip()[:-1]) is not None


_INNER_STOP = re.compile("[。！？؟।။።]")


def _continues(node: LexborNode, top: LexborNode) -> bool:
    return _same_box(node, top) and link_density(node) < SIBLING_MAX_LINK_DENSITY and has_prose(node)


def _cousins(top: LexborNode, parent: LexborNode, chosen: list[LexborNode]) -> list[LexborNode]:
    """Pieces of the body one level further apart: in wrappers of the parent's kind ("story-body-1" and
    "story-body-2", each in a "story-body-supplemental" with its own rail)."""
    grand = parent.parent
    if grand is None or grand.tag in ("html", "body") or not parent.attributes.get("class"):
        return chosen
    before: list[LexborNode] = []
    after: list[LexborNode] = []
    side = before
    for wrapper in grand.iter():
        if wrapper.mem_id == parent.mem_id:
            side = after
        elif wrapper.is_element_node and _same_kind(wrapper, parent):
            side.extend(child for child in wrapper.iter() if child.is_element_node and _continues(child, top))
    return [*before, *chosen, *after] if before or after else chosen


def _same_kind(node: LexborNode, other: LexborNode) -> bool:
    """Same tag, same classes but for their numbers ("story-body story-body-2")."""
    if node.tag != other.tag or node.tag not in _PROSE_TAGS:
        return False
    mine = node.attributes.get("class")
    return bool(mine) and _DIGITS_RE.sub("", mine) == _DIGITS_RE.sub("", other.attributes.get("class") or "")


def _same_box(node: LexborNode, top: LexborNode) -> bool:
    """Another piece of one body: a box of the container's kind that opens no story of its own."""
    return _same_kind(node, top) and node.css_first("h1, article") is None


_DIGITS_RE = re.compile(r"\d+")


_PROSE_TAGS = frozenset(("div", "section", "header", "blockquote", "h2", "h3", "h4"))


def _prose_box(node: LexborNode) -> bool:
    """A box before the article's container with prose of its own and few links: a lead."""
    if node.tag not in _PROSE_TAGS or unlikely(node, 0):
        return False
    if node.css_first("article") is not None:
        return False  # another story, not this one's lead
    return effective_length(node.text().strip()) >= 60 and link_density(node) < 0.2


_SENTENCE_END = tuple('.!?。！？…"”»」』)؟।။።')


def _sentences(blocks: list[str]) -> list[str]:
    """The blocks of a lead box that are sentences: not its kicker, byline, date or headline."""
    out = []
    for block in blocks:
        length = effective_length(block)
        if length >= 80 or (length >= 50 and block.endswith(_SENTENCE_END)):
            out.append(block)
    return out


_NAMED_QUERY = ":is(article, [itemprop=articleBody], [class~=hentry], [class~=h-entry], [class~=type-post], " + ", ".join(
    f'[class*="{word}"]' for word in ("article-body", "articlebody", "article-content", "article-text",
                                     "story-body", "entry-content", "post-content", "post-body")
) + ")"  # fmt: skip


def _prose(node: LexborNode, seen: dict[int, int], texts: dict[int, str]) -> int:
    """Characters in the node's prose paragraphs; `seen` keeps each paragraph's share (nested boxes
    hold the same paragraphs), `texts` the paragraphs' texts already read (both valid while the tree
    is unchanged)."""
    total = 0
    for p in node.css("p"):
        key = p.mem_id
        share = seen.get(key)
        if share is None:
            text = texts.get(key)
            if text is None:
                text = p.text()
            share = prose_length(text)
            share = seen[key] = share if share and link_density(p, len(text)) < 0.25 else 0
        total += share
    return total


def _named_rival(
    root: LexborNode, top: LexborNode, page_prose: int, paragraphs: list[tuple[LexborNode, str]] | None
) -> LexborNode | None:
    """A box named as the article (<article>, "entry-content", articleBody...) apart from the scorer's
    choice and holding more prose than it: the scorer was drawn to a popup, footer or widget."""
    seen: dict[int, int] = {}
    texts = {node.mem_id: text for node, text in paragraphs} if paragraphs else {}
    top_prose = _prose(top, seen, texts)
    if page_prose - top_prose <= max(top_prose, 200):
        # A rival lies outside the choice, so it holds at most the page's prose less the choice's
        # (page_prose counts every <p> of 80 or more): it cannot beat max(top_prose, 200).
        return None
    named = root.css(_NAMED_QUERY)
    if not named:
        return None
    top_ids = {top.mem_id, *ancestor_ids(top)}
    best, best_prose = None, max(top_prose, 200)
    for node in named:
        if node.mem_id in top_ids or top.mem_id in ancestor_ids(node) or unlikely(node, 0):
            continue
        prose = _prose(node, seen, texts)
        if prose > best_prose:
            best, best_prose = node, prose
    return best


def _titled_sibling(top: LexborNode, core: LexborNode, title: str) -> LexborNode | None:
    """On a page of stories one after another (infinite scroll), the <article> headed by the page's title.

    `core`: the best block before widening, inside `top`; the story is looked for around it."""
    folded = title.casefold().strip()
    if not folded:
        return None
    article = core
    for _ in range(8):
        if article is None or article.tag == "article":
            break
        article = article.parent
    if article is None or article.tag != "article" or article.parent is None:
        # the container may hold the stream itself
        stories = top.css("article")
        if len(stories) < 2:
            return None
        return next((s for s in stories if _heading(s) == folded and has_prose(s)), None)
    if _heading(article) == folded:
        return None
    around = article.parent
    for _ in range(2):  # each story may sit in a wrapper of its own
        if around.parent is None or around.parent.tag in ("body", "html"):
            break
        around = around.parent
    outer = set(ancestor_ids(article))
    for other in around.css("article"):
        if other.mem_id in outer or other.mem_id == article.mem_id:
            continue  # the story holding this one is not another story
        if _heading(other) == folded and has_prose(other) and article.mem_id not in ancestor_ids(other):
            return other
    return None


def _heading(node: LexborNode) -> str:
    heading = node.css_first("h1, h2")
    return heading.text().casefold().strip() if heading is not None else ""


def choose_blocks(
    root: LexborNode, title: str = "", paragraphs: list[tuple[LexborNode, str]] | None = None
) -> tuple[list[LexborNode], set[int], _Scores]:
    """The article's container with the siblings that join it (ids of the lead boxes among them), or []."""
    scores = score_candidates(root, paragraphs=paragraphs)
    top, top_score = _best(scores)
    if top is None or top_score < 15:
        # Little found in block elements: look at text in inline soup too (rarely needed, so a second pass).
        scores = score_candidates(root, inline=True, paragraphs=paragraphs)
        top, top_score = _best(scores)
    leads: set[int] = set()
    if top is None:
        return [], leads, scores
    rival = _named_rival(root, top, scores.prose, paragraphs)
    rival = rival or _titled_sibling(top, scores.core or top, title)
    if rival is not None:
        top = scores.core = rival
        top_score = scores.final.get(rival.mem_id) or scores.scores.get(rival.mem_id) or top_score
    return [*_upper_leads(top, leads), *_with_siblings(top, top_score, scores, leads)], leads, scores


def _story(node: LexborNode) -> bool:
    """An element that is one story: <article>, schema.org's Article types, h-entry/hentry posts."""
    if node.tag == "article":
        return True
    attrs = node.attributes
    classes = (attrs.get("class") or "").split()
    return "Article" in (attrs.get("itemtype") or "") or "hentry" in classes or "h-entry" in classes


def _upper_leads(top: LexborNode, leads: set[int]) -> list[LexborNode]:
    """Leads further up inside the container's <article>: its header or intro beside a wrapper of the body."""
    path = [top]
    node = top.parent
    while node is not None and not _story(node) and len(path) < 4:
        if node.tag in ("body", "html"):
            return []
        path.append(node)
        node = node.parent
    if node is None or not _story(node) or len(path) < 2:
        return []  # no story around, or the container's own siblings (taken by _with_siblings)
    found: list[LexborNode] = []
    for inner in reversed(path[1:]):  # from the article's child down to the container's parent
        for sibling in inner.parent.iter():
            if sibling.mem_id == inner.mem_id:
                break
            if sibling.is_element_node and (
                lead_header(sibling) if is_boilerplate_attr(sibling.attributes) else _prose_box(sibling)
            ):
                leads.add(sibling.mem_id)
                found.append(sibling)
    return found


def generic_body(
    tree: LexborHTMLParser,
    title: str,
    paragraphs: list[tuple[LexborNode, str]] | None = None,
    description: str | None = None,
) -> str:
    """The article text found by scoring, or "" when the page has no article-like block.

    `paragraphs`: the page's p/pre elements with their text if already read (see index.PageIndex);
    `description`: the page's own summary of itself (og:description), to recognise its standfirst.
    """
    root = tree.body
    if root is None:
        return ""
    nodes, leads, scores = choose_blocks(root, title, paragraphs)
    blocks: list[str] = _standfirst(nodes[0], description) if nodes and description else []
    standfirst = bool(blocks)
    for node in nodes:
        if node.tag != "p":
            strip_junk(node)  # only here: stripping the whole tree costs more than it saves
            clean_container(node, scores.core)
            if node is nodes[-1]:
                _drop_closing_headings(node)
        rendered = render(node, strip=node.tag == "p")
        blocks.extend(_sentences(rendered) if node.mem_id in leads else rendered)
    if standfirst and blocks[0] in blocks[1:]:
        del blocks[0]  # the standfirst was in the container after all (a lead box taken with it)
    return "\n\n".join(drop_boilerplate_blocks(blocks, title))


def _drop_closing_headings(node: LexborNode) -> None:
    """Headings with no text after them at the end of the body: they headed a box that cleaning
    removed ("Related articles", "Share this", "Contact", "About the author"), not the article."""
    for _ in range(3):
        headings = node.css("h1, h2, h3, h4, h5, h6")
        if not headings:
            return
        last = headings[-1]
        if _text_after(last, node):
            return  # (the usual case, told by the heading's next sibling: no copy of the whole text)
        heading = last.text().strip()
        if not heading or effective_length(heading) > 80 or heading.endswith((".", "。")):
            return  # a sentence set as a heading (a pull quote) is the article's
        if len(node.text().strip()) < len(heading) * 3:
            return  # the heading is most of what there is
        last.decompose()


def _text_after(node: LexborNode, container: LexborNode) -> bool:
    """Whether any text follows the node inside the container."""
    while node is not None and node.mem_id != container.mem_id:
        sibling = node.next
        while sibling is not None:
            if sibling.text().strip():
                return True
            sibling = sibling.next
        node = node.parent
    return False


_SPACES_RE = re.compile(r"\s+")
_STANDFIRST_HOLDERS = ":is(p, div, h2, h3, h4, span, section, header, strong, em)"


def _standfirst(first: LexborNode, description: str) -> list[str]:
    """The standfirst above the article's container: a visible block whose whole text is the page's
    description ("Banks finance what harms the climate."), in a header or intro box that the body's
    container does not hold. Searched in what precedes the container only, nearest first."""
    wanted = _SPACES_RE.sub(" ", description).strip()
    if effective_length(wanted) < 60 or len(wanted) > 600:
        return []
    # Its longest word run is in any text that holds it once spaces are collapsed: a substring test
    # (C speed) before the collapse, which costs more than the rest of the search.
    piece = max(wanted.split(" "), key=len)
    node = first
    while node is not None and node.tag not in ("body", "html"):
        sibling = node.prev
        while sibling is not None:
            text = sibling.text() if sibling.is_element_node else ""
            if piece in text and wanted in _SPACES_RE.sub(" ", text):
                for block in reversed(sibling.css(_STANDFIRST_HOLDERS) or [sibling]):
                    if _SPACES_RE.sub(" ", block.text()).strip() == wanted:
                        return [] if unlikely(block) else [wanted]
            sibling = sibling.prev
        node = node.parent
    return []
