"""Memento (RFC 7089) over the archive, in pywb's URL shapes, so Memento clients and pywb work unchanged.

    /web/<url>                    TimeGate: Accept-Datetime (RFC 1123) -> 302 to the nearest version
    /web/timemap/link/<url>       TimeMap, application/link-format (RFC 7089 section 5)
    /web/timemap/json/<url>       TimeMap, one JSON object per line (pywb's `timemap/json` fields)
    /web/<timestamp>/<url>        memento: the version as the browser shows it
    /web/<timestamp>id_/<url>     memento: the raw capture, sandboxed like /captures/ID/raw

Each version of an article is one memento; its Memento-Datetime is when that version was first captured
(to the second, as 14-digit timestamps are). The original resource (URI-R) is the article's canonical
URL, whichever of its known URLs was asked for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import Connection, select
from surt import surt

from worker.store.models import Article, ArticleUrl, Body, Fetch, Version
from worker.urls import canonicalize
from worker.web import queries, schemas
from worker.web.pages import raw_response, render, templates
from worker.web.params import db

router = APIRouter(tags=["memento"])
Conn = Annotated[Connection, Depends(db)]

LINK_FORMAT = "application/link-format"
NDJSON = "text/x-ndjson"  # what pywb's timemap/json answers with
# <1-14 digits><optional pywb modifier such as id_>/<url>; a short timestamp is padded as pywb does (2026 -> 20260101000000)
_MEMENTO_PATH = re.compile(r"^(\d{1,14})([a-z]{2}_)?/(.*)$", re.S)
_PAD = "00000101000000"
# every pywb modifier but none gives the raw capture: this archive rewrites nothing, so mp_/im_/js_... are id_
RAW_MODE = "id_"


@dataclass(frozen=True)
class Memento:
    """One version as a memento: when it was captured, when last seen unchanged, and its capture."""

    number: int
    at: datetime  # first captured, to the second
    last_seen: datetime  # to the second
    fetch_id: int
    mime: str | None
    status: int | None
    sha256: str | None
    size: int | None  # of the kept raw body; None when it was not kept

    @property
    def stamp(self) -> str:
        return self.at.strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class Target:
    """An archived article found under an asked-for URL, with its versions oldest first."""

    article_id: int
    url: str  # the canonical URL: the URI-R
    mementos: list[Memento]


# ---- URLs and times -----------------------------------------------------------------------------------------


def http_date(dt: datetime) -> str:
    """RFC 1123, as Memento-Datetime and Accept-Datetime are written: Fri, 20 Nov 2026 08:00:00 GMT."""
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def stamp_path(url: str, iso: str, mode: str = "") -> str:
    """/web/<14-digit timestamp><mode>/<url> of the version first seen at `iso` (an API time string)."""
    return f"/web/{re.sub(r'[^0-9]', '', iso)[:14]}{mode}/{url}"


templates.env.globals["memento_path"] = stamp_path  # the article page links each version's memento


def _parse_accept_datetime(value: str) -> datetime:
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        dt = None
    if dt is None:
        raise HTTPException(400, f"Accept-Datetime: {value!r} is not an RFC 1123 date "
                                 "(like 'Fri, 20 Nov 2026 08:00:00 GMT')")
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _parse_stamp(digits: str) -> datetime:
    full = digits + _PAD[len(digits):]
    try:
        return datetime.strptime(full, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        raise HTTPException(400, f"{digits}: not a timestamp (YYYYMMDDhhmmss, or a prefix of one)") from None


def url_candidates(asked: str) -> list[str]:
    """The spellings to look an asked-for URL up under, best first: as given, normalised as the archive
    normalises (worker/urls.py), then with the other scheme; a URL without scheme tries https, then http."""
    asked = asked.strip()
    asked = re.sub(r"^(https?):/+", r"\1://", asked, flags=re.I)  # a proxy may have merged the '//'
    if re.match(r"^https?://", asked, re.I):
        scheme, rest = asked.split("://", 1)
        other = "http" if scheme.lower() == "https" else "https"
        spellings = [asked, f"{other}://{rest}"]
    elif "://" in asked:
        return []  # ftp:, file:, ...: never archived
    else:
        rest = asked.lstrip("/")
        spellings = [f"https://{rest}", f"http://{rest}"]
    out: list[str] = []
    for s in spellings:
        out += [s, canonicalize(s) or s]
    return [u for u in dict.fromkeys(out) if u]


def asked_url(request: Request, prefix: str) -> str:
    """The <url> part of the request, undecoded (so %2F in it stays %2F), with its query string."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode()
    path = raw.decode("utf-8", "replace")
    rest = path[len(prefix):] if path.startswith(prefix) else path
    if re.match(r"^https?%3A", rest, re.I):  # the whole URL percent-encoded, as some clients send it
        rest = unquote(rest)
    query = request.scope.get("query_string", b"").decode("utf-8", "replace")
    return rest + (f"?{query}" if query else "")


# ---- queries ------------------------------------------------------------------------------------------------


def _second(dt: datetime) -> datetime:
    return dt.replace(microsecond=0)


def find_target(conn: Connection, asked: str) -> Target:
    """The article known under `asked` (any URL it was listed or reached under), or a 404."""
    candidates = url_candidates(asked)
    rows = conn.execute(select(ArticleUrl.url, Article.id, Article.url.label("canonical"))
                        .join(Article, Article.id == ArticleUrl.article_id)
                        .where(ArticleUrl.url.in_(candidates))).all() if candidates else []
    by_alias = {r.url: r for r in rows}
    found = next((by_alias[c] for c in candidates if c in by_alias), None)
    if found is None:
        raise HTTPException(404, f"{asked} is not in the archive")
    stmt = (select(Version.number, Version.first_seen_at, Version.last_seen_at, Version.fetch_id,
                   Fetch.content_type, Fetch.status, Fetch.body_sha256, Body.size)
            .join(Fetch, Fetch.id == Version.fetch_id)
            .outerjoin(Body, Body.sha256 == Fetch.body_sha256)
            .where(Version.article_id == found.id)
            .order_by(Version.number))
    mementos = [Memento(r.number, _second(r.first_seen_at), _second(r.last_seen_at), r.fetch_id,
                        r.content_type, r.status, r.body_sha256, r.size) for r in conn.execute(stmt)]
    if not mementos:
        raise HTTPException(404, f"{asked} is in the archive but has no version yet")
    return Target(found.id, found.canonical, mementos)


def nearest(mementos: list[Memento], when: datetime) -> Memento:
    """The version observed nearest `when`: one seen (unchanged) from its first capture to its last covers
    that span; outside every span, the span that ends or starts closest wins, and on a tie the earlier
    version (it was seen; the later one may not have existed yet)."""
    when = _second(when)

    def key(m: Memento) -> tuple[timedelta, bool, float]:
        if m.at <= when <= m.last_seen:
            gap = timedelta(0)
        else:
            gap = m.at - when if when < m.at else when - m.last_seen
        return gap, m.at > when, -m.at.timestamp()

    return min(mementos, key=key)


def exact(mementos: list[Memento], stamp: str) -> Memento | None:
    """The version whose timestamp is `stamp` (two in one second: the later, what the page said after it)."""
    return next((m for m in reversed(mementos) if m.stamp == stamp), None)


# ---- Link headers -------------------------------------------------------------------------------------------


class Links:
    """The URIs of one original resource on this server: absolute from `serve --base-url`, else
    root-relative (RFC 8288 resolves them against the request's URI), never from the Host header."""

    def __init__(self, request: Request, url: str) -> None:
        self.base = request.app.state.base_url or ""
        self.url = url
        self.timegate = f"{self.base}/web/{url}"
        self.timemap = f"{self.base}/web/timemap/link/{url}"
        self.timemap_json = f"{self.base}/web/timemap/json/{url}"

    def memento(self, m: Memento, mode: str = "") -> str:
        return f"{self.base}/web/{m.stamp}{mode}/{self.url}"

    def head(self) -> list[str]:
        return [f'<{self.url}>; rel="original"', f'<{self.timegate}>; rel="timegate"',
                f'<{self.timemap}>; rel="timemap"; type="{LINK_FORMAT}"']

    def around(self, mementos: list[Memento], chosen: Memento, mode: str = "") -> list[str]:
        """first, prev, the chosen one, next and last, a URI named once with all its relations."""
        i = mementos.index(chosen)
        rels: dict[int, list[str]] = {}
        for j, rel in ((0, "first"), (i - 1, "prev"), (i, ""), (i + 1, "next"), (len(mementos) - 1, "last")):
            if 0 <= j < len(mementos):
                rels.setdefault(j, []).append(rel)
        return [self.memento_link(mementos[j], " ".join(r for r in rels[j] if r), mode) for j in sorted(rels)]

    def memento_link(self, m: Memento, rel: str, mode: str = "") -> str:
        rel = f"{rel} memento" if rel else "memento"
        return f'<{self.memento(m, mode)}>; rel="{rel}"; datetime="{http_date(m.at)}"'


def _memento_headers(links: Links, target: Target, m: Memento, mode: str = "") -> dict[str, str]:
    return {"Memento-Datetime": http_date(m.at),
            "Link": ", ".join(links.head() + links.around(target.mementos, m, mode))}


# ---- routes -------------------------------------------------------------------------------------------------


@router.get("/web/timemap/link/{url:path}", response_class=Response,
            summary="Memento TimeMap of a URL, link format (RFC 7089 section 5)",
            responses={200: {"content": {LINK_FORMAT: {}}, "description": "every version, oldest first"},
                       404: {"description": "the URL is not in the archive"}})
@router.head("/web/timemap/link/{url:path}", include_in_schema=False)
def timemap_link(request: Request, conn: Conn, url: str) -> Response:
    target = find_target(conn, asked_url(request, "/web/timemap/link/"))
    links = Links(request, target.url)
    ms = target.mementos
    lines = [f'<{target.url}>; rel="original"',
             f'<{links.timemap}>; rel="self"; type="{LINK_FORMAT}"; '
             f'from="{http_date(ms[0].at)}"; until="{http_date(ms[-1].at)}"',
             f'<{links.timegate}>; rel="timegate"']
    for i, m in enumerate(ms):
        rel = " ".join(r for r, on in (("first", i == 0), ("last", i == len(ms) - 1)) if on)
        lines.append(links.memento_link(m, rel))
    return Response(",\n".join(lines) + "\n", media_type=LINK_FORMAT)


@router.get("/web/timemap/json/{url:path}", response_class=Response,
            summary="Memento TimeMap of a URL, one JSON object per line (pywb's timemap/json)",
            responses={200: {"content": {NDJSON: {"schema": schemas.TimeMapLine.model_json_schema()}},
                             "description": "one TimeMapLine per version, oldest first"},
                       404: {"description": "the URL is not in the archive"}})
@router.head("/web/timemap/json/{url:path}", include_in_schema=False)
def timemap_json(request: Request, conn: Conn, url: str) -> Response:
    target = find_target(conn, asked_url(request, "/web/timemap/json/"))
    links = Links(request, target.url)
    key = surt(target.url)
    out = []
    for i, m in enumerate(target.mementos):
        rel = " ".join(r for r, on in (("first", i == 0), ("last", i == len(target.mementos) - 1)) if on)
        line: dict[str, Any] = {
            "urlkey": key, "timestamp": m.stamp, "url": target.url,
            "mime": (m.mime or "").split(";")[0].strip() or None,
            "status": str(m.status) if m.status is not None else None,
            "digest": f"sha256:{m.sha256}" if m.sha256 else None,
            "length": str(m.size) if m.size is not None else None,
            "mem_rel": f"{rel} memento" if rel else "memento",
            "memento_url": links.memento(m), "load_url": links.memento(m, RAW_MODE),
            "version": m.number, "last_seen": http_date(m.last_seen),
        }
        out.append(json.dumps({k: v for k, v in line.items() if v is not None}, ensure_ascii=False))
    return Response("\n".join(out) + "\n", media_type=NDJSON)


@router.get("/web/{target:path}", response_class=Response,
            summary="Memento TimeGate (/web/<url>) and mementos (/web/<timestamp>/<url>, /web/<timestamp>id_/<url>)",
            description="`/web/<url>`: a TimeGate. With `Accept-Datetime` (RFC 1123), a 302 to the version "
                        "observed nearest that time; without it, to the latest. `Vary: accept-datetime` and a "
                        "Link header (original, timegate, timemap, first/prev/next/last memento).\n\n"
                        "`/web/<14-digit timestamp>/<url>`: the version captured then, as the browser shows it; "
                        "another timestamp redirects (302) to the nearest version's. `/web/<timestamp>id_/<url>`: "
                        "that version's raw capture, sandboxed. Both carry `Memento-Datetime` and `Link`.\n\n"
                        "`<url>` may come with or without its scheme and with its query string; any URL the "
                        "article was listed or reached under finds it.",
            responses={200: {"description": "a memento"}, 302: {"description": "to a memento"},
                       400: {"description": "a bad Accept-Datetime or timestamp"},
                       404: {"description": "the URL is not in the archive"}})
@router.head("/web/{target:path}", include_in_schema=False)
def timegate_or_memento(request: Request, conn: Conn, target: str) -> Response:
    rest = asked_url(request, "/web/")
    if rest.startswith("timemap/"):
        raise HTTPException(404, "TimeMaps are /web/timemap/link/<url> and /web/timemap/json/<url>")
    if not rest.strip("/"):
        raise HTTPException(404, "Ask for /web/<url> (the TimeGate) or /web/timemap/link/<url>")
    found = _MEMENTO_PATH.match(rest)
    if found:
        return _memento(request, conn, found.group(1), found.group(2) or "", found.group(3))
    if rest.startswith("*/"):  # pywb's "every capture" page: here, the article's page lists them
        t = find_target(conn, rest[2:])
        return Response(status_code=302, headers={"Location": f"/articles/{t.article_id}#timeline"})
    return _timegate(request, conn, rest)


def _timegate(request: Request, conn: Conn, asked: str) -> Response:
    accept = request.headers.get("accept-datetime")
    target = find_target(conn, asked)
    when = _parse_accept_datetime(accept) if accept else None
    chosen = nearest(target.mementos, when) if when else target.mementos[-1]
    links = Links(request, target.url)
    return Response(status_code=302, headers={
        "Location": links.memento(chosen), "Vary": "accept-datetime",
        "Link": ", ".join(links.head() + links.around(target.mementos, chosen))})


def _memento(request: Request, conn: Conn, digits: str, mode: str, asked: str) -> Response:
    when = _parse_stamp(digits)
    target = find_target(conn, asked)
    links = Links(request, target.url)
    mode = RAW_MODE if mode else ""
    m = exact(target.mementos, digits) if len(digits) == 14 else None
    if m is None or asked != target.url:  # between versions, or under another URL: to the canonical URI-M
        m = m or nearest(target.mementos, when)
        return Response(status_code=302, headers={"Location": links.memento(m, mode),
                                                  "Link": ", ".join(links.head())})
    headers = _memento_headers(links, target, m, mode)
    if mode:
        meta, body = queries.get_capture(conn, m.fetch_id) or ({}, None)
        return raw_response(meta, body, headers=headers)
    return _version_page(request, conn, target, m, headers)


def _version_page(request: Request, conn: Conn, target: Target, m: Memento, headers: dict[str, str]) -> Response:
    article = queries.get_article(conn, target.article_id)
    versions = queries.get_versions(conn, target.article_id)
    v = next(x for x in versions if x["number"] == m.number)
    i = target.mementos.index(m)
    prev = target.mementos[i - 1] if i else None
    nxt = target.mementos[i + 1] if i + 1 < len(target.mementos) else None
    nav = {"first": target.mementos[0] if i > 1 else None, "prev": prev, "next": nxt,
           "last": target.mementos[-1] if i + 2 < len(target.mementos) else None}
    page = render(request, "memento.html", article=article, v=v, count=len(versions),
                  nav={k: (f"/web/{x.stamp}/{target.url}", x.number) if x and x is not m else None
                       for k, x in nav.items()},
                  raw=f"/web/{m.stamp}{RAW_MODE}/{target.url}" if v["provenance"]["raw_available"] else None,
                  timemap=f"/web/timemap/link/{target.url}", timemap_json=f"/web/timemap/json/{target.url}",
                  memento_datetime=headers["Memento-Datetime"])
    page.headers.update(headers)
    return page
