"""A fast local news site of big, realistic article pages, for benchmarks (standard library only).

    python bench/bigweb.py --pages 2000 [--seed 1] [--port 0]    # prints "READY http://127.0.0.1:PORT"

One asyncio process, HTTP/1.1 with keep-alive, so the server is not what limits a client's rate.
Article pages weigh 100-200 KB like real ones: a big inline <style>, inline scripts (analytics, a
JSON state blob whose size varies per page), a mega-menu of ~1,000 links, JSON-LD, a byline, the
article (6-12 paragraphs of English-like sentences, ~4-7 KB of text), an inline ad, and rotating
widgets that change on every request (most read, view counter, session token, clock, comments).
The article itself never changes, so a revisit of an unchanged page must not make a version.

Endpoints: /robots.txt (allows all), /sitemap.xml (every article, with lastmod), /a/<i>/<slug>.
`Corpus(n, seed).title(i)` and `.text(i)` give what a perfect extractor returns for page i.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import lru_cache

DET = ["the", "a", "this", "one", "every", "that"]
ADJ = ["local", "national", "new", "former", "senior", "small", "large", "public", "private", "regional",
       "early", "late", "major", "recent", "annual", "key", "rural", "coastal", "northern", "southern",
       "independent", "official", "young", "old", "foreign", "economic", "political", "medical", "legal"]
NOUN = ["government", "minister", "council", "company", "report", "court", "city", "village", "school",
        "hospital", "river", "bridge", "market", "election", "budget", "police", "museum", "team", "union",
        "agency", "board", "committee", "region", "plant", "factory", "farmer", "teacher", "doctor", "judge",
        "investor", "bank", "port", "airport", "railway", "network", "study", "survey", "plan", "proposal",
        "law", "rule", "policy", "festival", "club", "station", "tower", "project", "fund", "office", "mayor"]
VERB = ["announced", "rejected", "approved", "reviewed", "delayed", "expanded", "criticised", "welcomed",
        "funded", "closed", "opened", "challenged", "supported", "questioned", "described", "examined",
        "reported", "praised", "blocked", "confirmed", "launched", "cancelled", "changed", "defended"]
PREP = ["after", "before", "during", "despite", "near", "across", "within", "without", "following", "amid"]
CONJ = ["while", "although", "because", "as", "and", "but", "since"]
NAMES = ["Anna Keller", "Omar Haddad", "Li Wei", "Maria Rossi", "John Smith", "Aylin Demir", "Sofia Novak",
         "Pedro Alves", "Fatima Zahra", "Jonas Berg", "Elena Petrova", "David Cohen", "Grace Mensah"]
SECTIONS = ["World", "Politics", "Business", "Economy", "Climate", "Science", "Technology", "Health",
            "Culture", "Sport", "Opinion", "Travel", "Education", "Europe", "Asia", "Americas", "Africa"]
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


SITEMAP_URLS = 20_000  # per file, as big sites split them: under the default max_bytes (5MB) of a source


class Corpus:
    """The site's articles, generated from a seed: page i is the same in every process."""

    def __init__(self, n: int, seed: int = 1) -> None:
        self.n = n
        self.seed = seed

    def _rng(self, i: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + i)

    @lru_cache(maxsize=4096)  # noqa: B019 - a corpus lives as long as the process
    def article(self, i: int) -> tuple[str, list[str], str, datetime, str]:
        """(title, paragraphs, author, published, section) of article i."""
        rng = self._rng(i)
        title = _sentence(rng, end="").rstrip(",")
        title = f"{title} ({i})"  # unique titles: no two pages are near-duplicates by headline
        paras = [" ".join(_sentence(rng) for _ in range(rng.randint(3, 5))) for _ in range(rng.randint(6, 12))]
        published = EPOCH + timedelta(minutes=i * 7 + rng.randint(0, 5))
        return title, paras, rng.choice(NAMES), published, rng.choice(SECTIONS)

    def title(self, i: int) -> str:
        return self.article(i)[0]

    def text(self, i: int) -> str:
        return "\n\n".join(self.article(i)[1])

    def path(self, i: int) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.title(i).lower()).strip("-")[:60]
        return f"/a/{i}/{slug}"


def _sentence(rng: random.Random, end: str = ".") -> str:
    words = [rng.choice(DET), *([rng.choice(ADJ)] if rng.random() < 0.6 else []), rng.choice(NOUN),
             rng.choice(VERB), rng.choice(DET), rng.choice(NOUN), rng.choice(PREP), rng.choice(DET),
             *([rng.choice(ADJ)] if rng.random() < 0.5 else []), rng.choice(NOUN)]
    if rng.random() < 0.5:
        words += [rng.choice(CONJ), rng.choice(DET), rng.choice(NOUN), rng.choice(VERB), "its",
                  rng.choice(NOUN), f"{rng.randint(2, 98)} times" if rng.random() < 0.3 else "again"]
    s = " ".join(words)
    return s[0].upper() + s[1:] + end


# --- the page ----------------------------------------------------------------------------------


def _chrome(seed: int) -> dict[str, bytes]:
    """The parts every page shares (style, scripts, mega-menu, footer) and the state blob's entries."""
    rng = random.Random(seed)
    css = "".join(
        f".c-{i:04x}{{display:flex;margin:{rng.randint(0, 24)}px {rng.randint(0, 24)}px;color:#{rng.randint(0, 0xFFFFFF):06x};"
        f"font:{rng.randint(11, 22)}px/1.{rng.randint(2, 8)} Georgia,serif}}@media(max-width:{rng.randint(320, 1200)}px)"
        f"{{.c-{i:04x}{{display:none}}}}\n" for i in range(260))
    js = "".join(
        f"function f{i}(a,b){{var c=a[{rng.randint(0, 9)}]||{{}};return b&&c.k{i}?c.k{i}(b):window.dl.push"
        f"({{e:'ev{i}',v:{rng.randint(0, 999)}}})}}" for i in range(180))
    menu = "".join(
        f'<li class="mega__col"><a class="mega__head" href="/s/{s.lower()}/">{s}</a><ul>'
        + "".join(f'<li><a href="/s/{s.lower()}/topic-{k}/">{s} topic {k}</a></li>' for k in range(55))
        + "</ul></li>" for s in SECTIONS)
    footer = "".join(f'<li><a href="/about/page-{k}">About page {k}</a></li>' for k in range(120))
    entries = [
        f'"item:{k}":{{"id":{k},"type":"Teaser","headline":"Teaser headline number {k} for the state cache",'
        f'"url":"/a/{k}/teaser","img":"https://cdn.example.net/img/{rng.randint(10**8, 10**9)}.jpg","w":1200,"h":675}}'
        for k in range(900)]
    return {"css": css.encode(), "js": js.encode(), "menu": menu.encode(), "footer": footer.encode(),
            "entries": "\x00".join(entries).encode()}


class Site:
    def __init__(self, n: int, seed: int) -> None:
        self.corpus = Corpus(n, seed)
        c = _chrome(seed)
        self.top = (b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                    b'<meta name="viewport" content="width=device-width,initial-scale=1"><style>' + c["css"]
                    + b"</style><script>window.dl=window.dl||[];" + c["js"] + b"</script>")
        self.menu = b'<nav class="mega" aria-label="Sections"><ul class="mega__cols">' + c["menu"] + b"</ul></nav>"
        self.footer = (b'<footer class="site-footer"><ul>' + c["footer"] + b"</ul><p>&copy; 2026 The Bench Daily."
                       b" All rights reserved.</p></footer>")
        self.entries = c["entries"].split(b"\x00")

    def page(self, i: int) -> bytes:
        title, paras, author, published, section = self.corpus.article(i)
        target = 100_000 + random.Random(i).randint(0, 100_000)  # this page's weight, 100-200 KB
        head = _head(self.corpus, i, title, author, published)
        body = _article(i, title, paras, author, published, section)
        widgets = _widgets(self.corpus, i)
        fixed = len(self.top) + len(head) + len(self.menu) + len(body) + len(widgets) + len(self.footer) + 60
        state, size = [], 0
        for e in self.entries:  # the state blob fills the page up to its weight
            if fixed + size >= target:
                break
            state.append(e)
            size += len(e) + 1
        blob = b"<script>window.__STATE__={" + b",".join(state) + b"};</script>"
        return b"".join((self.top, head, b"</head><body>", self.menu, body, widgets, self.footer, blob,
                         b"</body></html>"))

    def sitemap(self, part: int | None = None) -> bytes:
        """Every article in one urlset, or, past SITEMAP_URLS, an index of urlsets (/sitemap-0.xml, ...)
        of up to SITEMAP_URLS each, as a big site serves them."""
        parts = -(-self.corpus.n // SITEMAP_URLS)
        if part is None and parts > 1:
            rows = [f"<sitemap><loc>{{base}}/sitemap-{k}.xml</loc></sitemap>" for k in range(parts)]
            return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(rows) + "</sitemapindex>").encode()
        first = (part or 0) * SITEMAP_URLS
        rows = [f"<url><loc>{{base}}{self.corpus.path(i)}</loc><lastmod>"
                f"{self.corpus.article(i)[3].isoformat()}</lastmod></url>"
                for i in range(first, min(self.corpus.n, first + SITEMAP_URLS))]
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(rows) + "</urlset>").encode()


def _head(corpus: Corpus, i: int, title: str, author: str, published: datetime) -> bytes:
    ld = (f'{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}",'
          f'"datePublished":"{published.isoformat()}","author":{{"@type":"Person","name":"{author}"}}}}')
    return (f"<title>{title} | The Bench Daily</title>"
            f'<meta property="og:title" content="{title}"><meta property="og:type" content="article">'
            f'<meta name="author" content="{author}">'
            f'<meta property="article:published_time" content="{published.isoformat()}">'
            f'<script type="application/ld+json">{ld}</script>').encode()


def _article(i: int, title: str, paras: list[str], author: str, published: datetime, section: str) -> bytes:
    half = len(paras) // 2
    ps = ["<p>" + p + "</p>" for p in paras]
    return (f'<main id="main"><article class="story"><a class="kicker" href="/s/{section.lower()}/">{section}</a>'
            f"<h1>{title}</h1><p class=\"byline\">By <a rel=\"author\" href=\"/authors/{author.replace(' ', '-')}\">"
            f'{author}</a></p><time datetime="{published.isoformat()}">{published:%d %B %Y}</time>'
            '<div class="share"><a href="https://www.facebook.com/sharer.php">Share</a> <button>Copy link</button></div>'
            '<div class="article-body">' + "".join(ps[:half])
            + '<div class="ad ad--inline"><span>Advertisement</span><a href="https://ads.example.net/c">'
              "Holiday flights from 49</a></div>" + "".join(ps[half:]) + "</div></article>").encode()


def _widgets(corpus: Corpus, i: int) -> bytes:
    """What changes on every request: most read, counters, a token, the clock, comments."""
    rng = random.Random()
    picks = [rng.randrange(corpus.n) for _ in range(10)]
    most = "".join(f'<li><a href="{corpus.path(k)}">Story number {k} that readers liked</a></li>' for k in picks)
    return (f'<aside class="most-read"><h3>Most read</h3><ol>{most}</ol></aside>'
            f'<div class="counter">{rng.randint(100, 99_999)} views</div>'
            f'<section class="comments"><h3>Comments ({rng.randint(0, 300)})</h3>'
            f'<p class="c">Comment {rng.randint(0, 10**6)}: interesting.</p>'
            f'<input type="hidden" name="csrf" value="{secrets.token_hex(16)}"></section>'
            f'<div class="clock">Page generated {time.time():.3f}</div>').encode()


# --- the server --------------------------------------------------------------------------------


class _Http(asyncio.Protocol):
    """Minimal HTTP/1.1 with keep-alive: GET only, bodies always with Content-Length."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.buf = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while (end := self.buf.find(b"\r\n\r\n")) >= 0:
            head, self.buf = self.buf[:end], self.buf[end + 4:]
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
            host = next((ln[5:].strip() for ln in lines[1:] if ln[:5].lower() == b"host:"), b"127.0.0.1")
            close = any(ln.lower().startswith(b"connection:") and b"close" in ln.lower() for ln in lines[1:])
            status, ctype, body = self.answer(path, host.decode("latin-1"))
            assert self.transport is not None
            self.transport.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                f"Date: {format_datetime(datetime.now(UTC), usegmt=True)}\r\n"
                f"{'Connection: close' if close else 'Connection: keep-alive'}\r\n\r\n".encode() + body)
            if close:
                self.transport.close()
                return

    def answer(self, path: str, host: str) -> tuple[str, str, bytes]:
        path = path.split("?", 1)[0]
        if path.startswith("/a/"):
            try:
                i = int(path.split("/")[2])
            except ValueError:
                i = -1
            if 0 <= i < self.site.corpus.n:
                return "200 OK", "text/html; charset=utf-8", self.site.page(i)
        elif path == "/sitemap.xml":
            return "200 OK", "application/xml", _sitemap(self.site, f"http://{host}", None)
        elif path.startswith("/sitemap-") and path.endswith(".xml") and path[9:-4].isdigit():
            return "200 OK", "application/xml", _sitemap(self.site, f"http://{host}", int(path[9:-4]))
        elif path == "/robots.txt":
            return "200 OK", "text/plain", b"User-agent: *\nAllow: /\n"
        return "404 Not Found", "text/plain", b"not found"


@lru_cache(maxsize=8)
def _sitemap(site: Site, base: str, part: int | None) -> bytes:
    return site.sitemap(part).replace(b"{base}", base.encode())


async def serve(n: int, seed: int, port: int) -> None:
    site = Site(n, seed)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Http(site), "127.0.0.1", port, backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    print(f"READY http://127.0.0.1:{bound}", flush=True)
    async with server:
        await server.serve_forever()


class BigWeb:
    """The server in its own process: `with BigWeb(2000) as web: web.base_url, web.sitemap_url`."""

    def __init__(self, pages: int, seed: int = 1) -> None:
        self.pages, self.seed = pages, seed
        self.corpus = Corpus(pages, seed)
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> BigWeb:
        self.proc = subprocess.Popen([sys.executable, __file__, "--pages", str(self.pages), "--seed", str(self.seed)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("READY "):
            self.proc.kill()
            raise RuntimeError(f"bigweb did not start: {line!r}")
        self.base_url = line.split()[1]
        return self

    @property
    def sitemap_url(self) -> str:
        return self.base_url + "/sitemap.xml"

    def urls(self) -> list[str]:
        return [self.base_url + self.corpus.path(i) for i in range(self.pages)]

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    try:
        asyncio.run(serve(args.pages, args.seed, args.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
