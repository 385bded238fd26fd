"""Refuse requests to addresses a news fetcher has no business reaching (SSRF guard).

Every redirect hop is checked. IP-literal hosts are judged without resolving; names are resolved
and refused if ANY of their addresses is non-public, so a name cannot smuggle in one bad record.

The connection goes to an address that was checked: the name is resolved once, and the transport
(`pinned_transport`) connects to those addresses instead of resolving again, so a name that answers
a public address to the check and 127.0.0.1 to the connection (DNS rebinding) never reaches
loopback. Host header, TLS SNI and certificate checks still use the name: only the TCP destination
is pinned. The pin travels in a context variable set around each request (`pinned`); a connection
asked for without one, or for another host, is refused (fails closed). Through a proxy the proxy
resolves the name, so nothing can be pinned: see README "Addresses, credentials and robots.txt".
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

import httpcore
import httpx

from worker.fetch.errors import DNS

Resolver = Callable[[str], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# NAT64 and 6to4 embed an IPv4 address; judge the embedded one too.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


async def default_resolver(host: str) -> list[str]:
    """All addresses the system resolver gives for `host` (A and AAAA)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))  # the system's preferred order, once each


def parse_ip(host: str) -> IPAddress | None:
    """The address if `host` is an IP literal (brackets and zone ids allowed), else None."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_forbidden(ip: IPAddress) -> bool:
    """True for loopback, private, link-local, multicast, reserved and unspecified addresses."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is simply that IPv4 address
            return is_forbidden(ip.ipv4_mapped)
        inner = _embedded_v4(ip)
        if inner is not None and is_forbidden(inner):
            return True
        if ip.is_site_local:
            return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


@dataclass(frozen=True)
class Pin:
    """The addresses checked for one host, the only ones a pinned connection to it may use."""

    host: str  # as the connection names it: lower case, IDNA, IPv6 without brackets
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Checked:
    """What the guard found: the pin to connect with, or why the host is refused."""

    pin: Pin | None = None
    refusal: tuple[str, str] | None = None  # (error kind, short detail)


async def check_addresses(host: str, resolver: Resolver) -> Checked:
    """Resolve `host` once and judge every address; all must be public."""
    host = host.strip("[]").lower()
    literal = parse_ip(host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            found = await resolver(host)
        except (OSError, UnicodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return Checked(refusal=("connection", f"{DNS} for {host} ({reason})"))
        if not found:
            return Checked(refusal=("connection", f"{DNS} for {host} (no addresses)"))
        parsed = [parse_ip(a) for a in found]
        if any(p is None for p in parsed):
            return Checked(refusal=("refused_address", f"{host} resolved to something that is not an address"))
        addresses = [p for p in parsed if p is not None]
    for ip in addresses:
        if is_forbidden(ip):
            what = f"{host} is a non-public address" if literal is not None else \
                f"{host} resolves to non-public address {ip}"
            return Checked(refusal=("refused_address", f"{what} (fetched only with allow_private_networks: true)"))
    return Checked(pin=Pin(host, tuple(str(ip) for ip in addresses)))


async def check_host(host: str, resolver: Resolver) -> tuple[str, str] | None:
    """None when `host` may be fetched, else (error kind, short detail)."""
    return (await check_addresses(host, resolver)).refusal


class UncheckedConnection(Exception):
    """A pinned transport was asked to connect somewhere the guard did not check."""


_PIN: ContextVar[Pin | None] = ContextVar("newsarchive_pin", default=None)


@contextlib.contextmanager
def pinned(pin: Pin) -> Iterator[None]:
    """Connections opened inside this block (by a pinned transport) go to `pin`'s addresses."""
    token = _PIN.set(pin)
    try:
        yield
    finally:
        _PIN.reset(token)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects to the pinned addresses, never to a name."""

    def __init__(self, network: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._network = network or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        pin = _PIN.get()
        if pin is None or pin.host != host.strip("[]").lower():
            raise UncheckedConnection(f"no checked address for {host}: connection refused by the address guard")
        failure: Exception | None = None
        for address in pin.addresses:  # each one was checked; try them in the resolver's order
            try:
                return await self._network.connect_tcp(address, port, timeout=timeout,
                                                       local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # a Pin always holds at least one address
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UncheckedConnection("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)


def pinned_transport(network: httpcore.AsyncNetworkBackend | None = None,
                     verify: ssl.SSLContext | bool = True) -> httpx.AsyncHTTPTransport:
    """An httpx transport (no proxy) whose connections go only to addresses pinned with `pinned()`.

    httpx's transport takes no network backend, so its connection pool is replaced by one built
    with the public httpcore constructor; if httpx ever stops keeping it in `_pool`, this refuses
    to start rather than silently connecting by name."""
    transport = httpx.AsyncHTTPTransport(verify=verify, trust_env=False)
    if not isinstance(getattr(transport, "_pool", None), httpcore.AsyncConnectionPool):
        raise RuntimeError("this httpx version keeps its connection pool elsewhere: cannot pin addresses")
    limits = httpx.Limits()
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=PinnedBackend(network),
    )
    return transport


async def refused_hosts(hosts: list[str], resolver: Resolver = default_resolver,
                        timeout: float = 5.0, max_lookups: int = 100) -> dict[str, str]:
    """host -> why the address guard would refuse it, for the hosts it would (names that do not resolve
    within `timeout` are left out: that is the fetch's own error to report, not the guard's). IP
    literals and localhost are always judged; other names only when there are at most `max_lookups`
    (a config of 10,000 feeds is not looked up name by name at every start)."""
    unique = list(dict.fromkeys(hosts))
    names = [h for h in unique if parse_ip(h) is None and h.rstrip(".").lower() != "localhost"
             and not h.lower().endswith(".localhost")]
    if len(names) > max_lookups:
        unique = [h for h in unique if h not in set(names)]

    async def judge(host: str) -> tuple[str, tuple[str, str] | None]:
        try:
            return host, await asyncio.wait_for(check_host(host, resolver), timeout)
        except TimeoutError:
            return host, None

    judged = await asyncio.gather(*(judge(h) for h in unique))
    return {host: r[1] for host, r in judged if r is not None and r[0] == "refused_address"}
