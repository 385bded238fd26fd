"""Errors named for what happened, through the real command (issue 16, item 1).

A site that is down is no robots.txt refusal; a refused connection, a DNS failure and a TLS failure
each say so in the log line, the fetch log and `status`; a refused private address names the setting.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.simweb import SimWeb
from tests.test_e2e import PARAS
from tests.test_faults_helpers import cli, fetch_log, jsonl, write_config
from worker.fetch import Fetcher
from worker.fetch.errors import DNS, REFUSED, TLS, explain, transport_cause
from worker.values import FetchPolicy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def log_lines(stderr: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_a_site_that_is_down_is_robots_unreachable_with_its_cause(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    cfg = write_config(tmp_path / "s.yaml", [{"name": "down", "kind": "feed", "url": f"{down}/feed.xml"}],
                       respect_robots=True, retries=0)
    db = f"sqlite:///{tmp_path}/a.sqlite3"
    res = cli("run", "--once", "--config", str(cfg), "--db", db, check=False)
    log = fetch_log(db)
    robots = [f for f in log if f["purpose"] == "robots"]
    feed = [f for f in log if f["purpose"] == "feed"]
    assert robots and robots[0]["error"] == "connection" and robots[0]["error_detail"].startswith(REFUSED)
    assert feed and feed[0]["error"] == "robots_unreachable"
    assert REFUSED in feed[0]["error_detail"] and "robots.txt" in feed[0]["error_detail"]
    assert "robots_disallowed" not in res.stderr + res.stdout + json.dumps(log)
    warned = [ln for ln in log_lines(res.stderr) if ln["level"] == "warning" and ln.get("source") == "down"]
    assert warned and "robots_unreachable" in warned[0]["msg"] and REFUSED in warned[0]["msg"]
    assert "RFC 9309" in warned[0]["msg"]  # the line says what happens next, not "respect it"
    status = cli("status", "--config", str(cfg), "--db", db).stdout
    assert "robots_unreachable" in status and REFUSED in status and "healthy" not in status


def test_a_refused_connection_without_robots_says_so(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    cfg = write_config(tmp_path / "s.yaml", [{"name": "down", "kind": "feed", "url": f"{down}/feed.xml"}], retries=0)
    db = f"sqlite:///{tmp_path}/a.sqlite3"
    res = cli("run", "--once", "--config", str(cfg), "--db", db, check=False)
    [feed] = fetch_log(db, failed=True)
    assert feed["error"] == "connection" and feed["error_detail"].startswith(REFUSED)
    assert "127.0.0.1" in feed["error_detail"]
    assert any(REFUSED in ln["msg"] and "site is down" in ln["msg"] for ln in log_lines(res.stderr))


def test_a_tls_failure_says_tls(tmp_path: Path) -> None:
    """https:// to a port that speaks plain HTTP: the handshake fails, and the output says TLS."""
    with SimWeb() as web:
        site = web.add_site("daily")
        url = site.url("/feed.xml").replace("http://", "https://")
        out = jsonl(cli("extract", url, check=False).stdout)
    assert out[0]["error"] == "robots_unreachable" and TLS in out[0]["detail"], out
    assert out[0]["hint"]


def test_a_private_address_names_allow_private_networks(tmp_path: Path) -> None:
    with SimWeb() as web:
        site = web.add_site("daily")
        cfg = write_config(tmp_path / "s.yaml", [{"name": "local", "kind": "feed", "url": site.url("/feed.xml")}],
                           allow_private_networks=False)
        db = f"sqlite:///{tmp_path}/a.sqlite3"
        checked = cli("check", "--config", str(cfg))
        assert "warning: source local" in checked.stdout and "allow_private_networks: true" in checked.stdout
        res = cli("run", "--once", "--config", str(cfg), "--db", db, check=False)
        [feed] = fetch_log(db, failed=True)
    assert feed["error"] == "refused_address" and "allow_private_networks" in feed["error_detail"]
    assert any("allow_private_networks" in ln["msg"] for ln in log_lines(res.stderr) if ln["level"] == "warning")


def test_check_is_quiet_when_private_networks_are_allowed(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "s.yaml", [{"name": "local", "kind": "feed", "url": "http://127.0.0.1:9/f"}])
    assert "warning" not in cli("check", "--config", str(cfg)).stdout


def test_import_opml_check_names_the_cause(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}/rss"
    opml = tmp_path / "f.opml"
    opml.write_text(f'<opml version="2.0"><body><outline text="Down" xmlUrl="{down}"/></body></opml>')
    cfg = tmp_path / "c.yaml"
    cfg.write_text("defaults:\n  allow_private_networks: true\n  per_host_delay: 0s\n  retries: 0\nsources: []\n")
    out = cli("import-opml", str(opml), "--check", "--config", str(cfg)).stdout
    assert "robots_unreachable" in out and REFUSED in out and "robots_disallowed" not in out


async def test_dns_failure_is_named_by_the_fetcher() -> None:
    """A name that does not resolve (simulated: no test touches real DNS)."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known") from socket.gaierror(
            -2, "Name or service not known")

    async def resolver(host: str) -> list[str]:
        raise socket.gaierror(-2, "Name or service not known")

    policy = FetchPolicy(retries=0, respect_robots=False)
    async with Fetcher(transport=httpx.MockTransport(handler)) as fetcher:  # guard off: httpx resolves
        got = await fetcher.fetch("https://no-such.example/feed", FetchPolicy(retries=0, respect_robots=False,
                                                                              allow_private_networks=True),
                                  purpose="feed")
    assert got.error == "connection" and got.error_detail.startswith(f"{DNS} for no-such.example")
    async with Fetcher(transport=httpx.MockTransport(handler), resolver=resolver) as fetcher:  # guard resolves
        got = await fetcher.fetch("https://no-such.example/feed", policy, purpose="feed")
    assert got.error == "connection" and got.error_detail.startswith(f"{DNS} for no-such.example")
    assert "host name" in explain(got.error, got.error_detail)


@pytest.mark.parametrize(("exc", "starts"), [
    (ConnectionRefusedError(111, "Connection refused"), REFUSED),
    (socket.gaierror(-2, "Name or service not known"), DNS),
    (ConnectionResetError(104, "reset"), "connection reset"),
])
def test_transport_cause(exc: BaseException, starts: str) -> None:
    try:
        try:
            raise exc
        except BaseException as inner:
            raise httpx.ConnectError("All connection attempts failed") from inner
    except httpx.ConnectError as outer:
        assert transport_cause(outer, "news.example", 443).startswith(starts)


def test_discover_of_a_site_that_is_down_says_so(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}/"
    cfg = tmp_path / "c.yaml"
    cfg.write_text("defaults:\n  allow_private_networks: true\n  per_host_delay: 0s\n  retries: 0\nsources: []\n")
    res = cli("discover", down, "--config", str(cfg), check=False)
    assert res.returncode == 1 and f"discover: {down} did not answer: robots_unreachable" in res.stderr
    assert REFUSED in res.stderr and "no feed or sitemap found" not in res.stdout


def test_articles_refused_for_an_unreachable_robots_txt_are_fetched_by_the_next_pass(tmp_path: Path) -> None:
    """robots_unreachable is an outage, not a verdict: the feed's validators are not kept, so the next pass
    reads it again (not a 304) and fetches the articles once robots.txt answers."""
    with SimWeb() as web:
        site = web.add_site("daily")
        arts = [site.add_article(f"news/r{i}", title=f"R{i}", paragraphs=PARAS[i]) for i in range(2)]
        # the feed is read through localhost:PORT, its articles live at 127.0.0.1:PORT: two origins, two robots.txt
        site.fault("/robots.txt", "body", times=1, status=200, body="User-agent: *\nAllow: /\n",
                   content_type="text/plain")
        site.fault("/robots.txt", "status", times=None, status=503)
        feed = site.url("/feed.xml").replace("127.0.0.1", "localhost")
        cfg = write_config(tmp_path / "s.yaml", [{"name": "f", "kind": "feed", "url": feed}],
                           respect_robots=True, retries=0)
        db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
        cli("run", "--once", "--config", str(cfg), "--db", db)
        failed = fetch_log(db, failed=True)
        assert {f["requested_url"] for f in failed if f["error"] == "robots_unreachable"} == {a.url for a in arts}
        site.clear_faults()  # the outage is over; the feed itself has not changed
        cli("run", "--once", "--config", str(cfg), "--db", db)
        assert {v["url"] for v in jsonl(cli("export", "--db", db).stdout)} == {a.url for a in arts}
