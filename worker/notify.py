"""Change notifications: a JSON POST to the source's webhook when an article gets a new version.

`Notifier.notify()` only queues, so an archive pass never waits for a webhook. A background task
sends, signs (HMAC-SHA256 of the body when a secret is set), retries with bounded exponential
backoff, and reports every POST as a `Fetched` (purpose "notify") to a callback that writes the
fetch log. A full queue or a closed notifier drops the event with a warning: a notification is a
convenience, the archive is the record.

A webhook URL is often its own credential (Slack's and Discord's carry a token in the path), so it
is written to the fetch log and to log lines masked (`mask_webhook_url`); the real one is only
POSTed to. Its destination passes the same address guard as any fetch (worker/fetch/netguard.py):
a loopback or private address needs `allow_private_networks: true`, else the delivery is a failed
one of kind `refused_address`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpcore
import httpx

from worker import __version__
from worker.config import NotifyConfig
from worker.fetch.errors import transport_cause
from worker.fetch.netguard import Pin, Resolver, check_addresses, default_resolver, pinned, pinned_transport
from worker.values import Fetched

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Newsarchive-Signature"
_RETRY_STATUSES = frozenset({408, 425, 429})
MASK = "***"
_TOKENISH = re.compile(r"[A-Za-z0-9._~=+%-]+")


def _is_secret(segment: str) -> bool:
    """A path segment that looks like a token: 16+ characters that look random (digits among letters,
    mixed case, all digits), 24+ without word separators, or 32+. Over-masking is harmless: the
    real URL is still the one POSTed to. `notifications-webhook` stays; Slack's and Discord's go."""
    if not _TOKENISH.fullmatch(segment) or len(segment) < 16:
        return False
    letters = [c for c in segment if c.isalpha()]
    mixed = (any(c.isdigit() for c in segment) and bool(letters)) or segment.isdigit() \
        or (any(c.isupper() for c in letters) and any(c.islower() for c in letters))
    return mixed or len(segment) >= 32 or (len(segment) >= 24 and not any(c in "-." for c in segment))


def mask_webhook_url(url: str) -> str:
    """The URL to show or store: userinfo, token-like path segments, query values and the fragment
    masked (https://***@hooks.example/services/T0/B0/*** ?token=***)."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return MASK
    netloc = f"{MASK}@{host}" if "@" in parts.netloc else host
    path = "/".join(MASK if _is_secret(seg) else seg for seg in parts.path.split("/"))
    query = "&".join(f"{key}={MASK}" if sep else (MASK if _is_secret(key) else key)
                     for key, sep, _ in (item.partition("=") for item in parts.query.split("&") if item))
    return urlunsplit((parts.scheme, netloc, path, query, MASK if parts.fragment else ""))


def version_event(kind: str, *, source: str, url: str, version: int, title: str, content_hash: str,
                  change: dict[str, Any] | None = None, first_seen_at: datetime | None = None) -> dict[str, Any]:
    """The JSON body of one notification. kind: new_article (version 1) or new_version."""
    return {
        "event": kind,
        "source": source,
        "url": url,
        "version": version,
        "title": title,
        "content_hash": content_hash,
        "change": change,
        "first_seen_at": (first_seen_at or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
    }


def wanted(events: tuple[str, ...], event: dict[str, Any]) -> bool:
    """Whether a webhook asking for `events` gets this one: its own kind, or silent_edit for a new
    version whose change is a silent edit (worker/acknowledged.py; the event stays a new_version)."""
    kind = event.get("event", "new_version")
    silent = kind == "new_version" and bool((event.get("change") or {}).get("silent"))
    return kind in events or (silent and "silent_edit" in events)


def sign(secret: str, body: bytes) -> str:
    """The signature header value: sha256=<hex HMAC-SHA256 of the exact body bytes>."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class Notifier:
    """Queues events and POSTs them to each source's `notify` webhook in the background.

    targets: source name -> NotifyConfig (sources without a webhook are simply absent).
    on_fetch: called with (Fetched with purpose "notify", source name) per delivery, for the fetch log
    (its URLs masked). resolver: for the address guard (tests inject one).
    """

    def __init__(self, targets: Mapping[str, NotifyConfig], *,
                 on_fetch: Callable[[Fetched, str], None] | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 attempts: int = 5, backoff_base: float = 2.0, max_backoff: float = 60.0,
                 timeout: float = 10.0, queue_size: int = 1000,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 resolver: Resolver = default_resolver,
                 network: httpcore.AsyncNetworkBackend | None = None) -> None:
        """transport: replaces the HTTP client's transport (and with it the address pinning);
        network: the network a guarded delivery's pinned connections go through (tests simulate one)."""
        self.targets = dict(targets)
        self._on_fetch = on_fetch
        self._transport = transport
        self._attempts, self._base, self._max_backoff = max(1, attempts), backoff_base, max_backoff
        self._timeout = timeout
        self._sleep = sleep
        self._resolver = resolver
        self._queue: asyncio.Queue[tuple[NotifyConfig, dict[str, Any]]] = asyncio.Queue(queue_size)
        self._task: asyncio.Task[None] | None = None
        self._network = network
        self._clients: dict[bool, httpx.AsyncClient] = {}  # by pinned or not
        self._closed = False
        self.dropped = 0  # events never delivered: queue full, or still queued at aclose()

    @classmethod
    def from_sources(cls, sources: Any, **kwargs: Any) -> Notifier:
        """From SourceConfigs (anything with .name and .notify)."""
        return cls({s.name: s.notify for s in sources if s.notify is not None}, **kwargs)

    def set_targets(self, targets: Mapping[str, NotifyConfig]) -> None:
        """New webhooks after a config reload; events already queued keep their old target."""
        self.targets = dict(targets)

    async def notify(self, event: dict[str, Any]) -> None:
        """Queue one event (a version_event dict) for its source's webhook; never waits for the network."""
        self.notify_nowait(event)

    def notify_nowait(self, event: dict[str, Any]) -> None:
        """notify() for synchronous callers inside the event loop (the pipeline's archive step)."""
        target = self.targets.get(str(event.get("source")))
        if target is None or not wanted(target.events, event):
            return
        if self._closed:
            self.dropped += 1
            return
        try:
            self._queue.put_nowait((target, event))
        except asyncio.QueueFull:
            self.dropped += 1
            log.warning("notify queue full: dropped %s for %s", event.get("event"), event.get("url"))
            return
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._sender(), name="newsarchive-notify")

    async def aclose(self, drain: float = 5.0) -> None:
        """Give queued events up to `drain` seconds, then give up on the rest (they are counted, logged)."""
        self._closed = True
        if self._task is not None and not self._task.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._queue.join()), drain)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        left = self._queue.qsize()
        while not self._queue.empty():
            self._queue.get_nowait()
            self._queue.task_done()
        self.dropped += left
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()
        if self.dropped:
            log.warning("notify: %d notifications were not delivered", self.dropped)

    async def __aenter__(self) -> Notifier:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- the sender ----------------------------------------------------------------------------

    async def _sender(self) -> None:
        while True:
            target, event = await self._queue.get()
            try:
                await self._deliver(target, event)
            except asyncio.CancelledError:
                self.dropped += 1  # the one in hand when aclose() gave up
                raise
            except Exception:  # a bug here must not stop later notifications
                log.exception("notify: sending to %s failed", mask_webhook_url(target.url))
            finally:
                self._queue.task_done()

    def _http(self, pinning: bool) -> httpx.AsyncClient:
        """A guarded delivery's client connects only to the addresses the guard checked (a pinned
        transport: no second lookup for a name to answer differently); one to a private network is plain."""
        pinning = pinning and self._transport is None
        client = self._clients.get(pinning)
        if client is None:
            transport = pinned_transport(self._network) if pinning else self._transport
            client = self._clients[pinning] = httpx.AsyncClient(
                transport=transport, trust_env=False, follow_redirects=False, timeout=self._timeout)
        return client

    async def _deliver(self, target: NotifyConfig, event: dict[str, Any]) -> bool:
        body = json.dumps(event, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": f"newsarchive/{__version__}",
                   "X-Newsarchive-Event": str(event.get("event", "new_version")),
                   "X-Newsarchive-Delivery": str(uuid.uuid4())}  # the same on every retry: receivers dedupe
        if target.secret:
            headers[SIGNATURE_HEADER] = sign(target.secret, body)
        started, t0 = datetime.now(UTC), time.monotonic()
        status, error, detail, attempt = None, None, None, 0
        for attempt in range(1, self._attempts + 1):
            if attempt > 1:
                await self._sleep(min(self._base * 2 ** (attempt - 2), self._max_backoff))
            refusal, pin = await self._checked(target)  # judged again on every attempt: DNS answers change
            status, error, detail = (None, *refusal) if refusal else await self._post(target.url, body, headers, pin)
            if error is None or not _retryable(status, error):
                break
        shown = mask_webhook_url(target.url)
        self._record(shown, str(event.get("source")), started, t0, attempt, status, error, detail)
        if error is not None:
            log.warning("notify: %s for %s not delivered to %s: %s", event.get("event"), event.get("url"),
                        shown, detail)
        return error is None

    async def _checked(self, target: NotifyConfig) -> tuple[tuple[str, str] | None, Pin | None]:
        """(refusal, pin): (error kind, detail) when the address guard refuses the webhook's host, else
        the addresses to connect to (None with allow_private_networks: the name is then resolved as usual)."""
        if target.allow_private_networks:
            return None, None
        host = urlsplit(target.url).hostname
        if not host:
            return ("invalid_url", "the webhook URL has no host"), None
        checked = await check_addresses(host, self._resolver)
        refusal = checked.refusal
        if refusal is not None and refusal[0] == "refused_address":
            refusal = refusal[0], f"webhook {refusal[1]}"
        return refusal, checked.pin

    async def _post(self, url: str, body: bytes, headers: dict[str, str],
                    pin: Pin | None) -> tuple[int | None, str | None, str | None]:
        try:
            with pinned(pin) if pin is not None else contextlib.nullcontext():
                response = await self._http(pin is not None).post(url, content=body, headers=headers)
        except httpx.TimeoutException:
            return None, "timeout", f"no answer within {self._timeout:g}s"
        except httpx.TransportError as e:
            parts = urlsplit(url)
            return None, "connection", transport_cause(e, parts.hostname, parts.port or (443 if parts.scheme == "https"
                                                                                        else 80))
        status = response.status_code
        if 200 <= status < 300:
            return status, None, None
        kind = "http_5xx" if status >= 500 else "http_4xx" if status >= 400 else "http_3xx"
        return status, kind, f"HTTP {status}"

    def _record(self, url: str, source: str, started: datetime, t0: float, attempts: int, status: int | None,
                error: str | None, detail: str | None) -> None:
        if self._on_fetch is None:
            return
        fetched = Fetched(purpose="notify", requested_url=url, final_url=url, status=status, fetched_at=started,
                          duration_ms=int((time.monotonic() - t0) * 1000), attempts=attempts, error=error,
                          error_detail=detail)
        try:
            self._on_fetch(fetched, source)
        except Exception:  # the fetch log failing must not kill the sender
            log.exception("notify: could not record the POST to %s in the fetch log", url)


def _retryable(status: int | None, error: str) -> bool:
    if error in ("timeout", "connection"):
        return True
    return status is not None and (status >= 500 or status in _RETRY_STATUSES)
