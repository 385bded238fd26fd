"""Metadata from JSON-LD, OpenGraph / <meta>, and the visible page: title, authors, dates, ..."""

from __future__ import annotations

import html
from datetime import datetime
from urllib.parse import urljoin

import regex
from selectolax.lexbor import LexborNode

from ..segment import search_terms
from . import page_dates
from .bylines import header_byline, split_names
from .header import header_lines, is_sentence
from .index import PageIndex
from .jsonld import JsonLd, types_of
from .language import normalise_lang
from .titles import has_separator, home_names, name_key, strip_site_suffix


def clean(text: str | None) -> str:
    """Whitespace collapsed to single spaces, entities decoded, zero-width characters dropped."""
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.replace("\u200b", "").replace("\ufeff", "").split())


class Meta:
    """<meta> values by lower-cased name/property/itemprop/http-equiv (first occurrence wins)."""

    def __init__(self, nodes: list[LexborNode]) -> None:
        self.values: dict[str, str] = {}
        for node in nodes:
            attrs = node.attributes
            content = attrs.get("content")
            if not content or not content.strip():
                continue
            for key in ("property", "name", "itemprop", "http-equiv"):
                name = attrs.get(key)
                if name:
                    self.values.setdefault(name.strip().lower(), content.strip())

    def get(self, *names: str) -> str | None:
        for name in names:
            if name in self.values:
                return self.values[name]
        return None


# ---- title -----------------------------------------------------------------------------------


def find_title(page: PageIndex, meta: Meta, ld: JsonLd) -> str:
    # Names that decorate headlines: the site's, the publisher's, and the section's ("Opinion | ...").
    names = (meta.get("og:site_name", "twitter:site"), meta.get("application-name"), _ld_publisher(ld))
    sites = tuple(name.lstrip("@") for name in names if name)
    sections = tuple(s for s in (find_section(meta, ld),) if s)
    h1 = page.first("h1")
    h1_text = clean(h1.text()) if h1 is not None else ""
    candidates = (ld.text("headline"), meta.get("og:title", "twitter:title"), ld.text("name"))
    node = page.first("title")
    title_text = clean(node.text()) if node is not None else ""
    # The masthead's own name (its home link), only on a page that names itself nowhere else and whose
    # title keeps a separator (a page-wide query: not for every page).
    if (
        not sites
        and not sections
        and any(has_separator(s) and strip_site_suffix(s) == s for s in (clean(candidates[1]), title_text))
    ):
        sites += tuple(home_names(page.tree))
    others = [t for t in (meta.get("og:title", "twitter:title"), title_text, h1_text) if t]
    for candidate in candidates:
        text = strip_site_suffix(clean(candidate), sites, sections)
        if text and candidate is candidates[0] and _better_name(text, ld.text("name"), others):
            continue  # a JSON-LD "headline" that is a description (wikis); its "name" is the title
        if text:
            # JSON-LD headlines are often cut at 110 characters; the <h1> then has the whole one.
            if h1_text and len(h1_text) > len(text) and h1_text.startswith(text.rstrip(".… ")):
                return h1_text
            return text
    # No headline in the metadata: the document's own <title> names the page; the first <h1> is often
    # a masthead or a section ("Health Center"). The <h1> wins when it says the same (it is then the
    # whole headline, the title a shortened one) or when the title is only the site's name.
    stripped = strip_site_suffix(title_text, sites, sections)
    if h1_text and (not stripped or _agree(stripped, h1_text) or _is_site_name(stripped, sites)):
        return h1_text
    return stripped or h1_text


def _is_site_name(text: str, sites: tuple[str, ...]) -> bool:
    key = name_key(text)
    return any(key == name_key(site) for site in sites)


def _agree(text: str, other: str) -> bool:
    mine = set(search_terms(text))  # folded words, CJK bigrams: no dictionary needed
    return bool(mine) and len(mine & set(search_terms(other))) * 2 >= len(mine)


def _better_name(headline: str, name: str | None, others: list[str]) -> bool:
    def agrees(text: str) -> bool:
        return any(_agree(text, other) for other in others)

    return bool(name) and not agrees(headline) and agrees(name or "")


def _ld_publisher(ld: JsonLd) -> str | None:
    publisher = ld.resolve(ld.article.get("publisher"))
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        return publisher["name"]
    return None


# ---- authors ---------------------------------------------------------------------------------


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _ld_authors(ld: JsonLd, sites: tuple[str, ...]) -> list[str]:
    raw = ld.article.get("author") or ld.article.get("creator")
    items = raw if isinstance(raw, list) else [raw]
    people: list[str] = []
    orgs: list[str] = []
    for item in items[:20]:
        item = ld.resolve(item)
        if isinstance(item, str):
            people.extend(split_names(item, sites))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            target = (
                orgs
                if "organization" in types_of(item) or "newsmediaorganization" in types_of(item)
                else people
            )
            target.extend(split_names(item["name"], sites))
    return _dedupe(people or orgs)


# One walk of the page for all byline hints; ranked in Python (microdata and rel first).
_BYLINE_QUERY = ':is([itemprop="author"], [rel="author"], [class*="byline" i], [class*="author" i])'
# A byline box named for the role ("writer", "kiji-writer", "reporter-name"), looked for only under the
# headline (a page-wide query would cost every page): as words only, not "reportError".
_ROLE_BOX_QUERY = ':is([class*="writer" i], [class*="reporter" i], [class*="journalist" i])'
_ROLE_CLASS_RE = regex.compile(r"(?:^|[\s_-])(?:writer|reporter|journalist)s?(?:$|[\s_-])")


def _byline_rank(node: LexborNode) -> int:
    attrs = node.attributes
    if attrs.get("itemprop") == "author" or "author" in (attrs.get("rel") or "").split():
        return 0
    classes = (attrs.get("class") or "").lower()
    if "comment" in classes:
        return 9  # a commenter's name, or the comment form's "Name" field
    return 1 if "byline" in classes else 2


def find_authors(page: PageIndex, meta: Meta, ld: JsonLd) -> list[str]:
    # The site's own name is never an author (an Organization "author" that is the publisher).
    sites = tuple(n for n in (meta.get("og:site_name"), meta.get("application-name"), _ld_publisher(ld)) if n)
    names = _ld_authors(ld, sites)
    if names:
        return names
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"):
        names = split_names(meta.get(key), sites)
        if names:
            return _dedupe(names)
    nodes = page.tree.css(_BYLINE_QUERY)[:30]
    # Among equals, a byline without an e-mail address first: one glued to the name
    # ("Carrasquilla Reinamaria.c@paper.example") cannot be cut back to the name.
    for node in sorted(nodes, key=lambda n: (_byline_rank(n), "@" in (n.text() or "")))[:10]:
        if _byline_rank(node) == 9:
            break
        name_node = (
            node.css_first('[itemprop="name"]') if node.attributes.get("itemprop") == "author" else None
        )
        text = clean((name_node or node).text())
        if text and len(text) <= 100:
            names.extend(split_names(text, sites))
        if names:
            return _dedupe(names)
    # Last, under the headline: a box named for the role, or a labelled byline in a box named in no
    # word above ("news-info").
    for box, line in header_lines(page):
        if is_sentence(line):
            continue
        names = split_names(_role_box_text(box), sites) or header_byline(line, sites)
        if names:
            return _dedupe(names)
    return []


def _role_box_text(box: LexborNode | None) -> str | None:
    if box is None:
        return None
    for node in [box, *box.css(_ROLE_BOX_QUERY)]:
        if _ROLE_CLASS_RE.search((node.attributes.get("class") or "").lower()):
            text = clean(node.text())
            return text if len(text) <= 100 else None
    return None


# ---- dates, section, canonical, language -----------------------------------------------------


def find_published(page: PageIndex, meta: Meta, ld: JsonLd, url: str | None) -> datetime | None:
    return page_dates.find_published(page, meta, ld, url, declared_language(page, meta, ld))


def find_modified(meta: Meta, ld: JsonLd, page: PageIndex | None = None) -> datetime | None:
    lang = declared_language(page, meta, ld) if page is not None else None
    return page_dates.find_modified(meta, ld, page, lang)


def find_section(meta: Meta, ld: JsonLd) -> str | None:
    value = ld.text("articleSection") or meta.get("article:section", "section", "parsely-section")
    return clean(value) or None


def find_canonical(page: PageIndex, meta: Meta, url: str | None) -> str | None:
    href = None
    for node in page.all("link"):
        attrs = node.attributes
        if "canonical" in (attrs.get("rel") or "").lower().split() and attrs.get("href"):
            href = attrs["href"]
            break
    href = href or meta.get("og:url")
    if not href or not href.strip():
        return None
    try:
        absolute = urljoin(url or "", href.strip())
    except ValueError:
        return None
    return absolute if absolute.startswith(("http://", "https://")) else None


def declared_language(page: PageIndex, meta: Meta, ld: JsonLd) -> str | None:
    root = page.tree.root
    candidates = [
        root.attributes.get("lang") if root is not None else None,
        root.attributes.get("xml:lang") if root is not None else None,
        meta.get("content-language", "language", "dc.language", "og:locale"),
        ld.text("inLanguage"),
    ]
    for value in candidates:
        code = normalise_lang(value)
        if code:
            return code
    return None
