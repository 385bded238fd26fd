"""Webhooks connect to the address the guard checked: a name that answers a public address to the
guard and 127.0.0.1 afterwards (DNS rebinding) never reaches loopback. The network is simulated as in
tests/test_fetch_rebind.py; real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.test_fetch_rebind import PUBLIC, Network, RebindingDNS
from tests.test_notify import Receiver
from worker.config import NotifyConfig
from worker.notify import Notifier, version_event


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
    public_port, internal_port = (urlsplit(r.url).port for r in (public, internal))
    network = Network(dns, public_port)
    target = NotifyConfig(url=f"http://hooks.example:{internal_port}/in", events=("new_version",))
    deliveries: list[Any] = []
    async with Notifier({"daily": target}, resolver=dns, network=network, attempts=1,
                        on_fetch=lambda fetched, source: deliveries.append(fetched)) as notifier:
        await notifier.notify(version_event("new_version", source="daily", url="https://daily.example/a", version=2,
                                            title="A", content_hash="h"))
        await notifier.aclose()
    assert internal.posts == []  # loopback never reached
    assert len(public.posts) == 1  # the address the guard judged public got the POST
    assert network.connects == [(PUBLIC, internal_port)]
    assert dns.lookups == ["hooks.example"]  # resolved once
    assert deliveries and deliveries[0].error is None
