"""worker/notify.py: webhook delivery, signature, retry with backoff, fetch-log records, never blocking.

A real HTTP receiver on 127.0.0.1 answers with programmed statuses; backoff sleeps are recorded, not slept.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from worker.config import NotifyConfig
from worker.notify import SIGNATURE_HEADER, Notifier, sign, version_event
from worker.values import Fetched


class Receiver:
    """Records POSTs; answers each with the next programmed status (then 200); may hold answers back."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        self.release = threading.Event()
        self.release.set()
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
                receiver.arrived.set()
                receiver.release.wait(10)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


class Recorder:
    def __init__(self) -> None:
        self.fetches: list[Fetched] = []
        self.sources: list[str] = []
        self.sleeps: list[float] = []

    def log(self, fetched: Fetched, source: str) -> None:
        self.fetches.append(fetched)
        self.sources.append(source)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def event(source: str = "daily", version: int = 2, kind: str = "new_version") -> dict[str, Any]:
    return version_event(kind, source=source, url="https://daily.example/world/storm", version=version,
                         title="Storm hits coast", content_hash="ab" * 32,
                         change={"title_changed": True, "words_added": 3})


def notifier(targets: dict[str, NotifyConfig], rec: Recorder, **kwargs: Any) -> Notifier:
    return Notifier(targets, on_fetch=rec.log, sleep=rec.sleep, backoff_base=1.0, **kwargs)


async def test_delivers_signed_json_and_records_the_post(receiver: Receiver) -> None:
    rec = Recorder()
    async with notifier({"daily": NotifyConfig(receiver.url, allow_private_networks=True, secret="s3cret")}, rec) as n:
        await n.notify(event())
    assert len(receiver.posts) == 1
    headers, body = receiver.posts[0]
    payload = json.loads(body)
    assert payload["url"] == "https://daily.example/world/storm" and payload["version"] == 2
    assert payload["title"] == "Storm hits coast" and payload["content_hash"] == "ab" * 32
    assert payload["source"] == "daily" and payload["event"] == "new_version"
    assert payload["change"] == {"title_changed": True, "words_added": 3}
    assert headers["content-type"] == "application/json"
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER.lower()] == expected == sign("s3cret", body)
    [f] = rec.fetches
    assert (f.purpose, f.requested_url, f.status, f.error, f.attempts) == ("notify", receiver.url, 200, None, 1)
    assert rec.sources == ["daily"] and rec.sleeps == [] and n.dropped == 0


async def test_no_signature_without_a_secret(receiver: Receiver) -> None:
    rec = Recorder()
    async with notifier({"daily": NotifyConfig(receiver.url, allow_private_networks=True)}, rec) as n:
        await n.notify(event())
    assert SIGNATURE_HEADER.lower() not in receiver.posts[0][0]


async def test_retries_after_500s_with_exponential_backoff(receiver: Receiver) -> None:
    receiver.statuses = [500, 503]
    rec = Recorder()
    async with notifier({"daily": NotifyConfig(receiver.url, allow_private_networks=True)}, rec) as n:
        await n.notify(event())
    assert len(receiver.posts) == 3
    assert len({h["x-newsarchive-delivery"] for h, _ in receiver.posts}) == 1  # one delivery id: receivers dedupe
    assert rec.sleeps == [1.0, 2.0]
    [f] = rec.fetches
    assert (f.status, f.error, f.attempts) == (200, None, 3)


async def test_gives_up_after_the_bounded_attempts_and_logs_the_failure(receiver: Receiver) -> None:
    receiver.statuses = [503] * 10
    rec = Recorder()
    async with notifier({"daily": NotifyConfig(receiver.url, allow_private_networks=True)}, rec, attempts=4,
                        max_backoff=3.0) as n:
        await n.notify(event())
    assert len(receiver.posts) == 4
    assert rec.sleeps == [1.0, 2.0, 3.0]  # capped
    [f] = rec.fetches
    assert (f.status, f.error, f.attempts) == (503, "http_5xx", 4)


async def test_a_client_error_is_not_retried(receiver: Receiver) -> None:
    receiver.statuses = [404]
    rec = Recorder()
    async with notifier({"daily": NotifyConfig(receiver.url, allow_private_networks=True)}, rec) as n:
        await n.notify(event())
    assert len(receiver.posts) == 1
    assert (rec.fetches[0].status, rec.fetches[0].error) == (404, "http_4xx")


async def test_an_unreachable_webhook_is_retried_then_recorded_as_a_connection_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rec = Recorder()
    async with notifier({"daily": NotifyConfig(f"http://127.0.0.1:{port}/hook", allow_private_networks=True)}, rec, attempts=3) as n:
        await n.notify(event())
    [f] = rec.fetches
    assert (f.status, f.error, f.attempts) == (None, "connection", 3)


async def test_only_configured_sources_and_events_are_sent(receiver: Receiver) -> None:
    rec = Recorder()
    targets = {"daily": NotifyConfig(receiver.url, allow_private_networks=True),
               "herald": NotifyConfig(receiver.url, events=("new_article",), allow_private_networks=True)}
    async with notifier(targets, rec) as n:
        await n.notify(event(source="gazette"))  # no webhook for it
        await n.notify(event(source="daily", version=1, kind="new_article"))  # daily wants new_version only
        await n.notify(event(source="herald", version=1, kind="new_article"))
    assert [json.loads(b)["source"] for _, b in receiver.posts] == ["herald"]


async def test_notify_never_waits_for_the_webhook_and_close_gives_up(receiver: Receiver) -> None:
    receiver.release.clear()  # the receiver holds every answer back
    rec = Recorder()
    n = notifier({"daily": NotifyConfig(receiver.url, allow_private_networks=True)}, rec, timeout=30.0)
    for v in range(2, 6):
        await n.notify(event(version=v))  # returns at once although nothing is answered
    assert await asyncio.to_thread(receiver.arrived.wait, 10)  # the event loop stays free to send
    await n.aclose(drain=0.1)
    assert n.dropped == 4  # one in flight, three queued: all given up, none lost silently
    await n.notify(event(version=9))  # after close: counted, not sent
    assert n.dropped == 5


async def test_a_full_queue_drops_and_counts(receiver: Receiver) -> None:
    receiver.release.clear()
    rec = Recorder()
    n = notifier({"daily": NotifyConfig(receiver.url, allow_private_networks=True)}, rec, queue_size=2, timeout=30.0)
    for v in range(2, 7):
        await n.notify(event(version=v))
    assert n.dropped >= 2  # five events, two places in the queue (the sender may have taken one)
    receiver.release.set()
    await n.aclose(drain=10)
    assert len(receiver.posts) + n.dropped == 5


def test_from_sources_takes_only_sources_with_a_webhook() -> None:
    class S:
        def __init__(self, name: str, notify: NotifyConfig | None) -> None:
            self.name, self.notify = name, notify

    n = Notifier.from_sources([S("a", NotifyConfig("https://h.example/", allow_private_networks=True)), S("b", None)])
    assert set(n.targets) == {"a"}


def test_cli_run_once_notifies_new_articles_and_logs_the_post(receiver: Receiver, tmp_path: Any) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.simweb import SimWeb

    with SimWeb() as web:
        daily = web.add_site("daily")
        daily.add_article("world/a", title="A story", paragraphs=[
            "The regional council voted on Tuesday to extend the night bus service to the outer districts.",
            "Councillors said the trial had carried more passengers than expected over the summer months.",
            "The extended service will start in January and run until at least the end of next year."])
        config = tmp_path / "sources.yaml"
        config.write_text(f"""\
defaults:
  per_host_delay: 0s
  allow_private_networks: true
  notify: {{url: "{receiver.url}", secret: s3cret, events: [new_article, new_version]}}
sources:
  - name: daily
    kind: feed
    url: {daily.base_url}/feed.xml
""")
        common = ["--config", str(config), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}"]
        root = Path(__file__).resolve().parents[1]
        run = subprocess.run([sys.executable, "-m", "worker", "run", "--once", *common], capture_output=True,
                             text=True, timeout=120, cwd=root, env={**os.environ})
        assert run.returncode == 0, run.stderr
        fetches = subprocess.run([sys.executable, "-m", "worker", "fetches", *common], capture_output=True,
                                 text=True, timeout=120, cwd=root, env={**os.environ})
    [(headers, body)] = receiver.posts
    assert json.loads(body)["url"] == daily.base_url + "/world/a" and json.loads(body)["event"] == "new_article"
    assert headers[SIGNATURE_HEADER.lower()] == sign("s3cret", body)
    notify_rows = [json.loads(line) for line in fetches.stdout.splitlines() if '"notify"' in line]
    assert [(r["purpose"], r["source"], r["status"]) for r in notify_rows] == [("notify", "daily", 200)]
