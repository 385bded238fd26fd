"""Security through the real command: private addresses refused on every redirect hop, XML external
entities never fetched, database and proxy passwords never printed, request cookies and
authorisation never stored in the fetch log.

Redirect hops need a first hop that is public: the source fetches http://93.184.216.34/... through an
HTTP proxy, and the proxy is a simulated site (simweb serves absolute-form requests), so no packet
leaves the machine while the address guard sees a public first hop and a private second one.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from tests.simweb import SimWeb
from tests.test_faults_helpers import PARAS, archive_invariants, cli, fetch_log, jsonl, write_config

PUBLIC = "http://93.184.216.34"  # a public address literal: admitted, never resolved, reached via the proxy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def web() -> Any:
    with SimWeb() as w:
        yield w


def test_private_targets_refused_on_every_hop(web: SimWeb, tmp_path: Path) -> None:
    site = web.add_site("daily")
    good = site.add_article("news/public-story", title="Public story", paragraphs=PARAS[0])
    targets = {  # first-hop path -> where it redirects (each a private, loopback or link-local address)
        "/news/to-loopback": site.url("/private-target/loopback"),
        "/news/to-private": "http://10.1.2.3/private-target/ten",
        "/news/to-link-local": "http://169.254.169.254/latest/meta-data/",
        "/news/to-ipv6-loopback": f"http://[::1]:{site.url().rsplit(':', 1)[1]}/private-target/v6",
        "/news/to-localhost": site.url("/private-target/name").replace("127.0.0.1", "localhost"),
        "/news/two-hops": PUBLIC + "/news/second-hop",  # public, then private
    }
    for path, to in targets.items():
        site.fault(path, "redirect", times=None, to=to)
    site.fault("/news/second-hop", "redirect", times=None, to=site.url("/private-target/second"))
    direct = [site.url("/private-target/direct"), "http://192.168.1.1/private-target/lan",
              site.url("/private-target/direct-name").replace("127.0.0.1", "localhost")]
    urls = [PUBLIC + "/news/public-story", *(PUBLIC + p for p in targets)]
    cfg = write_config(tmp_path / "s.yaml", [
        {"name": "via-proxy", "kind": "urls", "urls": urls, "proxy": site.url()},
        {"name": "direct", "kind": "urls", "urls": direct},
        {"name": "direct-feed", "kind": "feed", "url": site.url("/feed.xml")},
    ], allow_private_networks=False)
    db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    res = cli("run", "--once", "--config", str(cfg), "--db", db)
    assert "pass complete" in res.stdout

    assert not [p for p in site.paths() if "/private-target/" in p or p == "/feed.xml"]
    log = fetch_log(db)
    refused = {f["requested_url"]: f for f in log if f["error"] == "refused_address"}
    assert set(refused) == {PUBLIC + p for p in targets} | set(direct) | {site.url("/feed.xml")}
    assert refused[PUBLIC + "/news/two-hops"]["final_url"] == site.url("/private-target/second")
    (story,) = jsonl(cli("export", "--db", db).stdout)  # the public page came through the proxy
    assert story["url"] == PUBLIC + "/news/public-story" and story["title"] == good.title


def test_xml_external_entities_never_fetched(web: SimWeb, tmp_path: Path) -> None:
    site = web.add_site("daily")
    art = site.add_article("news/story", title="A story", paragraphs=PARAS[1])
    probe = site.url("/xxe-probe")
    doctype = (f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{probe}/general"><!ENTITY file SYSTEM "file:///etc/passwd">'
               f'<!ENTITY % pe SYSTEM "{probe}/parameter"> %pe;]>')
    feed = (f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>&xxe;&file;</title>'
            f"<item><title>&file;</title><link>{art.url}</link><description>&xxe;</description></item>"
            "<item><title>x</title><link>&xxe;</link></item></channel></rss>")
    sitemap = (f'<?xml version="1.0"?>{doctype}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"<url><loc>{art.url}</loc></url><url><loc>&xxe;</loc></url><url><loc>&file;</loc></url></urlset>")
    site.fault("/xxe-feed.xml", "body", times=None, body=feed.encode(), content_type="application/rss+xml")
    site.fault("/xxe-sitemap.xml", "body", times=None, body=sitemap.encode(), content_type="application/xml")
    atom = feed.replace("<rss", "<feed").replace("</rss>", "</feed>")
    site.fault("/xxe-atom.xml", "body", times=None, body=atom.encode(), content_type="application/atom+xml")
    cfg = write_config(tmp_path / "s.yaml", [
        {"name": "xxe-feed", "kind": "feed", "url": site.url("/xxe-feed.xml")},
        {"name": "xxe-atom", "kind": "feed", "url": site.url("/xxe-atom.xml")},
        {"name": "xxe-sitemap", "kind": "sitemap", "url": site.url("/xxe-sitemap.xml")},
    ])
    db = tmp_path / "a.sqlite3"
    cli("run", "--once", "--config", str(cfg), "--db", f"sqlite:///{db}")
    assert not [p for p in site.paths() if p.startswith("/xxe-probe")]
    assert [v["url"] for v in jsonl(cli("export", "--db", f"sqlite:///{db}").stdout)] == [art.url]
    dump = b"".join(p.read_bytes() for p in tmp_path.glob("a.sqlite3*"))
    assert b"root:x:0:0" not in dump and b"/bin/bash" not in dump
    archive_invariants(f"sqlite:///{db}")


def _no_secret(res: Any, secret: str) -> None:
    assert secret not in res.stdout and secret not in res.stderr, (res.stdout + res.stderr)[-2000:]


DB_COMMANDS = [("run", "--once"), ("run", "--once", "--no-migrate"), ("db", "upgrade"), ("export",),
               ("fetches", "--failed"), ("status",)]


_RUNS: dict[tuple[str, ...], list[Any]] = {}
SECRET = "s3cret-pw-0451"


def _unreachable(tmp: pytest.TempPathFactory, command: tuple[str, ...]) -> list[Any]:
    """The command against an unreachable database whose URL has a password, given by --db and by the
    config file's `database:` (each run once per module; the tests below judge different things)."""
    if command not in _RUNS:
        url = f"postgresql://archivist:{SECRET}@127.0.0.1:{free_port()}/news"
        cfg = write_config(tmp.mktemp("db") / "s.yaml", [{"name": "x", "kind": "urls", "urls": ["http://127.0.0.1:9/a"]}])
        cfg.write_text(cfg.read_text() + f"database: {url}\n")
        _RUNS[command] = [cli(*command, "--config", str(cfg), *extra, check=False, timeout=60)
                          for extra in (["--db", url], [])]
    return _RUNS[command]


@pytest.mark.parametrize("command", DB_COMMANDS, ids=["-".join(c) for c in DB_COMMANDS])
def test_database_password_never_printed(tmp_path_factory: pytest.TempPathFactory, command: tuple[str, ...]) -> None:
    """An unreachable postgresql://user:secret@... fails with a message that names the host, never the password."""
    for res in _unreachable(tmp_path_factory, command):
        assert res.returncode != 0
        _no_secret(res, SECRET)
        assert "127.0.0.1" in res.stderr  # the message still says which database


@pytest.mark.parametrize("command", DB_COMMANDS[:2], ids=["-".join(c) for c in DB_COMMANDS[:2]])
def test_unreachable_database_run_is_a_message(tmp_path_factory: pytest.TempPathFactory,
                                               command: tuple[str, ...]) -> None:
    for res in _unreachable(tmp_path_factory, command):
        assert "Traceback" not in res.stderr and "cannot open the database" in res.stderr, res.stderr[-2000:]


@pytest.mark.parametrize("command", DB_COMMANDS[2:], ids=["-".join(c) for c in DB_COMMANDS[2:]])
def test_unreachable_database_is_a_message(tmp_path_factory: pytest.TempPathFactory,
                                           command: tuple[str, ...]) -> None:
    for res in _unreachable(tmp_path_factory, command):
        assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr[-2000:]  # unreachable, not usage


def test_password_of_a_working_database_never_printed(pg_url: str, tmp_path: Path, web: SimWeb) -> None:
    site = web.add_site("daily")
    site.add_article("news/story", title="A story", paragraphs=PARAS[2])
    secret = "pw-not-needed-9931"  # the shared test server trusts local users, so any password works
    url = pg_url.replace("postgres@", f"postgres:{secret}@", 1)
    cfg = write_config(tmp_path / "s.yaml", [{"name": "f", "kind": "feed", "url": site.url("/feed.xml")}])
    for args in (("run", "--once"), ("status",), ("export",), ("fetches",), ("db", "upgrade")):
        res = cli(*args, "--config", str(cfg), "--db", url, env={"NEWSARCHIVE_LOG_LEVEL": "DEBUG"})
        _no_secret(res, secret)


def test_proxy_password_never_printed_or_stored(tmp_path: Path) -> None:
    secret = "proxy-pw-7719"
    cfg = write_config(tmp_path / "s.yaml", [{"name": "p", "kind": "urls", "urls": ["http://93.184.216.34/a"],
                                              "proxy": f"http://user:{secret}@127.0.0.1:{free_port()}"}],
                       retries=0)
    db = tmp_path / "a.sqlite3"
    res = cli("run", "--once", "--config", str(cfg), "--db", f"sqlite:///{db}",
              env={"NEWSARCHIVE_LOG_LEVEL": "DEBUG"}, check=False)
    assert res.returncode == 1 and "all 1 source failed" in res.stdout  # the one source could not be polled
    _no_secret(res, secret)
    (row,) = fetch_log(f"sqlite:///{db}", failed=True)
    assert row["error"] == "connection"
    assert secret.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("a.sqlite3*"))
    _no_secret(cli("fetches", "--db", f"sqlite:///{db}"), secret)


def test_cookies_and_authorization_never_stored(web: SimWeb, tmp_path: Path) -> None:
    site = web.add_site("daily")
    art = site.add_article("news/story", title="A story", paragraphs=PARAS[3])
    cookie, auth, key = "session=cookie-secret-123", "Bearer auth-secret-456", "apikey-secret-789"
    cfg = write_config(tmp_path / "s.yaml", [{"name": "f", "kind": "feed", "url": site.url("/feed.xml")}],
                       headers={"Cookie": cookie, "Authorization": auth, "X-Api-Key": key}, respect_robots=True)
    db = tmp_path / "a.sqlite3"
    url = f"sqlite:///{db}"
    res = cli("run", "--once", "--config", str(cfg), "--db", url, env={"NEWSARCHIVE_LOG_LEVEL": "DEBUG"})
    # the headers were really sent (so the test can fail) ...
    sent = [r.headers for r in site.requests]
    assert sent and all(h.get("cookie") == cookie and h.get("authorization") == auth for h in sent)
    assert {r.path for r in site.requests} >= {"/robots.txt", "/feed.xml", art.path}
    # ... and are nowhere in the database file, the fetch log, the export or the logs
    outputs = [res, cli("fetches", "--db", url), cli("export", "--db", url), cli("status", "--db", url)]
    dump = b"".join(p.read_bytes() for p in tmp_path.glob("a.sqlite3*"))
    for secret in ("cookie-secret-123", "auth-secret-456", key):
        assert secret.encode() not in dump
        for out in outputs:
            _no_secret(out, secret)
    # the sites' own Set-Cookie answers are not kept either
    import sqlite3

    with sqlite3.connect(db) as conn:
        stored = [h for (h,) in conn.execute("SELECT headers FROM fetches") if h]
    assert stored and not [h for h in stored if "set-cookie" in h.lower() or "sid=" in h]
