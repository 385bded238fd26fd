"""Article extraction: HTML text in, an `Extracted` value out. Pure: no network, no database.

    from worker.extract import extract
    result = extract(html, url="https://example.com/2024/03/15/story")

Metadata (JSON-LD, OpenGraph, <meta>, the visible page) is read first, from one indexed walk
of the page (index.py); the main text then comes from per-source rules or the generic scorer
(content.py: choose; cleaning.py: drop boilerplate; render.py: paragraphs). Scripts and other
junk are stripped only inside the chosen container: stripping the whole tree costs more.
"""

from __future__ import annotations

import logging

from selectolax.lexbor import LexborHTMLParser

from ..values import Extracted, ExtractRules
from . import metadata as md
from .choose import choose_body, paragraph_mass
from .content import generic_body
from .index import PageIndex
from .jsonld import JsonLd
from .language import choose_language
from .rules import apply_remove, rule_authors, rule_body, rule_published, rule_title

__all__ = ["EXTRACTOR_VERSION", "extract"]

# Which extractor made a version's text, stored with every version. Raise it with every change to what
# extract() returns for a page (text, title, authors, dates): a capture compared with a version made by
# another extractor version is compared like with like (the old raw body is extracted again first), so
# an upgrade never makes versions of unchanged pages.
EXTRACTOR_VERSION = 8

log = logging.getLogger(__name__)


def _empty(rules: ExtractRules | None) -> Extracted:
    return Extracted(
        title="", authors=[], published_at=None, language=None, text="",
        rules_matched=None if rules is None else (False if rules.body else True),
    )  # fmt: skip


def extract(html: str, url: str | None = None, rules: ExtractRules | None = None) -> Extracted:
    """Title, authors, dates, language and main text of one page. Never raises."""
    if not isinstance(html, str) or not html or html.isspace():  # isspace stops early; strip() copies
        return _empty(rules)
    try:
        # NULs need no scrubbing: the HTML tree builder drops them from text (and lexbor follows it).
        return _extract(html, url, rules)
    except Exception:  # a bad page must not stop a pass; the pipeline sees an empty extraction
        log.warning("extraction failed for %s", url, exc_info=True)
        return _empty(rules)


def _extract(html: str, url: str | None, rules: ExtractRules | None) -> Extracted:
    tree = LexborHTMLParser(html)
    if rules is not None and rules.remove:
        apply_remove(tree, rules.remove)
    page = PageIndex(tree)
    meta, ld = md.Meta(page.all("meta")), JsonLd(page.all("script"))

    title = (rule_title(tree, rules.title) if rules else "") or md.find_title(page, meta, ld)
    authors = (rule_authors(tree, rules.authors) if rules else []) or md.find_authors(page, meta, ld)
    published = (rule_published(tree, rules.published) if rules else None) or md.find_published(
        page, meta, ld, url
    )
    declared = md.declared_language(page, meta, ld)
    result = Extracted(
        title=title,
        authors=authors,
        published_at=published,
        language=None,
        text="",
        modified_at=md.find_modified(meta, ld, page),
        section=md.find_section(meta, ld),
        canonical_url=md.find_canonical(page, meta, url),
        # read before the body's container is cleaned; a rule's removals change what the page shows
        headings=None if rules is not None and rules.remove else page.headings(),
    )

    text, rules_matched, method = "", None, None
    as_parsed = True  # the tree is as parsed: the index's paragraphs still hold
    if rules is not None:
        rules_matched = True
        if rules.body:
            text = rule_body(tree, rules.body, title)
            rules_matched = bool(text)
            method = "rules" if text else None
            as_parsed = False  # rendering the rule's matches changed the tree: query afresh
    if not text:
        paragraphs = page.paragraphs() if as_parsed else None
        # measured before the scorer's cleaning changes the tree
        texts = [(n, n.text()) for n in tree.css("p, pre")] if paragraphs is None else paragraphs
        mass = paragraph_mass(texts)
        floors = (meta.get("og:description", "description"),)
        text, method = choose_body(
            html, title, generic_body(tree, title, paragraphs, floors[0]), mass, floors, ld.text("articleBody"),
            rules.remove if rules is not None else (),
        )  # fmt: skip
    result.text = text
    result.extraction_method = method
    result.rules_matched = rules_matched
    result.language = choose_language(declared, text or title)
    return result
