"""The Fetcher: one polite, defensive GET with its redirects and retries, as a `Fetched` value.

Nothing network- or content-related escapes as an exception: timeouts, refusals, oversized or
broken bodies all come back as `Fetched.error` kinds, so one bad URL never unwinds a pass.

Each hop is admitted before it is requested: its host is resolved once and every address judged
(worker/fetch/netguard.py), and the connection goes to one of those addresses (a pinned transport),
not to a second lookup. Configured `headers` (cookies, authorisation...) go only to the hosts they
belong to (`FetchPolicy.headers_hosts`, else the host the fetch started at): never to a redirect
target elsewhere, nor to another host's robots.txt, nor over http after a redirect from https.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Protocol
from urllib.parse import urldefrag, urljoin, urlsplit

import httpcore
import httpx

from worker.fetch.body import (
    BadEncoding,
    NotHtml,
    TooLarge,
    declared_too_long,
    is_html_type,
    raw_stream,
    read_body,
)
from worker.fetch.errors import transport_cause
from worker.fetch.netguard import (
    Pin,
    Resolver,
    UncheckedConnection,
    check_addresses,
    default_resolver,
    pinned,
    pinned_transport,
)
from worker.fetch.robots import MAX_BYTES as _ROBOTS_MAX_BYTES
from worker.fetch.robots import RobotsCache, robots_url
from worker.urls import host_of
from worker.values import Fetched, FetchPolicy

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # exactly what body.py can undo
_RETRY_ERRORS = frozenset({"timeout", "connection"})


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date), None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempt: int, policy: FetchPolicy, retry_after: str | None) -> float:
    """How long to wait before retry number `attempt` (1-based)."""
    told = parse_retry_after(retry_after, datetime.now(UTC))
    if told is not None:
        return min(told, policy.max_retry_after)
    base = policy.backoff_base * 2 ** (attempt - 1)
    return min(base + random.uniform(0, base * 0.1), policy.max_retry_after)  # jitter spreads herds


@dataclass
class _Answer:
    """What one attempt at one URL produced."""

    status: int | None = None
    headers: httpx.Headers | None = None
    body: bytes | None = None
    error: str | None = None
    detail: str | None = None
    redirect_to: str | None = None
    not_modified: bool = False

    def fail(self, error: str, detail: str) -> None:
        self.error, self.detail, self.body = error, detail, None

    @property
    def retryable(self) -> bool:
        if self.error in _RETRY_ERRORS:
            return True
        return self.status is not None and (self.status == 429 or self.status >= 500)


@dataclass
class _Trace:
    """The running state of one fetch() across hops and attempts."""

    final_url: str
    attempts: int = 0
    last: _Answer = field(default_factory=_Answer)
    status: int | None = None
    headers: httpx.Headers | None = None
    pin: Pin | None = None  # the checked addresses of the current hop's host
    robots_policy: FetchPolicy | None = None  # what the current hop's robots.txt is cached under
    crawl_delay_capped: tuple[str, float] | None = None  # (robots.txt URL, Crawl-delay asked) when capped

    def absorb(self, answer: _Answer) -> None:
        self.last = answer
        if answer.status is not None:  # "last HTTP status seen" survives a later timeout
            self.status, self.headers = answer.status, answer.headers

    def fail(self, error: str, detail: str) -> None:
        self.last = _Answer(error=error, detail=detail)


@dataclass
class _Slot:
    semaphore: asyncio.Semaphore
    next_start: float = 0.0


class Gate(Protocol):
    """Per-host politeness: at most `concurrency` requests in flight, starts `delay` seconds apart.

    The default is in-process (`_Politeness`); worker/fetch/fleet.py keeps it fleet-wide.
    """

    def turn(self, key: str, concurrency: int, delay: float) -> contextlib.AbstractAsyncContextManager[None]: ...


class _Politeness:
    """Per-host concurrency limit and minimum spacing between request starts."""

    def __init__(self, sleep: Callable[[float], Awaitable[None]]) -> None:
        self._sleep = sleep
        self._slots: dict[str, _Slot] = {}

    @contextlib.asynccontextmanager
    async def turn(self, key: str, concurrency: int, delay: float) -> AsyncIterator[None]:
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot(asyncio.Semaphore(max(1, concurrency)))
        async with slot.semaphore:
            now = time.monotonic()
            start = max(now, slot.next_start)
            slot.next_start = start + delay  # reserve before sleeping so waiters queue up in order
            if start > now:
                await self._sleep(start - now)
            yield


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def _credential_hosts(policy: FetchPolicy, url: str) -> frozenset[str]:
    """The hosts configured headers may go to: the policy's list, else the host this fetch starts at."""
    return frozenset(h.rstrip(".").lower() for h in policy.headers_hosts) or frozenset({_host(url)})


def _request_headers(policy: FetchPolicy, etag: str | None, last_modified: str | None,
                     configured: bool = True) -> httpx.Headers:
    headers = httpx.Headers({"User-Agent": policy.user_agent, "Accept-Encoding": _ACCEPT_ENCODING})
    for name, value in policy.headers if configured else ():
        headers[name] = value  # replaces case-insensitively, so a configured User-Agent wins
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _no_cookies() -> CookieJar:
    # One client serves many sources: a cookie set by one site must never ride along elsewhere.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class Fetcher:
    """Fetches URLs politely; see the module docstring and worker/values.py `Fetched`."""

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        on_fetch: Callable[[Fetched], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        gate: Gate | None = None,
        network: httpcore.AsyncNetworkBackend | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        """`transport` replaces the network entirely (tests); `network` is what pinned connections
        are opened through (tests route test addresses to 127.0.0.1); `verify` the TLS trust."""
        self._transport = transport
        self._resolver = resolver or default_resolver
        self._on_fetch = on_fetch
        self._sleep = sleep
        self._network = network
        self._verify = verify
        self._clients: dict[tuple[str | None, bool], httpx.AsyncClient] = {}
        self._politeness: Gate = gate or _Politeness(sleep)
        self._robots = RobotsCache()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    def _client(self, policy: FetchPolicy) -> httpx.AsyncClient:
        """One client per proxy, and for direct connections one pinned (guarded) and one not: a
        connection opened for a source with allow_private_networks is never reused by a guarded one."""
        pin = policy.proxy is None and not policy.allow_private_networks
        key = (policy.proxy, pin)
        client = self._clients.get(key)
        if client is None:
            transport = self._transport
            if transport is None and pin:
                transport = pinned_transport(self._network, self._verify)
            client = httpx.AsyncClient(
                transport=transport,
                proxy=None if transport is not None else policy.proxy,  # an injected transport wins
                verify=self._verify,
                follow_redirects=False,
                trust_env=False,  # proxies come from the config only
                cookies=_no_cookies(),
            )
            self._clients[key] = client
        return client

    async def fetch(
        self,
        url: str,
        policy: FetchPolicy,
        *,
        purpose: str,
        etag: str | None = None,
        last_modified: str | None = None,
        require_html: bool = False,
    ) -> Fetched:
        started, t0 = datetime.now(UTC), time.monotonic()
        trace = _Trace(final_url=url)
        await self._follow(url, policy, purpose, (etag, last_modified), require_html, trace)
        return self._result(url, purpose, started, t0, trace)

    def _result(self, url: str, purpose: str, started: datetime, t0: float, trace: _Trace) -> Fetched:
        last = trace.last
        headers = {k: v for k, v in (trace.headers or httpx.Headers()).items() if k != "set-cookie"}
        body = last.body if last.error is None else None
        return Fetched(
            purpose=purpose,
            requested_url=url,
            final_url=trace.final_url,
            status=trace.status,
            fetched_at=started,
            duration_ms=int((time.monotonic() - t0) * 1000),
            attempts=trace.attempts,
            body=body,
            content_type=headers.get("content-type"),
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            error=last.error,
            error_detail=last.detail,
            not_modified=last.not_modified and last.error is None,
            body_sha256=hashlib.sha256(body).hexdigest() if body is not None else None,
            headers=headers,
            crawl_delay_capped=trace.crawl_delay_capped,
        )

    async def _follow(
        self, url: str, policy: FetchPolicy, purpose: str, validators: tuple[str | None, str | None],
        html: bool, trace: _Trace
    ) -> None:
        """Walk the redirect chain, admitting each hop before it is requested."""
        current, seen = url, {urldefrag(url)[0]}
        credential_hosts = _credential_hosts(policy, url)
        secure = urlsplit(url).scheme == "https"
        for _hop in range(policy.max_redirects + 1):
            trace.final_url = current
            # configured headers: to their own hosts only, and never in clear after starting on https
            credentials = _host(current) in credential_hosts and not (secure and urlsplit(current).scheme == "http")
            if not await self._admit(current, policy, purpose, credentials, trace):
                return
            headers = _request_headers(policy, *validators, configured=credentials)
            await self._with_retries(current, policy, purpose, headers, html, trace)
            target = trace.last.redirect_to
            if target is None:
                return
            if target in seen:
                trace.fail("redirect_loop", f"redirect back to {target}")
                return
            seen.add(target)
            current = target
        trace.fail("too_many_redirects", f"more than {policy.max_redirects} redirects")

    async def _admit(self, url: str, policy: FetchPolicy, purpose: str, credentials: bool,
                     trace: _Trace) -> bool:
        """URL sanity, address guard and robots.txt, in that order; False (and trace failed) if refused."""
        try:
            parts = urlsplit(url)
            host, _port = parts.hostname, parts.port  # .port raises on a bad port
            wire_host = httpx.URL(url).raw_host.decode("ascii")  # the name as the connection will use it
        except (ValueError, httpx.InvalidURL) as exc:
            trace.fail("bad_url", f"unparsable URL: {exc}")
            return False
        if parts.scheme not in ("http", "https") or not host:
            trace.fail("bad_url", "not an http(s) URL with a host")
            return False
        trace.pin, trace.robots_policy = None, None
        if not policy.allow_private_networks:
            checked = await check_addresses(wire_host, self._resolver)
            if checked.refusal is not None:
                trace.fail(*checked.refusal)
                return False
            trace.pin = checked.pin
        if policy.respect_robots and purpose != "robots":
            robots_policy = trace.robots_policy = _robots_policy(policy, credentials)
            rules = await self._robots.rules_for(url, lambda u: self._fetch_robots(u, robots_policy),
                                                 robots_policy, limit=policy.timeout)
            if rules.unreachable is not None:  # RFC 9309: unreachable means disallow, for a while
                trace.fail("robots_unreachable", f"{robots_url(url)} could not be fetched: {rules.unreachable}")
                return False
            if not rules.can_fetch(url, policy.user_agent):
                trace.fail("robots_disallowed", "robots.txt disallows this URL")
                return False
        return True

    async def _fetch_robots(self, url: str, policy: FetchPolicy) -> Fetched:
        fetched = await self.fetch(url, policy, purpose="robots")
        if self._on_fetch is not None:
            self._on_fetch(fetched)
        return fetched

    async def _with_retries(
        self, url: str, policy: FetchPolicy, purpose: str, headers: httpx.Headers, html: bool, trace: _Trace
    ) -> None:
        for retry in range(policy.retries + 1):
            if retry:
                last_headers = trace.last.headers
                retry_after = last_headers.get("retry-after") if last_headers is not None else None
                await self._sleep(backoff_delay(retry, policy, retry_after))
            trace.attempts += 1
            answer = await self._attempt(url, policy, purpose, headers, html, trace)
            trace.absorb(answer)
            if not answer.retryable:
                return

    def _delay_for(self, url: str, policy: FetchPolicy, trace: _Trace) -> float:
        """The spacing of this request: per_host_delay, or robots.txt's Crawl-delay up to the cap (a
        capped one is noted on the trace, so the poll can report its source)."""
        crawl_delay = None
        if trace.robots_policy is not None:
            crawl_delay = self._robots.crawl_delay(url, policy.user_agent, trace.robots_policy)
        if crawl_delay is not None and crawl_delay > max(policy.crawl_delay_max, policy.per_host_delay):
            trace.crawl_delay_capped = (robots_url(url), crawl_delay)  # spaced less than the site asks
        return max(policy.per_host_delay, min(crawl_delay or 0.0, policy.crawl_delay_max))

    async def _attempt(self, url: str, policy: FetchPolicy, purpose: str, headers: httpx.Headers, html: bool,
                       trace: _Trace) -> _Answer:
        """One request under the host's politeness slot and the whole-request timeout."""
        answer = _Answer()
        client = self._client(policy)
        # robots.txt has a slot of its own: its hourly refresh never queues behind the host's pages
        # (a request waits for robots.txt at most its timeout) and the pages' spacing stays as it was.
        key = host_of(url) if purpose != "robots" else "robots.txt " + host_of(url)
        delay = self._delay_for(url, policy, trace)
        slot = self._politeness.turn(key, policy.per_host_concurrency, delay)
        async with slot:
            try:
                async with asyncio.timeout(policy.timeout):
                    with pinned(trace.pin) if trace.pin is not None else contextlib.nullcontext():
                        await self._exchange(client, url, policy, headers, html, answer,
                                             truncate=purpose == "robots")
            except UncheckedConnection as exc:
                answer.fail("refused_address", str(exc))
            except (TimeoutError, httpx.TimeoutException):
                answer.fail("timeout", f"no complete answer within {policy.timeout:g}s")
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                answer.fail("bad_url", _short(exc, policy))
            except httpx.TransportError as exc:
                parts = urlsplit(url)
                port = parts.port or (443 if parts.scheme == "https" else 80)
                cause = transport_cause(exc, *(("the proxy", None) if policy.proxy else (parts.hostname, port)))
                answer.fail("connection", _scrub(cause, policy))
        return answer

    async def _exchange(
        self,
        client: httpx.AsyncClient,
        url: str,
        policy: FetchPolicy,
        headers: httpx.Headers,
        html: bool,
        answer: _Answer,
        truncate: bool = False,
    ) -> None:
        request = client.build_request("GET", url, headers=headers, timeout=policy.timeout)
        response = await client.send(request, stream=True)
        try:
            answer.status, answer.headers = response.status_code, response.headers
            if self._judge(url, response, policy, html, answer, truncate):
                raw, coding = raw_stream(response)
                sniff = html and not response.headers.get("content-type")
                limit = min(policy.max_bytes, _ROBOTS_MAX_BYTES) if truncate else policy.max_bytes
                answer.body = await read_body(raw, coding, limit, sniff_html=sniff, truncate=truncate)
        except TooLarge as exc:
            answer.fail("too_large", str(exc))
        except BadEncoding as exc:
            answer.fail("decode", str(exc))
        except NotHtml as exc:
            answer.fail("not_html", str(exc))
        finally:
            await response.aclose()

    @staticmethod
    def _judge(url: str, response: httpx.Response, policy: FetchPolicy, html: bool, answer: _Answer,
               truncate: bool = False) -> bool:
        """Decide from status and headers alone; True when the body should be read."""
        status, headers = response.status_code, response.headers
        location = headers.get("location")
        if status in _REDIRECT_STATUSES and location:
            target = urldefrag(urljoin(url, location.strip()))[0]
            if urlsplit(target).scheme not in ("http", "https"):
                answer.fail("bad_url", "redirect to a non-http(s) URL")
            else:
                answer.redirect_to = target
            return False
        if status == 304:
            answer.not_modified = True
            return False
        if not 200 <= status < 300:
            kind = "http_5xx" if status >= 500 else "http_4xx" if status >= 400 else "http_3xx"
            answer.fail(kind, f"HTTP {status}")
            return False
        content_type = headers.get("content-type")
        if html and content_type and not is_html_type(content_type):
            answer.fail("not_html", f"content type {content_type.split(';')[0].strip()}")
            return False
        if not truncate and declared_too_long(headers, policy.max_bytes):
            answer.fail("too_large", f"Content-Length above {policy.max_bytes} bytes")
            return False
        return True


def _robots_policy(policy: FetchPolicy, with_headers: bool) -> FetchPolicy:
    """The policy robots.txt is fetched (and cached) under: with the configured headers only when
    the robots.txt host is one they belong to."""
    return policy if with_headers else replace(policy, headers=(), headers_hosts=())


def _short(exc: Exception, policy: FetchPolicy) -> str:
    """A short error text with proxy credentials scrubbed."""
    return _scrub(f"{type(exc).__name__}: {exc}"[:200], policy)


def _scrub(text: str, policy: FetchPolicy) -> str:
    if policy.proxy:
        text = text.replace(policy.proxy, "<proxy>")
    return text
