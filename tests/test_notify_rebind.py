"""Webhooks connect to the address the guard checked: a name that answers a public address to the
guard and 127.0.0.1 afterwards (DNS rebinding) never reaches loopback. The network is simulated as in
tests/test_fetch_rebind.py; real HTTP on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.test_fetch_rebind import PUBLIC, Network, RebindingDNS
from worker.config import NotifyConfig
from worker.notify import Notifier, version_event


class Receiver:
    """A webhook receiver on 127.0.0.1 that records the bodies POSTed to it."""

    def __init__(self) -> None:
        self.posts: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                receiver.posts.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    public, internal = Receiver(), Receiver()
    try:
        yield public, internal
    finally:
        public.close()
        internal.close()


async def test_a_webhook_whose_name_rebinds_is_posted_to_the_checked_address(
        receivers: tuple[Receiver, Receiver]) -> None:
    public, internal = receivers
    dns = RebindingDNS()
    network = Network(dns, public.port)
    target = NotifyConfig(url=f"http://hooks.example:{internal.port}/in", events=("new_version",))
    deliveries: list[Any] = []
    async with Notifier({"daily": target}, resolver=dns, network=network, attempts=1,
                        on_fetch=lambda fetched, source: deliveries.append(fetched)) as notifier:
        await notifier.notify(version_event("new_version", source="daily", url="https://daily.example/a", version=2,
                                            title="A", content_hash="h"))
        await notifier.aclose()
    assert internal.posts == []  # loopback never reached
    assert len(public.posts) == 1  # the address the guard judged public got the POST
    assert network.connects == [(PUBLIC, internal.port)]
    assert dns.lookups == ["hooks.example"]  # resolved once
    assert deliveries and deliveries[0].error is None
