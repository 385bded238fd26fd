"""robots.txt: fetched once per origin, cached for an hour, shared by concurrent callers.

RFC 9309 section 2.3.1: 2xx -> obey the file; 4xx ("unavailable") -> everything allowed; 5xx, 429,
timeouts and connection failures ("unreachable") -> everything disallowed, for UNREACHABLE_RETRY
seconds, then robots.txt is asked again. An unreachable robots.txt is not a refusal by the site:
the rules remember why (`unreachable`), and the Fetcher reports `robots_unreachable` with that
cause, not `robots_disallowed`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from worker.values import Fetched

RobotsFetch = Callable[[str], Awaitable[Fetched]]
TTL_SECONDS = 3600.0
UNREACHABLE_RETRY = 300.0  # seconds an unreachable robots.txt disallows everything before the next try
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


def rules_from(fetched: Fetched, expires: float, retry_at: float | None = None) -> RobotsRules:
    """Turn the robots.txt fetch result into rules (RFC 9309); an unreachable one lasts until `retry_at`."""
    if fetched.body is not None and fetched.error is None:
        text = fetched.body.decode("utf-8", "replace")
        try:
            return RobotsRules(Protego.parse(text), allow_all=True, expires=expires)
        except Exception:  # a file protego cannot read says nothing: allow
            return RobotsRules(None, allow_all=True, expires=expires)
    cause = unreachable_cause(fetched)
    if cause is not None:
        return RobotsRules(None, allow_all=False, expires=retry_at if retry_at is not None else expires,
                           unreachable=cause)
    return RobotsRules(None, allow_all=True, expires=expires)


class RobotsCache:
    """Per-origin robots rules; `fetch` gets robots.txt (through politeness and address checks)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, ttl: float = TTL_SECONDS,
                 retry: float = UNREACHABLE_RETRY) -> None:
        self._clock = clock
        self._ttl = ttl
        self._retry = retry
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def cached(self, url: str) -> RobotsRules | None:
        rules = self._rules.get(origin_of(url))
        if rules is None or rules.expires <= self._clock():
            return None
        return rules

    async def rules_for(self, url: str, fetch: RobotsFetch) -> RobotsRules:
        """The rules for `url`'s origin; at most one fetch per origin runs at a time."""
        origin = origin_of(url)
        rules = self.cached(url)
        if rules is not None:
            return rules
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self.cached(url)  # someone else may have fetched it while we waited
            if rules is None:
                fetched = await fetch(origin + "/robots.txt")
                now = self._clock()
                rules = rules_from(fetched, now + self._ttl, now + self._retry)
                self._rules[origin] = rules
        return rules

    async def allowed(self, url: str, user_agent: str, fetch: RobotsFetch) -> bool:
        rules = await self.rules_for(url, fetch)
        return rules.can_fetch(url, user_agent)

    def crawl_delay(self, url: str, user_agent: str) -> float | None:
        rules = self.cached(url)
        return rules.crawl_delay(user_agent) if rules is not None else None
