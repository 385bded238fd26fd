"""robots.txt: fetched once per origin and fetch policy, cached for an hour, shared by concurrent callers.

RFC 9309 section 2.3.1: 2xx -> obey the file; 4xx ("unavailable") -> everything allowed; 5xx, 429,
timeouts and connection failures ("unreachable") -> everything disallowed, for UNREACHABLE_RETRY
seconds, then robots.txt is asked again. An unreachable robots.txt is not a refusal by the site:
the rules remember why (`unreachable`), and the Fetcher reports `robots_unreachable` with that
cause, not `robots_disallowed`.

Bounds: only the first MAX_BYTES (RFC 9309's 500 KiB) of a file are parsed, in a thread (a big
file never holds the event loop); the cache keeps at most MAX_ENTRIES files and MAX_CACHED_BYTES of
their text, least recently used out first; an entry belongs to an origin AND to what the request
looked like (proxy, configured headers, User-Agent, address guard), so one source's proxy or
cookies never decide for another; a lookup waits at most `limit` seconds (the asking request's
timeout), then counts as unreachable. A Crawl-delay above the policy's crawl_delay_max is logged
here, once per file read; the Fetcher caps it and says so on each capped `Fetched`, and the poll
records it on its source (`status`, /api/sources).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from worker.values import Fetched, FetchPolicy

log = logging.getLogger(__name__)

RobotsFetch = Callable[[str], Awaitable[Fetched]]
TTL_SECONDS = 3600.0
UNREACHABLE_RETRY = 300.0  # seconds an unreachable robots.txt disallows everything before the next try
MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB; the rest is ignored
MAX_ENTRIES = 512  # robots files kept
# ...and at most this much robots.txt text held parsed: a hostile 500 KiB of rules costs ~20 MB parsed
# (bench/robots.py), real files a few KB, so real sites all fit and hostile ones push each other out.
MAX_CACHED_BYTES = 4 * 1024 * 1024
_UNREACHABLE = ("http_5xx", "timeout", "connection")


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased, without credentials."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme.lower()}://{host}{port}"


def robots_url(url: str) -> str:
    return origin_of(url) + "/robots.txt"


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says; `parser` None means allow_all decides everything."""

    parser: Protego | None
    allow_all: bool
    expires: float
    unreachable: str | None = None  # why robots.txt could not be read ("connection refused by ...", "HTTP 503")
    size: int = 0  # bytes of robots.txt text parsed into `parser`

    def can_fetch(self, url: str, user_agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def unreachable_cause(fetched: Fetched) -> str | None:
    """Why this robots.txt answer counts as unreachable (RFC 9309), or None when it does not."""
    if fetched.error in _UNREACHABLE or (fetched.error == "http_4xx" and fetched.status == 429):
        return fetched.error_detail or (f"HTTP {fetched.status}" if fetched.status else str(fetched.error))
    return None


def robots_text(body: bytes) -> str:
    """The part of a robots.txt that is parsed: the first MAX_BYTES, cut after the last whole line."""
    if len(body) > MAX_BYTES:
        body = body[:MAX_BYTES]
        end = body.rfind(b"\n")
        body = body[: end + 1] if end >= 0 else body
    return body.decode("utf-8", "replace")


def policy_key(policy: FetchPolicy) -> Hashable:
    """What about a request can change the robots.txt answer or whether it is reachable at all."""
    return (policy.proxy, policy.headers, policy.user_agent, policy.allow_private_networks)


def rules_from(fetched: Fetched, expires: float, retry_at: float | None = None) -> RobotsRules:
    """Turn the robots.txt fetch result into rules (RFC 9309); an unreachable one lasts until `retry_at`."""
    if fetched.body is not None and fetched.error is None:
        text = robots_text(fetched.body)
        try:
            return RobotsRules(Protego.parse(text), allow_all=True, expires=expires, size=len(text))
        except Exception:  # a file protego cannot read says nothing: allow
            return RobotsRules(None, allow_all=True, expires=expires)
    cause = unreachable_cause(fetched)
    if cause is not None:
        return RobotsRules(None, allow_all=False, expires=retry_at if retry_at is not None else expires,
                           unreachable=cause)
    return RobotsRules(None, allow_all=True, expires=expires)


class RobotsCache:
    """Rules per (origin, policy key); `fetch` gets robots.txt (through politeness and address checks)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, ttl: float = TTL_SECONDS,
                 retry: float = UNREACHABLE_RETRY, max_entries: int = MAX_ENTRIES,
                 max_bytes: int = MAX_CACHED_BYTES) -> None:
        self._clock = clock
        self._ttl = ttl
        self._retry = retry
        self._max = max(1, max_entries)
        self._max_bytes = max_bytes
        self._bytes = 0
        self._rules: OrderedDict[tuple[str, Hashable], RobotsRules] = OrderedDict()
        self._locks: dict[tuple[str, Hashable], asyncio.Lock] = {}

    def __len__(self) -> int:
        return len(self._rules)

    def _get(self, key: tuple[str, Hashable]) -> RobotsRules | None:
        rules = self._rules.get(key)
        if rules is None:
            return None
        if rules.expires <= self._clock():
            self._bytes -= self._rules.pop(key).size
            return None
        self._rules.move_to_end(key)  # recently used: evicted last
        return rules

    def _put(self, key: tuple[str, Hashable], rules: RobotsRules) -> None:
        old = self._rules.pop(key, None)
        self._bytes += rules.size - (old.size if old is not None else 0)
        self._rules[key] = rules
        while len(self._rules) > 1 and (len(self._rules) > self._max or self._bytes > self._max_bytes):
            _key, evicted = self._rules.popitem(last=False)  # least recently used first; the newest stays
            self._bytes -= evicted.size

    def cached(self, url: str, policy: FetchPolicy | None = None) -> RobotsRules | None:
        return self._get((origin_of(url), policy_key(policy) if policy is not None else None))

    async def rules_for(self, url: str, fetch: RobotsFetch, policy: FetchPolicy | None = None,
                        limit: float | None = None) -> RobotsRules:
        """The rules for `url`'s origin under `policy`; at most one fetch per key runs at a time.

        Waiting (for another caller's fetch, or for one's own) ends after `limit` seconds: the file
        then counts as unreachable, remembered when it was this caller's own fetch that ran out."""
        origin = origin_of(url)
        key = (origin, policy_key(policy) if policy is not None else None)
        rules = self._get(key)
        if rules is not None:
            return rules
        deadline = None if limit is None else asyncio.get_running_loop().time() + limit
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with asyncio.timeout_at(deadline):
                await lock.acquire()
        except TimeoutError:
            return self._gave_up(limit)
        try:
            rules = self._get(key)  # someone else may have fetched it while we waited
            if rules is None:
                try:
                    async with asyncio.timeout_at(deadline):
                        fetched = await fetch(origin + "/robots.txt")
                    now = self._clock()
                    rules = await asyncio.to_thread(rules_from, fetched, now + self._ttl, now + self._retry)
                except TimeoutError:
                    rules = self._gave_up(limit)
                self._put(key, rules)
                if policy is not None:
                    _report_crawl_delay(origin, rules, policy)
        finally:
            lock.release()
            if not lock.locked() and self._locks.get(key) is lock:
                del self._locks[key]  # waiters hold their own reference; the dict stays small
        return rules

    def _gave_up(self, limit: float | None) -> RobotsRules:
        return RobotsRules(None, allow_all=False, expires=self._clock() + self._retry,
                           unreachable=f"no answer within {limit:g}s")

    async def allowed(self, url: str, user_agent: str, fetch: RobotsFetch) -> bool:
        rules = await self.rules_for(url, fetch)
        return rules.can_fetch(url, user_agent)

    def crawl_delay(self, url: str, user_agent: str, policy: FetchPolicy | None = None) -> float | None:
        rules = self.cached(url, policy)
        return rules.crawl_delay(user_agent) if rules is not None else None


def _report_crawl_delay(origin: str, rules: RobotsRules, policy: FetchPolicy) -> None:
    """Say so (once per robots.txt read) when a site asks for a Crawl-delay above the cap."""
    asked = rules.crawl_delay(policy.user_agent)
    if asked is not None and asked > policy.crawl_delay_max:
        log.warning("%s/robots.txt asks for Crawl-delay %gs, above crawl_delay_max %gs: requests to it are "
                    "spaced %gs apart. Raise crawl_delay_max on the sources of that site to obey it, or "
                    "drop them", origin, asked, policy.crawl_delay_max, policy.crawl_delay_max,
                    extra={"robots": origin + "/robots.txt", "crawl_delay": asked,
                           "crawl_delay_max": policy.crawl_delay_max})
