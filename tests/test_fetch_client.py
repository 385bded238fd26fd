"""Fetcher behaviour over httpx.MockTransport: no sockets, no internet."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import zlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import brotli
import httpx
import pytest
import zstandard

from worker.fetch import Fetcher
from worker.fetch.client import parse_retry_after
from worker.values import FetchPolicy

PUBLIC_IP = "93.184.216.34"
POLICY = FetchPolicy(per_host_delay=0.0, respect_robots=False, backoff_base=0.5, retries=3)
Handler = Callable[[httpx.Request], httpx.Response]


async def public_resolver(host: str) -> list[str]:
    return [PUBLIC_IP]


class Sleeps:
    """Injected sleep that records and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make_fetcher(handler: Handler, sleeps: Sleeps | None = None, **kwargs: object) -> Fetcher:
    return Fetcher(
        transport=httpx.MockTransport(handler),
        resolver=public_resolver,
        sleep=sleeps or Sleeps(),
        **kwargs,  # type: ignore[arg-type]
    )


async def streamed(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def sequence(*responses: httpx.Response) -> tuple[Handler, list[httpx.Request]]:
    """A handler answering with the given responses in turn; also returns the requests seen."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        template = responses[min(len(seen), len(responses)) - 1]
        # a fresh, truly streamed response each time, so the fetcher's raw-stream path is used
        return httpx.Response(
            template.status_code, headers=template.headers, content=streamed(template.content)
        )

    return handler, seen


async def test_success_fills_every_field() -> None:
    body = b"<html><body><p>Hello</p></body></html>"
    handler, seen = sequence(
        httpx.Response(
            200,
            content=body,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("ETag", '"v1"'),
                ("Last-Modified", "Wed, 01 May 2024 10:00:00 GMT"),
                ("Set-Cookie", "session=secret"),
                ("X-Thing", "yes"),
            ],
        )
    )
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="article", require_html=True)
    assert got.ok and got.error is None
    assert got.body == body
    assert got.body_sha256 == hashlib.sha256(body).hexdigest()
    assert (got.status, got.attempts, got.final_url) == (200, 1, "https://news.example/a")
    assert got.requested_url == "https://news.example/a" and got.purpose == "article"
    assert got.content_type == "text/html; charset=utf-8"
    assert (got.etag, got.last_modified) == ('"v1"', "Wed, 01 May 2024 10:00:00 GMT")
    assert got.headers["x-thing"] == "yes"
    assert "set-cookie" not in got.headers
    assert got.fetched_at.tzinfo is not None and got.fetched_at.utcoffset() == timedelta(0)
    assert got.duration_ms >= 0 and len(seen) == 1


async def test_user_agent_custom_headers_and_no_cookie_carryover() -> None:
    handler, seen = sequence(httpx.Response(200, content=b"x", headers={"Set-Cookie": "sid=abc; Path=/"}))
    policy = FetchPolicy(
        per_host_delay=0.0,
        respect_robots=False,
        user_agent="testbot/1.0",
        headers=(("X-Api-Key", "k1"), ("Cookie", "consent=1")),
    )
    async with make_fetcher(handler) as fetcher:
        await fetcher.fetch("https://news.example/a", policy, purpose="feed")
        await fetcher.fetch("https://news.example/b", policy, purpose="feed")
    for request in seen:
        assert request.headers["user-agent"] == "testbot/1.0"
        assert request.headers["x-api-key"] == "k1"
        assert request.headers["cookie"] == "consent=1"  # the server's sid never comes back
        assert "if-none-match" not in request.headers


async def test_conditional_get_304() -> None:
    handler, seen = sequence(httpx.Response(304, headers={"ETag": '"v1"'}))
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch(
            "https://news.example/feed", POLICY, purpose="feed", etag='"v1"', last_modified="Wed, 01 May 2024"
        )
    assert seen[0].headers["if-none-match"] == '"v1"'
    assert seen[0].headers["if-modified-since"] == "Wed, 01 May 2024"
    assert got.not_modified and got.ok
    assert (got.status, got.body, got.error, got.body_sha256) == (304, None, None, None)


async def test_retries_503_then_success() -> None:
    handler, seen = sequence(httpx.Response(503), httpx.Response(503), httpx.Response(200, content=b"ok"))
    sleeps = Sleeps()
    async with make_fetcher(handler, sleeps) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="article")
    assert (got.attempts, got.status, got.body, got.error) == (3, 200, b"ok", None)
    assert len(seen) == 3
    # exponential backoff 0.5, 1.0 with at most 10% jitter
    assert len(sleeps.calls) == 2
    assert 0.5 <= sleeps.calls[0] <= 0.55 and 1.0 <= sleeps.calls[1] <= 1.1


async def test_retry_after_seconds_is_honoured_and_capped() -> None:
    handler, _ = sequence(
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503, headers={"Retry-After": "100000"}),
        httpx.Response(200, content=b"ok"),
    )
    sleeps = Sleeps()
    async with make_fetcher(handler, sleeps) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="feed")
    assert got.ok and got.attempts == 3
    assert sleeps.calls == [7.0, POLICY.max_retry_after]


async def test_retry_after_http_date() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    handler, _ = sequence(httpx.Response(429, headers={"Retry-After": when}), httpx.Response(200))
    sleeps = Sleeps()
    async with make_fetcher(handler, sleeps) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="feed")
    assert got.ok and got.attempts == 2
    assert len(sleeps.calls) == 1 and 25 <= sleeps.calls[0] <= 31


def test_parse_retry_after_forms() -> None:
    now = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Wed, 01 May 2024 10:01:00 GMT", now) == 60.0
    assert parse_retry_after("Wed, 01 May 2024 09:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


async def test_retries_exhausted_is_http_5xx() -> None:
    handler, seen = sequence(httpx.Response(502, content=b"bad gateway page"))
    policy = FetchPolicy(per_host_delay=0.0, respect_robots=False, retries=2)
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", policy, purpose="article")
    assert (got.error, got.status, got.attempts, got.body) == ("http_5xx", 502, 3, None)
    assert len(seen) == 3 and not got.ok


async def test_404_is_not_retried() -> None:
    handler, seen = sequence(httpx.Response(404))
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/gone", POLICY, purpose="revisit")
    assert (got.error, got.status, got.attempts, len(seen)) == ("http_4xx", 404, 1, 1)


async def test_connection_errors_are_retried_then_reported() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("connection refused", request=request)

    policy = FetchPolicy(per_host_delay=0.0, respect_robots=False, retries=1)
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", policy, purpose="feed")
    assert (got.error, got.status, got.attempts, len(calls)) == ("connection", None, 2, 2)
    assert got.error_detail and "refused" in got.error_detail


async def test_not_html_pdf_body_is_not_read() -> None:
    read: list[int] = []

    async def pdf() -> AsyncIterator[bytes]:
        read.append(1)
        yield b"%PDF-1.7 ..."

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/pdf"}, content=pdf())

    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a.pdf", POLICY, purpose="article", require_html=True)
    assert (got.error, got.status, got.body) == ("not_html", 200, None)
    assert read == []


async def test_missing_content_type_is_sniffed() -> None:
    html, _ = sequence(httpx.Response(200, content=b"\n  <!DOCTYPE html><html><p>hi</p></html>"))
    binary, _ = sequence(httpx.Response(200, content=b"\x89PNG\r\n\x1a\n" + b"\0" * 2000))
    async with make_fetcher(html) as fetcher:
        ok = await fetcher.fetch("https://news.example/a", POLICY, purpose="article", require_html=True)
    async with make_fetcher(binary) as fetcher:
        bad = await fetcher.fetch("https://news.example/b", POLICY, purpose="article", require_html=True)
        feed = await fetcher.fetch("https://news.example/b", POLICY, purpose="feed")
    assert ok.ok and ok.body is not None
    assert bad.error == "not_html" and bad.body is None
    assert feed.ok  # without require_html any body is fine


async def test_too_large_by_content_length_and_by_body() -> None:
    policy = FetchPolicy(per_host_delay=0.0, respect_robots=False, max_bytes=100)
    handler, _ = sequence(httpx.Response(200, content=b"x" * 101))
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", policy, purpose="article")
    assert (got.error, got.body, got.status) == ("too_large", None, 200)
    assert got.error_detail and "Content-Length" in got.error_detail

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: caught while streaming
        for _ in range(10):
            yield b"y" * 30

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())

    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", policy, purpose="article")
    assert (got.error, got.body) == ("too_large", None)


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b, wbits=-15)),  # raw deflate, as some servers send
        ("br", brotli.compress),
        ("zstd", lambda b: zstandard.ZstdCompressor().compress(b)),
        ("gzip, br", lambda b: brotli.compress(gzip.compress(b))),
    ],
)
async def test_content_encodings_are_decoded(coding: str, encode: Callable[[bytes], bytes]) -> None:
    body = b"<html>" + "Новости дня ".encode() * 500 + b"</html>"

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=streamed(encode(body)), headers={"Content-Encoding": coding})

    seen: list[httpx.Request] = []
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="article")
    assert got.body == body and got.body_sha256 == hashlib.sha256(body).hexdigest()
    assert "br" in seen[0].headers["accept-encoding"]


async def test_broken_encoding_is_decode_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=streamed(b"not gzip at all"), headers={"Content-Encoding": "gzip"})

    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="article")
    assert (got.error, got.body, got.status) == ("decode", None, 200)


def redirects(chain: dict[str, str]) -> tuple[Handler, list[str]]:
    """Redirect path -> Location; any other path answers 200."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        target = chain.get(request.url.path)
        if target is not None:
            return httpx.Response(302, headers={"Location": target})
        return httpx.Response(200, content=b"landed")

    return handler, seen


async def test_redirect_chain_is_followed() -> None:
    handler, seen = redirects({"/a": "/b", "/b": "https://other.example/c#frag"})
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="article")
    assert (got.status, got.body, got.final_url, got.attempts) == (
        200,
        b"landed",
        "https://other.example/c",
        3,
    )
    assert seen == ["https://news.example/a", "https://news.example/b", "https://other.example/c"]


async def test_redirect_loop() -> None:
    handler, seen = redirects({"/a": "/b", "/b": "/a"})
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="article")
    assert (got.error, got.status, got.body) == ("redirect_loop", 302, None)
    assert len(seen) == 2


async def test_too_many_redirects() -> None:
    chain = {f"/{i}": f"/{i + 1}" for i in range(5)}
    handler, seen = redirects(chain)
    policy = FetchPolicy(per_host_delay=0.0, respect_robots=False, max_redirects=3)
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/0", policy, purpose="article")
        ok = await fetcher.fetch("https://news.example/2", policy, purpose="article")  # 3 hops: fine
    assert got.error == "too_many_redirects" and len(seen) >= 4
    assert ok.ok and ok.final_url == "https://news.example/5"


async def test_loopback_literal_refused_without_request() -> None:
    handler, seen = sequence(httpx.Response(200))
    fetcher = Fetcher(transport=httpx.MockTransport(handler), sleep=Sleeps())  # default resolver
    async with fetcher:
        got = await fetcher.fetch("http://127.0.0.1:8080/admin", POLICY, purpose="article")
        v6 = await fetcher.fetch("http://[::ffff:127.0.0.1]/", POLICY, purpose="article")
        allowed = await fetcher.fetch(
            "http://127.0.0.1:8080/x",
            FetchPolicy(allow_private_networks=True, respect_robots=False),
            purpose="page",
        )
    assert (got.error, got.status, got.attempts, got.body) == ("refused_address", None, 0, None)
    assert v6.error == "refused_address"
    assert allowed.ok and len(seen) == 1


async def test_redirect_to_private_address_refused() -> None:
    handler, seen = redirects({"/a": "http://10.0.0.1/internal"})
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="article")
    assert (got.error, got.status, got.final_url) == ("refused_address", 302, "http://10.0.0.1/internal")
    assert seen == ["https://news.example/a"]


async def test_name_resolving_to_private_address_refused() -> None:
    async def sneaky(host: str) -> list[str]:
        return [PUBLIC_IP, "192.168.1.5"] if host == "sneaky.example" else [PUBLIC_IP]

    handler, seen = sequence(httpx.Response(200))
    fetcher = Fetcher(transport=httpx.MockTransport(handler), resolver=sneaky, sleep=Sleeps())
    async with fetcher:
        got = await fetcher.fetch("https://sneaky.example/", POLICY, purpose="feed")
    assert got.error == "refused_address" and seen == []


async def test_bad_url() -> None:
    handler, seen = sequence(httpx.Response(200))
    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("ftp://news.example/file", POLICY, purpose="article")
        port = await fetcher.fetch("https://news.example:99999/", POLICY, purpose="article")
    assert got.error == "bad_url" and port.error == "bad_url" and seen == []


async def test_per_host_concurrency_is_never_exceeded() -> None:
    in_flight = {"now": 0, "max": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        in_flight["now"] += 1
        in_flight["max"] = max(in_flight["max"], in_flight["now"])
        await asyncio.sleep(0.01)
        in_flight["now"] -= 1
        return httpx.Response(200, content=b"ok")

    policy = FetchPolicy(per_host_delay=0.0, respect_robots=False, per_host_concurrency=2)
    async with make_fetcher(handler) as fetcher:  # type: ignore[arg-type]
        results = await asyncio.gather(
            *(fetcher.fetch(f"https://news.example/{i}", policy, purpose="article") for i in range(8))
        )
    assert all(r.ok for r in results)
    assert in_flight["max"] == 2


async def test_delay_between_starts_uses_injected_sleep() -> None:
    handler, _ = sequence(httpx.Response(200))
    sleeps = Sleeps()
    policy = FetchPolicy(per_host_delay=2.0, respect_robots=False)
    async with make_fetcher(handler, sleeps) as fetcher:
        await fetcher.fetch("https://news.example/1", policy, purpose="article")
        await fetcher.fetch("https://other.example/1", policy, purpose="article")  # another host: no wait
        await fetcher.fetch("https://news.example/2", policy, purpose="article")
    # the fake sleep lets no time pass, so the second request to news.example waits ~2 s
    assert len(sleeps.calls) == 1 and sleeps.calls[0] == pytest.approx(2.0, abs=0.5)


async def test_retries_count_as_starts_for_the_delay() -> None:
    handler, _ = sequence(httpx.Response(503), httpx.Response(200))
    sleeps = Sleeps()
    policy = FetchPolicy(per_host_delay=5.0, respect_robots=False, backoff_base=0.5)
    async with make_fetcher(handler, sleeps) as fetcher:
        got = await fetcher.fetch("https://news.example/1", policy, purpose="article")
    assert got.ok and got.attempts == 2
    # backoff first, then the politeness gap still owed (no real time passed)
    assert sleeps.calls[0] == pytest.approx(0.5, abs=0.06)
    assert sleeps.calls[1] == pytest.approx(5.0, abs=0.5)


async def test_one_client_per_proxy() -> None:
    handler, _ = sequence(httpx.Response(200))
    async with make_fetcher(handler) as fetcher:
        await fetcher.fetch("https://news.example/1", POLICY, purpose="feed")
        await fetcher.fetch("https://news.example/2", POLICY, purpose="feed")
        proxied = FetchPolicy(per_host_delay=0.0, respect_robots=False, proxy="http://u:p@proxy.example:3128")
        await fetcher.fetch("https://news.example/3", proxied, purpose="feed")
        assert len(fetcher._clients) == 2
    assert fetcher._clients == {}


async def test_already_read_mock_responses_are_accepted() -> None:
    # Other tests in the house may hand MockTransport plain bytes, which httpx reads up front.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>pre-read</html>", headers={"Content-Type": "text/html"})

    async with make_fetcher(handler) as fetcher:
        got = await fetcher.fetch("https://news.example/a", POLICY, purpose="article", require_html=True)
    assert got.ok and got.body == b"<html>pre-read</html>"
