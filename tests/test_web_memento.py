"""Memento (RFC 7089) on `serve`, in pywb's URL shapes: TimeGate, TimeMaps (link and JSON), mementos
(the version as the browser shows it, and id_ the raw capture), on SQLite and PostgreSQL; then the
official memento-client package and pywb's own upstream-Memento loader against `serve` in its own process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
import requests
from fastapi.testclient import TestClient
from memento_client import MementoClient
from surt import surt

from tests.conftest import PG_ADMIN_URL, _pg_admin
from tests.simweb import SimWeb
from tests.test_e2e import PARAS, newsarchive, write_config
from tests.test_pywb_replay import pywb_bin
from tests.test_web_api import capture, fetched
from tests.test_web_browser import free_port, wait_up
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.repository import ArchiveStore, Capture
from worker.values import Extracted
from worker.web import create_app
from worker.web.pages import RAW_CSP

STORM = "http://daily.test/world/storm"
ALIAS = "https://www.daily.test/news/storm?id=7"  # the listed URL that redirected to STORM
QUERY = "http://daily.test/story?id=42"  # an article whose URL has a query string
MUSEUM = "http://daily.test/culture/museum"  # one version only
V1 = datetime(2026, 11, 20, 8, 0, 0, 250_000, tzinfo=UTC)  # microseconds: mementos are to the second
V1_SEEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # v1 captured again unchanged
V2 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
V3 = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
TEXTS = ["Heavy rain battered the coast overnight.\n\nTwo thousand were evacuated.",
         "Heavy rain battered the coast overnight.\n\nThree thousand were evacuated.",
         "Heavy rain battered the coast overnight.\n\nThree thousand were evacuated; two died."]
TITLES = ["Storm hits coast", "Storm batters coast", "Storm kills two"]
RAWS = [b"<html><head><script>document.title='pwned'</script></head><body><h1>%d</h1></body></html>" % i
        for i in (1, 2, 3)]


def stamp(dt: datetime) -> str:
    return dt.strftime("%Y%m%d%H%M%S")


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def links(header: str) -> dict[str, dict[str, list[str]]]:
    """A Link header (or link-format TimeMap) as memento-client reads it: {uri: {"rel": [...], ...}}."""
    return MementoClient.parse_link_header(header)


def by_rel(parsed: dict[str, dict[str, list[str]]], rel: str) -> list[str]:
    return [uri for uri, attrs in parsed.items() if rel in attrs["rel"]]


@dataclass
class Archive:
    url: str
    storm_id: int


def build(db_url: str) -> Archive:
    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    sid = store.sync_sources([("daily", "feed", "http://daily.test/feed.xml")], V1)["daily"]
    ex = Extracted(title=TITLES[0], authors=["Jane Doe"], published_at=V1, language="en", text=TEXTS[0])
    store.record_capture(Capture(sid, STORM, "http://daily.test/feed.xml", fetched(STORM, V1, RAWS[0]), ex,
                                 (3600.0,), aliases=(ALIAS,)))
    capture(store, sid, STORM, V1_SEEN, TITLES[0], TEXTS[0], RAWS[0])  # unchanged: v1 seen until 09:30
    capture(store, sid, STORM, V2, TITLES[1], TEXTS[1], RAWS[1])
    capture(store, sid, STORM, V3, TITLES[2], TEXTS[2], RAWS[2])
    capture(store, sid, QUERY, V1, "A story with a query", "Its URL has ?id=42.")
    capture(store, sid, MUSEUM, V2, "Medieval hall reopens", "Frescoes are visible again.")
    engine.dispose()
    with TestClient(create_app(db_url)) as c:
        storm_id = c.get("/api/articles", params={"url": STORM}).json()["items"][0]["id"]
    return Archive(db_url, storm_id)


@contextmanager
def fresh_db(kind: str, tmp_path: Path) -> Iterator[str]:
    """An empty archive database, as tests/conftest.py's db_url makes one, but for a whole module: the
    archives here are only read, so each is built once per database kind."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        return
    admin = _pg_admin()
    name = f"na_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    with fresh_db(request.param, tmp_path_factory.mktemp("archive")) as url:
        yield build(url)


@pytest.fixture
def client(archive: Archive) -> Iterator[TestClient]:
    # Absolute Link URIs come from the configured address (serve --base-url), never the Host header.
    with TestClient(create_app(archive.url, base_url="http://archive.test"), base_url="http://elsewhere.test") as c:
        yield c


def test_without_a_configured_address_links_are_root_relative_not_the_host_header(archive: Archive) -> None:
    with TestClient(create_app(archive.url), base_url="http://evil.test") as c:
        r = c.get(f"/web/{STORM}", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"].startswith("/web/")
    assert "evil.test" not in r.headers["link"] and f"</web/timemap/link/{STORM}>" in r.headers["link"]


def memento_uri(dt: datetime, url: str = STORM, mode: str = "") -> str:
    return f"http://archive.test/web/{stamp(dt)}{mode}/{url}"


def test_timegate_redirects_to_the_nearest_version(client: TestClient) -> None:
    cases = [
        (None, V3),  # no Accept-Datetime: the latest
        (datetime(2026, 1, 1, tzinfo=UTC), V1),  # before the first version
        (V1 + timedelta(minutes=30), V1),  # while v1 was being seen unchanged
        (V1_SEEN + timedelta(minutes=20), V1),  # between versions, nearer v1's last sighting than v2
        (V2 - timedelta(minutes=20), V2),  # between versions, nearer v2
        (V2.replace(microsecond=0), V2),  # exactly v2's Memento-Datetime
        (V2 + timedelta(hours=8), V2),  # between v2 and v3, nearer v2
        (V3 - timedelta(hours=1), V3),
        (datetime(2030, 1, 1, tzinfo=UTC), V3),  # after the last version
    ]
    for when, expected in cases:
        headers = {"Accept-Datetime": http_date(when)} if when else {}
        for method in ("GET", "HEAD"):
            r = client.request(method, f"/web/{STORM}", headers=headers, follow_redirects=False)
            assert r.status_code == 302, (when, r.text)
            assert r.headers["location"] == memento_uri(expected), (when, method)
            assert r.headers["vary"].lower() == "accept-datetime"
            assert "memento-datetime" not in r.headers  # a TimeGate is not a memento
            parsed = links(r.headers["link"])
            assert by_rel(parsed, "original") == [STORM]
            assert by_rel(parsed, "timegate") == [f"http://archive.test/web/{STORM}"]
            assert by_rel(parsed, "timemap") == [f"http://archive.test/web/timemap/link/{STORM}"]
            assert parsed[memento_uri(expected)]["datetime"] == [http_date(expected)]
            assert by_rel(parsed, "first") == [memento_uri(V1)] and by_rel(parsed, "last") == [memento_uri(V3)]
    r = client.get(f"/web/{STORM}", headers={"Accept-Datetime": http_date(V2)}, follow_redirects=False)
    parsed = links(r.headers["link"])
    assert by_rel(parsed, "prev") == [memento_uri(V1)] and by_rel(parsed, "next") == [memento_uri(V3)]
    assert sorted(parsed[memento_uri(V1)]["rel"]) == ["first", "memento", "prev"]  # one URI, all its relations
    r = client.get(f"/web/{STORM}", headers={"Accept-Datetime": "yesterday"}, follow_redirects=False)
    assert r.status_code == 400 and "Accept-Datetime" in r.text and "RFC 1123" in r.text


def test_timemap_link_lists_every_version(client: TestClient) -> None:
    r = client.get(f"/web/timemap/link/{STORM}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/link-format")
    parsed = links(r.text)
    mementos = by_rel(parsed, "memento")
    assert mementos == [memento_uri(V1), memento_uri(V2), memento_uri(V3)]  # every version, oldest first
    assert [parsed[m]["datetime"] for m in mementos] == [[http_date(V1)], [http_date(V2)], [http_date(V3)]]
    assert by_rel(parsed, "first") == [memento_uri(V1)] and by_rel(parsed, "last") == [memento_uri(V3)]
    assert by_rel(parsed, "original") == [STORM]
    assert by_rel(parsed, "timegate") == [f"http://archive.test/web/{STORM}"]
    self_uri = f"http://archive.test/web/timemap/link/{STORM}"
    assert parsed[self_uri]["rel"] == ["self"] and parsed[self_uri]["type"] == ["application/link-format"]
    assert parsed[self_uri]["from"] == [http_date(V1)] and parsed[self_uri]["until"] == [http_date(V3)]
    assert client.head(f"/web/timemap/link/{STORM}").status_code == 200
    single = links(client.get(f"/web/timemap/link/{MUSEUM}").text)
    assert by_rel(single, "memento") == [memento_uri(V2, MUSEUM)]
    assert sorted(single[memento_uri(V2, MUSEUM)]["rel"]) == ["first", "last", "memento"]


def test_timemap_json_lists_every_version_as_pywb_does(client: TestClient) -> None:
    r = client.get(f"/web/timemap/json/{STORM}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/x-ndjson")
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert [row["timestamp"] for row in rows] == [stamp(V1), stamp(V2), stamp(V3)]
    for row, raw, number in zip(rows, RAWS, (1, 2, 3), strict=True):
        assert row["urlkey"] == surt(STORM) and row["url"] == STORM
        assert row["mime"] == "text/html" and row["status"] == "200" and row["length"] == str(len(raw))
        assert row["digest"].startswith("sha256:") and row["version"] == number
        assert row["memento_url"] == memento_uri(datetime.strptime(row["timestamp"], "%Y%m%d%H%M%S"))
        assert row["load_url"] == row["memento_url"].replace(f"/{row['timestamp']}/", f"/{row['timestamp']}id_/")
    assert [row["mem_rel"] for row in rows] == ["first memento", "memento", "last memento"]
    assert rows[0]["last_seen"] == http_date(V1_SEEN)


def test_mementos_carry_memento_datetime_and_link(client: TestClient) -> None:
    for when, title, text, raw in zip((V1, V2, V3), TITLES, TEXTS, RAWS, strict=True):
        page = client.get(f"/web/{stamp(when)}/{STORM}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["memento-datetime"] == http_date(when)
        assert title in page.text and text.split("\n\n")[1] in page.text
        parsed = links(page.headers["link"])
        assert by_rel(parsed, "original") == [STORM] and by_rel(parsed, "timegate") and by_rel(parsed, "timemap")
        assert "memento" in parsed[memento_uri(when)]["rel"]
        assert f'href="/web/{stamp(when)}id_/{STORM}"' in page.text  # the raw capture, linked
        raw_r = client.get(f"/web/{stamp(when)}id_/{STORM}")
        assert raw_r.status_code == 200 and raw_r.content == raw  # the stored body, byte for byte
        assert raw_r.headers["content-security-policy"] == RAW_CSP  # sandboxed like /captures/ID/raw
        assert raw_r.headers["memento-datetime"] == http_date(when)
        raw_links = links(raw_r.headers["link"])
        assert by_rel(raw_links, "original") == [STORM] and "memento" in raw_links[memento_uri(when, mode="id_")]["rel"]
    im = client.get(f"/web/{stamp(V2)}im_/{STORM}")  # pywb's wayback-style upstream asks im_: no rewriting here
    assert im.status_code == 200 and im.content == RAWS[1] and im.headers["content-security-policy"] == RAW_CSP
    middle = links(client.get(f"/web/{stamp(V2)}/{STORM}").headers["link"])
    assert by_rel(middle, "prev") == [memento_uri(V1)] and by_rel(middle, "next") == [memento_uri(V3)]
    assert client.head(f"/web/{stamp(V2)}/{STORM}").headers["memento-datetime"] == http_date(V2)


def test_a_timestamp_between_versions_redirects_to_the_nearest(client: TestClient) -> None:
    def location(path: str) -> str:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 302, r.text
        assert "memento-datetime" not in r.headers
        return r.headers["location"]

    assert location(f"/web/{stamp(V2 - timedelta(minutes=5))}/{STORM}") == memento_uri(V2)
    assert location(f"/web/{stamp(V1 + timedelta(minutes=45))}/{STORM}") == memento_uri(V1)
    assert location(f"/web/{stamp(V2 + timedelta(minutes=1))}id_/{STORM}") == memento_uri(V2, mode="id_")
    assert location(f"/web/19990101000000/{STORM}") == memento_uri(V1)  # before the first
    assert location(f"/web/20300101000000/{STORM}") == memento_uri(V3)  # after the last
    assert location(f"/web/2026/{STORM}") == memento_uri(V1)  # a short timestamp, padded as pywb pads it
    assert location(f"/web/{stamp(V1)}/{ALIAS}") == memento_uri(V1)  # another URL of the article: the canonical one
    assert client.get(f"/web/20261340000000/{STORM}").status_code == 400  # month 13
    assert location(f"/web/*/{STORM}").endswith("#timeline")  # pywb's every-capture page: the article's timeline
    assert client.get(f"/web/timemap/cdxj/{STORM}").status_code == 404  # link and json only


def test_urls_match_with_or_without_scheme_query_and_aliases(client: TestClient) -> None:
    def original(path: str) -> str:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 302, (path, r.status_code, r.text)
        return by_rel(links(r.headers["link"]), "original")[0]

    assert original(f"/web/{STORM}") == STORM
    assert original("/web/daily.test/world/storm") == STORM  # no scheme
    assert original("/web/https://daily.test/world/storm") == STORM  # the other scheme
    assert original("/web/http:/daily.test/world/storm") == STORM  # '//' merged by a proxy
    assert original("/web/HTTP://DAILY.test/world/storm?utm_source=rss") == STORM  # normalised (worker/urls.py)
    assert original(f"/web/{ALIAS}") == STORM  # a URL it was listed under
    assert original("/web/http%3A%2F%2Fdaily.test%2Fworld%2Fstorm") == STORM  # percent-encoded whole
    assert original(f"/web/{QUERY}") == QUERY  # the query string selects the article
    page = client.get(f"/web/{stamp(V1)}/{QUERY}")
    assert page.status_code == 200 and "A story with a query" in page.text
    tm = [json.loads(line) for line in client.get(f"/web/timemap/json/{QUERY}").text.splitlines()]
    assert [row["url"] for row in tm] == [QUERY]
    for path in ("/web/http://daily.test/world/nothing", "/web/http://daily.test/story?id=43",
                 "/web/timemap/link/http://nowhere.test/", "/web/timemap/json/http://nowhere.test/",
                 f"/web/{stamp(V1)}/http://nowhere.test/", "/web/ftp://daily.test/world/storm"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 404, path
        assert "link" not in r.headers and "memento-datetime" not in r.headers  # a Link to nothing


def test_the_article_page_links_its_mementos(client: TestClient, archive: Archive) -> None:
    page = client.get(f"/articles/{archive.storm_id}").text
    for when in (V1, V2, V3):
        assert f'href="/web/{stamp(when)}/{STORM}"' in page
        assert client.get(f"/web/{stamp(when)}/{STORM}").status_code == 200
    assert f'href="/web/timemap/link/{STORM}"' in page and f'href="/web/timemap/json/{STORM}"' in page
    assert f'href="/web/{STORM}"' in page
    memento_page = client.get(f"/web/{stamp(V2)}/{STORM}").text
    for when in (V1, V3):  # earlier and later versions, a click away
        assert f'href="/web/{stamp(when)}/{STORM}"' in memento_page
    assert f'href="/web/timemap/link/{STORM}"' in memento_page


def test_openapi_lists_the_memento_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/web/timemap/link/{url}", "/web/timemap/json/{url}", "/web/{target}"} <= set(paths)
    json_tm = paths["/web/timemap/json/{url}"]["get"]["responses"]["200"]["content"]["text/x-ndjson"]["schema"]
    assert "memento_url" in json_tm["properties"]


# ---- real clients against `serve` in its own process ---------------------------------------------------------


ROOT = Path(__file__).parents[1]


@dataclass
class Served:
    base: str
    web: SimWeb
    story: str  # URL of an article with two versions
    times: list[datetime]  # their Memento-Datetimes


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`newsarchive run --once` twice over the simulated web (an edit between), then `serve` on a free port;
    the simulated web stays up (memento-client asks the original URL first)."""
    tmp_path = tmp_path_factory.mktemp("served")
    with fresh_db(request.param, tmp_path) as db_url, SimWeb() as web:
        daily = web.add_site("daily")
        story = daily.add_article("world/storm-hits-coast", title="Storm hits northern coast", paragraphs=PARAS[0],
                                  authors=["Jane Doe"], published=datetime(2026, 11, 20, 8, tzinfo=UTC))
        cfg = str(write_config(tmp_path / "sources.yaml", [{"name": "daily", "kind": "feed",
                                                            "url": daily.url("/atom.xml")}], revisit="[]"))
        newsarchive("run", "--once", "--config", cfg, "--db", db_url)
        time.sleep(1.1)  # memento timestamps are to the second: the edit's capture lands in a later one
        story.edit(title="Storm batters northern coast, thousands evacuated")
        newsarchive("run", "--once", "--config", cfg, "--db", db_url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # Memento clients want absolute Link URIs: the archive's address is given, as README says.
        proc = subprocess.Popen([sys.executable, "-m", "worker", "serve", "--db", db_url, "--host", "127.0.0.1",
                                 "--port", str(port), "--base-url", base], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        try:
            wait_up(base, proc)
            rows = [json.loads(line) for line in httpx.get(f"{base}/web/timemap/json/{story.url}").text.splitlines()]
            times = [datetime.strptime(r["timestamp"], "%Y%m%d%H%M%S").replace(tzinfo=UTC) for r in rows]
            assert len(times) == 2, rows
            yield Served(base, web, story.url, times)
        finally:
            proc.terminate()
            try:
                out, _ = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, _ = proc.communicate()
            assert proc.returncode == 0, f"serve exited {proc.returncode} on SIGTERM:\n{out[-2000:]}"


def test_memento_client_resolves_the_archive(served: Served) -> None:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment between us and 127.0.0.1
    mc = MementoClient(timegate_uri=f"{served.base}/web/", check_native_timegate=False, session=session)
    first, second = served.times
    for asked, expected in [(first - timedelta(days=1), first), (first, first), (second, second),
                            (second + timedelta(days=30), second)]:
        info = mc.get_memento_info(served.story, asked.replace(tzinfo=None))
        closest = info["mementos"]["closest"]
        assert closest["uri"] == [f"{served.base}/web/{stamp(expected)}/{served.story}"], info
        assert closest["datetime"] == expected.replace(tzinfo=None) and closest["http_status_code"] == 200
        assert info["mementos"]["first"]["datetime"] == first.replace(tzinfo=None)
        assert info["mementos"]["last"]["datetime"] == second.replace(tzinfo=None)
        assert info["original_uri"] == served.story
    between = first + (second - first) / 3
    info = mc.get_memento_info(served.story, between.replace(tzinfo=None))
    assert info["mementos"]["closest"]["datetime"] == first.replace(tzinfo=None)
    assert info["mementos"]["next"]["uri"] == [f"{served.base}/web/{stamp(second)}/{served.story}"]
    # the library's own checks of what a TimeGate and a memento are
    gate = f"{served.base}/web/{served.story}"
    assert MementoClient.is_timegate(gate, accept_datetime=http_date(first), session=session)
    memento = session.head(f"{served.base}/web/{stamp(second)}/{served.story}")
    assert MementoClient.is_memento(memento.url, response=memento)
    raw = session.head(f"{served.base}/web/{stamp(second)}id_/{served.story}")
    assert MementoClient.is_memento(raw.url, response=raw)
    session.close()


# pywb's upstream-Memento index source (the one `memento+` / live-archive collections use), run by the
# interpreter of pywb's own virtualenv (tests/pywb-requirements.txt says why; tests/test_pywb_replay.py finds it).
PYWB_SCRIPT = r"""
import json, sys
from pywb.warcserver.index.indexsource import MementoIndexSource
source = MementoIndexSource.from_timegate_url(sys.argv[1])
url, closest = sys.argv[2], sys.argv[3]
out = {"timemap": [dict(c) for c in source.load_index({"url": url})],
       "timegate": [dict(c) for c in source.load_index({"url": url, "closest": closest})]}
print(json.dumps(out))
"""


def test_pywb_reads_our_timemap_and_timegate_as_an_upstream_archive(served: Served) -> None:
    python = pywb_bin() / "python"
    assert python.exists(), f"{python}: pywb's virtualenv has no interpreter"
    first, second = served.times
    done = subprocess.run([str(python), "-c", PYWB_SCRIPT, f"{served.base}/web/", served.story, stamp(second)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    timemap = found["timemap"]
    assert [c["timestamp"] for c in timemap] == [stamp(first), stamp(second)]
    assert all(c["url"] == served.story for c in timemap)
    for c in timemap:  # pywb replays an upstream memento from <timegate><timestamp>id_/<url>: the raw capture
        assert c["load_url"] == f"{served.base}/web/{c['timestamp']}id_/{served.story}"
        raw = httpx.get(c["load_url"])
        assert raw.status_code == 200 and b"<html" in raw.content.lower()
    gate = found["timegate"]  # the TimeGate's Link header: first/prev/the chosen/next/last, which pywb re-sorts
    assert [(c["timestamp"], c["mem_rel"]) for c in gate] == [(stamp(first), "first prev memento"),
                                                            (stamp(second), "last memento")]
    assert all(c["memento_url"] == f"{served.base}/web/{c['timestamp']}/{served.story}" for c in gate)
