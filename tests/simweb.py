"""A simulated news web on 127.0.0.1 for end-to-end tests (standard library only).

    with SimWeb() as web:
        daily = web.add_site("daily")                  # own port; daily.base_url == "http://127.0.0.1:PORT"
        art = daily.add_article("world/2026/11/20/storm-hits-coast", title="Storm hits coast",
                                paragraphs=["First.", "Second."], authors=["Jane Doe"],
                                published=datetime(2026, 11, 20, 8, tzinfo=UTC), section="World")
        art.url            # absolute URL of the page; art.text is what a perfect extractor returns
        art.edit(title="New headline")                 # bumps art.modified (feed updated / sitemap lastmod)
        herald = web.add_site("herald")
        herald.reprint(art, "news/storm-reprint")      # same title + body, other site's template and chrome
        daily.robots_txt = "User-agent: *\\nDisallow: /private/\\n"   # None: /robots.txt answers 404
        daily.requests     # [Request(method, path_with_query, headers with lower-case names)], in order
        daily.clear_requests()
        daily.remove_article(art.slug)                 # 410 (art.gone = True gives 404); off feeds/sitemaps
        daily.fault("/feed.xml", "status", times=2, status=503)       # 503 twice, then normal

Listing pages (/ and /section/) carry <link rel="alternate"> to /feed.xml (RSS) and /atom.xml; robots.txt
has a Sitemap: line for /sitemap_index.xml.
Endpoints per site: /robots.txt, /feed.xml (RSS 2.0; atom:updated once edited), /atom.xml,
/feed.json (JSON Feed 1.1), /sitemap.xml, /sitemap_index.xml (-> /sitemap-1.xml and the gzip file
/sitemap-2.xml.gz), /news-sitemap.xml, /section/ (and /: listing, links are `h2.headline a`, relative),
and one page per article at "/" + slug. Feeds and sitemaps carry an ETag (hash of the body) and
Last-Modified (last content change of the site) and answer 304 to If-None-Match / If-Modified-Since.
Articles whose seq is odd carry ?utm_source=rss&utm_medium=feed in RSS and JSON Feed; every third Atom
link is relative to xml:base. Responses are gzip-encoded when the client accepts it (Site.compress).

Article pages (20-60 KB) come in three templates (tests/simweb_templates/: daily, herald, gazette;
sites take them in turn unless `template=` is given). Everything around the article changes on every
request (most read, view counter, tokens, clock, ads, related, comments); the article does not.
Inside the body: paragraphs[:k], an inline ad, <h2>subheading</h2>, <ul> bullets, paragraphs[k:]
(k = len//2). add_article(subheading=None, bullets=[]) leaves out the heading and the list; by default
they are "Key points" and the first sentences of the first three paragraphs. `art.blocks` lists the
body's text blocks in order and `art.text` joins them with blank lines: what extraction should yield.

Faults (Site.fault(path, kind, times=1, **params); times=None means forever; queued per path,
matched on the path without query):
  status    status=503, retry_after=None, body="..."   an error answer
  redirect  to="/other" (path or URL), status=301       a fault on /a to /a is a redirect loop
  hang      seconds=None                                never answers (until SimWeb closes)
  trickle   chunk=16, delay=0.2                         the normal response, a few bytes at a time
  pdf       -                                           200 application/pdf
  gzip      -                                           the normal response, gzip even if not asked
  reset     -                                           closes the connection without answering
  body      status=200, body="", content_type="text/html; charset=utf-8", headers={}   anything
  truncate  keep=0.5                                    the normal response, Content-Length of all of it,
                                                        but only `keep` of the body, then the connection closes
  endless   chunk=65536                                 200 text/html with no Content-Length, never ends
  huge      size=8_000_000, declare=True                200 text/html of `size` bytes (Content-Length
                                                        left out when declare=False)
  gzip_bomb size=256 MiB                                a tiny gzip body that inflates to `size` zero bytes
  brotli_bomb size=256 MiB                              the same with Content-Encoding: br
  charset   encoding="windows-1251", header=None        the normal page re-encoded, its <meta> naming
                                                        `encoding`; Content-Type charset=`header` (None: no charset)

A request in absolute form (`GET http://93.184.216.34/x`, as sent to a proxy) is served as if it were
for its path, so a site doubles as an HTTP proxy that answers for any host.

Run a demo web: `python -m tests.simweb [--port-base 8100]` (or `python tests/simweb.py`).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import html
import json
import random
import re
import secrets
import socket
import struct
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit

import brotli

TEMPLATES = ("daily", "herald", "gazette")
TEMPLATE_DIR = Path(__file__).with_name("simweb_templates")
TRACKING = "utm_source=rss&utm_medium=feed"
SECTIONS = ["World", "Politics", "Business", "Economy", "Energy", "Climate", "Science", "Technology",
            "Health", "Culture", "Sport", "Opinion", "Interview", "Travel", "Defense", "Education"]
SUBSECTIONS = ["Europe", "Asia", "Americas", "Africa", "Middle East", "Markets", "Companies",
               "Analysis", "Podcasts", "Video", "Photos", "Live", "Explainers", "Data"]
FOOTER = ["About us", "Contact", "Careers", "Advertise", "Privacy policy", "Cookie settings", "Terms of use",
          "Accessibility", "Corrections", "Editorial standards", "Newsletters", "RSS feeds", "Archive",
          "Sitemap", "Help", "Subscribe", "Gift subscriptions", "Events", "Shop", "Apps", "Podcasts",
          "Puzzles", "Obituaries", "Weather", "Traffic", "Jobs", "Reprints", "Licensing", "Press office",
          "Our journalists", "Ombudsman", "Tip us off", "Facebook", "Instagram", "YouTube", "LinkedIn"]
POOL = [f"{a} {b}" for a in ("Markets rally as", "Officials warn", "Residents react as", "Analysis: why",
                             "Explainer: how", "Live: latest as")
        for b in ("talks stall", "prices climb", "storm season ends", "new rules take effect",
                  "the vote nears", "the strike spreads")]
ADS = ["Refinance today: rates from 3.9%", "The sofa sale ends Sunday", "Learn a language in 10 minutes a day",
       "Holiday flights from 49", "Upgrade your broadband now", "Win a weekend for two"]
COMMENTS = ["Great reporting, thank you.", "This is exactly what I feared.", "Who is paying for all of this?",
            "Not surprised at all.", "Can anyone explain the second point?", "Finally some good news.",
            "The headline is misleading.", "My town was hit too, stay safe everyone."]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Request(NamedTuple):
    method: str
    path: str  # as requested, query included
    headers: dict[str, str]  # names lower-cased


@dataclass
class Fault:
    kind: str
    times: int | None  # None: forever
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _next_second() -> datetime:
    # Feeds carry whole seconds; rounding up keeps an edit's stamp after any capture made before it.
    return _now() + timedelta(seconds=1)


def _slugify(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _first_sentence(text: str, words: int = 14) -> str:
    sentence = text.split(". ")[0].rstrip(".")
    parts = sentence.split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else ".")


class Article:
    """One story on one site. Mutate it through edit(); `gone` hides it (404)."""

    def __init__(self, site: Site, slug: str, seq: int, *, title: str, paragraphs: Sequence[str],
                 authors: Sequence[str], published: datetime, section: str,
                 subheading: str | None, bullets: Sequence[str] | None) -> None:
        self.site, self.slug, self.seq = site, slug.strip("/"), seq
        self.title, self.paragraphs, self.authors = title, list(paragraphs), list(authors)
        self.published = published.astimezone(UTC)
        self.modified = self.published
        self.section, self.subheading = section, subheading
        self._bullets = None if bullets is None else list(bullets)
        self.gone_status: int | None = None
        self.views = random.randint(800, 5000)
        self.appendix = ""  # raw HTML at the end of the body (a correction box, an editor's note), not in .text

    @property
    def path(self) -> str:
        return "/" + self.slug

    @property
    def url(self) -> str:
        return self.site.base_url + self.path

    @property
    def edited(self) -> bool:
        return self.modified != self.published

    @property
    def bullets(self) -> list[str]:
        # Default "key points": derived from the article's own paragraphs, so unrelated articles share no text.
        if self._bullets is not None:
            return self._bullets
        return [_first_sentence(p) for p in self.paragraphs[:3]] if len(self.paragraphs) > 1 else []

    @property
    def split(self) -> int:
        return max(1, len(self.paragraphs) // 2)

    @property
    def blocks(self) -> list[str]:
        head = [self.subheading] if self.subheading else []
        return self.paragraphs[: self.split] + head + self.bullets + self.paragraphs[self.split:]

    @property
    def text(self) -> str:
        """The article body as SPEC's export `text` should read: blocks separated by a blank line."""
        return "\n\n".join(self.blocks)

    @property
    def summary(self) -> str:
        return _first_sentence(self.paragraphs[0], 30) if self.paragraphs else self.title

    @property
    def gone(self) -> bool:
        return self.gone_status is not None

    @gone.setter
    def gone(self, value: bool) -> None:
        with self.site.lock:
            self.gone_status = 404 if value else None
            self.site.touch()

    def edit(self, *, title: str | None = None, paragraphs: Sequence[str] | None = None,
             authors: Sequence[str] | None = None, subheading: str | None = None,
             bullets: Sequence[str] | None = None, modified: datetime | None = None,
             appendix: str | None = None) -> None:
        with self.site.lock:
            self.appendix = appendix if appendix is not None else self.appendix
            self.title = title if title is not None else self.title
            self.paragraphs = list(paragraphs) if paragraphs is not None else self.paragraphs
            self.authors = list(authors) if authors is not None else self.authors
            self.subheading = subheading if subheading is not None else self.subheading
            self._bullets = list(bullets) if bullets is not None else self._bullets
            # Strictly later than before, so a feed always shows the edit as newer.
            self.modified = modified or max(_next_second(), self.modified + timedelta(seconds=1))
            self.site.touch()


class Site:
    """One news site on its own port. Attributes: name, title, base_url, template, lang, robots_txt,
    compress, articles (slug -> Article), requests."""

    def __init__(self, web: SimWeb, name: str, template: str, title: str, lang: str, port: int) -> None:
        self.web, self.name, self.template, self.title, self.lang = web, name, template, title, lang
        self.lock = threading.RLock()
        self.articles: dict[str, Article] = {}
        self.requests: list[Request] = []
        self.faults: dict[str, list[Fault]] = {}
        self.compress = True
        self.changed_at = _now()
        self.robots_txt: str | None = "User-agent: *\nDisallow: /search\nDisallow: /login\n"
        self.rng = random.Random()
        self._seq = 0
        # The chrome around articles (tests/simweb_world.py sets it per language) and how pages say dates.
        self.pool, self.ads, self.comments, self.footer = POOL, ADS, COMMENTS, FOOTER
        self.title_sep = " | "
        self.human_date: Any = lambda d: f"{d:%d %B %Y, %H:%M}"
        self.structured = True  # False: no machine-readable dates (meta, JSON-LD, datetime=): only the visible one
        self.server = _Server(("127.0.0.1", port), _Handler)
        self.server.site = self
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._page = Template((TEMPLATE_DIR / template / "page.html").read_text("utf-8"))
        self._article = Template((TEMPLATE_DIR / template / "article.html").read_text("utf-8"))
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"simweb-{name}", daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def touch(self) -> None:
        self.changed_at = max(_next_second(), self.changed_at + timedelta(seconds=1))

    def add_article(self, slug: str, *, title: str, paragraphs: Sequence[str], authors: Sequence[str] = (),
                    published: datetime | None = None, section: str = "News",
                    subheading: str | None = "Key points", bullets: Sequence[str] | None = None) -> Article:
        with self.lock:
            self._seq += 1
            art = Article(self, slug, self._seq, title=title, paragraphs=paragraphs, authors=authors,
                          published=published or _now(), section=section, subheading=subheading,
                          bullets=bullets)
            self.articles[art.slug] = art
            self.touch()
            return art

    def reprint(self, article: Article, slug: str, **overrides: Any) -> Article:
        """The same title and body under this site's URL `slug` (syndication); overrides go to add_article."""
        fields: dict[str, Any] = dict(title=article.title, paragraphs=article.paragraphs,
                                      authors=article.authors, published=article.published,
                                      section=article.section, subheading=article.subheading,
                                      bullets=article.bullets)
        return self.add_article(slug, **(fields | overrides))

    def remove_article(self, slug: str, status: int = 410) -> None:
        with self.lock:
            self.articles[slug.strip("/")].gone_status = status
            self.touch()

    def live(self) -> list[Article]:
        """Articles still online, newest first (the order of feeds and listings)."""
        with self.lock:
            arts = [a for a in self.articles.values() if not a.gone]
        return sorted(arts, key=lambda a: (a.published, a.seq), reverse=True)

    def fault(self, path: str, kind: str, times: int | None = 1, **params: Any) -> Fault:
        f = Fault(kind, times, params)
        with self.lock:
            self.faults.setdefault(path, []).append(f)
        return f

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(path, [])
            if not queue:
                return None
            f = queue[0]
            if f.times is not None:
                f.times -= 1
                if f.times <= 0:
                    queue.pop(0)
            return f

    def record(self, req: Request) -> None:
        with self.lock:
            self.requests.append(req)

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def paths(self) -> list[str]:
        """Requested paths in order, query strings dropped."""
        with self.lock:
            return [r.path.split("?")[0] for r in self.requests]

    def respond(self, path: str, headers: dict[str, str]) -> Response:
        from_feeds = FEEDS.get(path)
        with self.lock:
            if from_feeds is not None:
                body, ctype = from_feeds(self)
                return _conditional(body, ctype, self.changed_at, headers)
            if path == "/robots.txt":
                if self.robots_txt is None:
                    return Response(404, b"Not found", "text/plain")
                robots = self.robots_txt + f"\nSitemap: {self.base_url}/sitemap_index.xml\n"
                return Response(200, robots.encode(), "text/plain; charset=utf-8")
            if path in ("/", "/section/"):
                return self.page(200, "Latest news", _listing(self))
            art = self.articles.get(path.strip("/"))
            if art is None:
                return self.page(404, "Page not found", "<h1>Sorry, we couldn't find that page.</h1>")
            if art.gone_status is not None:
                return self.page(art.gone_status, "Page removed", "<h1>This article is no longer available.</h1>")
            return self.page(200, art.title, self._render_article(art), art)

    def page(self, status: int, title: str, main: str, art: Article | None = None) -> Response:
        rng, token = self.rng, secrets.token_urlsafe(24)
        now = datetime.now(UTC)
        values = dict(lang=self.lang, title_tag=html.escape(f"{title}{self.title_sep}{self.title}"), site_name=self.title,
                      head_meta=_head_meta(self, art) if art else _alternates(self), style=_style(self.template),
                      script=_script(self.template), token=token, page_id=secrets.token_hex(8),
                      epoch=time.time_ns() // 1_000_000, today=now.strftime("%A %d %B %Y"),
                      ticker=html.escape(rng.choice(self.pool)), main=main, ad_text=rng.choice(self.ads),
                      most_read=_links(rng.sample(self.pool, 5), "/trending/"), nav=_nav(), year=now.year,
                      footer_links=_links(self.footer, "/"), clock=now.strftime("%H:%M:%S"))
        return Response(status, self._page.substitute(values).encode("utf-8"),
                        headers={"Set-Cookie": f"sid={token}; Path=/; HttpOnly", "Cache-Control": "no-cache"})

    def _render_article(self, art: Article) -> str:
        rng = self.rng
        art.views += rng.randint(120, 480)  # a view counter that moves a visible digit every request
        others = [(a.title, a.path) for a in self.live() if a is not art]
        others += [(t, f"/trending/{_slugify(t)}/") for t in self.pool]
        comments = rng.sample(self.comments, 3)
        updated = (f'<span class="updated">Updated <time datetime="{art.modified.isoformat()}">'
                   f'{art.modified:%d %B %Y, %H:%M}</time></span>') if art.edited and self.structured else ""
        bylines = [f'<a rel="author" href="/author/{_slugify(n)}/">{html.escape(n)}</a>' for n in art.authors]
        top = "".join(f"    <p>{html.escape(p)}</p>\n" for p in art.paragraphs[: art.split])
        rest = f"    <h2>{html.escape(art.subheading)}</h2>\n" if art.subheading else ""
        if art.bullets:
            rest += "    <ul>" + "".join(f"<li>{html.escape(b)}</li>" for b in art.bullets) + "</ul>\n"
        rest += "".join(f"    <p>{html.escape(p)}</p>\n" for p in art.paragraphs[art.split:]) + art.appendix
        return self._article.substitute(
            story_id=1000 + art.seq, section=html.escape(art.section), section_slug=_slugify(art.section),
            section_url=f"/{_slugify(art.section)}/", headline=html.escape(art.title),
            byline_links=" and ".join(bylines) or "Staff reporter",
            published_iso=art.published.isoformat() if self.structured else "",
            published_human=html.escape(self.human_date(art.published)), updated_html=updated,
            views=f"{art.views / 1000:.1f}k", read_time=1 + len(art.text.split()) // 200,
            url_q=quote(art.url, safe=""), headline_q=quote(art.title, safe=""), body_top=top,
            body_rest=rest, page_id=secrets.token_hex(6), ad_text=rng.choice(self.ads),
            related="\n".join(f'    <li><a href="{h}">{html.escape(t)}</a></li>' for t, h in rng.sample(others, 4)),
            comment_count=rng.randint(3, 400), token=secrets.token_urlsafe(16),
            comments="".join(f'<div class="comment"><b>reader{rng.randint(1, 999)}</b> <p>{c}</p></div>\n'
                             for c in comments))


class SimWeb:
    """Starts and stops the sites. Use as a context manager, or call close()."""

    def __init__(self, port_base: int | None = None) -> None:
        self.port_base = port_base
        self.sites: dict[str, Site] = {}
        self.stopping = threading.Event()

    def add_site(self, name: str, *, template: str | None = None, title: str | None = None,
                 lang: str = "en") -> Site:
        port = 0 if self.port_base is None else self.port_base + len(self.sites)
        template = template or TEMPLATES[len(self.sites) % len(TEMPLATES)]
        site = Site(self, name, template, title or f"The {name.title()}", lang, port)
        self.sites[name] = site
        return site

    def close(self) -> None:
        self.stopping.set()  # releases hanging responses
        for site in self.sites.values():
            site.server.shutdown()
            site.server.server_close()

    def __enter__(self) -> SimWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---- page parts -------------------------------------------------------------------------------------------


def _links(titles: Sequence[str], prefix: str) -> str:
    return "\n".join(f'    <li><a href="{prefix}{_slugify(t)}/">{html.escape(t)}</a></li>' for t in titles)


def _nav() -> str:
    # A big mega-menu: every section with its subsections, as on real news sites.
    items = []
    for s in SECTIONS:
        subs = "".join(f'<li><a href="/{_slugify(s)}/{_slugify(x)}/">{x}</a></li>' for x in SUBSECTIONS[:8])
        items.append(f'    <li class="menu-item"><a href="/{_slugify(s)}/">{s}</a><ul class="sub-menu">{subs}</ul></li>')
    return "\n".join(items)


def _style(template: str) -> str:
    # Static per template, about 10 KB, like a theme's inline critical CSS.
    rng = random.Random(template)
    props = ["margin:0 auto", "padding:4px 8px", "color:#222", "font-size:14px", "display:flex",
             "line-height:1.5", "border-bottom:1px solid #ddd", "background:#fafafa", "font-weight:700"]
    rules = [f".{template}-{_slugify(s)}-{i}{{{';'.join(rng.sample(props, 3))}}}"
             for s in SECTIONS for i in range(8)]
    return "\n".join(rules)


def _script(template: str) -> str:
    # Analytics and ad-loader boilerplate, static per template.
    events = ",".join(f'"{_slugify(s)}_{i}"' for s in SECTIONS for i in range(6))
    return (f"(function(w,d){{w.dataLayer=w.dataLayer||[];w.dataLayer.push({{theme:'{template}',events:[{events}]}});"
            "var s=d.createElement('script');s.async=true;s.src='https://tags.example.net/gtm.js';"
            "d.head.appendChild(s);d.addEventListener('click',function(e){var t=e.target.closest('a');"
            "if(t&&t.hostname!==location.hostname){w.dataLayer.push({event:'outbound',href:t.href});}});"
            "})(window,document);\n" * 3)


def _alternates(site: Site) -> str:
    # What `newsarchive discover` looks for first on a home page: the site's feeds, relative and absolute.
    return ('<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">\n'
            f'<link rel="alternate" type="application/atom+xml" title="Atom" href="{site.base_url}/atom.xml">')


def _head_meta(site: Site, art: Article) -> str:
    e = html.escape
    if not site.structured:
        return f'<link rel="canonical" href="{art.url}">\n<meta property="og:site_name" content="{e(site.title)}">'
    tags = [f'<link rel="canonical" href="{art.url}">', f'<meta name="description" content="{e(art.summary)}">',
            '<meta property="og:type" content="article">', f'<meta property="og:title" content="{e(art.title)}">',
            f'<meta property="og:url" content="{art.url}">', f'<meta property="og:site_name" content="{e(site.title)}">',
            f'<meta property="og:description" content="{e(art.summary)}">',
            f'<meta property="og:image" content="{site.base_url}/img/{art.seq}.jpg">',
            f'<meta property="article:published_time" content="{art.published.isoformat()}">',
            f'<meta property="article:modified_time" content="{art.modified.isoformat()}">',
            f'<meta property="article:section" content="{e(art.section)}">',
            *(f'<meta property="article:author" content="{e(a)}">' for a in art.authors),
            '<meta name="twitter:card" content="summary_large_image">']
    ld: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
                          "datePublished": art.published.isoformat(), "dateModified": art.modified.isoformat(),
                          "author": [{"@type": "Person", "name": a} for a in art.authors],
                          "articleSection": art.section, "mainEntityOfPage": art.url, "inLanguage": site.lang,
                          "publisher": {"@type": "Organization", "name": site.title}}
    doc: Any = ld
    if site.template == "herald":  # Yoast style: a @graph, with a truncated articleBody
        ld["articleBody"] = art.text[:160] + "..."
        doc = {"@context": "https://schema.org", "@graph": [ld, {"@type": "WebPage", "@id": art.url}]}
    elif site.template == "gazette":
        doc = [ld, {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []}]
    blob = json.dumps(doc, ensure_ascii=False).replace("</", "<\\/")
    return "\n".join(tags) + f'\n<script type="application/ld+json">{blob}</script>'


def _listing(site: Site) -> str:
    # Relative links, half of them document-relative ("../"), as the page lives at /section/.
    out = ['<section class="listing"><h1 class="listing__title">Latest news</h1>']
    for art in site.live():
        href = ("../" + art.slug) if art.seq % 2 else art.path
        out.append(f'<div class="teaser"><a class="teaser__section" href="/{_slugify(art.section)}/">'
                   f'{html.escape(art.section)}</a><h2 class="headline"><a href="{href}">{html.escape(art.title)}'
                   f'</a></h2><p class="teaser__summary">{html.escape(art.summary)}</p>'
                   f'<time datetime="{art.published.isoformat()}">{art.published:%d %b %Y}</time></div>')
    out.append('<p class="pagination"><a href="/section/?page=2">Older stories</a></p></section>')
    return "\n".join(out)


# ---- feeds and sitemaps -----------------------------------------------------------------------------------

X = html.escape  # XML text and attribute escaping


def _tracked(art: Article) -> str:
    return f"{art.url}?{TRACKING}" if art.seq % 2 else art.url


def _rss(site: Site) -> tuple[bytes, str]:
    items = []
    for a in site.live():
        upd = f"<atom:updated>{a.modified.isoformat()}</atom:updated>" if a.edited else ""
        items.append(f"<item><title>{X(a.title)}</title><link>{X(_tracked(a))}</link>"
                     f'<guid isPermaLink="false">{site.name}-{a.seq}</guid>'
                     f"<pubDate>{format_datetime(a.published)}</pubDate>{upd}"
                     + "".join(f"<dc:creator>{X(n)}</dc:creator>" for n in a.authors)
                     + f"<category>{X(a.section)}</category><description>{X(a.summary)}</description></item>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
           f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>{X(site.title)}</title>'
           f"<link>{site.base_url}/</link><description>Latest news from {X(site.title)}</description>"
           f"<language>{site.lang}</language><lastBuildDate>{format_datetime(site.changed_at)}</lastBuildDate>"
           f'<atom:link href="{site.base_url}/feed.xml" rel="self" type="application/rss+xml"/>\n'
           + "\n".join(items) + "\n</channel></rss>\n")
    return xml.encode(), "application/rss+xml; charset=utf-8"


def _atom(site: Site) -> tuple[bytes, str]:
    entries = []
    for a in site.live():
        href = a.path.lstrip("/") if a.seq % 3 == 0 else a.url  # some relative to xml:base
        entries.append(f"<entry><title>{X(a.title)}</title><link rel=\"alternate\" type=\"text/html\" "
                       f'href="{X(href)}"/><id>tag:{site.name}.example,2026:{a.slug}</id>'
                       f"<published>{a.published.isoformat()}</published><updated>{a.modified.isoformat()}</updated>"
                       + "".join(f"<author><name>{X(n)}</name></author>" for n in a.authors)
                       + f'<category term="{X(a.section)}"/><summary>{X(a.summary)}</summary></entry>')
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
           f'xml:base="{site.base_url}/" xml:lang="{site.lang}"><title>{X(site.title)}</title>'
           f"<id>tag:{site.name}.example,2026:feed</id><updated>{site.changed_at.isoformat()}</updated>"
           f'<link rel="self" href="{site.base_url}/atom.xml"/><link rel="alternate" href="{site.base_url}/"/>\n'
           + "\n".join(entries) + "\n</feed>\n")
    return xml.encode(), "application/atom+xml; charset=utf-8"


def _json_feed(site: Site) -> tuple[bytes, str]:
    items = []
    for a in site.live():
        item: dict[str, Any] = {"id": f"{site.name}-{a.seq}", "url": _tracked(a), "title": a.title,
                                "summary": a.summary, "date_published": a.published.isoformat(),
                                "authors": [{"name": n} for n in a.authors], "tags": [a.section]}
        if a.edited:
            item["date_modified"] = a.modified.isoformat()
        items.append(item)
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": site.title, "language": site.lang,
           "home_page_url": site.base_url + "/", "feed_url": site.base_url + "/feed.json", "items": items}
    return json.dumps(doc, indent=1, ensure_ascii=False).encode(), "application/feed+json; charset=utf-8"


def _urlset(arts: Sequence[Article]) -> bytes:
    urls = "".join(f"<url><loc>{X(a.url)}</loc><lastmod>{a.modified.isoformat()}</lastmod></url>\n" for a in arts)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + urls + "</urlset>\n").encode()


def _halves(site: Site) -> tuple[list[Article], list[Article]]:
    arts = sorted(site.live(), key=lambda a: a.seq)
    cut = (len(arts) + 1) // 2
    return arts[:cut], arts[cut:]


def _sitemap_index(site: Site) -> tuple[bytes, str]:
    parts = []
    for name, arts in zip(("sitemap-1.xml", "sitemap-2.xml.gz"), _halves(site), strict=True):
        lastmod = max((a.modified for a in arts), default=site.changed_at).isoformat()
        parts.append(f"<sitemap><loc>{site.base_url}/{name}</loc><lastmod>{lastmod}</lastmod></sitemap>\n")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/'
           'sitemap/0.9">\n' + "".join(parts) + "</sitemapindex>\n")
    return xml.encode(), "application/xml; charset=utf-8"


def _news_sitemap(site: Site) -> tuple[bytes, str]:
    urls = "".join(f"<url><loc>{X(a.url)}</loc><news:news><news:publication><news:name>{X(site.title)}"
                   f"</news:name><news:language>{site.lang}</news:language></news:publication>"
                   f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
                   f"<news:title>{X(a.title)}</news:title></news:news><lastmod>{a.modified.isoformat()}</lastmod>"
                   "</url>\n" for a in site.live())
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + urls + "</urlset>\n")
    return xml.encode(), "application/xml; charset=utf-8"


FEEDS: dict[str, Any] = {
    "/feed.xml": _rss, "/atom.xml": _atom, "/feed.json": _json_feed,
    "/sitemap.xml": lambda s: (_urlset(s.live()), "application/xml; charset=utf-8"),
    "/sitemap_index.xml": _sitemap_index, "/news-sitemap.xml": _news_sitemap,
    "/sitemap-1.xml": lambda s: (_urlset(_halves(s)[0]), "application/xml; charset=utf-8"),
    # A gzip *file* (no Content-Encoding); mtime=0 keeps the bytes, hence the ETag, stable.
    "/sitemap-2.xml.gz": lambda s: (gzip.compress(_urlset(_halves(s)[1]), mtime=0), "application/x-gzip"),
}


def _conditional(body: bytes, ctype: str, changed: datetime, headers: dict[str, str]) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    validators = {"ETag": etag, "Last-Modified": format_datetime(changed, usegmt=True)}
    inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
    if inm is not None:  # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        fresh = "*" in tags or etag in tags
    else:
        try:
            fresh = ims is not None and changed <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            fresh = False
    if fresh:
        return Response(304, b"", ctype, validators)
    return Response(200, body, ctype, validators)


# ---- HTTP -------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and Content-Length, like real servers
    server_version = "nginx/1.24.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end eventually
    disable_nagle_algorithm = True  # headers and body go in two writes; avoid the 40 ms delayed-ACK stall
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
        pass

    def _serve(self) -> None:
        site = self.server.site
        headers = {k.lower(): v for k, v in self.headers.items()}
        site.record(Request(self.command, self.path, headers))
        path = self.path.split("?")[0].split("#")[0]
        if "://" in path:  # absolute form: we are being used as a proxy; serve the path
            path = urlsplit(path).path or "/"
        fault = site.take_fault(path)
        kind = fault.kind if fault else None
        params = fault.params if fault else {}
        if kind == "hang":
            site.web.stopping.wait(params.get("seconds"))
            self.close_connection = True
            return
        if kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if kind in _STREAM_FAULTS:
            _STREAM_FAULTS[kind](self, params)
            return
        resp = _fault_response(site, kind, params) if kind not in (None, "gzip", "trickle", "truncate",
                                                                    "charset") else None
        resp = resp or site.respond(path, headers)
        if kind == "charset":
            resp = _recode(resp, params)
        if kind == "truncate":
            self._write_truncated(resp, float(params.get("keep", 0.5)))
            return
        force_gzip = kind == "gzip"
        if resp.body and (force_gzip or (site.compress and "gzip" in headers.get("accept-encoding", ""))):
            resp.body = gzip.compress(resp.body)
            resp.headers["Content-Encoding"] = "gzip"
        self._write(resp, params if kind == "trickle" else None)

    def _write(self, resp: Response, trickle: dict[str, Any] | None) -> None:
        self.send_response(resp.status)
        if resp.status != 304:
            self.send_header("Content-Type", resp.content_type)
        if resp.status != 304:
            self.send_header("Content-Length", str(len(resp.body)))
        self.send_header("Vary", "Accept-Encoding")
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD" or resp.status == 304:
            return
        if trickle is None:
            self.wfile.write(resp.body)
            return
        chunk, delay = int(trickle.get("chunk", 16)), float(trickle.get("delay", 0.2))
        try:
            for i in range(0, len(resp.body), chunk):
                if self.server.site.web.stopping.is_set():
                    break
                self.wfile.write(resp.body[i : i + chunk])
                self.wfile.flush()
                time.sleep(delay)
        except OSError:  # the client gave up waiting, as it should
            self.close_connection = True


    def _write_truncated(self, resp: Response, keep: float) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))  # promises all of it
        self.end_headers()
        self.wfile.write(resp.body[: int(len(resp.body) * keep)])
        self.wfile.flush()
        self.close_connection = True


def _stream_endless(handler: _Handler, params: dict[str, Any]) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Connection", "close")  # body ends when the connection does: never
    handler.end_headers()
    piece = b"<p>" + b"endless " * (int(params.get("chunk", 65536)) // 8) + b"</p>\n"
    handler.wfile.write(b"<!DOCTYPE html><html><body>")
    try:
        while not handler.server.site.web.stopping.is_set():
            handler.wfile.write(piece)
    except OSError:
        pass  # the client gave up, as it should
    handler.close_connection = True


def _stream_huge(handler: _Handler, params: dict[str, Any]) -> None:
    size = int(params.get("size", 8_000_000))
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    if params.get("declare", True):
        handler.send_header("Content-Length", str(size))
    else:
        handler.send_header("Connection", "close")
    handler.end_headers()
    piece = b"<p>" + b"huge " * 13106 + b"</p>\n"
    try:
        sent = 0
        while sent < size and not handler.server.site.web.stopping.is_set():
            chunk = piece[: size - sent]
            handler.wfile.write(chunk)
            sent += len(chunk)
    except OSError:
        pass
    handler.close_connection = True


@functools.lru_cache(maxsize=4)
def bomb(kind: str, size: int) -> bytes:
    """`size` zero bytes, gzip- or brotli-compressed (cached: the gzip one takes a moment)."""
    zeros = b"\0" * (1 << 20)
    comp: Any = zlib.compressobj(6, zlib.DEFLATED, 31) if kind == "gzip" else brotli.Compressor(quality=5)
    feed = comp.compress if kind == "gzip" else comp.process
    out = [feed(zeros) for _ in range(size >> 20)]
    out.append(comp.flush() if kind == "gzip" else comp.finish())
    return b"".join(out)


def _stream_bomb(coding: str) -> Any:
    def serve(handler: _Handler, params: dict[str, Any]) -> None:
        body = bomb("gzip" if coding == "gzip" else "br", int(params.get("size", 256 << 20)))
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Encoding", coding)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except OSError:
            pass

    return serve


_STREAM_FAULTS: dict[str, Any] = {"endless": _stream_endless, "huge": _stream_huge,
                                  "gzip_bomb": _stream_bomb("gzip"), "brotli_bomb": _stream_bomb("br")}
_META = re.compile(r"<meta charset=\"utf-8\">|<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">")


def _recode(resp: Response, params: dict[str, Any]) -> Response:
    """The page in another encoding, declared in its <meta> (and in the header only if asked)."""
    encoding = str(params.get("encoding", "windows-1251"))
    text = _META.sub(f'<meta charset="{encoding}">', resp.body.decode("utf-8"), count=1)
    header = params.get("header")
    ctype = "text/html" if header is None else f"text/html; charset={header}"
    return Response(resp.status, text.encode(encoding, "xmlcharrefreplace"), ctype, resp.headers)


def _fault_response(site: Site, kind: str | None, params: dict[str, Any]) -> Response:
    if kind == "status":
        status = int(params.get("status", 503))
        extra = {"Retry-After": str(params["retry_after"])} if params.get("retry_after") is not None else {}
        return Response(status, str(params.get("body", f"<h1>Error {status}</h1>")).encode(), headers=extra)
    if kind == "redirect":
        to = str(params["to"])
        location = to if "://" in to else site.base_url + to
        return Response(int(params.get("status", 301)), b"", headers={"Location": location})
    if kind == "pdf":
        return Response(200, PDF, "application/pdf")
    if kind == "body":
        body = params.get("body", b"")
        return Response(int(params.get("status", 200)), body if isinstance(body, bytes) else str(body).encode(),
                        str(params.get("content_type", "text/html; charset=utf-8")), dict(params.get("headers", {})))
    raise ValueError(f"unknown fault kind {kind!r}")


# ---- demo -------------------------------------------------------------------------------------------------


def demo(web: SimWeb, articles: int = 10) -> None:
    """Fill `web` with three sites, `articles` stories and one reprint."""
    sites = [web.add_site(n) for n in ("daily", "herald", "gazette")]
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=2)
    stories = []
    for i in range(articles):
        site, section = sites[i % len(sites)], SECTIONS[i % len(SECTIONS)]
        when = start + timedelta(hours=3 * i)
        title = f"{POOL[i % len(POOL)]} in {section.lower()} (story {i + 1})"
        paras = [f"Story {i + 1}, paragraph {j + 1}: {s}" for j, s in enumerate(COMMENTS[: 4 + i % 4])]
        slug = f"{_slugify(section)}/{when:%Y/%m/%d}/{_slugify(title)}"
        stories.append(site.add_article(slug, title=title, paragraphs=paras, authors=["Jane Doe"],
                                        published=when, section=section))
    sites[1].reprint(stories[0], "news/reprint-" + stories[0].slug.rsplit("/", 1)[-1])
    sites[0].robots_txt = "User-agent: *\nDisallow: /private/\n"
    sites[0].add_article("private/members-only-story", title="Members only", paragraphs=["Secret text."])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a simulated news web until Ctrl-C.")
    parser.add_argument("--port-base", type=int, default=None, help="first port (default: any free ports)")
    parser.add_argument("--articles", type=int, default=10)
    args = parser.parse_args(argv)
    with SimWeb(port_base=args.port_base) as web:
        demo(web, args.articles)
        for site in web.sites.values():
            print(f"{site.name:8} {site.base_url}/  ({site.template}, {len(site.articles)} articles)")
            for p in ("/feed.xml", "/atom.xml", "/feed.json", "/sitemap_index.xml", "/news-sitemap.xml", "/section/"):
                print(f"         {site.base_url}{p}")
        print("Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
