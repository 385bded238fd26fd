"""Issue 17's small ones: a UTF-16/32 listing's DOCTYPE is stripped like a UTF-8 one's; a damaged
SQLite file is a one-line message (exit 1), not a traceback; `export -o` is atomic; FetchPolicy's
repr shows no header value and no proxy password."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.test_faults_feeds import LAUGHS, rss, urlset
from tests.test_faults_helpers import cli
from worker.config import NotifyConfig
from worker.discover import parse_feed, parse_sitemap
from worker.discover.sitemaps import strip_doctype
from worker.values import FetchPolicy

CODECS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]


def _declared(doc: str, codec: str) -> str:
    return doc.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{codec.upper()}"?>').replace(
        'encoding="UTF-8"', f'encoding="{codec.upper()}"')


@pytest.mark.parametrize("codec", [*CODECS, "utf-32"])
def test_a_wide_doctype_is_stripped(codec: str) -> None:
    body = _declared(rss(["https://a.example/x"], doctype=LAUGHS, title="&lol9;"), codec).encode(codec)
    out = strip_doctype(body)
    text = out.decode({"utf-16": "utf-16", "utf-32": "utf-32"}.get(codec, codec))
    assert "<!DOCTYPE" not in text and "ENTITY" not in text
    assert "<rss" in text and out.startswith(body[:2] if codec in ("utf-16", "utf-32") else b"")  # BOM kept
    assert text.replace(" ", "") == _declared(rss(["https://a.example/x"], title="&lol9;"), codec).replace(" ", "")


@pytest.mark.parametrize("codec", CODECS)
def test_wide_feeds_and_sitemaps_parse_without_their_entities(codec: str) -> None:
    feed = _declared(rss(["https://a.example/x"], doctype=LAUGHS, title="&lol9;"), codec).encode(codec)
    [link] = parse_feed(feed, "https://a.example/")
    assert link.url == "https://a.example/x" and "lollol" not in (link.title or "")
    sitemap = _declared(urlset(["https://a.example/y"], doctype=LAUGHS), codec).encode(codec)
    assert [ln.url for ln in parse_sitemap(sitemap, "https://a.example/").links] == ["https://a.example/y"]
    plain = "https://a.example/z\n".encode(codec)  # a wide plain-text sitemap is still a list of URLs
    assert [ln.url for ln in parse_sitemap(plain, "https://a.example/").links] == ["https://a.example/z"]


def test_an_utf8_body_is_left_alone() -> None:
    body = rss(["https://a.example/x"]).encode()
    assert strip_doctype(body) is body


def _damaged_archive(tmp_path: Path) -> str:
    db = tmp_path / "a.sqlite3"
    url = f"sqlite:///{db}"
    cli("db", "upgrade", "--db", url)
    with sqlite3.connect(db) as conn:
        # fetched within the last day: `status` reads that much of the log (the rest it has in its tallies)
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        conn.executemany("INSERT INTO fetches (purpose, requested_url, fetched_at, duration_ms, attempts, not_modified)"
                         " VALUES ('article', ?, ?, 5, 1, 0)",
                         [(f"https://x.example/{i}/" * 4, now) for i in range(20_000)])
    size = db.stat().st_size
    with open(db, "r+b") as f:  # pages in the middle of the fetch log overwritten
        f.seek(size // 2)
        f.write(b"\xa5" * (size // 4))
    return url


@pytest.mark.parametrize("command", [["fetches"], ["fetches", "--failed"], ["status"]])
def test_a_damaged_sqlite_file_is_one_line(tmp_path: Path, command: list[str]) -> None:
    url = _damaged_archive(tmp_path)
    res = cli(*command, "--db", url, check=False)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and "crashed" not in res.stderr
    [line] = [ln for ln in res.stderr.splitlines() if ln.startswith("newsarchive:")]
    assert line.startswith("newsarchive: the database file is damaged: database disk image is malformed")


def test_a_file_that_is_not_sqlite_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "junk.sqlite3"
    db.write_bytes(b"SQLite format 3\x00" + b"\x5a" * 8000)
    res = cli("fetches", "--db", f"sqlite:///{db}", check=False)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].startswith("newsarchive: ")


def test_export_to_a_file_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    import worker.store.reading
    from worker.cli import main

    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    cli("db", "upgrade", "--db", url)
    out = tmp_path / "export.jsonl"
    out.write_text('{"old": true}\n')

    def failing(*args: Any, **kwargs: Any) -> Any:
        yield {"url": "https://a.example/1", "version": 1}
        raise RuntimeError("the database went away half-way")

    monkeypatch.setattr(worker.store.reading, "iter_versions", failing)
    assert main(["export", "-o", str(out), "--db", url]) == 3
    assert out.read_text() == '{"old": true}\n'  # the old export is untouched ...
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite3", "export.jsonl"]  # ... and no part left

    monkeypatch.setattr(worker.store.reading, "iter_versions", lambda *a, **k: iter([{"url": "https://a.example/2"}]))
    assert main(["export", "-o", str(out), "--db", url]) == 0
    assert out.read_text() == '{"url": "https://a.example/2"}\n'
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # as a plain open() would have made it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite3", "export.jsonl"]
    capsys.readouterr()


def test_fetch_policy_repr_hides_header_values_and_proxy_credentials() -> None:
    policy = FetchPolicy(headers=(("Cookie", "sid=cookie-secret"), ("Authorization", "Bearer auth-secret")),
                         proxy="http://proxyuser:proxy-secret@proxy.example:3128")
    for shown in (repr(policy), str(policy), f"{[policy]}"):
        assert "cookie-secret" not in shown and "auth-secret" not in shown
        assert "proxy-secret" not in shown and "proxyuser" not in shown
        assert "'Cookie', '***'" in shown and "proxy='http://***@proxy.example:3128'" in shown
        assert "timeout=20.0" in shown
    assert "proxy=None" in repr(FetchPolicy())
    assert "hooks.example" not in repr(NotifyConfig("https://hooks.example/T0/B0/secret-token-123", secret="s"))


class Socks5:
    """A minimal SOCKS5 proxy on 127.0.0.1 (no auth, CONNECT only); records where it connected."""

    def __init__(self) -> None:
        import socketserver

        self.connects: list[tuple[str, int]] = []
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                s = self.request
                _, n = _recv(s, 2)
                _recv(s, n)
                s.sendall(b"\x05\x00")  # no authentication
                _, _, _, atyp = _recv(s, 4)
                if atyp == 1:
                    host = socket.inet_ntoa(_recv(s, 4))
                elif atyp == 3:
                    host = _recv(s, _recv(s, 1)[0]).decode()
                else:
                    host = socket.inet_ntop(socket.AF_INET6, _recv(s, 16))
                port = int.from_bytes(_recv(s, 2), "big")
                proxy.connects.append((host, port))
                with socket.create_connection((host, port), timeout=5) as up:
                    s.sendall(b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00")
                    pump = threading.Thread(target=_copy, args=(up, s), daemon=True)
                    pump.start()
                    _copy(s, up)
                    pump.join(5)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _recv(s: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the client went away")
        data += chunk
    return data


def _copy(src: socket.socket, dst: socket.socket) -> None:
    try:
        while chunk := src.recv(65536):
            dst.sendall(chunk)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def test_a_socks5_proxy_works(tmp_path: Path) -> None:
    from tests.simweb import SimWeb
    from tests.test_faults_helpers import PARAS, jsonl, write_config

    proxy = Socks5()
    try:
        with SimWeb() as web:
            site = web.add_site("daily")
            story = site.add_article("news/socks", title="Through the proxy", paragraphs=PARAS[0])
            cfg = write_config(tmp_path / "s.yaml", [{"name": "s", "kind": "urls", "urls": [story.url],
                                                       "proxy": f"socks5://127.0.0.1:{proxy.port}"}])
            cli("check", "--config", str(cfg))
            db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
            res = cli("run", "--once", "--config", str(cfg), "--db", db)
    finally:
        proxy.close()
    assert "ImportError" not in res.stderr and "socksio" not in res.stderr
    port = int(story.url.split(":")[2].split("/")[0])
    assert ("127.0.0.1", port) in proxy.connects
    [record] = jsonl(cli("export", "--db", db).stdout)
    assert record["title"] == "Through the proxy"
