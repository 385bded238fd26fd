"""The archive browser's JSON API, pages, feed, raw captures and metrics, on SQLite and PostgreSQL.

The archive is written through ArchiveStore (the pipeline's own writer), so the browser reads exactly
what the worker writes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from worker.config import load_config
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.repository import ArchiveStore, Capture
from worker.values import Extracted, Fetched
from worker.web import create_app

NOW = datetime.now(UTC).replace(microsecond=0)
T0 = NOW - timedelta(hours=6)
STORM = ("Storm hits northern coast",
         "Heavy rain battered the coast overnight, officials said.\n\n"
         "More than two thousand residents were evacuated from villages near the river.\n\n"
         "Repairs to roads and power lines will take weeks.")
STORM_V2 = ("Storm batters northern coast, thousands evacuated",
            STORM[1].replace("two thousand", "three thousand"))
MUSEUM = ("Medieval hall reopens", "Frescoes hidden since the 18th century are visible again.\n\nAdmission is free.")
RAW_PAGE = b"<html><head><script>document.title='pwned'</script></head><body><h1>Storm</h1></body></html>"


def fetched(url: str, at: datetime, body: bytes | None = RAW_PAGE, **kw: object) -> Fetched:
    f = Fetched(purpose="article", requested_url=url, final_url=url, status=200, fetched_at=at, duration_ms=120,
                attempts=1, body=body, content_type="text/html; charset=utf-8", etag='"abc"',
                last_modified="Fri, 20 Nov 2026 08:00:00 GMT",
                body_sha256=hashlib.sha256(body).hexdigest() if body is not None else None)
    return replace(f, **kw) if kw else f


@dataclass
class Archive:
    url: str
    ids: dict[str, int]  # article ids by short name


def capture(store: ArchiveStore, sid: int, url: str, at: datetime, title: str, text: str,
            body: bytes = RAW_PAGE) -> None:
    ex = Extracted(title=title, authors=["Jane Doe"], published_at=T0, language="en", text=text)
    store.record_capture(Capture(sid, url, "http://daily.test/feed.xml", fetched(url, at, body), ex, (3600.0,)))


def build(db_url: str) -> Archive:
    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    ids = store.sync_sources([("daily", "feed", "http://daily.test/feed.xml"),
                              ("herald", "sitemap", "http://herald.test/sitemap.xml"),
                              ("broken", "feed", "http://broken.test/rss")], T0)
    capture(store, ids["daily"], "http://daily.test/storm", T0, *STORM)
    capture(store, ids["herald"], "http://herald.test/wire/storm", T0 + timedelta(minutes=5), *STORM,
            body=RAW_PAGE + b"<!-- herald -->")
    capture(store, ids["herald"], "http://herald.test/museum", T0 + timedelta(minutes=10), *MUSEUM)
    for i in range(5):
        capture(store, ids["daily"], f"http://daily.test/brief-{i}", T0 + timedelta(minutes=20 + i),
                f"Brief number {i}", f"Short item {i} about markets and weather.")
    capture(store, ids["daily"], "http://daily.test/storm", T0 + timedelta(hours=2), *STORM_V2,
            body=RAW_PAGE + b"<!-- v2 -->")
    capture(store, ids["daily"], "http://daily.test/storm", T0 + timedelta(hours=3), *STORM_V2)  # unchanged
    store.log_listing_fetch(ids["daily"], fetched("http://daily.test/feed.xml", NOW, purpose="feed"), None)
    store.mark_polled(ids["daily"], NOW - timedelta(minutes=1), True)
    store.mark_polled(ids["herald"], NOW - timedelta(minutes=1), True)
    for i in range(5):
        store.log_fetch(fetched("http://broken.test/rss", NOW - timedelta(minutes=i), body=None, status=None,
                                purpose="feed", error="timeout", error_detail="no answer in 20s"), ids["broken"])
    store.mark_polled(ids["broken"], NOW, False)
    engine.dispose()
    client = TestClient(create_app(db_url))
    found = {name: client.get("/api/articles", params={"url": url}).json()["items"][0]["id"]
             for name, url in [("storm", "http://daily.test/storm"), ("reprint", "http://herald.test/wire/storm"),
                               ("museum", "http://herald.test/museum")]}
    return Archive(db_url, found)


@pytest.fixture
def archive(db_url: str) -> Archive:
    return build(db_url)


@pytest.fixture
def client(archive: Archive) -> Iterator[TestClient]:
    with TestClient(create_app(archive.url)) as c:
        yield c


def test_articles_newest_first_and_every_page_by_cursor(client: TestClient) -> None:
    everything = client.get("/api/articles", params={"limit": 200}).json()
    assert everything["next_cursor"] is None
    times = [(a["first_seen_at"], a["id"]) for a in everything["items"]]
    assert len(times) == 8 and times == sorted(times, reverse=True)
    seen, cursor, pages = [], None, 0
    while True:
        page = client.get("/api/articles", params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [a["id"] for a in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == [a["id"] for a in everything["items"]]  # no gaps, no repeats
    storm = next(a for a in everything["items"] if a["url"] == "http://daily.test/storm")
    assert storm["title"] == STORM_V2[0] and storm["versions"] == 2  # the latest headline


def test_articles_filter_by_source_and_date(client: TestClient) -> None:
    herald = client.get("/api/articles", params={"source": "herald"}).json()["items"]
    assert {a["url"] for a in herald} == {"http://herald.test/wire/storm", "http://herald.test/museum"}
    since = (T0 + timedelta(minutes=15)).isoformat()
    recent = client.get("/api/articles", params={"since": since}).json()["items"]
    assert len(recent) == 5 and all(a["title"].startswith("Brief") for a in recent)
    day_before = (T0 - timedelta(days=1)).date().isoformat()
    assert client.get("/api/articles", params={"until": day_before}).json()["items"] == []
    assert client.get("/api/articles", params={"since": "last tuesday"}).status_code == 400


def test_full_text_search(client: TestClient, archive: Archive) -> None:
    def ids(q: str, **kw: str) -> set[int]:
        resp = client.get("/api/articles", params={"q": q, **kw})
        assert resp.status_code == 200, resp.text
        return {a["id"] for a in resp.json()["items"]}

    assert ids("evacuated") == {archive.ids["storm"], archive.ids["reprint"]}  # body words
    assert ids("batters") == {archive.ids["storm"]}  # only in version 2's headline
    assert ids("two thousand") == {archive.ids["storm"], archive.ids["reprint"]}  # words of an older version too
    assert ids("FRESCOES") == {archive.ids["museum"]}  # case-insensitive
    assert ids('"power lines"') == {archive.ids["storm"], archive.ids["reprint"]}
    assert len(ids("item -2")) == 4 and ids("markets -weather") == set()
    assert ids("fresco*") == {archive.ids["museum"]}
    assert ids("storm", source="herald") == {archive.ids["reprint"]}
    assert ids("nonexistentword") == set()
    for hostile in ['"unbalanced', "AND OR (", "title:x", "*", "NEAR(a b)", "' OR 1=1 --"]:
        ids(hostile)  # never a server error


def test_article_versions_provenance_and_reprints(client: TestClient, archive: Archive) -> None:
    body = client.get(f"/api/articles/{archive.ids['storm']}").json()
    assert body["article"]["url"] == "http://daily.test/storm" and body["article"]["source"] == "daily"
    v1, v2 = body["versions"]
    assert (v1["number"], v2["number"]) == (1, 2) and v2["title"] == STORM_V2[0]
    prov = v1["provenance"]
    assert prov["source"] == "daily" and prov["discovered_via"] == "http://daily.test/feed.xml"
    assert prov["requested_url"] == prov["final_url"] == "http://daily.test/storm"
    assert prov["status"] == 200 and prov["etag"] == '"abc"' and prov["raw_available"] is True
    assert v2["last_seen_at"] > v2["first_seen_at"]  # the unchanged revisit moved last_seen only
    (reprint,) = body["reprints"]
    assert reprint["article_id"] == archive.ids["reprint"] and reprint["same_text_as_version"] == 1
    other = client.get(f"/api/articles/{archive.ids['reprint']}").json()
    assert other["versions"][0]["duplicate_of"]["article_id"] == archive.ids["storm"]
    full = client.get(f"/api/articles/{archive.ids['storm']}/versions/1").json()
    assert full["text"] == STORM[1]
    assert client.get(f"/api/articles/{archive.ids['storm']}/versions/9").status_code == 404
    assert client.get("/api/articles/999999").status_code == 404


def test_word_diff_of_two_versions(client: TestClient, archive: Archive) -> None:
    d = client.get(f"/api/articles/{archive.ids['storm']}/diff").json()
    assert (d["a"], d["b"]) == (1, 2)
    title_new = d["title"]["new"]
    assert {"op": "insert", "text": " batters"} in title_new
    assert [s for s in d["text"]["old"] if s["op"] == "delete"] == [{"op": "delete", "text": " two"}]
    assert [s for s in d["text"]["new"] if s["op"] == "insert"] == [{"op": "insert", "text": " three"}]
    assert "".join(s["text"] for s in d["text"]["new"]) == STORM_V2[1]  # nothing lost, nothing added
    assert client.get(f"/api/articles/{archive.ids['storm']}/diff", params={"a": 1, "b": 7}).status_code == 404


def test_changes_feed_and_atom(client: TestClient, archive: Archive) -> None:
    (edit,) = client.get("/api/changes").json()["items"]
    assert edit["article_id"] == archive.ids["storm"] and edit["version"] == 2
    assert edit["title_changed"] and edit["previous_title"] == STORM[0]
    everything = client.get("/api/changes", params={"all": True, "limit": 4}).json()
    assert len(everything["items"]) == 4 and everything["next_cursor"]
    resp = client.get("/changes.atom")
    assert resp.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(resp.content).findall("a:entry", ns)
    assert len(entries) == 1 and "version 2" in entries[0].findtext("a:title", namespaces=ns)


def test_sources_health_and_failures(client: TestClient) -> None:
    by = {s["name"]: s for s in client.get("/api/sources").json()}
    assert by["daily"]["healthy"] and by["daily"]["articles"] == 6 and by["daily"]["versions"] == 7
    broken = by["broken"]
    assert not broken["healthy"] and broken["state"] == "needs attention"
    assert broken["problems"][0].startswith("last poll failed")
    assert broken["failures_24h"] == 5 and broken["recent_failures"][0]["error"] == "timeout"
    assert by["daily"]["schedule"] is None  # no config given


def test_sources_with_config_show_schedule_and_overdue(archive: Archive, tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text("sources:\n"
                   "  - {name: daily, kind: feed, url: 'http://daily.test/feed.xml', every: 10m}\n"
                   "  - {name: herald, kind: sitemap, url: 'http://herald.test/sitemap.xml', cron: '*/5 * * * *'}\n")
    with TestClient(create_app(archive.url, load_config(cfg))) as c:
        by = {s["name"]: s for s in c.get("/api/sources").json()}
        assert by["daily"]["schedule"] == "every 10m" and by["herald"]["schedule"] == "cron */5 * * * *"
        assert "not in the config any more" in by["broken"]["problems"]
        html = c.get("/sources").text
        assert "every 10m" in html and "needs attention" in html


def test_raw_capture_is_served_sandboxed(client: TestClient, archive: Archive) -> None:
    v1 = client.get(f"/api/articles/{archive.ids['storm']}").json()["versions"][0]
    raw = client.get(f"/captures/{v1['provenance']['fetch_id']}/raw")
    assert raw.content == RAW_PAGE  # as fetched, byte for byte
    csp = raw.headers["content-security-policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script" not in csp
    text = client.get(f"/captures/{v1['provenance']['fetch_id']}/raw", params={"text": 1})
    assert text.headers["content-type"].startswith("text/plain") and "<script>" in text.text
    page = client.get(f"/captures/{v1['provenance']['fetch_id']}").text
    assert "<iframe" in page and "sandbox" in page
    assert client.get("/captures/999999/raw").status_code == 404


def test_html_pages(client: TestClient, archive: Archive) -> None:
    home = client.get("/")
    assert home.status_code == 200 and STORM_V2[0] in home.text
    assert "script-src" not in home.headers["content-security-policy"]  # no scripts on our pages
    found = client.get("/articles", params={"q": "frescoes"}).text
    assert MUSEUM[0] in found and STORM_V2[0] not in found
    art = client.get(f"/articles/{archive.ids['storm']}").text
    assert " <ins>three</ins>" in art and " <del>two</del>" in art and " <ins>batters</ins>" in art
    assert f'href="/articles/{archive.ids["reprint"]}"' in art  # the reprint link
    assert client.get("/lookup", params={"url": "http://herald.test/museum"}, follow_redirects=False
                      ).headers["location"] == f"/articles/{archive.ids['museum']}"
    assert client.get("/changes").status_code == 200 and client.get("/sources").status_code == 200
    missing = client.get("/articles/424242")
    assert missing.status_code == 404 and "no article" in missing.text
    assert client.get("/articles", params={"cursor": "garbage!"}).status_code == 400


def test_healthz_metrics_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    m = client.get("/metrics").text
    assert 'newsarchive_fetches_total{error="timeout",purpose="feed",status=""} 5.0' in m
    assert 'newsarchive_versions_total{kind="edit"} 1.0' in m
    assert 'newsarchive_versions_total{kind="first"} 8.0' in m
    assert 'newsarchive_fetch_duration_seconds_bucket{le="0.25"}' in m
    assert 'newsarchive_listing_fetches_total{purpose="feed",source="daily"} 1.0' in m
    assert "newsarchive_revisits_pending" in m
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/articles/{article_id}/diff",
                 "/api/changes", "/api/sources", "/healthz"):
        assert path in spec["paths"], path
    assert "/articles/{article_id}" not in spec["paths"]  # HTML pages are not API
    assert client.get("/api/articles", params={"cursor": "nope"}).status_code == 400
