"""`newsarchive demo`: an offline first run (issue 16, item 8).

A small simulated news site on 127.0.0.1 (standard library only: the installed package cannot use the
tests' tests/simweb.py), a config that lists its feed, an archive in a folder of its own; one pass,
an edit of one story and a second pass that sees it (a second version), then the archive browser
until Ctrl-C. Everything runs in this one process (no examining or writing helpers), so a stop leaves
nothing behind; a temporary folder is removed at the end.
"""

from __future__ import annotations

import asyncio
import errno
import html
import shutil
import socket
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SOURCE = "demo-daily"

STORIES = [
    ("harbour-bridge-reopens", "Harbour bridge reopens after two years of repairs", "City", [
        "The harbour bridge reopened to traffic on Monday morning, two years after engineers closed it to "
        "replace corroded cables and the worn deck that carried forty thousand cars a day.",
        "The repairs cost 180 million, the transport office said, about a fifth more than planned, after "
        "divers found that two of the piers needed new foundations as well.",
        "Commuters who had spent the closure on ferries and a long detour through the industrial district "
        "greeted the first buses with applause. Cyclists get a lane of their own on the eastern side.",
        "Tolls return in March. Until then the office wants to learn how traffic settles before it decides "
        "whether lorries may cross at rush hour.",
    ]),
    ("library-opens-at-night", "Central library to stay open until midnight", "Culture", [
        "The central library will stay open until midnight from next month, the council decided on "
        "Thursday, after students collected nine thousand signatures for longer hours during exams.",
        "Six extra staff will be hired for the evening shifts, paid for by closing two rarely used branch "
        "offices in the northern suburbs and moving their books to the main building.",
        "The reading rooms on the third floor stay quiet after ten; the ground floor cafe and the group "
        "study rooms keep their usual rules until closing time.",
        "A trial in the spring showed that most late visitors came between eight and eleven, the librarians "
        "said, many of them after work rather than after classes.",
    ]),
    ("orchard-harvest-early", "Warm autumn brings the apple harvest forward", "Science", [
        "Orchards in the valley began picking apples almost three weeks earlier than usual, after the "
        "warmest September since local records began more than a century ago.",
        "Growers said the fruit was sweet but smaller, and that the early harvest left them short of "
        "pickers, most of whom had been booked for the middle of October.",
        "Researchers at the agricultural college have tracked flowering dates for forty years and see the "
        "season moving forward by about two days each decade.",
        "Some farms are planting varieties that need fewer cold nights in winter, a change that takes "
        "years to pay off because young trees bear little fruit at first.",
    ]),
    ("river-festival-returns", "River festival returns with a night regatta", "Culture", [
        "The river festival returns this weekend with its first night regatta, in which more than sixty "
        "lit boats will row the two kilometres between the old mill and the harbour.",
        "Organisers expect a hundred thousand visitors over three days and have asked them to leave their "
        "cars at home: trams will run every five minutes until two in the morning.",
        "Food stalls line both banks, and the fireworks that closed the festival for decades are replaced "
        "by a drone show, after complaints from residents and the harbour's bird sanctuary.",
        "Entry is free. The regatta starts at nine on Saturday evening; the rowing clubs train on the "
        "course on Friday afternoon, when the river is closed to other boats.",
    ]),
]
EDIT = ("harbour-bridge-reopens", "Harbour bridge reopens after two years of repairs, over budget",
        ("about a fifth more than planned", "about a third more than planned"))


class DemoSite:
    """One news site: /robots.txt, /feed.xml (RSS 2.0), a front page and a page per story."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)
        self.stories: dict[str, dict[str, Any]] = {
            slug: {"title": title, "section": section, "paragraphs": list(paras),
                   "published": start + timedelta(hours=i), "modified": start + timedelta(hours=i)}
            for i, (slug, title, section, paras) in enumerate(STORIES)}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, 0), _Handler)
        self.server.daemon_threads = True
        self.server.site = self  # type: ignore[attr-defined]
        self.base_url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="demo-site", daemon=True)

    def start(self) -> DemoSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, slug: str) -> str:
        return f"{self.base_url}/news/{slug}"

    def edit(self) -> str:
        """Correct one story (headline and a sentence); returns its URL."""
        slug, title, (old, new) = EDIT
        with self.lock:
            story = self.stories[slug]
            story["title"] = title
            story["paragraphs"] = [p.replace(old, new) for p in story["paragraphs"]]
            story["modified"] = datetime.now(UTC).replace(microsecond=0)
        return self.url(slug)

    def page(self, path: str) -> tuple[int, str, str]:
        with self.lock:
            if path == "/robots.txt":
                return 200, "text/plain; charset=utf-8", "User-agent: *\nAllow: /\n"
            if path == "/feed.xml":
                return 200, "application/rss+xml; charset=utf-8", self._feed()
            if path == "/":
                items = "".join(f'<li><h2><a href="/news/{slug}">{html.escape(s["title"])}</a></h2></li>'
                                for slug, s in self.stories.items())
                return 200, "text/html; charset=utf-8", _chrome("The Demo Daily", f"<ul>{items}</ul>")
            if path.startswith("/news/") and path[6:] in self.stories:
                return 200, "text/html; charset=utf-8", self._article(path[6:])
        return 404, "text/html; charset=utf-8", _chrome("Not found", "<p>No such page.</p>")

    def _feed(self) -> str:
        items = "".join(
            f"<item><title>{html.escape(s['title'])}</title><link>{self.url(slug)}</link>"
            f"<guid isPermaLink=\"true\">{self.url(slug)}</guid><pubDate>{format_datetime(s['published'])}</pubDate>"
            f"<description>{html.escape(s['paragraphs'][0])}</description></item>"
            for slug, s in self.stories.items())
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>The Demo Daily</title>'
                f"<link>{self.base_url}/</link><description>A simulated news site</description>{items}</channel></rss>")

    def _article(self, slug: str) -> str:
        s = self.stories[slug]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in s["paragraphs"])
        main = (f'<article><h1>{html.escape(s["title"])}</h1><p class="byline">By Jane Doe, {s["section"]} desk</p>'
                f'<time datetime="{s["published"].isoformat()}">{s["published"]:%d %B %Y, %H:%M}</time>'
                f'<div class="story-body">{body}</div></article>'
                '<aside><h3>Most read</h3><ul><li><a href="/">Front page</a></li></ul></aside>')
        meta = (f'<link rel="canonical" href="{self.url(slug)}"><meta property="og:title" '
                f'content="{html.escape(s["title"])}"><meta property="article:published_time" '
                f'content="{s["published"].isoformat()}"><meta property="article:modified_time" '
                f'content="{s["modified"].isoformat()}">')
        return _chrome(f"{s['title']} | The Demo Daily", main, meta)


def _chrome(title: str, main: str, meta: str = "") -> str:
    nav = "".join(f'<li><a href="/">{s}</a></li>' for s in ("City", "Culture", "Science", "Sport", "Opinion"))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>{meta}'
            f'</head><body><header><a href="/">The Demo Daily</a><nav><ul>{nav}</ul></nav></header>'
            f"<main>{main}</main><footer><p>The Demo Daily, a simulated site for newsarchive demo.</p>"
            '<a href="/">About us</a> <a href="/">Contact</a></footer></body></html>')


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, ctype, text = self.server.site.page(self.path.split("?", 1)[0])  # type: ignore[attr-defined]
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the archive logs its fetches
        pass


CONFIG = """\
# Written by `newsarchive demo`: the simulated site it started on 127.0.0.1.
defaults:
  every: 15m
  revisit: [1h, 1d]
  per_host_delay: 0s
  per_host_concurrency: 4
  allow_private_networks: true   # the demo site lives on 127.0.0.1
sources:
  - name: {name}
    kind: feed
    url: {url}/feed.xml
"""


def free_port(host: str, wanted: int) -> int:
    """`wanted` if free, else any free port (the demo should start, not fail on a busy 8080)."""
    for port in (wanted, 0):
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                          flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(addr)
            except OSError as e:
                if e.errno == errno.EADDRINUSE and port:
                    continue
                raise
            return sock.getsockname()[1]
    raise OSError(errno.EADDRINUSE, "no free port")


def run_demo(folder: Path | None, host: str = "127.0.0.1", port: int = 8080) -> int:
    from worker.config import load_config
    from worker.service import run_service
    from worker.store.engine import make_engine
    from worker.store.migrate import upgrade
    from worker.store.repository import ArchiveStore
    from worker.web import serve

    made = folder is None
    folder = Path(tempfile.mkdtemp(prefix="newsarchive-demo-")) if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    site = DemoSite().start()
    try:
        config_path = folder / "sources.yaml"
        config_path.write_text(CONFIG.format(name=SOURCE, url=site.base_url), encoding="utf-8")
        config = load_config(str(config_path))
        db_url = f"sqlite:///{folder / 'archive.sqlite3'}"
        say(f"demo: a simulated news site at {site.base_url}/ ({len(site.stories)} stories, feed "
            f"{site.base_url}/feed.xml); archive and config in {folder}")
        upgrade(db_url)
        say("demo: first pass (every story is captured: version 1) ...")
        asyncio.run(run_service(config, db_url, once=True, only=[], migrate=False, examiners=0))
        edited = site.edit()
        say(f"demo: the site corrects a story ({edited}); second pass, fetching the known stories again ...")
        engine = make_engine(db_url)
        try:
            ArchiveStore(engine).recheck([SOURCE], datetime.now(UTC))
        finally:
            engine.dispose()
        asyncio.run(run_service(config, db_url, once=True, only=[], migrate=False, examiners=0))
        port = free_port(host, port)
        browser = f"http://{f'[{host}]' if ':' in host else host}:{port}"
        say("")
        say(f"demo: the archive browser:      {browser}/")
        say(f"demo: the story with 2 versions: {browser}/lookup?url={edited}")
        say(f"demo: what changed:             {browser}/changes")
        say(f"demo: the same from the command line: newsarchive history {edited} --db {db_url}")
        say("demo: Ctrl-C ends the browser and the site" + (" and removes the folder" if made else ""))
        say("")
        return serve(db_url, config, host=host, port=port)
    finally:
        site.stop()
        if made:
            shutil.rmtree(folder, ignore_errors=True)


def say(line: str) -> None:
    print(line, flush=True)
