"""robots.txt within bounds: a capped Crawl-delay, a lookup inside the request's timeout, RFC 9309's
500 KiB, parsing off the event loop, a bounded cache keyed by origin and fetch policy."""

from __future__ import annotations

import asyncio
import logging
import threading

import httpx
import pytest

from worker.fetch import Fetcher
from worker.fetch import robots as robots_module
from worker.fetch.robots import MAX_BYTES, RobotsCache
from worker.values import Fetched, FetchPolicy

POLICY = FetchPolicy(per_host_delay=0.0, respect_robots=True, retries=0, timeout=5.0)


async def public_resolver(host: str) -> list[str]:
    return ["93.184.216.34"]


def site(robots_body: bytes, status: int = 200, headers: dict[str, str] | None = None
         ) -> tuple[httpx.MockTransport, list[str]]:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(status, content=robots_body, headers=headers)
        return httpx.Response(200, content=b"page")

    return httpx.MockTransport(handler), seen


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.mark.parametrize(("cap", "expected"), [(None, 30.0), (5.0, 5.0), (100000.0, 86400.0)])
async def test_crawl_delay_is_capped_and_reported(cap: float | None, expected: float,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    transport, seen = site(b"User-agent: *\nCrawl-delay: 86400\n")
    sleeps = Sleeps()
    policy = POLICY if cap is None else FetchPolicy(**{**POLICY.__dict__, "crawl_delay_max": cap})
    with caplog.at_level(logging.WARNING, logger="worker.fetch.robots"):
        async with Fetcher(transport=transport, resolver=public_resolver, sleep=sleeps) as fetcher:
            for path in ("a", "b", "c"):
                assert (await fetcher.fetch(f"https://slow.example/{path}", policy, purpose="article")).ok
    assert seen == ["/robots.txt", "/a", "/b", "/c"]
    # the injected sleep returns at once, so the second wait is counted from the same moment
    first, second = sleeps.calls
    assert expected - 1 <= first <= expected and expected - 1 <= second - first <= expected
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    if expected < 86400:
        assert len(warnings) == 1  # once per robots.txt read, not per request
        assert "https://slow.example/robots.txt" in warnings[0] and "crawl_delay_max" in warnings[0]
    else:
        assert warnings == []


async def test_robots_lookup_counts_inside_the_request_timeout() -> None:
    """A robots.txt that answers 503 with Retry-After: 100 and a request allowed 3 retries: without a
    bound the lookup would hold the page for 5 minutes. Real sleeps, a 0.5 s timeout."""
    transport, seen = site(b"", status=503, headers={"Retry-After": "100"})
    policy = FetchPolicy(**{**POLICY.__dict__, "retries": 3, "timeout": 0.5})
    async with Fetcher(transport=transport, resolver=public_resolver) as fetcher:
        got = await asyncio.gather(*(fetcher.fetch(f"https://down.example/{i}", policy, purpose="article")
                                     for i in range(3)))
        again = await fetcher.fetch("https://down.example/later", policy, purpose="article")
    assert [g.error for g in got] == ["robots_unreachable"] * 3
    assert "no answer within 0.5s" in (got[0].error_detail or "")
    assert again.error == "robots_unreachable"  # remembered: not asked again at once
    assert seen == ["/robots.txt"]


async def test_a_hanging_robots_lookup_ends_at_the_limit() -> None:
    cache = RobotsCache()
    calls: list[str] = []

    async def hang(url: str) -> Fetched:
        calls.append(url)
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    rules, waiting = await asyncio.gather(cache.rules_for("https://h.example/a", hang, POLICY, limit=0.2),
                                          cache.rules_for("https://h.example/b", hang, POLICY, limit=0.2))
    assert rules.unreachable == "no answer within 0.2s" and not rules.can_fetch("https://h.example/a", "bot")
    assert waiting.unreachable is not None and calls == ["https://h.example/robots.txt"]


async def test_a_5mb_robots_txt_is_read_to_500_kib() -> None:
    head = b"User-agent: *\nDisallow: /private/\n"
    filler = b"# " + b"x" * 97 + b"\n"
    body = head + filler * (MAX_BYTES // len(filler) + 10) + b"Disallow: /late/\n" + filler * 45_000
    assert len(body) > 5_000_000
    transport, seen = site(body)
    logged: list[Fetched] = []
    async with Fetcher(transport=transport, resolver=public_resolver, on_fetch=logged.append,
                       sleep=Sleeps()) as fetcher:
        private = await fetcher.fetch("https://big.example/private/x", POLICY, purpose="article")
        late = await fetcher.fetch("https://big.example/late/x", POLICY, purpose="article")
    assert private.error == "robots_disallowed"  # the file was obeyed, not refused as too large
    assert late.ok  # the rule after 500 KiB is not read (RFC 9309 2.5)
    assert logged[0].error is None and logged[0].body is not None and len(logged[0].body) <= MAX_BYTES


async def test_a_5mb_robots_txt_streamed_over_http_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamed with a Content-Length of 5 MB: not refused up front, read only to the limit."""
    body = b"User-agent: *\nDisallow: /private/\n" + b"#" * 5_000_000

    async def stream() -> object:
        for i in range(0, len(body), 65536):
            yield body[i : i + 65536]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, content=stream(), headers={"Content-Length": str(len(body))})
        return httpx.Response(200, content=b"page")

    logged: list[Fetched] = []
    async with Fetcher(transport=httpx.MockTransport(handler), resolver=public_resolver,
                       on_fetch=logged.append, sleep=Sleeps()) as fetcher:
        got = await fetcher.fetch("https://big.example/private/x", POLICY, purpose="article")
    assert got.error == "robots_disallowed"
    assert logged[0].body is not None and len(logged[0].body) == MAX_BYTES


async def test_robots_txt_is_parsed_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    real = robots_module.rules_from

    def spy(*args: object) -> object:
        threads.append(threading.current_thread())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(robots_module, "rules_from", spy)
    transport, _ = site(b"User-agent: *\nDisallow: /private/\n")
    async with Fetcher(transport=transport, resolver=public_resolver, sleep=Sleeps()) as fetcher:
        got = await fetcher.fetch("https://t.example/private/x", POLICY, purpose="article")
    assert got.error == "robots_disallowed"
    assert threads and all(t is not threading.main_thread() for t in threads)


def answer(url: str, body: bytes = b"User-agent: *\nDisallow: /x/\n") -> Fetched:
    from datetime import UTC, datetime

    return Fetched(purpose="robots", requested_url=url, final_url=url, status=200,
                   fetched_at=datetime.now(UTC), duration_ms=1, attempts=1, body=body)


async def test_cache_evicts_the_least_recently_used() -> None:
    cache = RobotsCache(max_entries=2)
    calls: list[str] = []

    async def fetch(url: str) -> Fetched:
        calls.append(url)
        return answer(url)

    for origin in ("https://a.example", "https://b.example", "https://a.example", "https://c.example"):
        await cache.rules_for(origin + "/page", fetch, POLICY)
    assert len(cache) == 2
    assert calls == ["https://a.example/robots.txt", "https://b.example/robots.txt", "https://c.example/robots.txt"]
    await cache.rules_for("https://a.example/page", fetch, POLICY)  # a was used recently: kept
    await cache.rules_for("https://b.example/page", fetch, POLICY)  # b was evicted: fetched again
    assert calls[3:] == ["https://b.example/robots.txt"]


async def test_two_policies_two_entries() -> None:
    cache = RobotsCache()
    calls: list[str] = []

    async def fetch(url: str) -> Fetched:
        calls.append(url)
        return answer(url, b"User-agent: *\nDisallow: /\n" if len(calls) == 1 else b"User-agent: *\nAllow: /\n")

    proxied = FetchPolicy(**{**POLICY.__dict__, "proxy": "http://proxy.example:3128"})
    cookied = FetchPolicy(**{**POLICY.__dict__, "headers": (("Cookie", "a=1"),)})
    first = await cache.rules_for("https://n.example/x", fetch, proxied)
    second = await cache.rules_for("https://n.example/x", fetch, cookied)
    third = await cache.rules_for("https://n.example/y", fetch, POLICY)
    again = await cache.rules_for("https://n.example/z", fetch, proxied)
    assert len(calls) == 3 and len(cache) == 3  # one source's proxy or headers do not decide for another
    assert not first.can_fetch("https://n.example/x", "bot") and second.can_fetch("https://n.example/x", "bot")
    assert third.can_fetch("https://n.example/y", "bot") and again is first


async def test_fetcher_keeps_one_entry_per_policy() -> None:
    transport, seen = site(b"User-agent: *\nAllow: /\n")
    async with Fetcher(transport=transport, resolver=public_resolver, sleep=Sleeps()) as fetcher:
        for headers in ((), (("Cookie", "a=1"),), ()):
            policy = FetchPolicy(**{**POLICY.__dict__, "headers": headers})
            assert (await fetcher.fetch("https://p.example/a", policy, purpose="article")).ok
    assert seen.count("/robots.txt") == 2


async def test_cache_is_bounded_by_the_text_it_holds() -> None:
    cache = RobotsCache(max_bytes=1000)
    big = b"User-agent: *\n" + b"Disallow: /a-long-path-that-fills/\n" * 20  # ~700 bytes

    async def fetch(url: str) -> Fetched:
        return answer(url, big)

    await cache.rules_for("https://one.example/", fetch, POLICY)
    await cache.rules_for("https://two.example/", fetch, POLICY)  # one + two > 1000: one goes
    assert len(cache) == 1 and cache.cached("https://two.example/", POLICY) is not None
    huge = RobotsCache(max_bytes=10)
    await huge.rules_for("https://three.example/", fetch, POLICY)
    assert len(huge) == 1  # the newest file is always kept, however big
