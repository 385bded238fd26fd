"""robots.txt handling: the cache on its own, and the Fetcher obeying it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from worker.fetch import Fetcher
from worker.fetch.robots import RobotsCache, origin_of, robots_url, rules_from
from worker.values import Fetched, FetchPolicy

POLICY = FetchPolicy(
    per_host_delay=0.0, respect_robots=True, user_agent="newsarchive/0.1 (+https://x.org/bot)"
)
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


async def public_resolver(host: str) -> list[str]:
    return ["93.184.216.34"]


async def no_sleep(seconds: float) -> None:
    pass


def site(robots: httpx.Response | Callable[[], httpx.Response]) -> tuple[httpx.MockTransport, list[str]]:
    """A mock site whose /robots.txt gives `robots` and every other path 200; records paths."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url.host}{request.url.path}")
        if request.url.path == "/robots.txt":
            answer = robots() if callable(robots) else robots
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)
        return httpx.Response(200, content=b"article")

    return httpx.MockTransport(handler), seen


def make(transport: httpx.MockTransport, logged: list[Fetched], sleep: object = no_sleep) -> Fetcher:
    return Fetcher(transport=transport, resolver=public_resolver, on_fetch=logged.append, sleep=sleep)  # type: ignore[arg-type]


async def test_disallowed_path_is_never_requested() -> None:
    transport, seen = site(httpx.Response(200, content=ROBOTS))
    logged: list[Fetched] = []
    async with make(transport, logged) as fetcher:
        blocked = await fetcher.fetch("https://news.example/private/a", POLICY, purpose="article")
        allowed = await fetcher.fetch("https://news.example/world/b", POLICY, purpose="article")
    assert (blocked.error, blocked.attempts, blocked.status, blocked.body) == (
        "robots_disallowed",
        0,
        None,
        None,
    )
    assert allowed.ok and allowed.body == b"article"
    assert seen == ["news.example/robots.txt", "news.example/world/b"]  # robots fetched once
    assert len(logged) == 1
    robots = logged[0]
    assert robots.purpose == "robots" and robots.requested_url == "https://news.example/robots.txt"
    assert robots.status == 200 and robots.body == ROBOTS


async def test_robots_404_allows_everything() -> None:
    transport, seen = site(httpx.Response(404))
    logged: list[Fetched] = []
    async with make(transport, logged) as fetcher:
        got = await fetcher.fetch("https://news.example/private/a", POLICY, purpose="article")
    assert got.ok and logged[0].error == "http_4xx"


async def test_robots_5xx_disallows_everything_for_the_host() -> None:
    transport, seen = site(httpx.Response(503))
    logged: list[Fetched] = []
    policy = FetchPolicy(per_host_delay=0.0, retries=1)
    async with make(transport, logged) as fetcher:
        got = await fetcher.fetch("https://news.example/world/a", policy, purpose="article")
        again = await fetcher.fetch("https://news.example/world/b", policy, purpose="article")
    # RFC 9309: an unreachable robots.txt means "disallow", but it is no refusal by the site: its own kind
    assert got.error == "robots_unreachable" and again.error == "robots_unreachable"
    assert "could not be fetched: HTTP 503" in (got.error_detail or "") and "news.example/robots.txt" in (got.error_detail or "")
    assert seen == ["news.example/robots.txt"] * 2  # one robots fetch, retried once; no article request
    assert len(logged) == 1 and logged[0].attempts == 2


async def test_robots_unreachable_names_the_refused_connection() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("All connection attempts failed") from ConnectionRefusedError(111, "refused")

    logged: list[Fetched] = []
    async with make(httpx.MockTransport(handler), logged) as fetcher:
        got = await fetcher.fetch("https://news.example/world/a", FetchPolicy(retries=0), purpose="feed")
    assert got.error == "robots_unreachable"
    assert "connection refused by news.example:443" in (got.error_detail or "")
    assert logged[0].error == "connection" and (logged[0].error_detail or "").startswith("connection refused")


async def test_robots_429_is_unreachable_not_allow_all() -> None:
    transport, seen = site(httpx.Response(429))
    async with make(transport, []) as fetcher:
        got = await fetcher.fetch("https://news.example/world/a", FetchPolicy(retries=0), purpose="article")
    assert got.error == "robots_unreachable" and seen == ["news.example/robots.txt"]


async def test_unreachable_robots_is_asked_again_after_the_retry_window() -> None:
    now = [0.0]
    cache = RobotsCache(clock=lambda: now[0], ttl=3600, retry=300)
    answers = [fetched(503, "http_5xx"), fetched(200, None, ROBOTS)]
    calls: list[str] = []

    async def fetch(url: str) -> Fetched:
        calls.append(url)
        return answers[len(calls) - 1]

    rules = await cache.rules_for("https://a.example/x", fetch)
    assert rules.unreachable is not None and not rules.can_fetch("https://a.example/x", "bot")
    now[0] = 299
    assert not await cache.allowed("https://a.example/x", "bot", fetch) and len(calls) == 1
    now[0] = 301  # the window is over: robots.txt answers now, and its rules are obeyed for the hour
    assert await cache.allowed("https://a.example/x", "bot", fetch)
    assert not await cache.allowed("https://a.example/private/y", "bot", fetch)
    assert len(calls) == 2


async def test_robots_redirect_is_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/robots.txt":
            return httpx.Response(200)
        if request.url.host == "www.news.example":
            return httpx.Response(200, content=ROBOTS)
        return httpx.Response(301, headers={"Location": "https://www.news.example/robots.txt"})

    logged: list[Fetched] = []
    async with make(httpx.MockTransport(handler), logged) as fetcher:
        got = await fetcher.fetch("https://news.example/private/x", POLICY, purpose="article")
    assert got.error == "robots_disallowed"
    assert logged[0].final_url == "https://www.news.example/robots.txt"


async def test_robots_not_checked_when_not_respected() -> None:
    transport, seen = site(httpx.Response(200, content=ROBOTS))
    logged: list[Fetched] = []
    policy = FetchPolicy(per_host_delay=0.0, respect_robots=False)
    async with make(transport, logged) as fetcher:
        got = await fetcher.fetch("https://news.example/private/a", policy, purpose="article")
    assert got.ok and seen == ["news.example/private/a"] and logged == []


async def test_concurrent_callers_share_one_robots_fetch() -> None:
    transport, seen = site(httpx.Response(200, content=ROBOTS))
    logged: list[Fetched] = []
    async with make(transport, logged) as fetcher:
        results = await asyncio.gather(
            *(fetcher.fetch(f"https://news.example/n/{i}", POLICY, purpose="article") for i in range(5))
        )
    assert all(r.ok for r in results)
    assert seen.count("news.example/robots.txt") == 1 and len(logged) == 1


async def test_crawl_delay_raises_the_host_delay() -> None:
    transport, _ = site(httpx.Response(200, content=b"User-agent: *\nCrawl-delay: 7\n"))
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    logged: list[Fetched] = []
    policy = FetchPolicy(per_host_delay=1.0)
    async with make(transport, logged, record) as fetcher:
        await fetcher.fetch("https://news.example/a", policy, purpose="article")
        await fetcher.fetch("https://news.example/b", policy, purpose="article")
    # robots.txt has a slot of its own (it never queues behind the pages); then a, then b 7 s after a
    assert len(sleeps) == 1
    assert 6.5 <= sleeps[0] <= 7.0


def test_origin_and_robots_url() -> None:
    assert origin_of("HTTPS://User:pw@News.Example:8443/a?b") == "https://news.example:8443"
    assert robots_url("http://[::1]:80/x") == "http://[::1]:80/robots.txt"


def fetched(status: int | None, error: str | None, body: bytes | None = None) -> Fetched:
    return Fetched(
        purpose="robots",
        requested_url="https://a.example/robots.txt",
        final_url="https://a.example/robots.txt",
        status=status,
        fetched_at=datetime.now(UTC),
        duration_ms=1,
        attempts=1,
        body=body,
        error=error,
    )


def test_rules_follow_the_conventions() -> None:
    ua = "newsarchive"
    parsed = rules_from(fetched(200, None, ROBOTS), expires=10)
    assert not parsed.can_fetch("https://a.example/private/x", ua) and parsed.can_fetch(
        "https://a.example/x", ua
    )
    assert rules_from(fetched(404, "http_4xx"), 10).can_fetch("https://a.example/private/x", ua)
    for error in ("http_5xx", "timeout", "connection"):
        rules = rules_from(fetched(None, error), 10)
        assert not rules.can_fetch("https://a.example/x", ua) and rules.unreachable is not None
    assert rules_from(fetched(404, "http_4xx"), 10).unreachable is None


async def test_cache_expires_after_ttl() -> None:
    now = [0.0]
    cache = RobotsCache(clock=lambda: now[0], ttl=3600)
    calls: list[str] = []

    async def fetch(url: str) -> Fetched:
        calls.append(url)
        return fetched(200, None, ROBOTS)

    assert not await cache.allowed("https://a.example/private/1", "bot", fetch)
    now[0] = 3599
    assert await cache.allowed("https://a.example/ok", "bot", fetch)
    assert len(calls) == 1
    now[0] = 3601
    await cache.allowed("https://a.example/ok", "bot", fetch)
    assert calls == ["https://a.example/robots.txt"] * 2
