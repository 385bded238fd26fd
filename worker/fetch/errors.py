"""What went wrong with a fetch, in words: the cause of a transport failure, and the fix where one exists.

The fetch log keeps a short `error` kind (stable, for scripts: `jq .error | uniq -c`) and a
`error_detail` that names the cause ("connection refused by 127.0.0.1:8080", "DNS lookup failed for
news.example", "TLS failure: certificate verify failed"). Log lines, `status` and the browser add
`hint()`, the thing to do about it. docs/fetch-errors.md is the table of kinds.
"""

from __future__ import annotations

import socket
import ssl

# Every `error` a fetch-log row can carry. docs/fetch-errors.md explains each; tests/test_docs_reference.py
# checks the code sets no other and the document names exactly these.
KINDS = frozenset({
    "timeout", "connection", "http_3xx", "http_4xx", "http_5xx", "robots_unreachable", "robots_disallowed",
    "refused_address", "too_large", "not_html", "redirect_loop", "too_many_redirects", "bad_url", "decode",
    "examine_crash", "too_complex", "empty_extraction", "unconfirmed_change",
    "blocked", "consent", "paywall", "soft_404", "error",  # worker/classify.py: a wall or error page, not the article
})

# The causes a `connection` error's detail starts with (tests and the hints read them).
REFUSED = "connection refused"
DNS = "DNS lookup failed"
TLS = "TLS failure"
RESET = "connection reset"
CLOSED = "connection closed"


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def transport_cause(exc: BaseException, host: str | None = None, port: int | None = None) -> str:
    """The cause of a transport exception (httpx wraps the socket's), as a short phrase."""
    chain = _chain(exc)
    where = f"{host}:{port}" if host and port else host or "the server"
    for e in chain:
        if isinstance(e, socket.gaierror):
            return f"{DNS} for {host or 'the host'} ({e.strerror or e})"
        if isinstance(e, ssl.SSLCertVerificationError):
            return f"{TLS}: certificate not accepted ({e.verify_message or e.reason or e})"
        if isinstance(e, ssl.SSLError):
            return f"{TLS}: {e.reason or e}"
        if isinstance(e, ConnectionRefusedError):
            return f"{REFUSED} by {where}"
        if isinstance(e, ConnectionResetError):
            return f"{RESET} by {where}"
    text = " ".join(str(e) for e in chain).lower()
    if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return f"{DNS} for {host or 'the host'}"
    if "ssl" in text or "certificate" in text:
        return f"{TLS}: {str(chain[-1])[:150]}"
    if "disconnected" in text or "closed" in text:
        return f"{CLOSED} by {where} before an answer"
    return f"{type(exc).__name__}: {exc}"[:200]


def hint(error: str | None, detail: str | None = None, status: int | None = None) -> str | None:
    """What to do about a failed fetch, or None when there is nothing to say."""
    d = detail or ""
    if error == "connection":
        if d.startswith(DNS):
            return "check the host name in the URL (a typo, or a site that is gone); it is tried again next poll"
        if d.startswith(REFUSED):
            return "nothing listens there: the site is down or the port is wrong; it is tried again next poll"
        if d.startswith(TLS):
            return "the site's HTTPS is broken (expired or wrong certificate); try the http:// URL or wait"
        return "a network fault or a site that is down; it is tried again next poll (a proxy needs `proxy:`)"
    if error == "robots_unreachable":
        return ("the site is down or failing: as RFC 9309 asks, nothing on it is fetched until its robots.txt "
                "answers (asked again within 5 minutes)")
    if error == "robots_disallowed":
        return "the site's robots.txt forbids this URL: `exclude:` such URLs, or drop the source"
    if error == "refused_address":
        return ("for a local or intranet site set `allow_private_networks: true` on the source; "
                "otherwise leave it refused")
    if error == "timeout":
        return "a slow site: raise `timeout`; many at once: lower `per_host_concurrency`"
    if error == "http_4xx":
        if status in (401, 403, 429):
            return "the site is refusing or throttling you: raise `per_host_delay`, set a real `user_agent`"
        if status in (404, 410):
            return "the page is gone (an article's stored versions stay); a listing: fix the source's `url`"
        return None
    if error == "http_5xx":
        return "the site's server failed; it is tried again next poll"
    if error == "too_large":
        return "raise `max_bytes` for the source if its pages really are that big"
    if error == "not_html":
        return "not a web page (a PDF, an image...): `exclude:` such URLs"
    if error in ("redirect_loop", "too_many_redirects"):
        return "often a consent or geo redirect: `headers: {Cookie: ...}` may help"
    return None


def explain(error: str | None, detail: str | None = None, status: int | None = None) -> str:
    """`kind (detail): fix` for one failed fetch, as log lines and `status` print it."""
    text = error or (f"HTTP {status}" if status else "failed")
    if detail and detail != f"HTTP {status}":
        text += f" ({detail})"
    fix = hint(error, detail, status)
    return f"{text}; {fix}" if fix else text
