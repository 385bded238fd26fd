"""Timeouts, trickling servers and decompression bombs, against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace

import brotli
import pytest
import zstandard

from worker.fetch import Fetcher
from worker.values import FetchPolicy

Scenario = Callable[[asyncio.StreamWriter], Awaitable[None]]
LOCAL = FetchPolicy(per_host_delay=0.0, respect_robots=False, allow_private_networks=True, retries=0)
BOMB_SIZE = 100 * 1024 * 1024  # inflates to 100 MB; the limit below is 1 MB
LIMIT = 1_000_000


@functools.cache
def bomb(coding: str) -> bytes:
    zeros = b"\0" * (1 << 20)
    if coding == "gzip":
        packer = zlib.compressobj(1, zlib.DEFLATED, 31)
        return b"".join([packer.compress(zeros) for _ in range(BOMB_SIZE >> 20)] + [packer.flush()])
    if coding == "br":
        return brotli.compress(b"\0" * BOMB_SIZE, quality=5)
    return zstandard.ZstdCompressor(level=3).compress(b"\0" * BOMB_SIZE)


@contextlib.asynccontextmanager
async def serve(scenario: Scenario) -> AsyncIterator[tuple[str, list[int]]]:
    """Serve `scenario` to every connection; yields the base URL and a connection counter."""
    connections: list[int] = []
    tasks: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        task = asyncio.current_task()
        if task is not None:
            tasks.add(task)
        try:
            await reader.readuntil(b"\r\n\r\n")
            await scenario(writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the fetcher hung up on us, as it should, or the test is over
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", connections
    finally:
        server.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def head(*lines: str) -> bytes:
    return ("HTTP/1.1 200 OK\r\n" + "".join(f"{line}\r\n" for line in lines) + "\r\n").encode()


async def trickle(writer: asyncio.StreamWriter) -> None:
    writer.write(head("Content-Type: text/html", "Content-Length: 1000"))
    for _ in range(1000):
        writer.write(b"x")
        await writer.drain()
        await asyncio.sleep(0.2)


async def silent(writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(30)


def sender(body: bytes, *headers: str) -> Scenario:
    async def send(writer: asyncio.StreamWriter) -> None:
        writer.write(head(*headers, "Connection: close"))
        for start in range(0, len(body), 16384):
            writer.write(body[start : start + 16384])
            await writer.drain()

    return send


@pytest.mark.timeout(10)
async def test_trickling_server_hits_the_whole_request_timeout() -> None:
    async with serve(trickle) as (base, _), Fetcher() as fetcher:
        got = await fetcher.fetch(base + "/slow", replace(LOCAL, timeout=1.0), purpose="article")
    assert (got.error, got.status, got.body, got.attempts) == ("timeout", 200, None, 1)


@pytest.mark.timeout(10)
async def test_silent_server_times_out_and_is_retried() -> None:
    policy = replace(LOCAL, timeout=0.3, retries=1, backoff_base=0.0)
    async with serve(silent) as (base, connections), Fetcher() as fetcher:
        got = await fetcher.fetch(base + "/", policy, purpose="feed")
    assert (got.error, got.status, got.attempts) == ("timeout", None, 2)
    assert len(connections) == 2


async def test_loopback_refused_by_default_without_connecting() -> None:
    async with serve(sender(b"hi")) as (base, connections), Fetcher() as fetcher:
        refused = await fetcher.fetch(base + "/", FetchPolicy(respect_robots=False), purpose="page")
        allowed = await fetcher.fetch(base + "/", LOCAL, purpose="page")
    assert refused.error == "refused_address" and allowed.body == b"hi"
    assert len(connections) == 1


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
async def test_decompression_bomb_is_refused_in_small_memory(coding: str) -> None:
    payload = bomb(coding)
    policy = replace(LOCAL, max_bytes=LIMIT)
    async with serve(sender(payload, "Content-Type: text/html", f"Content-Encoding: {coding}")) as (base, _):
        async with Fetcher() as fetcher:
            tracemalloc.start()
            try:
                got = await fetcher.fetch(base + "/bomb", policy, purpose="article", require_html=False)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    assert (got.error, got.status, got.body) == ("too_large", 200, None)
    assert peak < 16 * LIMIT  # a full inflate would need BOMB_SIZE (100 MB)


async def test_plain_body_over_the_limit_without_content_length() -> None:
    policy = replace(LOCAL, max_bytes=LIMIT)
    async with (
        serve(sender(b"a" * (3 * LIMIT), "Content-Type: text/html")) as (base, _),
        Fetcher() as fetcher,
    ):
        got = await fetcher.fetch(base + "/big", policy, purpose="article")
        small = await fetcher.fetch(base + "/big", replace(policy, max_bytes=4 * LIMIT), purpose="article")
    assert (got.error, got.body) == ("too_large", None)
    assert small.ok and small.body is not None and len(small.body) == 3 * LIMIT
