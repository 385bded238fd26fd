"""Finding sources: a site's feeds and sitemaps (`discover SITE_URL`) and a feed reader's OPML
(`import-opml FILE`), as ready-to-paste YAML source entries.

Every candidate is checked by fetching it through the one Fetcher (robots.txt and per-host
politeness apply as for any poll) and parsing it with worker.discover. OPML is parsed with entity
resolution, DTDs and the network off: the file may come from anywhere.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from ipaddress import ip_address
from urllib.parse import urlsplit

from lxml import etree
from protego import Protego
from selectolax.lexbor import LexborHTMLParser

from worker.discover import feed_kind, parse_feed, parse_sitemap
from worker.discover.sitemaps import strip_doctype
from worker.fetch import Fetcher, decode_html
from worker.fetch.errors import explain
from worker.urls import canonicalize
from worker.values import FetchPolicy

log = logging.getLogger(__name__)

USUAL_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/sitemap.xml",
               "/sitemap_index.xml", "/news-sitemap.xml", "/sitemap-news.xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
              "application/rdf+xml", "application/xml", "text/xml")
MAX_CANDIDATES = 40  # a home page with hundreds of alternates is not worth hundreds of requests
VIA_ALTERNATE, VIA_ROBOTS, VIA_GUESS, VIA_OPML = "link rel=alternate", "robots.txt", "usual path", "opml"
_FORMAT_NAMES = {"rss": "RSS feed", "atom": "Atom feed", "json": "JSON Feed", "urlset": "sitemap",
                 "news": "news sitemap", "index": "sitemap index"}


class OpmlError(ValueError):
    """The file is not OPML (or not XML at all)."""


@dataclass(frozen=True)
class FoundSource:
    """A checked feed or sitemap."""

    name: str
    kind: str  # feed | sitemap
    url: str  # where it answered (after redirects)
    format: str  # rss | atom | json | urlset | news | index
    entries: int  # article links in it (for an index: child sitemaps)
    newest: datetime | None  # the newest entry date it gives, if any
    found_via: str  # link rel=alternate | robots.txt | usual path | opml
    children: tuple[str, ...] = ()  # a sitemap index's child sitemaps
    digest: str = ""  # SHA-256 of the body: two URLs serving the same bytes are one source


# ---------------------------------------------------------------- discover SITE_URL

def site_root(site_url: str) -> str:
    """https://example.com/any/page -> https://example.com; a bare host gets https://."""
    text = site_url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{site_url!r} is not a web site address (write e.g. https://example.com)")
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


async def find_sources(site_url: str, policy: FetchPolicy, fetcher: Fetcher,
                       why: dict[str, str] | None = None) -> list[FoundSource]:
    """The site's feeds and sitemaps that answer and parse, alternates first, each named uniquely.
    When the home page fails, `why[site_url]` says why (the site may be down)."""
    root = site_root(site_url)
    page_url = site_url if "://" in site_url else root + "/"
    home, robots = await asyncio.gather(
        fetcher.fetch(page_url, policy, purpose="page"),
        fetcher.fetch(root + "/robots.txt", policy, purpose="robots"),
    )
    if home.body is None:
        reason = explain(home.error, home.error_detail, home.status)
        log.warning("discover: the home page %s failed: %s", page_url, reason)
        if why is not None:
            why[site_url] = reason
    candidates: dict[str, str] = {}  # url -> how it was found, first way wins
    if home.body is not None:
        html = decode_html(home.body, home.content_type)
        for url in alternate_links(html, home.final_url or page_url):
            candidates.setdefault(url, VIA_ALTERNATE)
    if robots.body is not None and robots.status == 200:
        for url in robots_sitemaps(robots.body.decode("utf-8", errors="replace"), root):
            candidates.setdefault(url, VIA_ROBOTS)
    for path in USUAL_PATHS:
        candidates.setdefault(root + path, VIA_GUESS)
    picked = list(candidates.items())[:MAX_CANDIDATES]
    checked = await asyncio.gather(*(check_url(url, policy, fetcher, via) for url, via in picked))
    return _unique(_drop_children([c for c in checked if c is not None]))


def alternate_links(html: str, base_url: str) -> list[str]:
    """Absolute URLs of <link rel="alternate"> feeds in a page, in document order."""
    out: list[str] = []
    for node in LexborHTMLParser(html).css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        ctype = (node.attributes.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and ctype in FEED_TYPES:
            url = canonicalize(node.attributes.get("href") or "", base_url)
            if url and url not in out:
                out.append(url)
    return out


def robots_sitemaps(text: str, root: str) -> list[str]:
    """The Sitemap: lines of a robots.txt, absolute."""
    out: list[str] = []
    for raw in Protego.parse(text).sitemaps:
        url = canonicalize(raw, root + "/")
        if url and url not in out:
            out.append(url)
    return out


async def check_url(url: str, policy: FetchPolicy, fetcher: Fetcher, found_via: str,
                    why: dict[str, str] | None = None) -> FoundSource | None:
    """Fetch and parse one candidate; None when it fails, is refused or is neither feed nor sitemap
    (and then `why[url]` says which, with the cause)."""
    purpose = "sitemap" if "sitemap" in url.lower() else "feed"
    fetched = await fetcher.fetch(url, policy, purpose=purpose)
    if fetched.body is None:
        reason = explain(fetched.error, fetched.error_detail, fetched.status)
        log.info("discover: %s: %s", url, reason)
        if why is not None:
            why[url] = reason
        return None
    found = classify(fetched.body, fetched.final_url or url, found_via)
    if found is None:
        log.info("discover: %s: neither a feed nor a sitemap", url)
        if why is not None:
            why[url] = "answered, but is neither a feed nor a sitemap"
        return None
    return replace(found, digest=hashlib.sha256(fetched.body).hexdigest())


def classify(body: bytes, url: str, found_via: str) -> FoundSource | None:
    """What a fetched body is (pure): a feed, a sitemap or sitemap index, or None."""
    fmt = feed_kind(body)
    if fmt is not None:
        links = parse_feed(body, url)
        newest = max((ln.updated_at for ln in links if ln.updated_at), default=None)
        return FoundSource("", "feed", url, fmt, len(links), newest, found_via)
    parsed = parse_sitemap(body, url)
    if parsed.children:
        return FoundSource("", "sitemap", url, "index", len(parsed.children), None, found_via,
                           tuple(parsed.children))
    if parsed.links and _looks_like_sitemap(body):
        newest = max((ln.updated_at for ln in parsed.links if ln.updated_at), default=None)
        fmt = "news" if b"sitemap-news" in body[:4096] else "urlset"
        return FoundSource("", "sitemap", url, fmt, len(parsed.links), newest, found_via)
    return None


def _looks_like_sitemap(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"\x1f\x8b"):
        return True  # a gzip file that parsed into links
    if head.startswith(b"<"):
        return b"<urlset" in body[:4096].lower() or b":urlset" in body[:4096].lower()
    return not head.startswith((b"<!doctype", b"<html"))  # a plain-text list of URLs


def _drop_children(found: list[FoundSource]) -> list[FoundSource]:
    """An index already covers its child sitemaps; listing both would poll them twice."""
    children = {c for f in found for c in f.children}
    return [f for f in found if f.url not in children]


def _unique(found: list[FoundSource]) -> list[FoundSource]:
    """One entry per answering URL (/rss and /feed often redirect to one feed), each with its own name."""
    seen: set[str] = set()
    names: set[str] = set()
    out = []
    for f in found:
        if f.url in seen or (f.digest and f.digest in seen):
            continue
        seen.update((f.url, f.digest))
        out.append(replace(f, name=_unique_name(source_name(f.url, f.kind), names)))
    return out


# ---------------------------------------------------------------- names

_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "ne", "or", "go", "edu"}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()


def host_name(url: str) -> str:
    """feeds.bbci.co.uk -> feeds-bbci; www.example.com -> example; 127.0.0.1 -> 127-0-0-1."""
    host = (urlsplit(url).hostname or "site").removeprefix("www.")
    try:
        ip_address(host)
        return _slug(host) or "site"
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return _slug("-".join(labels)) or "site"


def source_name(url: str, kind: str) -> str:
    """A config name from the host and the path: daily-feed, bbc-sitemaps-news, example-en-rss."""
    path = re.sub(r"\.(xml|rss|atom|json|gz|php|aspx?)$", "", urlsplit(url).path.strip("/"), flags=re.I)
    path = re.sub(r"\.(xml|rss)$", "", path, flags=re.I)  # .xml.gz
    stem = _slug(path)[:60].strip("-") or kind
    return f"{host_name(url)}-{stem}"


def _unique_name(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    taken.add(candidate)
    return candidate


# ---------------------------------------------------------------- YAML out

def _describe(f: FoundSource) -> str:
    what = _FORMAT_NAMES.get(f.format, f.kind)
    count = f"{f.entries} sitemaps" if f.format == "index" else f"{f.entries} entries"
    newest = f", newest {f.newest.isoformat().replace('+00:00', 'Z')}" if f.newest else ""
    return f"{what}: {count}{newest} (found via {f.found_via})"


def _comment(text: str) -> str:
    """One line of comment text: a line break in an OPML title (`&#10;`) or a server's answer must not
    end the comment and start config keys of its own; other control characters go too."""
    return " ".join(_CONTROL.sub(" ", text).split())


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def render_entries(entries: list[dict[str, str]], comments: list[str | None] | None = None) -> str:
    """Source entries as YAML list items, indented to paste under `sources:`. The YAML is PyYAML's
    (safe_dump): no value of the file or of the web is ever formatted into it by hand."""
    import yaml

    lines: list[str] = []
    for i, entry in enumerate(entries):
        item = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, default_flow_style=False, width=2**16)
        lines += ["  " + line for line in item.splitlines()]
        comment = _comment(comments[i] or "") if comments else ""
        if comment:
            lines.append(f"    # {comment}")
        lines.append("")
    return "\n".join(lines)


def render_yaml(found: list[FoundSource]) -> str:
    """Ready-to-paste source entries, each with a comment on what the check found."""
    if not found:
        return "# no feed or sitemap found (try the site's section pages with kind: page)\n"
    head = ("# Paste the ones you want under `sources:` in config/sources.yaml, then run `newsarchive check`.\n"
            "# One feed is usually enough; a news sitemap lists the last two days of articles.\n")
    entries = [{"name": f.name, "kind": f.kind, "url": f.url} for f in found]
    return head + render_entries(entries, [_describe(f) for f in found])


# ---------------------------------------------------------------- import-opml FILE

def _attr(elem: etree._Element, name: str) -> str | None:
    for key, value in elem.attrib.items():  # OPML in the wild spells xmlUrl as xmlurl, XMLURL, ...
        if isinstance(key, str) and key.lower() == name.lower():
            return value.strip() or None
    return None


def _opml_root(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True, recover=False)
    try:
        root = etree.fromstring(strip_doctype(data), parser=parser)
    except etree.XMLSyntaxError as e:
        raise OpmlError(f"not an XML file: {e}") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise OpmlError("not an OPML file (its root element is not <opml>)")
    return root


def opml_feeds(data: bytes) -> list[tuple[dict[str, str], str]]:
    """(source entry, description) per distinct feed of an OPML file, in file order, nested folders included."""
    out: list[tuple[dict[str, str], str]] = []
    seen: set[str] = set()
    names: set[str] = set()
    for elem in _opml_root(data).iter("{*}outline"):
        raw = _attr(elem, "xmlUrl")
        url = canonicalize(raw) if raw else None
        if url is None or url in seen:
            continue
        seen.add(url)
        title = _attr(elem, "title") or _attr(elem, "text") or ""
        folders = [t for a in elem.iterancestors() if isinstance(a.tag, str) and etree.QName(a).localname == "outline"
                   and (t := _attr(a, "text") or _attr(a, "title"))]
        base = _slug(title)[:40].strip("-") or source_name(url, "feed")
        name = _unique_name(base if re.match(r"[a-z0-9]", base) else f"feed-{base}", names)
        where = " / ".join(reversed(folders))
        out.append(({"name": name, "kind": "feed", "url": url}, f"{title}{f' [{where}]' if where else ''}".strip()))
    return out


def opml_sources(data: bytes) -> list[dict[str, str]]:
    """Source entries (name, kind feed, url) for every distinct http(s) feed in an OPML file."""
    return [entry for entry, _ in opml_feeds(data)]


def opml_yaml(data: bytes, checked: dict[str, FoundSource | None] | None = None,
              why: dict[str, str] | None = None) -> str:
    """import-opml's output; with `checked` (url -> check_url result) each entry says what answered."""
    feeds = opml_feeds(data)
    if not feeds:
        return "# no feeds (outlines with an xmlUrl) in this OPML file\n"
    comments: list[str | None] = []
    for entry, title in feeds:
        note = title
        if checked is not None:
            f = checked.get(entry["url"])
            failed = "did not answer as a feed" + (f": {why[entry['url']]}" if why and entry["url"] in why else "")
            note += " -- " + (_describe(f) if f else f"{failed} (check it before use)")
        comments.append(note or None)
    head = "# From OPML: paste under `sources:` in config/sources.yaml, then run `newsarchive check`.\n"
    return head + render_entries([e for e, _ in feeds], comments)

