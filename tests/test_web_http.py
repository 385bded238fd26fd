"""The browser against hostile requests, over real HTTP: `newsarchive serve` in its own process on
127.0.0.1, over an archive written by the worker's own store, on SQLite and PostgreSQL.

Malformed input is a 400, an unknown id a 404, never a 500; HEAD works wherever GET does; any other
method is a 405 naming what is allowed; every answer, errors included, carries the security headers;
no link is built from the Host header."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest
from sqlalchemy import text

from tests.conftest import PG_ADMIN_URL, _pg_admin
from tests.test_web_api import T0, Archive, build, capture
from tests.test_web_browser import free_port, wait_up
from worker.store.engine import make_engine
from worker.store.repository import ArchiveStore

ROOT = Path(__file__).parents[1]
HUGE = str(2**64)


@contextmanager
def serving(db_url: str, *extra: str) -> Iterator[str]:
    """`newsarchive serve` on a free port for the archive at db_url; yields its base URL, then stops it
    with SIGTERM and checks it ended cleanly."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "worker", "serve", "--db", db_url, "--host", "127.0.0.1",
                             "--port", str(port), *extra], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "NEWSARCHIVE_LOG_LEVEL": "WARNING"})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base, proc)
        yield base
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
        assert proc.returncode == 0, f"serve exited {proc.returncode} on SIGTERM:\n{out[-3000:]}"


@dataclass
class Served:
    base: str
    archive: Archive
    http: httpx.Client


WIRE = 60  # older wire items, so that every list has a second page


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One archive and one server per database for the read-only tests of this module (fewer
    databases to create and drop on a shared PostgreSQL server)."""
    if request.param == "sqlite":
        with _served(f"sqlite:///{tmp_path_factory.mktemp('web') / 'archive.sqlite3'}") as s:
            yield s
        return
    admin = _pg_admin()
    name = f"na_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with _served(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}") as s:
            yield s
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextmanager
def _served(db_url: str) -> Iterator[Served]:
    archive = build(db_url)
    engine = make_engine(db_url, writer=True)
    store = ArchiveStore(engine)
    wire = store.sync_sources([("wire", "feed", "http://wire.test/feed.xml")], T0)["wire"]
    for i in range(WIRE):
        capture(store, wire, f"http://wire.test/item-{i}", T0 - timedelta(days=1, minutes=i), f"Wire item {i}",
                f"Wire copy number {i}.")
    engine.dispose()
    with serving(db_url) as base, httpx.Client(base_url=base, timeout=10) as http:
        yield Served(base, archive, http)


def _hardened(resp: httpx.Response) -> None:
    """The headers every answer carries, errors included."""
    assert "default-src 'none'" in resp.headers.get("content-security-policy", ""), resp.headers
    assert resp.headers.get("x-content-type-options") == "nosniff"
    assert resp.headers.get("referrer-policy")


MALFORMED = [
    # NUL wherever text is taken
    ("/api/articles", {"q": "storm\x00"}), ("/api/articles", {"source": "daily\x00"}),
    ("/api/articles", {"url": "http://daily.test/storm\x00"}), ("/articles", {"q": "\x00"}),
    ("/articles", {"source": "\x00daily"}), ("/lookup", {"url": "http://daily.test/\x00storm"}),
    ("/api/articles", {"x\x00": "1"}), ("/articles/%00", {}), ("/api/articles/1%00", {}),
    # ids no archive can hold, and ids that are not numbers
    (f"/api/articles/{HUGE}", {}), (f"/articles/{HUGE}", {}), (f"/api/captures/{HUGE}", {}),
    (f"/captures/{HUGE}", {}), (f"/captures/{HUGE}/raw", {}), (f"/articles/{HUGE}/evidence", {}),
    (f"/articles/{HUGE}/evidence.wacz", {}), ("/articles/1/evidence", {"b": HUGE}), ("/api/articles/1/versions/" + HUGE, {}),
    ("/api/articles/" + "9" * 40, {}), ("/api/articles/0", {}), ("/api/articles/-1", {}),
    ("/api/articles/1.5", {}), ("/api/articles/1/versions/x", {}),
    # dates that are no dates
    ("/api/articles", {"since": "99999-01-01"}), ("/api/articles", {"since": "0000-01-01"}),
    ("/api/articles", {"until": "2026-13-01"}), ("/api/articles", {"since": "2026-02-30"}),
    ("/api/articles", {"since": "2026-11-20T25:00:00Z"}), ("/api/articles", {"since": "2026-11-20T08:00:00+24:00"}),
    ("/api/articles", {"since": "last tuesday"}), ("/articles", {"until": "+275760-09-13"}),
    ("/api/articles", {"since": "2026-11-20T08:00:00"}),  # RFC 3339 times carry their offset
    # cursors this archive never gave out
    ("/api/articles", {"cursor": "MjAyNi0xMS0yMFQwODowMDowMCswMDowMHwx"}), ("/api/changes", {"cursor": "K"}),
    ("/api/changes", {"cursor": "9" * 18 + "-1"}), ("/api/changes", {"cursor": "1-" + "9" * 19}),
    ("/changes", {"cursor": "1-2-3"}), ("/articles", {"cursor": "garbage!"}),
    # numbers and flags
    ("/api/articles", {"limit": "abc"}), ("/api/articles", {"limit": "0"}), ("/api/changes", {"limit": "201"}),
    ("/api/changes", {"limit": HUGE}), ("/api/articles/1/diff", {"a": "x"}), ("/api/articles/1/diff", {"b": "1.5"}),
    ("/api/articles/1/diff", {"a": HUGE}), ("/articles/1", {"a": "-3"}), ("/api/changes", {"all": "maybe"}),
    ("/changes", {"all": "2"}), ("/captures/1/raw", {"text": "perhaps"}),
    # too long to be a search or a source
    ("/api/articles", {"q": "storm " * 200}), ("/api/articles", {"source": "s" * 300}),
]


def test_malformed_parameters_are_400_never_500(served: Served) -> None:
    for path, params in MALFORMED:
        resp = served.http.get(path, params=params)
        assert resp.status_code == 400, (path, params, resp.status_code, resp.text[:300])
        _hardened(resp)
        if path.startswith("/api"):
            detail = resp.json()["detail"]
            assert detail and "\n" not in detail and "Traceback" not in detail, detail
        else:
            assert "text/html" in resp.headers["content-type"] and "<h1>400</h1>" in resp.text
    nul = served.http.get("/api/articles", params={"q": "a\x00b"}).json()["detail"]
    assert nul == "q: contains a NUL character"


def test_schema_valid_extremes_are_answered(served: Served) -> None:
    """Valid RFC 3339 times past what a UTC datetime holds, and a well-formed cursor nobody gave out,
    are answered like any other: nothing is that late (or that early)."""
    http = served.http
    for params in ({"since": "9999-12-31T23:59:59-23:59"}, {"since": "9999-12-31"},
                   {"until": "0001-01-01T00:00:00+23:59"}, {"until": "0001-01-01"}):
        resp = http.get("/api/articles", params=params)
        assert resp.status_code == 200 and resp.json()["items"] == [], (params, resp.text[:300])
    wide = {"until": "9999-12-31", "since": "0001-01-01", "limit": 200}
    assert len(http.get("/api/articles", params=wide).json()["items"]) == 8 + WIRE
    blank = {"since": "", "until": "", "limit": 200}  # as blank form fields send them
    assert len(http.get("/api/articles", params=blank).json()["items"]) == 8 + WIRE
    assert http.get("/articles", params={"since": "9999-12-31T23:59:59.999999-23:59"}).status_code == 200
    future = http.get("/api/changes", params={"cursor": "9" * 17 + "-" + "9" * 18, "all": "true", "limit": 200})
    assert len(future.json()["items"]) == 9 + WIRE  # older than the far future: everything
    assert http.get("/api/changes", params={"cursor": "0-0"}).json()["items"] == []  # older than 1970: nothing
    one = http.get("/api/articles", params={"limit": 3}).json()
    assert http.get("/api/articles", params={"limit": 3, "cursor": one["next_cursor"]}).json()["items"][0]["id"] \
        not in {a["id"] for a in one["items"]}


def test_unknown_ids_are_404(served: Served) -> None:
    storm = served.archive.ids["storm"]
    for path in ("/api/articles/424242", f"/api/articles/{2**63 - 1}", f"/api/articles/{storm}/versions/9",
                 "/api/articles/424242/diff", "/api/captures/999999", "/articles/424242", "/captures/999999",
                 "/captures/999999/raw", "/articles/424242/evidence", "/articles/424242/evidence.wacz", "/nothing-here", "/api/nothing", "/static/nothing.css"):
        resp = served.http.get(path)
        assert resp.status_code == 404, (path, resp.status_code, resp.text[:200])
        _hardened(resp)
    missing = served.http.get(f"/api/articles/{storm}/diff", params={"a": 1, "b": 7})
    assert missing.status_code == 404 and missing.json()["detail"] == "no version 7; this article has 1, 2"
    assert served.http.get("/lookup", params={"url": "http://elsewhere.test/x"}).status_code == 404


GETS = ["/", "/articles", "/changes", "/changes.atom", "/sources", "/healthz", "/metrics", "/openapi.json",
        "/static/style.css", "/api/articles", "/api/changes", "/api/sources", "/api/articles/{storm}",
        "/api/articles/{storm}/diff", "/api/articles/{storm}/versions/1", "/articles/{storm}", "/api/nothing",
        "/articles/{storm}/evidence", "/articles/{storm}/evidence.wacz"]


def test_head_wherever_get_and_405_with_allow_elsewhere(served: Served) -> None:
    http, storm = served.http, served.archive.ids["storm"]
    for template in GETS:
        path = template.format(storm=storm)
        got, head = http.get(path), http.head(path)
        assert head.status_code == got.status_code, (path, head.status_code, got.status_code)
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"], path
        _hardened(head)
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"):
        for path in ("/healthz", "/api/articles", f"/api/articles/{storm}", f"/articles/{storm}", "/",
                     "/changes.atom", "/static/style.css"):
            resp = http.request(method, path)
            assert resp.status_code == 405, (method, path, resp.status_code)
            assert resp.headers["allow"] == "GET, HEAD", (method, path, resp.headers)
            _hardened(resp)


ATOM = {"a": "http://www.w3.org/2005/Atom"}
EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "gopher",
        "Forwarded": "host=evil.example"}


def test_links_never_come_from_the_host_header(served: Served) -> None:
    http = served.http
    feed = http.get("/changes.atom", headers=EVIL)
    assert feed.status_code == 200 and b"evil.example" not in feed.content
    root = ET.fromstring(feed.content)
    hrefs = [link.get("href") for link in root.iter("{http://www.w3.org/2005/Atom}link")]
    assert hrefs and all(h.startswith("/") or h.startswith("http://daily.test/") for h in hrefs), hrefs
    assert root.findtext("a:id", namespaces=ATOM).startswith("tag:newsarchive,")
    page = http.get("/changes", params={"all": 1}, headers=EVIL).text
    assert "evil.example" not in page and 'rel="next" href="?all=1&amp;cursor=' in page
    evidence = http.get(f"/articles/{served.archive.ids['storm']}/evidence", headers=EVIL).text
    assert "evil.example" not in evidence and "Evidence package: /articles/" in evidence
    listing = http.get("/articles", params={"source": "wire"}, headers=EVIL).text
    assert "evil.example" not in listing and 'rel="next" href="?source=wire&amp;cursor=' in listing
    slash = http.get("/articles/", headers=EVIL, follow_redirects=False)
    assert slash.status_code == 404 and "location" not in slash.headers
    lookup = http.get("/lookup", params={"url": "http://herald.test/museum"}, headers=EVIL, follow_redirects=False)
    assert lookup.status_code == 303 and lookup.headers["location"].startswith("/articles/")


def test_base_url_feed_links_and_a_hardened_server_error(db_url: str) -> None:
    """--base-url makes the feed's links absolute. Then a broken archive (a table dropped under the
    server) is a 500 that says nothing of the internals and still carries the security headers."""
    build(db_url)
    with serving(db_url, "--base-url", "https://archive.example.org/news/") as base:
        feed = httpx.get(f"{base}/changes.atom", headers=EVIL)
        engine = make_engine(db_url, writer=True)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE article_urls"))
        engine.dispose()
        broken = httpx.get(f"{base}/api/articles", params={"url": "http://daily.test/storm"})
    assert broken.status_code == 500 and "article_urls" not in broken.text and "Traceback" not in broken.text
    _hardened(broken)
    root = ET.fromstring(feed.content)
    assert root.findtext("a:id", namespaces=ATOM) == "https://archive.example.org/news/changes"
    self_link = root.find("a:link[@rel='self']", ATOM)
    assert self_link is not None and self_link.get("href") == "https://archive.example.org/news/changes.atom"
    entry = root.find("a:entry/a:link[@rel='alternate']", ATOM)
    assert entry is not None and entry.get("href", "").startswith("https://archive.example.org/news/articles/")
    assert b"evil.example" not in feed.content
    bad = subprocess.run([sys.executable, "-m", "worker", "serve", "--db", db_url, "--base-url", "archive.example.org"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--base-url" in bad.stderr and "not an http(s) address" in bad.stderr


# Requests uvicorn itself answers, before the app sees them (malformed HTTP), as raw bytes.
UNPARSABLE = {
    "garbage request line": b"THIS IS NOT HTTP\r\n\r\n",
    "HTTP/1.1 without Host": b"GET / HTTP/1.1\r\n\r\n",
    "header without a colon": b"GET / HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n",
    "space before the colon": b"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
    "bad Content-Length": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: lots\r\n\r\n",
    "two Content-Lengths": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "bad chunked body": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "control character in the target": b"GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n",
    "headers still going after 100 KB": b"GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + b"a" * 100_000,
}


def raw_exchange(base: str, request: bytes) -> tuple[str, dict[str, list[str]]]:
    """Send bytes as they are; the status line and the headers (lower-case names) of the answer."""
    import socket

    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):  # answered and closed before the last bytes
            pass
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return head[0], headers


@pytest.mark.parametrize("what", sorted(UNPARSABLE))
def test_requests_uvicorn_rejects_carry_the_security_headers(served: Served, what: str) -> None:
    status, headers = raw_exchange(served.base, UNPARSABLE[what])
    assert status.startswith("HTTP/1.1 400 "), (what, status)
    assert "default-src 'none'" in headers.get("content-security-policy", [""])[0], (what, headers)
    assert headers.get("x-content-type-options") == ["nosniff"] and headers.get("referrer-policy"), (what, headers)


def test_a_normal_answer_carries_each_security_header_once(served: Served) -> None:
    status, headers = raw_exchange(served.base, b"GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    assert status == "HTTP/1.1 200 OK"
    assert [len(headers[h]) for h in ("content-security-policy", "x-content-type-options", "referrer-policy")] == [1, 1, 1]


def test_an_app_that_fails_before_answering_gets_a_hardened_500() -> None:
    """uvicorn's own 500 (an app raising, or ending, before it starts a response) carries them too."""
    import asyncio
    import threading

    import uvicorn

    from worker.web.protocol import HardenedH11Protocol

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        if scope["type"] == "http" and scope["path"] == "/raise":
            raise RuntimeError("broken before the response")
        # anything else: ends without answering

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="critical",
                                           http=HardenedH11Protocol))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.05)
            assert thread.is_alive()
        for path in (b"/raise", b"/silent"):
            status, headers = raw_exchange(f"http://127.0.0.1:{port}", b"GET " + path + b" HTTP/1.1\r\nHost: a\r\n\r\n")
            assert status.startswith("HTTP/1.1 500 "), (path, status)
            assert headers.get("x-content-type-options") == ["nosniff"] and "content-security-policy" in headers
    finally:
        server.should_exit = True
        thread.join(10)
    assert not thread.is_alive()
