"""Webhook URLs are credentials (issue 17): they are stored and shown masked (userinfo, token-like path
segments, query values), the real URL is still the one POSTed to, and a webhook's destination passes
the private-address guard (`allow_private_networks`).

Receivers are real HTTP servers on 127.0.0.1; the end-to-end test runs the real `run --once`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.simweb import SimWeb
from tests.test_faults_helpers import PARAS, cli, fetch_log, write_config
from tests.test_notify import Recorder, event
from worker.config import NotifyConfig, load_config
from worker.notify import Notifier, mask_webhook_url
from worker.web import create_app


class Hook:
    """A webhook receiver: records (path with query, Authorization) per POST, answers `status`."""

    def __init__(self, status: int = 200) -> None:
        self.posts: list[tuple[str, str | None]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                hook.posts.append((self.path, self.headers.get("Authorization")))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooks() -> Iterator[tuple[Hook, Hook]]:
    ok, bad = Hook(200), Hook(404)
    yield ok, bad
    ok.close()
    bad.close()


@pytest.mark.parametrize("url, shown", [
    ("https://hooks.slack.com/services/T00000000/B00000000/Zq8xY2vW4tU6sR0pN3mL5kJ7",
     "https://hooks.slack.com/services/T00000000/B00000000/***"),
    ("https://discord.com/api/webhooks/123456789012345678/abcDEF_ghi-JKLmnoPQRstuVWXyz0123456789abcdefGHIJ",
     "https://discord.com/api/webhooks/***/***"),
    ("https://bot:pa55word@hooks.example.org/notifications-webhook/news?token=abc&plain#frag",
     "https://***@hooks.example.org/notifications-webhook/news?token=***&plain#***"),
    ("https://hooks.example.org/hook/2026-11-20/news-desk", "https://hooks.example.org/hook/2026-11-20/news-desk"),
    ("http://127.0.0.1:8080/hook", "http://127.0.0.1:8080/hook"),
])
def test_mask_webhook_url(url: str, shown: str) -> None:
    assert mask_webhook_url(url) == shown


async def test_a_private_webhook_is_refused_and_recorded(hooks: tuple[Hook, Hook]) -> None:
    ok, _ = hooks
    rec = Recorder()
    url = f"http://127.0.0.1:{ok.port}/hook?key=k3y"
    async with Notifier({"daily": NotifyConfig(url)}, on_fetch=rec.log, sleep=rec.sleep) as n:
        await n.notify(event())
    assert ok.posts == []  # never connected
    [f] = rec.fetches
    assert (f.purpose, f.error, f.status, f.attempts) == ("notify", "refused_address", None, 1)
    assert f.requested_url == f"http://127.0.0.1:{ok.port}/hook?key=***"
    assert "webhook 127.0.0.1 is a non-public address" in (f.error_detail or "")
    assert "allow_private_networks: true" in (f.error_detail or "")


async def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    async def resolver(host: str) -> list[str]:
        return ["93.184.216.34", "10.0.0.5"] if host == "hooks.internal.example" else []

    rec = Recorder()
    async with Notifier({"daily": NotifyConfig("https://hooks.internal.example/x")}, on_fetch=rec.log,
                        sleep=rec.sleep, resolver=resolver) as n:
        await n.notify(event())
    [f] = rec.fetches
    assert f.error == "refused_address" and "resolves to non-public address 10.0.0.5" in (f.error_detail or "")


async def test_the_sources_allow_private_networks_lets_the_webhook_through(hooks: tuple[Hook, Hook],
                                                                           tmp_path: Path) -> None:
    ok, _ = hooks
    cfg = tmp_path / "s.yaml"
    hook = f"http://127.0.0.1:{ok.port}/in"
    cfg.write_text(f"defaults: {{notify: {{url: '{hook}'}}}}\nsources:\n"
                   "  - {name: open, kind: feed, url: 'https://a.example/rss', allow_private_networks: true}\n"
                   "  - {name: closed, kind: feed, url: 'https://b.example/rss'}\n")
    rec = Recorder()
    async with Notifier.from_sources(load_config(cfg).sources, on_fetch=rec.log, sleep=rec.sleep) as n:
        await n.notify(event(source="open"))
        await n.notify(event(source="closed"))
    assert ok.posts == [("/in", None)]
    assert [(s, f.error) for s, f in zip(rec.sources, rec.fetches, strict=True)] == [("open", None), ("closed", "refused_address")]


SECRETS = ("hookpass99", "Zq8xY2vW4tU6sR0pN3mL5kJ7", "qs-secret-111", "987654321098765432",
           "Path-Secret-Token-abcdefXYZ123", "qs-secret-222")


def test_webhook_secrets_stay_out_of_the_database_fetches_logs_and_browser(hooks: tuple[Hook, Hook],
                                                                           tmp_path: Path) -> None:
    ok, bad = hooks
    ok_url = (f"http://hookuser:hookpass99@127.0.0.1:{ok.port}/services/T0ABC/B0DEF/Zq8xY2vW4tU6sR0pN3mL5kJ7"
              "?token=qs-secret-111")
    bad_url = f"http://127.0.0.1:{bad.port}/api/webhooks/987654321098765432/Path-Secret-Token-abcdefXYZ123?sig=qs-secret-222"
    with SimWeb() as web:
        site = web.add_site("daily")
        one = site.add_article("news/one", title="A story", paragraphs=PARAS[1])
        two = site.add_article("news/two", title="Another story", paragraphs=PARAS[2])
        cfg = write_config(tmp_path / "s.yaml", [
            {"name": "ok", "kind": "urls", "urls": [one.url],
             "notify": {"url": ok_url, "events": ["new_article"]}},
            {"name": "bad", "kind": "urls", "urls": [two.url],
             "notify": {"url": bad_url, "events": ["new_article"]}}])
        db_file = tmp_path / "a.sqlite3"
        db = f"sqlite:///{db_file}"
        run = cli("run", "--once", "--config", str(cfg), "--db", db)
    # the real URLs were used: path, query and the user:password (as Basic auth)
    assert ok.posts == [("/services/T0ABC/B0DEF/Zq8xY2vW4tU6sR0pN3mL5kJ7?token=qs-secret-111",
                         "Basic aG9va3VzZXI6aG9va3Bhc3M5OQ==")]
    assert bad.posts == [("/api/webhooks/987654321098765432/Path-Secret-Token-abcdefXYZ123?sig=qs-secret-222",
                          None)]
    with sqlite3.connect(db_file) as conn:
        rows = dict(conn.execute("SELECT requested_url, error FROM fetches WHERE purpose = 'notify'").fetchall())
    assert rows == {f"http://***@127.0.0.1:{ok.port}/services/T0ABC/B0DEF/***?token=***": None,
                    f"http://127.0.0.1:{bad.port}/api/webhooks/***/***?sig=***": "http_4xx"}
    notify_rows = [f for f in fetch_log(db) if f["purpose"] == "notify"]
    assert {f["requested_url"] for f in notify_rows} == set(rows)
    with TestClient(create_app(db, load_config(cfg))) as client:
        pages = [client.get(p) for p in ("/sources", "/api/sources", "/")]
        [failure] = [f for s in pages[1].json() for f in s["recent_failures"]]
        assert failure["purpose"] == "notify"
        pages += [client.get(f"/captures/{failure['fetch_id']}"), client.get(f"/api/captures/{failure['fetch_id']}")]
    assert "api/webhooks/***/***?sig=***" in pages[0].text  # the failed delivery is shown, masked
    assert f"not delivered to http://127.0.0.1:{bad.port}/api/webhooks/***/***?sig=***: HTTP 404" in run.stderr
    outputs = [run.stdout, run.stderr, cli("fetches", "--db", db).stdout, cli("status", "--db", db).stdout,
               cli("check", "--config", str(cfg)).stdout, *(p.text for p in pages)]
    dump = b"".join(p.read_bytes() for p in tmp_path.glob("a.sqlite3*"))
    for secret in SECRETS:
        assert secret.encode() not in dump
        for out in outputs:
            assert secret not in out


def test_check_warns_of_a_webhook_the_guard_will_refuse(tmp_path: Path) -> None:
    cfg = tmp_path / "s.yaml"
    cfg.write_text("sources:\n"
                   "  - {name: local, kind: feed, url: 'https://a.example/rss', notify: {url: 'http://127.0.0.1:9/h?k=v'}}\n"
                   "  - {name: open, kind: feed, url: 'https://b.example/rss', allow_private_networks: true,\n"
                   "     notify: {url: 'http://127.0.0.1:9/h'}}\n")
    res = cli("check", "--config", str(cfg))
    out = res.stdout + res.stderr
    assert ("source local: its notify webhook's host 127.0.0.1 is a non-public address, so its deliveries "
            "will fail (refused_address)") in out
    assert "source open:" not in out
