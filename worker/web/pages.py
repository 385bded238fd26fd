"""The HTML pages: server-rendered, no JavaScript, the same queries as the API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Connection

from worker.fetch.charset import decode_html
from worker.urls import canonicalize
from worker.web import queries
from worker.web.atom import changes_feed
from worker.web.diff import side_by_side
from worker.web.params import (
    NO_NUL,
    CursorQ,
    Id,
    Q,
    Since,
    Source,
    Until,
    VersionQ,
    article_filter,
    clamp_limit,
    db,
    parse_cursor,
    pick_versions,
)
from worker.web.search import search_available
from worker.web.sources import list_sources

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
router = APIRouter(include_in_schema=False)
Conn = Annotated[Connection, Depends(db)]

# a raw capture is someone else's page: an opaque origin, no scripts, nothing fetched from anywhere
RAW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
RAW_HEADERS = {"Content-Security-Policy": RAW_CSP, "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "no-referrer", "Cache-Control": "private, max-age=3600"}


def _when(value: str | None) -> str:
    """2026-11-20T08:00:01.123Z -> 2026-11-20 08:00 UTC (the exact time is in the title attribute)."""
    return value[:16].replace("T", " ") + " UTC" if value else "—"


templates.env.filters["when"] = _when


def render(request: Request, name: str, status_code: int = 200, headers: dict[str, str] | None = None,
           **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=headers)


def _next_url(request: Request, cursor: str | None) -> str | None:
    """The next page: a relative link (this path, this query, the new cursor), so no Host header decides it."""
    return "?" + request.url.include_query_params(cursor=cursor).query if cursor else None


@router.get("/", response_class=HTMLResponse)
@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, conn: Conn, source: Source = None, since: Since = None,
                  until: Until = None, q: Q = None, cursor: CursorQ = None) -> HTMLResponse:
    f = article_filter(source, since, until, q)
    notice = None
    if f.q and not search_available(conn):
        notice = "Search needs the archive's search index: run `newsarchive db upgrade`."
        f = article_filter(source, since, until, None)
    items, nxt = queries.list_articles(conn, f, parse_cursor(cursor), clamp_limit(None))
    sources = queries.source_names(conn)
    return render(request, "articles.html", items=items, next_url=_next_url(request, nxt), sources=sources,
                  form={"source": source or "", "since": since or "", "until": until or "", "q": q or ""},
                  first_page=cursor is None, notice=notice)


@router.get("/lookup")
def lookup(conn: Conn, url: Annotated[str, Query(max_length=8192, pattern=NO_NUL)]) -> RedirectResponse:
    """An article by any URL it was listed or reached under."""
    for candidate in dict.fromkeys([canonicalize(url) or url, url]):
        items, _ = queries.list_articles(conn, article_filter(None, None, None, None, candidate), None, 1)
        if items:
            return RedirectResponse(f"/articles/{items[0]['id']}", status_code=303)
    raise HTTPException(404, f"{url} is not in the archive")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Id, conn: Conn, a: VersionQ = None,
                 b: VersionQ = None) -> HTMLResponse:
    article = queries.get_article(conn, article_id)
    if article is None:
        raise HTTPException(404, f"There is no article {article_id} in this archive.")
    versions = queries.get_versions(conn, article_id)
    by = {v["number"]: v for v in versions}
    va, vb = pick_versions(sorted(by), a, b)
    old, new = by[va], by[vb]
    return render(request, "article.html", article=article, versions=versions, old=old, new=new,
                  title_diff=side_by_side(old["title"], new["title"], paragraphs=False),
                  text_diff=side_by_side(old["text"], new["text"]),
                  reprints=queries.get_reprints(conn, article_id))


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, conn: Conn) -> HTMLResponse:
    config = request.app.state.config
    return render(request, "sources.html", sources=list_sources(conn, config, datetime.now(UTC)),
                  config_path=config.path if config else None)


@router.get("/changes", response_class=HTMLResponse)
def changes_page(request: Request, conn: Conn, cursor: CursorQ = None, all: bool = False,
                 silent: bool = False) -> HTMLResponse:
    items, nxt = queries.list_changes(conn, parse_cursor(cursor), clamp_limit(None), edits_only=not all,
                                      silent=silent)
    return render(request, "changes.html", items=items, next_url=_next_url(request, nxt), show_all=all and not silent,
                  silent=silent)


@router.get("/changes.atom")
def changes_atom(request: Request, conn: Conn, silent: bool = False) -> Response:
    items, _ = queries.list_changes(conn, None, clamp_limit(None), silent=silent)
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return Response(changes_feed(items, request.app.state.base_url, now, silent=silent),
                    media_type="application/atom+xml")


def _capture(conn: Connection, fetch_id: int) -> tuple[dict[str, Any], bytes | None]:
    found = queries.get_capture(conn, fetch_id)
    if found is None:
        raise HTTPException(404, f"There is no fetch {fetch_id} in this archive.")
    return found


@router.get("/captures/{fetch_id}", response_class=HTMLResponse)
def capture_page(request: Request, fetch_id: Id, conn: Conn) -> HTMLResponse:
    meta, body = _capture(conn, fetch_id)
    return render(request, "capture.html", c=meta, size=len(body) if body is not None else None)


@router.get("/captures/{fetch_id}/raw")
def capture_raw(fetch_id: Id, conn: Conn, text: bool = False) -> Response:
    """The body as it was fetched. As HTML it runs sandboxed (scripts off, opaque origin); ?text=1 shows
    the source as plain text, decoded with the charset the fetcher would have used."""
    meta, body = _capture(conn, fetch_id)
    return raw_response(meta, body, text)


def raw_response(meta: dict[str, Any], body: bytes | None, text: bool = False,
                 headers: dict[str, str] | None = None) -> Response:
    """A raw capture under RAW_HEADERS (also Memento's id_ mode, worker/web/memento.py); extra `headers` added."""
    if body is None:
        raise HTTPException(404, "The raw body of this fetch was not kept (only captures that start a version are).")
    ctype = meta["content_type"] or ""
    headers = {**RAW_HEADERS, **(headers or {})}
    if text or "html" not in ctype.lower():
        return Response(decode_html(body, ctype or None), media_type="text/plain; charset=utf-8", headers=headers)
    return Response(body, media_type=ctype, headers=headers)
