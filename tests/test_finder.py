"""worker/finder.py: discover a site's feeds and sitemaps on the simulated web; OPML import."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from tests.simweb import SimWeb, Site
from worker.config import load_config
from worker.fetch import Fetcher
from worker.finder import (
    OpmlError,
    classify,
    find_sources,
    host_name,
    opml_sources,
    opml_yaml,
    render_yaml,
    site_root,
    source_name,
)
from worker.values import FetchPolicy

POLICY = FetchPolicy(allow_private_networks=True, per_host_delay=0.0, per_host_concurrency=4, retries=0,
                     timeout=10.0, user_agent="finder-test/1.0")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


@pytest.fixture
def daily(web: SimWeb) -> Site:
    site = web.add_site("daily")
    for i in range(4):
        site.add_article(f"world/2026/11/20/story-{i}", title=f"Story {i}", paragraphs=["One.", "Two."],
                         published=datetime(2026, 11, 20, 8 + i, tzinfo=UTC))
    return site


async def find(site: Site, policy: FetchPolicy = POLICY, url: str | None = None):  # type: ignore[no-untyped-def]
    async with Fetcher() as fetcher:
        return await find_sources(url or site.base_url, policy, fetcher)


def as_config(tmp_path: Path, entries_yaml: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + entries_yaml, encoding="utf-8")
    return load_config(path)


# ------------------------------------------------------------------ discover


async def test_finds_alternates_robots_sitemaps_and_usual_paths(daily: Site) -> None:
    found = await find(daily)
    by_url = {f.url.removeprefix(daily.base_url): f for f in found}
    assert set(by_url) == {"/feed.xml", "/atom.xml", "/sitemap_index.xml", "/sitemap.xml", "/news-sitemap.xml"}
    assert [f.url.removeprefix(daily.base_url) for f in found][:2] == ["/feed.xml", "/atom.xml"]  # alternates first
    rss, atom, index = by_url["/feed.xml"], by_url["/atom.xml"], by_url["/sitemap_index.xml"]
    assert (rss.kind, rss.format, rss.entries, rss.found_via) == ("feed", "rss", 4, "link rel=alternate")
    assert rss.newest == datetime(2026, 11, 20, 11, tzinfo=UTC)
    assert (atom.kind, atom.format) == ("feed", "atom")
    assert (index.kind, index.format, index.entries, index.found_via) == ("sitemap", "index", 2, "robots.txt")
    assert by_url["/news-sitemap.xml"].format == "news" and by_url["/sitemap.xml"].found_via == "usual path"
    assert len({f.name for f in found}) == len(found)
    # Children of a found index are not offered again; nothing else on the site was requested.
    paths = set(daily.paths())
    assert "/sitemap-1.xml" not in paths and not any(p.startswith("/world/") for p in paths)


async def test_every_request_is_polite_and_identified(daily: Site) -> None:
    await find(daily)
    assert all(r.headers.get("user-agent") == "finder-test/1.0" for r in daily.requests)
    assert all(r.method == "GET" for r in daily.requests)


async def test_robots_txt_is_obeyed(daily: Site) -> None:
    daily.robots_txt = "User-agent: *\nDisallow: /atom.xml\nDisallow: /news-sitemap.xml\n"
    found = await find(daily)
    urls = {f.url.removeprefix(daily.base_url) for f in found}
    assert "/atom.xml" not in urls and "/news-sitemap.xml" not in urls and "/feed.xml" in urls
    assert "/atom.xml" not in daily.paths() and "/news-sitemap.xml" not in daily.paths()


async def test_redirects_and_html_answers_are_not_offered_twice_or_at_all(daily: Site) -> None:
    daily.fault("/rss", "redirect", times=None, to="/feed.xml")  # /rss -> the same feed
    daily.fault("/feed", "body", times=None, body="<!doctype html><html><body><a href='/x'>x</a></body></html>")
    daily.fault("/index.xml", "status", times=None, status=500)
    found = await find(daily)
    urls = [f.url.removeprefix(daily.base_url) for f in found]
    assert urls.count("/feed.xml") == 1 and "/feed" not in urls and "/index.xml" not in urls


async def test_a_site_with_nothing_gives_a_helpful_comment(web: SimWeb) -> None:
    bare = web.add_site("bare")
    bare.robots_txt = None
    for path in ("/feed.xml", "/atom.xml", "/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml"):
        bare.fault(path, "status", times=None, status=404)
    found = await find(bare)
    assert found == []
    assert render_yaml(found).startswith("# no feed or sitemap found")


async def test_rendered_yaml_is_a_valid_config(daily: Site, tmp_path: Path) -> None:
    found = await find(daily)
    text = render_yaml(found)
    assert "# RSS feed: 4 entries, newest 2026-11-20T11:00:00Z (found via link rel=alternate)" in text
    config = as_config(tmp_path, text)
    assert [(s.name, s.kind, s.url) for s in config.sources] == [(f.name, f.kind, f.url) for f in found]


def test_classify_gzip_sitemap_and_html() -> None:
    urlset = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              b"<url><loc>https://ex.org/a</loc><lastmod>2026-11-01</lastmod></url></urlset>")
    found = classify(gzip.compress(urlset), "https://ex.org/sitemap.xml.gz", "robots.txt")
    assert found is not None and (found.kind, found.format, found.entries) == ("sitemap", "urlset", 1)
    page = b"<!doctype html><html><body><url><loc>https://ex.org/a</loc></url></body></html>"
    assert classify(page, "https://ex.org/feed", "usual path") is None
    assert classify(b"Not found", "https://ex.org/rss", "usual path") is None


@pytest.mark.parametrize(("url", "name"), [
    ("https://www.example.com/feed.xml", "example-feed"),
    ("https://feeds.bbci.co.uk/news/world/rss.xml", "feeds-bbci-news-world-rss"),
    ("https://www.theguardian.com/sitemaps/news.xml", "theguardian-sitemaps-news"),
    ("http://127.0.0.1:8100/sitemap-2.xml.gz", "127-0-0-1-sitemap-2"),
    ("https://example.org/", "example-feed"),
])
def test_source_names(url: str, name: str) -> None:
    assert source_name(url, "feed") == name


def test_site_root_and_host_name() -> None:
    assert site_root("example.com/world/") == "https://example.com"
    assert site_root("http://user:pw@Example.com:8080/x") == "http://Example.com:8080"
    assert host_name("https://news.example.co.uk/") == "news-example"
    with pytest.raises(ValueError):
        site_root("ftp://example.com/")


# ------------------------------------------------------------------ OPML

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="News">
      <outline text="World" title="BBC World" type="rss" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"
               htmlUrl="https://www.bbc.co.uk/news/world"/>
      <outline text="Europe">
        <outline text="Le Monde &#224; la une" xmlUrl="https://www.lemonde.fr/rss/une.xml"/>
        <outline text="BBC World" xmlurl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
      </outline>
    </outline>
    <outline text="BBC World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml?edition=int"/>
    <outline text="Podcast" xmlUrl="feed://example.com/pod"/>
    <outline text="Just a link" htmlUrl="https://example.com/"/>
    <outline text="&#26085;&#26412;" XMLURL="https://www3.nhk.or.jp/rss/news/cat0.xml"/>
  </body>
</opml>
"""


def test_opml_sources_nested_unique_and_http_only() -> None:
    entries = opml_sources(OPML)
    assert entries == [
        {"name": "bbc-world", "kind": "feed", "url": "https://feeds.bbci.co.uk/news/world/rss.xml"},
        {"name": "le-monde-a-la-une", "kind": "feed", "url": "https://www.lemonde.fr/rss/une.xml"},
        {"name": "bbc-world-2", "kind": "feed", "url": "https://feeds.bbci.co.uk/news/world/rss.xml?edition=int"},
        {"name": "www3-nhk-rss-news-cat0", "kind": "feed", "url": "https://www3.nhk.or.jp/rss/news/cat0.xml"},
    ]


def test_opml_yaml_is_a_valid_config_with_titles_and_folders(tmp_path: Path) -> None:
    text = opml_yaml(OPML)
    assert "# BBC World [News]" in text and "# Le Monde à la une [News / Europe]" in text
    config = as_config(tmp_path, text)
    assert [s.name for s in config.sources] == [e["name"] for e in opml_sources(OPML)]


def test_opml_never_expands_entities_or_reads_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    evil = f"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY xxe SYSTEM "file://{secret}">
]>
<opml version="2.0"><body>
  <outline text="&d;" xmlUrl="https://example.com/rss"/>
  <outline text="&xxe;" xmlUrl="https://example.com/other.xml"/>
</body></opml>""".encode()
    try:
        text = opml_yaml(evil)
    except OpmlError:
        return  # refusing the file is safe too
    assert "TOP-SECRET" not in text and "aaaaaaaaaa" * 10 not in text


@pytest.mark.parametrize("data", [b"not xml at all", b"<rss version='2.0'><channel/></rss>", b""])
def test_not_opml_is_an_error(data: bytes) -> None:
    with pytest.raises(OpmlError):
        opml_sources(data)


def test_an_opml_without_feeds_says_so() -> None:
    assert opml_yaml(b"<opml><body><outline text='x'/></body></opml>").startswith("# no feeds")


# ------------------------------------------------------------------ the commands (wired by the lead)


def newsarchive(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worker", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_cli_discover_prints_checked_entries(daily: Site, tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text("defaults:\n  allow_private_networks: true\n  per_host_delay: 0s\nsources: []\n")
    proc = newsarchive("discover", daily.base_url, "--config", str(config), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    entries = yaml.safe_load("sources:\n" + proc.stdout)["sources"]
    assert {e["url"].removeprefix(daily.base_url) for e in entries} >= {"/feed.xml", "/sitemap_index.xml"}


def test_cli_import_opml(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(OPML)
    proc = newsarchive("import-opml", str(opml), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [e["name"] for e in yaml.safe_load("sources:\n" + proc.stdout)["sources"]][:2] == ["bbc-world",
                                                                                              "le-monde-a-la-une"]
    bad = tmp_path / "bad.opml"
    bad.write_text("<html/>")
    assert newsarchive("import-opml", str(bad), cwd=tmp_path).returncode == 2
