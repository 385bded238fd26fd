"""Configured headers (Cookie, Authorization, any other) go only to the hosts they belong to.

Two local hosts over real HTTP: 127.0.0.1 ("the source's site") and localhost ("another host"),
each a server that records the headers it received. A redirect from the first to the second, the
second's robots.txt, and a whole `run --once` through the real command with a configured source.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_faults_helpers import PARAS, cli, write_config
from tests.test_fetch_rebind import Recorder
from worker.config import load_config
from worker.fetch import Fetcher
from worker.values import FetchPolicy

SECRETS = (("Cookie", "session=s3cret"), ("Authorization", "Bearer t0ken"), ("X-Api-Key", "k3y"))
POLICY = FetchPolicy(per_host_delay=0.0, respect_robots=False, retries=0, timeout=5.0,
                     allow_private_networks=True, headers=SECRETS, user_agent="credbot/1.0")
ARTICLE = ("<html><head><title>Own story</title></head><body><article><h1>Own story</h1>"
           + "".join(f"<p>{p}</p>" for p in PARAS[0]) + "</article></body></html>").encode()


def leaked(server: Recorder) -> list[str]:
    """The paths at which `server` received any configured header."""
    return [r["path"] for r in server.requests
            if any(name.lower() in r["headers"] for name, _ in SECRETS)]


@pytest.fixture
def hosts() -> Iterator[tuple[Recorder, Recorder]]:
    with Recorder(ARTICLE, content_type="text/html") as other:
        elsewhere = f"http://localhost:{other.port}"
        with Recorder(ARTICLE, content_type="text/html", redirects={
            "/away": elsewhere + "/landing",
            "/story-moved": elsewhere + "/story",
        }) as own:
            yield own, other


async def test_headers_stop_at_a_redirect_to_another_host(hosts: tuple[Recorder, Recorder]) -> None:
    own, other = hosts
    async with Fetcher() as fetcher:
        got = await fetcher.fetch(f"http://127.0.0.1:{own.port}/away", POLICY, purpose="article")
    assert got.ok and got.final_url == f"http://localhost:{other.port}/landing"
    assert leaked(own) == ["/away"]  # the own host gets them, with their values
    assert own.requests[0]["headers"]["authorization"] == "Bearer t0ken"
    assert leaked(other) == [] and other.paths() == ["/landing"]
    assert other.requests[0]["headers"]["user-agent"] == "credbot/1.0"  # not a credential: still sent


async def test_headers_never_reach_another_hosts_robots_txt(hosts: tuple[Recorder, Recorder]) -> None:
    own, other = hosts
    policy = FetchPolicy(**{**POLICY.__dict__, "respect_robots": True})
    async with Fetcher() as fetcher:
        got = await fetcher.fetch(f"http://127.0.0.1:{own.port}/away", policy, purpose="article")
    assert got.ok
    assert own.paths() == ["/robots.txt", "/away"] and leaked(own) == ["/robots.txt", "/away"]
    assert other.paths() == ["/robots.txt", "/landing"] and leaked(other) == []


async def test_listed_hosts_get_them(hosts: tuple[Recorder, Recorder]) -> None:
    own, other = hosts
    policy = FetchPolicy(**{**POLICY.__dict__, "headers_hosts": ("127.0.0.1", "localhost")})
    async with Fetcher() as fetcher:
        got = await fetcher.fetch(f"http://127.0.0.1:{own.port}/away", policy, purpose="article")
        only_own = await fetcher.fetch(f"http://localhost:{other.port}/direct",
                                       FetchPolicy(**{**POLICY.__dict__, "headers_hosts": ("127.0.0.1",)}),
                                       purpose="article")
    assert got.ok and only_own.ok
    assert leaked(other) == ["/landing"]  # listed: sent; /direct starts on a host not listed: not sent


def test_a_configured_source_keeps_its_headers_on_its_own_host(tmp_path: Path) -> None:
    """Through the real command: a feed source's headers reach its own host (its feed, articles and
    robots.txt), never the other host an article redirects to, nor that host's robots.txt, nor an
    article the feed lists there."""
    with Recorder(ARTICLE, content_type="text/html") as other:
        elsewhere = f"http://localhost:{other.port}"
        items = ["/story", "/story-moved", elsewhere + "/listed-elsewhere"]
        with Recorder(ARTICLE, content_type="text/html", redirects={"/story-moved": elsewhere + "/story"},
                      pages={"/feed.xml": b""}) as own:
            base = f"http://127.0.0.1:{own.port}"
            feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>' + base + "/</link>"
                    + "".join(f"<item><title>{i}</title><link>{i if i.startswith('http') else base + i}</link></item>"
                              for i in items) + "</channel></rss>").encode()
            own.pages["/feed.xml"] = feed
            cfg = write_config(tmp_path / "s.yaml", [
                {"name": "secret-site", "kind": "feed", "url": base + "/feed.xml", "headers": dict(SECRETS)},
            ], respect_robots=True)
            db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
            res = cli("run", "--once", "--config", str(cfg), "--db", db)
    assert "pass complete" in res.stdout + res.stderr
    assert set(leaked(own)) == {"/feed.xml", "/robots.txt", "/story", "/story-moved"}
    assert set(other.paths()) == {"/robots.txt", "/story", "/listed-elsewhere"}
    assert leaked(other) == []
    assert "s3cret" not in res.stdout + res.stderr and "t0ken" not in res.stdout + res.stderr


def test_config_gives_each_source_its_own_hosts(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "defaults:\n  headers: {Cookie: consent=1}\n  crawl_delay_max: 1m\n"
        "sources:\n"
        "  - {name: a, kind: feed, url: 'https://feeds.example.com/rss'}\n"
        "  - {name: b, kind: feed, url: 'https://feeds.example.com/rss', headers_hosts: [www.example.com]}\n"
        "  - {name: c, kind: urls, urls: ['https://x.example/1', 'https://y.example/2'], headers: {}}\n"
        "  - {name: d, kind: feed, url: 'https://e.example/rss', headers_hosts: ['https://e.example/']}\n")
    with pytest.raises(Exception, match="is not a host name"):
        load_config(path)
    path.write_text(path.read_text().rsplit("  - {name: d", 1)[0])
    a, b, c = load_config(path).sources
    assert a.fetch.headers_hosts == ("feeds.example.com",) and a.fetch.crawl_delay_max == 60.0
    assert b.fetch.headers_hosts == ("feeds.example.com", "www.example.com")
    assert c.fetch.headers == () and c.fetch.headers_hosts == ()


async def test_headers_never_go_in_clear_after_a_redirect_from_https() -> None:
    """https://secure.example/ redirects to http://secure.example/ (same host): the configured headers
    went over TLS, and are not sent in clear (nor to the http robots.txt)."""
    import ssl

    import trustme

    from tests.test_fetch_rebind import PUBLIC, Network, RebindingDNS

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("secure.example").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    with Recorder(ARTICLE, content_type="text/html") as plain:
        with Recorder(ARTICLE, content_type="text/html", context=server_ctx,
                      redirects={"/down": "http://secure.example/landing"}) as tls:

            async def public(host: str) -> list[str]:
                return [PUBLIC]

            network = Network(RebindingDNS(), {443: tls.port, 80: plain.port})
            policy = FetchPolicy(**{**POLICY.__dict__, "allow_private_networks": False, "respect_robots": True})
            async with Fetcher(resolver=public, network=network, verify=client_ctx) as fetcher:
                got = await fetcher.fetch("https://secure.example/down", policy, purpose="article")
    assert got.ok and got.final_url == "http://secure.example/landing", (got.error, got.error_detail)
    assert leaked(tls) == ["/robots.txt", "/down"]
    assert plain.paths() == ["/robots.txt", "/landing"] and leaked(plain) == []
