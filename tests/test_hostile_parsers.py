"""Total parsers: a date past datetime's range, a number too big, JSON nested 100,000 deep or a NUL in
a page costs that one field, never the listing, the article or the source's poll; on SQLite and
PostgreSQL alike.

Before: `<lastmod>9999-12-31T23:59:59-23:59</lastmod>` raised OverflowError out of the sitemap parser
(the pass exited 1), the same date emptied a whole feed, JSON-LD nested 100,000 deep emptied its
article's extraction (RecursionError), and a NUL in JSON-LD failed every poll of its source on
PostgreSQL ("text fields cannot contain NUL").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.simweb import SimWeb
from tests.test_faults_helpers import PARAS, archive_invariants, cli, fetch_log, jsonl, write_config
from worker import safejson, storable
from worker.discover import parse_feed, parse_sitemap
from worker.discover.sitemaps import parse_w3c_datetime
from worker.examine import examine
from worker.extract import extract
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.reading import iter_fetches, iter_versions
from worker.store.repository import ArchiveStore, Capture
from worker.values import Extracted, Fetched

BAD = "9999-12-31T23:59:59-23:59"  # a valid W3C datetime with no UTC form (past 9999-12-31 in UTC)
BASE = "https://news.example/"
BODY = " ".join(PARAS[0])


def article(ld: str, title: str = "A headline") -> str:
    return (f'<html><head><title>{title}</title><script type="application/ld+json">{ld}</script></head>'
            f"<body><article><h1>{title}</h1><p>{BODY}</p></article></body></html>")


# ---- dates past the range -----------------------------------------------------------------------


def test_a_date_with_no_utc_form_is_no_date() -> None:
    assert parse_w3c_datetime(BAD) is None
    assert parse_w3c_datetime("0001-01-01T00:00:00+23:59") is None
    assert parse_w3c_datetime("2026-03-01T10:00:00+99:00") is None
    assert parse_w3c_datetime("2026-03-01T10:00:00Z") == datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_sitemap_lastmod_out_of_range_drops_that_date_only() -> None:
    xml = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           f"<url><loc>{BASE}a</loc><lastmod>{BAD}</lastmod></url>"
           f"<url><loc>{BASE}b</loc><lastmod>2026-03-01</lastmod></url></urlset>")
    links = parse_sitemap(xml.encode(), BASE).links
    assert [(ln.url, ln.updated_at) for ln in links] == [(BASE + "a", None), (BASE + "b", datetime(2026, 3, 1, tzinfo=UTC))]


@pytest.mark.parametrize("item", [
    f"<dc:modified>{BAD}</dc:modified>", f"<dcterms:modified>{BAD}</dcterms:modified>", f"<pubDate>{BAD}</pubDate>",
    "<pubDate>Fri, 31 Dec 9999 23:59:59 -2359</pubDate>", f"<dc:date>{BAD}</dc:date>",
], ids=["dc:modified", "dcterms:modified", "pubDate-w3c", "pubDate-rfc822", "dc:date"])
def test_a_feed_item_date_out_of_range_drops_that_date_only(item: str) -> None:
    rss = ('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
           f"<channel><item><title>One</title><link>{BASE}a</link>{item}</item>"
           f"<item><title>Two</title><link>{BASE}b</link></item></channel></rss>")
    links = parse_feed(rss.encode(), BASE)
    assert [(ln.url, ln.title) for ln in links] == [(BASE + "a", "One"), (BASE + "b", "Two")]


def test_atom_and_json_feed_dates_out_of_range_drop_that_date_only() -> None:
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom">'
            f'<entry><title>One</title><link href="{BASE}a"/><updated>{BAD}</updated></entry>'
            f'<entry><title>Two</title><link href="{BASE}b"/></entry></feed>')
    assert [ln.url for ln in parse_feed(atom.encode(), BASE)] == [BASE + "a", BASE + "b"]
    items = [{"url": BASE + "a", "title": "One", "date_modified": BAD, "date_published": BAD},
             {"url": BASE + "b", "title": "Two"}]
    links = parse_feed(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode(), BASE)
    assert [(ln.url, ln.updated_at) for ln in links] == [(BASE + "a", None), (BASE + "b", None)]


def test_a_json_feed_with_one_item_nested_100000_deep_keeps_its_other_items() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    body = '{"items": [{"url": "' + BASE + 'a", "title": "One", "tags": ' + deep + '}, {"url": "' + BASE + 'b"}]}'
    assert [ln.url for ln in parse_feed(body.encode(), BASE)] == [BASE + "a", BASE + "b"]


# ---- JSON-LD --------------------------------------------------------------------------------------


def test_json_ld_dates_out_of_range_drop_the_dates_only() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "A headline", "datePublished": BAD, "dateModified": BAD,
                     "author": {"@type": "Person", "name": "Ann Lee"}})
    ex = extract(article(ld), BASE + "a")
    assert (ex.title, ex.authors, ex.published_at, ex.modified_at) == ("A headline", ["Ann Lee"], None, None)
    assert BODY[:40] in ex.text


@pytest.mark.parametrize("where", ["a block of its own", "one field"])
def test_json_ld_nested_100000_deep_costs_the_deep_value_only(where: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    good = {"@type": "NewsArticle", "headline": "The JSON-LD headline", "author": {"name": "Ann Lee"}}
    if where == "one field":
        ld = json.dumps(good)[:-1] + f', "keywords": {deep}}}'
        page = article(ld, "Page title")
    else:
        page = article(json.dumps(good), "Page title").replace("</head>", f'<script type="application/ld+json">{deep}</script></head>')
    ex = extract(page, BASE + "a")
    assert ex.title == "The JSON-LD headline" and ex.authors == ["Ann Lee"] and BODY[:40] in ex.text


def test_json_ld_numbers_too_big_or_not_finite_drop_that_value_only() -> None:
    ld = ('{"@type": "NewsArticle", "headline": "A headline", "wordCount": 1%s, "position": 1e999, "x": NaN,'
          ' "author": {"name": "Ann Lee"}}' % ("0" * 10_000))
    ex = extract(article(ld), BASE + "a")
    assert ex.title == "A headline" and ex.authors == ["Ann Lee"]
    assert safejson.loads('{"n": 1%s, "f": 1e999, "g": -Infinity, "ok": 12}' % ("0" * 5000)) == \
        {"n": None, "f": None, "g": None, "ok": 12}


# ---- characters no archive can hold ------------------------------------------------------------------


def test_unstorable_characters_are_removed_before_the_content_hash() -> None:
    assert storable.text("a\x00b\x01c\x0bd\ufffee\ud800f\tg\nh\ri") == "abcdef\tg\nh\ri"
    ld = json.dumps({"@type": "NewsArticle", "headline": "Head\u0000line\u0007", "articleSection": "Wor\u0000ld",
                     "author": [{"name": "Ann\u0000 Lee"}, {"name": "\u0000"}], "inLanguage": "en\u0000"})
    f = Fetched(purpose="article", requested_url=BASE + "a", final_url=BASE + "a", status=200,
                fetched_at=datetime(2026, 1, 1, tzinfo=UTC), duration_ms=1, attempts=1,
                body=article(ld, "Head\x00line").encode(), content_type="text/html")
    seen = examine(f, BASE + "a", None, None)
    ex = seen.extracted
    assert ex is not None
    assert (ex.title, ex.authors, ex.section) == ("Headline", ["Ann Lee"], "World")
    again = examine(f, BASE + "a", None, None)
    assert again.content_hash == seen.content_hash


@pytest.fixture
def store(db_url: str) -> ArchiveStore:
    upgrade(db_url)
    return ArchiveStore(make_engine(db_url))


def test_the_store_holds_what_a_page_gave_with_nul_and_controls_removed(store: ArchiveStore) -> None:
    """The store's own boundary: a capture made elsewhere (not by examine) with NULs everywhere."""
    (sid,) = store.sync_sources([("daily", "feed", BASE + "feed.xml")], datetime(2026, 1, 1, tzinfo=UTC)).values()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    body = b"<p>x\x00</p>"
    f = Fetched(purpose="article", requested_url=BASE + "a\x00", final_url=BASE + "a", status=200, fetched_at=at,
                duration_ms=1, attempts=1, body=body, content_type="text/html\x00", etag='"e\x00"',
                headers={"x-odd": "v\x00"}, body_sha256="0" * 64)
    ex = Extracted(title="Head\x00line", authors=["Ann\x00 Lee"], published_at=None, language="en\x00",
                   text="Body\x00 text\x1f here.", section="Wor\x00ld", canonical_url=BASE + "a")
    assert store.record_capture(Capture(sid, BASE + "a", BASE + "feed\x00.xml", f, ex, (3600.0,))).kind == "new"
    store.record_failure(Fetched(purpose="article", requested_url=BASE + "b", final_url=None, status=None,
                                 fetched_at=at, duration_ms=1, attempts=1, error="timeout",
                                 error_detail="read\x00 timed out"), sid, BASE + "b", None, None)
    store.log_listing_fetch(sid, Fetched(purpose="feed", requested_url=BASE + "feed.xml", final_url=BASE + "feed.xml",
                                         status=200, fetched_at=at, duration_ms=1, attempts=1, body=b"<rss/>",
                                         etag='"f\x00"'), None)
    (v,) = list(iter_versions(store.engine))
    assert (v["title"], v["authors"], v["text"], v["section"], v["language"]) == \
        ("Headline", ["Ann Lee"], "Body text here.", "World", "en")
    fetches = list(iter_fetches(store.engine))
    assert not [f for f in fetches if "\x00" in json.dumps(f)], "a NUL reached the fetch log"
    assert {f.get("error_detail") for f in fetches} >= {"read timed out"}


# ---- through the real command -------------------------------------------------------------------------


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


def test_a_pass_over_hostile_listings_and_pages_archives_them_on_both_databases(web: SimWeb, tmp_path: Path,
                                                                                db_url: str) -> None:
    site = web.add_site("daily")
    a, b, c = (site.add_article(f"news/story-{i}", title=f"Story {i}", paragraphs=PARAS[i]) for i in range(3))
    nul_ld = json.dumps({"@type": "NewsArticle", "headline": "Nul\u0000 headline", "datePublished": BAD,
                         "author": {"name": "Ann\u0000 Lee"}, "articleSection": "Wor\u0000ld"})
    deep = "[" * 100_000 + "]" * 100_000
    site.fault(a.path, "body", times=None, body=article(nul_ld, "Nul headline"))
    site.fault(b.path, "body", times=None, body=article(json.dumps({"@type": "NewsArticle", "headline": "Deep"})[:-1]
                                                        + f', "keywords": {deep}}}', "Deep"))
    sitemap = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"<url><loc>{a.url}</loc><lastmod>{BAD}</lastmod></url><url><loc>{b.url}</loc></url></urlset>")
    site.fault("/hostile-sitemap.xml", "body", times=None, body=sitemap, content_type="application/xml")
    rss = ('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
           f"<item><title>Story 2</title><link>{c.url}</link><dc:modified>{BAD}</dc:modified></item>"
           "</channel></rss>")
    site.fault("/hostile-feed.xml", "body", times=None, body=rss, content_type="application/rss+xml")
    cfg = write_config(tmp_path / "s.yaml", [
        {"name": "sitemap", "kind": "sitemap", "url": site.url("/hostile-sitemap.xml")},
        {"name": "feed", "kind": "feed", "url": site.url("/hostile-feed.xml")},
    ])
    res = cli("run", "--once", "--config", str(cfg), "--db", db_url)
    assert "pass complete" in res.stdout
    assert not fetch_log(db_url, failed=True)
    stories = {s["url"]: s for s in jsonl(cli("export", "--db", db_url).stdout)}
    assert set(stories) == {a.url, b.url, c.url}
    nul = stories[a.url]
    assert (nul["title"], nul["authors"], nul["published_at"]) == ("Nul headline", ["Ann Lee"], None)
    assert stories[b.url]["title"] == "Deep"
    archive_invariants(db_url)
    cli("run", "--once", "--config", str(cfg), "--db", db_url)  # polled again: the same, nothing failed
    assert not fetch_log(db_url, failed=True)
