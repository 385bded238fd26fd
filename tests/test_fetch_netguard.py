"""Address refusal rules, without any real DNS."""

from __future__ import annotations

import ipaddress

import pytest

from worker.fetch.netguard import check_host, is_forbidden


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "0.0.0.0",
        "224.0.0.1", "240.0.0.1", "100.64.0.1", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses_pass(address: str) -> None:
    assert not is_forbidden(ipaddress.ip_address(address))


async def test_check_host() -> None:
    asked: list[str] = []

    async def resolver(host: str) -> list[str]:
        asked.append(host)
        return {"good.example": ["93.184.216.34"], "mixed.example": ["93.184.216.34", "10.1.2.3"]}.get(
            host, []
        )

    assert await check_host("good.example", resolver) is None
    mixed = await check_host("mixed.example", resolver)
    assert mixed is not None and mixed[0] == "refused_address"
    empty = await check_host("nothing.example", resolver)
    assert empty is not None and empty[0] == "connection"
    literal = await check_host("[::1]", resolver)
    assert literal is not None and literal[0] == "refused_address"
    assert await check_host("8.8.8.8", resolver) is None
    assert "[::1]" not in asked and "8.8.8.8" not in asked  # literals are not resolved


async def test_resolver_failure_is_a_connection_error() -> None:
    async def failing(host: str) -> list[str]:
        raise OSError("Name or service not known")

    result = await check_host("nowhere.example", failing)
    assert result is not None and result[0] == "connection"
