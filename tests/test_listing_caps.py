"""Bounded listings (issue 17): a poll reads at most `max_child_sitemaps` child sitemaps (all levels of
an index together) and takes at most `max_listing_urls` listed URLs; what is cut is logged and counted,
and the listing bodies are not held to the end of the poll.

A real HTTP server on 127.0.0.1 serves a sitemap index 3 levels deep, 200 children per index (8 million
sitemaps if all were read).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.test_faults_helpers import cli, write_config
from worker.config import ConfigError, load_config
from worker.fetch import Fetcher
from worker.pipeline import Pipeline, utcnow
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.repository import ArchiveStore

FANOUT = 200
URLS_PER_LEAF = 3


class SitemapTree:
    """/index.xml -> /s/1-i.xml -> /s/2-i-j.xml -> /s/3-i-j-k.xml (urlsets); articles answer 404."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        tree = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                tree.requests.append(self.path)
                status, body, etag = tree.answer(self.path, self.headers.get("If-None-Match"))
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def answer(self, path: str, if_none_match: str | None) -> tuple[int, bytes, str | None]:
        if path == "/index.xml":
            return self._index("1", [str(i) for i in range(FANOUT)])
        m = re.fullmatch(r"/s/([123])-([\d-]+)\.xml", path)
        if m is None:
            return 404, b"", None
        level, key = int(m[1]), m[2]
        if level < 3:
            return self._index(str(level + 1), [f"{key}-{i}" for i in range(FANOUT)])
        etag = f'"{key}"'
        if if_none_match == etag:
            return 304, b"", etag
        locs = "".join(f"<url><loc>{self.base}/a/{key}-{n}</loc></url>" for n in range(URLS_PER_LEAF))
        return 200, f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode(), etag

    def _index(self, level: str, keys: list[str]) -> tuple[int, bytes, str | None]:
        locs = "".join(f"<sitemap><loc>{self.base}/s/{level}-{k}.xml</loc></sitemap>" for k in keys)
        return 200, f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'.encode(), None

    def listing_requests(self) -> list[str]:
        return [p for p in self.requests if p.endswith(".xml")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tree() -> Iterator[SitemapTree]:
    t = SitemapTree()
    yield t
    t.close()


def _config(tmp_path: Path, tree: SitemapTree, **keys: Any) -> Path:
    return write_config(tmp_path / "sources.yaml", [{"name": "deep", "kind": "sitemap",
                                                      "url": f"{tree.base}/index.xml", **keys}], retries=0)


async def _poll(config: Path, db: str, polls: int = 1) -> tuple[Any, list[Any]]:
    upgrade(db)
    store = ArchiveStore(make_engine(db))
    src = load_config(config).sources[0]
    ids = store.sync_sources([(src.name, src.kind, src.url)], utcnow())
    kept: list[Any] = []
    mark_polled = store.mark_polled

    def spy(sid: int, at: Any, ok: bool, listings: Any = (), **kw: Any) -> None:
        kept.extend(f for f, _ in listings)
        mark_polled(sid, at, ok, listings, **kw)

    store.mark_polled = spy  # type: ignore[method-assign]
    async with Fetcher() as fetcher:
        pipe = Pipeline(store, fetcher, ids)
        for _ in range(polls):
            stats = await pipe.poll(src)
    store.engine.dispose()
    return stats, kept


async def test_child_sitemaps_per_poll_are_capped_across_levels(tree: SitemapTree, tmp_path: Path,
                                                               db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "worker.pipeline")
    stats, kept = await _poll(_config(tmp_path, tree, max_child_sitemaps=25), db_url)
    # the index itself and 25 children of all levels: 1 + 2 + 22 leaves (depth first)
    assert len(tree.listing_requests()) == 1 + 25
    leaves = [p for p in tree.listing_requests() if p.startswith("/s/3-")]
    assert len(leaves) == 23 and stats.links == 23 * URLS_PER_LEAF
    # every index names 200 children: those not read are counted, each once
    assert stats.sitemaps_cut == 3 * FANOUT - 25 and stats.urls_cut == 0
    assert "listings cut (max_child_sitemaps, max_listing_urls): 575 child sitemaps not read" in stats.summary()
    [line] = [r.getMessage() for r in caplog.records if "not read" in r.getMessage()]
    assert line == "source deep: 575 child sitemaps not read this poll (max_child_sitemaps 25)"
    # the listing answers handed to mark_polled carry no body (released when parsed)
    assert kept and all(f.body == b"" for f in kept)


async def test_validators_survive_the_released_bodies(tree: SitemapTree, tmp_path: Path, sqlite_url: str) -> None:
    stats, _ = await _poll(_config(tmp_path, tree, max_child_sitemaps=3), sqlite_url, polls=2)
    # the second poll sends the leaves' ETags back and they answer 304
    assert stats.listings_not_modified == 1  # the one leaf (1 + 1 + 1 levels deep)
    assert len(tree.listing_requests()) == 2 * (1 + 3)


async def test_urls_per_poll_are_capped(tree: SitemapTree, tmp_path: Path, sqlite_url: str,
                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "worker.pipeline")
    stats, _ = await _poll(_config(tmp_path, tree, max_listing_urls=10), sqlite_url)
    assert stats.links == 10 and stats.urls_cut == 4 * URLS_PER_LEAF - 10  # the 4th leaf was cut short
    # once the URLs are taken no further child sitemap is fetched
    assert len(tree.listing_requests()) == 1 + 2 + 4
    assert stats.sitemaps_cut == 3 * FANOUT - 6
    assert "source deep: 2 listed URLs dropped this poll (max_listing_urls 10)" in caplog.text
    assert "source deep: 594 child sitemaps not read this poll (max_listing_urls 10 reached)" in caplog.text
    assert "listings cut (max_child_sitemaps, max_listing_urls): 594 child sitemaps not read, 2 listed URLs dropped" \
        in stats.summary()


def test_defaults_bound_a_poll_through_the_cli(tree: SitemapTree, tmp_path: Path) -> None:
    config = write_config(tmp_path / "sources.yaml", [{"name": "deep", "kind": "sitemap",
                                                        "url": f"{tree.base}/index.xml",
                                                        "include": ["^nothing$"]}], retries=0)
    res = cli("run", "--once", "--config", str(config), "--db", f"sqlite:///{tmp_path}/a.sqlite3")
    assert len(tree.listing_requests()) == 1 + 50  # max_child_sitemaps defaults to 50
    assert "listings cut (max_child_sitemaps, max_listing_urls): 550 child sitemaps not read" in res.stdout
    assert "deep: 550 child sitemaps not read this poll (max_child_sitemaps 50)" in res.stderr


@pytest.mark.parametrize("key, value, problem", [("max_child_sitemaps", -1, "too small (must be at least 0)"),
                                                 ("max_listing_urls", 0, "too small (must be at least 1)"),
                                                 ("max_listing_urls", "many", "not a whole number")])
def test_bad_caps_name_file_line_and_key(tmp_path: Path, key: str, value: Any, problem: str) -> None:
    p = tmp_path / "s.yaml"
    p.write_text(f"defaults:\n  {key}: {value}\nsources: []\n")
    with pytest.raises(ConfigError) as e:
        load_config(p)
    assert str(e.value).startswith(f"{p}:2: defaults.{key}: ") and problem in str(e.value)


def test_a_source_key_wins_over_the_default(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("defaults: {max_child_sitemaps: 5, max_listing_urls: 7}\nsources:\n"
                 "  - {name: a, kind: sitemap, url: 'https://a.example/s.xml', max_child_sitemaps: 0}\n"
                 "  - {name: b, kind: feed, url: 'https://b.example/rss'}\n")
    a, b = load_config(p).sources
    assert (a.max_child_sitemaps, a.max_listing_urls, b.max_child_sitemaps, b.max_listing_urls) == (0, 7, 5, 7)
    p.write_text("sources:\n  - {name: a, kind: sitemap, url: 'https://a.example/s.xml'}\n")
    [a] = load_config(p).sources
    assert (a.max_child_sitemaps, a.max_listing_urls) == (50, 50_000)
