"""Rendering a container as paragraphs, and JSON-LD articleBody against the DOM's text.

Block elements get a private-use mark before and after; one text() call then gives the whole
text, cut at the marks into paragraphs. No Python walk over the nodes.
"""

from __future__ import annotations

import re
from html import unescape as html_unescape

import regex
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..segment import words

# Never part of an article's text: removed from a container before its text is read.
JUNK_TAGS = [
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "video",
    "audio", "button", "select", "input", "textarea", "nav", "head", "dialog", "map", "link", "meta",
    "rt", "rp",  # ruby readings (furigana, pinyin) gloss the text beside them: the text is the base
    "annotation", "annotation-xml",  # a formula's source (TeX) inside MathML: never shown
]  # fmt: skip
# Elements whose text is a paragraph (or a line) of its own.
BLOCK_TAGS = (
    "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, div, section, article, main, tr, br, dd, dt, "
    "ul, ol, dl, table, address, hr, figure, header, footer, aside, caption, summary, details, center"
)
_RENDER_QUERY = f":is({BLOCK_TAGS}, td, th)"  # one walk, document order
# Characters that stand for a syllable or a word, about three Latin letters: Han, kana, and Hangul's
# syllable blocks (a Korean sentence has about a third of its English translation's characters).
_DENSE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\uac00-\ud7a3]")
_NOT_DENSE = regex.compile(r"[^\p{Han}\p{Hiragana}\p{Katakana}\uac00-\ud7a3]+")
# No Han, kana or Hangul syllable lies below U+2E80 (CJK Radicals Supplement; tests/test_extract_speed.py
# checks it): most non-ASCII texts (accents, Cyrillic, Arabic) are told apart by one stdlib re search,
# several times faster than the regex module's script classes.
DENSE_FLOOR = "\u2e80"
_HIGH = re.compile(f"[{DENSE_FLOOR}-\U0010ffff]")


def effective_length(text: str) -> int:
    """Characters, a Han, kana or Hangul syllable counting three: Japanese, Chinese and Korean prose
    is not "short"."""
    if text.isascii():
        return len(text)
    high = _HIGH.search(text)
    if high is None:
        return len(text)
    # counted as what is left once the other characters are cut out: cheaper than findall's list
    return len(text) + 2 * len(_NOT_DENSE.sub("", text[high.start() :]))


MARK = "\ue000"  # private-use character: splits the container's text into blocks
_JUNK_QUERY = ":is(" + ", ".join(t for t in JUNK_TAGS if t not in ("head", "meta", "link")) + ")"  # body-only


def strip_junk(node: LexborNode) -> None:
    """Remove scripts, styles, forms controls... under the node.

    One selector walk (strip_tags walks the subtree once per tag name); reverse document order
    frees nested junk before its junk ancestor.
    """
    for junk in reversed(node.css(_JUNK_QUERY)):
        if junk.tag == "noscript" and _prose_inside(junk):
            junk.unwrap()  # the text shown without scripts (Blogger and others put the whole post there)
        else:
            junk.decompose()


def _prose_inside(node: LexborNode) -> bool:
    return sum(effective_length(p.text()) for p in node.css("p")) >= 200


def render(node: LexborNode, strip: bool = True) -> list[str]:
    """The node's text as a list of paragraphs (one per block element), whitespace collapsed.

    strip=False when the caller already removed the junk tags (scripts, styles...) from the node.
    """
    if strip:
        strip_junk(node)
    for block in node.css(_RENDER_QUERY):
        if block.tag in ("td", "th"):
            block.insert_after(" ")  # cells of a row: one line, words kept apart
        else:
            block.insert_before(MARK)
            block.insert_after(MARK)
    # Collapse whitespace once over the whole text (C speed), then cut at the block marks.
    text = " ".join(node.text().replace("\u200b", "").split())
    return [part for part in (piece.strip() for piece in text.split(MARK)) if part]


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
    ld_words = set(words(ld_text.casefold()))
    dom_words = words(dom_text.casefold())
    covered = sum(1 for w in dom_words if w in ld_words) / max(len(dom_words), 1)
    return ld_text if covered >= 0.8 else dom_text
