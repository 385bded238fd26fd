"""Refuse requests to addresses a news fetcher has no business reaching (SSRF guard).

Every redirect hop is checked. IP-literal hosts are judged without resolving; names are resolved
and refused if ANY of their addresses is non-public, so a name cannot smuggle in one bad record.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

from worker.fetch.errors import DNS

Resolver = Callable[[str], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# NAT64 and 6to4 embed an IPv4 address; judge the embedded one too.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


async def default_resolver(host: str) -> list[str]:
    """All addresses the system resolver gives for `host` (A and AAAA)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


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


async def check_host(host: str, resolver: Resolver) -> tuple[str, str] | None:
    """None when `host` may be fetched, else (error kind, short detail)."""
    literal = parse_ip(host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            found = await resolver(host)
        except (OSError, UnicodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return "connection", f"{DNS} for {host} ({reason})"
        if not found:
            return "connection", f"{DNS} for {host} (no addresses)"
        parsed = [parse_ip(a) for a in found]
        if any(p is None for p in parsed):
            return "refused_address", f"{host} resolved to something that is not an address"
        addresses = [p for p in parsed if p is not None]
    for ip in addresses:
        if is_forbidden(ip):
            what = f"{host} is a non-public address" if literal is not None else \
                f"{host} resolves to non-public address {ip}"
            return "refused_address", f"{what} (fetched only with allow_private_networks: true)"
    return None


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
