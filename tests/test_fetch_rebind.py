"""DNS rebinding: the Fetcher connects to the address it checked, never to a second lookup.

A name answers a public address to its first lookup and 127.0.0.1 to any later one. The network the
Fetcher's pinned transport connects through is simulated: a connection to the public test address
is routed to one local server ("the public site"); a connection to a name looks the name up again
(as the system would) and reaches another local server ("the internal service"), which must never
see a request. Real HTTP, real TLS (a private CA made by trustme), all on 127.0.0.1.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpcore
import pytest
import trustme

from worker.fetch import Fetcher
from worker.fetch.netguard import Pin, PinnedBackend, UncheckedConnection, parse_ip, pinned
from worker.values import FetchPolicy

PUBLIC = "93.184.216.34"
POLICY = FetchPolicy(per_host_delay=0.0, respect_robots=False, retries=0, timeout=5.0)


class Recorder:
    """An HTTP server on 127.0.0.1 that answers every GET with `body` and records what it received.

    `redirects` maps a path to a Location, `pages` a path to its own body; with `context` it speaks TLS."""

    def __init__(self, body: bytes, redirects: dict[str, str] | None = None,
                 context: ssl.SSLContext | None = None, content_type: str = "text/plain",
                 pages: dict[str, bytes] | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.pages = dict(pages or {})
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                recorder.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
                to = (redirects or {}).get(self.path)
                if to is not None:
                    self.send_response(302)
                    self.send_header("Location", to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = recorder.pages.get(self.path, body)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml" if self.path.endswith(".xml") else content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if context is not None:
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]


class RebindingDNS:
    """Answers PUBLIC to the first lookup of each name, 127.0.0.1 to every later one."""

    def __init__(self) -> None:
        self.lookups: list[str] = []

    async def __call__(self, host: str) -> list[str]:
        first = host not in self.lookups
        self.lookups.append(host)
        return [PUBLIC] if first else ["127.0.0.1"]


class Network(httpcore.AsyncNetworkBackend):
    """The simulated network: PUBLIC is routed to `public_port` on 127.0.0.1 (or, given a dict, port
    to port); a name is looked up again with `dns` and connected to (what a transport that resolves
    by itself would do)."""

    def __init__(self, dns: RebindingDNS, public_port: int | dict[int, int]) -> None:
        self._real = httpcore.AnyIOBackend()
        self._dns = dns
        self._public_port = public_port
        self.connects: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        self.connects.append((host, port))
        if host == PUBLIC:
            local = self._public_port if isinstance(self._public_port, int) else self._public_port[port]
            return await self._real.connect_tcp("127.0.0.1", local, timeout=timeout)
        if parse_ip(host) is None:
            host = (await self._dns(host))[0]  # the second lookup: 127.0.0.1
        return await self._real.connect_tcp(host, port, timeout=timeout)

    async def sleep(self, seconds: float) -> None:
        await self._real.sleep(seconds)


@pytest.fixture
def sites() -> Iterator[tuple[Recorder, Recorder]]:
    with Recorder(b"internal secret") as internal:
        with Recorder(b"public page", redirects={
            "/hop": f"http://second.example:{internal.port}/landing",
        }) as public:
            yield public, internal


async def test_rebinding_name_reaches_the_checked_address_not_loopback(sites: tuple[Recorder, Recorder]) -> None:
    public, internal = sites
    dns = RebindingDNS()
    network = Network(dns, public.port)
    async with Fetcher(resolver=dns, network=network) as fetcher:
        got = await fetcher.fetch(f"http://rebind.example:{internal.port}/secret", POLICY, purpose="article")
    assert got.ok and got.body == b"public page", (got.error, got.error_detail)
    assert internal.requests == []  # loopback never reached
    assert network.connects == [(PUBLIC, internal.port)]  # the checked address, not the name
    assert dns.lookups == ["rebind.example"]  # resolved once
    assert public.requests[0]["headers"]["host"] == f"rebind.example:{internal.port}"  # Host keeps the name


async def test_every_redirect_hop_is_pinned(sites: tuple[Recorder, Recorder]) -> None:
    public, internal = sites
    dns = RebindingDNS()
    network = Network(dns, public.port)
    async with Fetcher(resolver=dns, network=network) as fetcher:
        got = await fetcher.fetch(f"http://first.example:{internal.port}/hop", POLICY, purpose="article")
    assert got.ok and got.body == b"public page" and got.final_url == f"http://second.example:{internal.port}/landing"
    assert internal.requests == []
    assert {host for host, _ in network.connects} == {PUBLIC}
    assert public.paths() == ["/hop", "/landing"]
    assert public.requests[1]["headers"]["host"] == f"second.example:{internal.port}"
    assert dns.lookups == ["first.example", "second.example"]


async def test_robots_txt_is_fetched_through_the_guard_too(sites: tuple[Recorder, Recorder]) -> None:
    """robots.txt is a fetch of its own with its own lookup: the page's lookup (the first) is
    public and pinned, robots.txt's (the second) answers loopback and is refused; neither request
    reaches the internal service."""
    public, internal = sites
    dns = RebindingDNS()
    network = Network(dns, public.port)
    policy = FetchPolicy(per_host_delay=0.0, respect_robots=True, retries=0, timeout=5.0)
    logged: list[Any] = []
    async with Fetcher(resolver=dns, network=network, on_fetch=logged.append) as fetcher:
        got = await fetcher.fetch(f"http://rebind.example:{internal.port}/secret", policy, purpose="article")
    assert got.ok and got.body == b"public page"
    assert [(f.purpose, f.error) for f in logged] == [("robots", "refused_address")]
    assert internal.requests == [] and public.paths() == ["/secret"]
    assert {host for host, _ in network.connects} == {PUBLIC}


async def test_tls_keeps_sni_and_certificate_checks_on_the_name() -> None:
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("secure.example").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    seen_sni: list[str | None] = []
    server_ctx.sni_callback = lambda sock, name, ctx: seen_sni.append(name)  # type: ignore[assignment,misc]
    with Recorder(b"secure page", context=server_ctx) as tls:
        dns = RebindingDNS()
        network = Network(dns, tls.port)
        async with Fetcher(resolver=dns, network=network, verify=client_ctx) as fetcher:
            good = await fetcher.fetch("https://secure.example/", POLICY, purpose="article")
            wrong = await fetcher.fetch("https://other.example/", POLICY, purpose="article")
    assert good.ok and good.body == b"secure page", (good.error, good.error_detail)
    assert "secure.example" in seen_sni and "other.example" in seen_sni  # SNI is the name, not the IP
    # the certificate is checked against the name: secure.example's certificate does not pass for other.example
    assert wrong.error == "connection" and (wrong.error_detail or "").startswith("TLS failure")
    assert {host for host, _ in network.connects} == {PUBLIC}


async def test_allow_private_networks_connects_by_name_as_before(sites: tuple[Recorder, Recorder]) -> None:
    _public, internal = sites
    policy = FetchPolicy(per_host_delay=0.0, respect_robots=False, retries=0, allow_private_networks=True)
    async with Fetcher() as fetcher:  # the system resolver and network: localhost is 127.0.0.1
        got = await fetcher.fetch(f"http://localhost:{internal.port}/x", policy, purpose="article")
        refused = await fetcher.fetch(f"http://localhost:{internal.port}/y", POLICY, purpose="article")
    assert got.ok and got.body == b"internal secret"
    assert refused.error == "refused_address"
    assert internal.paths() == ["/x"]


async def test_a_connection_without_a_checked_address_is_refused() -> None:
    backend = PinnedBackend()
    with pytest.raises(UncheckedConnection):
        await backend.connect_tcp("anything.example", 80)
    with pinned(Pin("checked.example", (PUBLIC,))), pytest.raises(UncheckedConnection):
        await backend.connect_tcp("other.example", 80)  # a pin is for its own host only


async def test_the_fetcher_fails_closed_when_the_pin_is_for_another_host(monkeypatch: pytest.MonkeyPatch) -> None:
    import worker.fetch.client as client
    from worker.fetch.netguard import Checked

    async def wrong_pin(host: str, resolver: object) -> Checked:
        return Checked(pin=Pin("elsewhere.example", (PUBLIC,)))

    monkeypatch.setattr(client, "check_addresses", wrong_pin)
    network = Network(RebindingDNS(), 9)
    async with Fetcher(network=network) as fetcher:
        got = await fetcher.fetch("http://news.example/x", POLICY, purpose="article")
    assert got.error == "refused_address" and "no checked address for news.example" in (got.error_detail or "")
    assert network.connects == []


async def test_discover_and_opml_check_are_pinned_too(sites: tuple[Recorder, Recorder]) -> None:
    """`discover` and `import-opml --check` fetch through the same Fetcher: every request goes to a
    checked address; later lookups of the name answer loopback and are refused, never connected."""
    from worker.finder import VIA_OPML, check_url, find_sources

    public, internal = sites
    dns = RebindingDNS()
    network = Network(dns, public.port)
    policy = FetchPolicy(per_host_delay=0.0, retries=0, timeout=5.0)
    async with Fetcher(resolver=dns, network=network) as fetcher:
        await find_sources(f"http://site.example:{internal.port}/", policy, fetcher, {})
        await check_url(f"http://opml.example:{internal.port}/feed.xml", policy, fetcher, VIA_OPML, {})
    assert internal.requests == []
    assert network.connects and {host for host, _ in network.connects} == {PUBLIC}
    assert {"/", "/feed.xml"} & set(public.paths())
