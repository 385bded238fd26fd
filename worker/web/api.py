"""The JSON API under /api: the same data as the pages, described at /openapi.json."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlalchemy import Connection

from worker.web import queries, schemas
from worker.web.diff import as_json, side_by_side
from worker.web.params import (
    CursorQ,
    Id,
    Limit,
    Number,
    Q,
    Since,
    Source,
    Until,
    Url,
    VersionQ,
    article_filter,
    clamp_limit,
    db,
    parse_cursor,
    pick_versions,
)
from worker.web.sources import list_sources

router = APIRouter(prefix="/api", tags=["archive"])
Conn = Annotated[Connection, Depends(db)]


@router.get("/sources", response_model=list[schemas.SourceOut], summary="Sources, their health and recent failures")
def api_sources(request: Request, conn: Conn) -> list[dict[str, Any]]:
    return list_sources(conn, request.app.state.config, datetime.now(UTC))


@router.get("/articles", response_model=schemas.ArticlesPage, summary="Articles, newest first")
def api_articles(
    conn: Conn,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    q: Q = None,
    url: Url = None,
    cursor: CursorQ = None,
    limit: Limit = None,
) -> dict[str, Any]:
    items, nxt = queries.list_articles(conn, article_filter(source, since, until, q, url), parse_cursor(cursor),
                                       clamp_limit(limit))
    return {"items": items, "next_cursor": nxt}


def _article(conn: Connection, article_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    article = queries.get_article(conn, article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article, queries.get_versions(conn, article_id)


@router.get("/articles/{article_id}", response_model=schemas.ArticleDetail,
            summary="An article: its version timeline with provenance, and its reprints")
def api_article(article_id: Id, conn: Conn) -> dict[str, Any]:
    article, versions = _article(conn, article_id)
    return {"article": article, "versions": versions, "reprints": queries.get_reprints(conn, article_id)}


@router.get("/articles/{article_id}/versions/{number}", response_model=schemas.VersionFull,
            summary="One version, with its text")
def api_version(article_id: Id, number: Number, conn: Conn) -> dict[str, Any]:
    _, versions = _article(conn, article_id)
    for v in versions:
        if v["number"] == number:
            return v
    raise HTTPException(404, f"article {article_id} has no version {number}")


@router.get("/articles/{article_id}/diff", response_model=schemas.DiffOut,
            summary="Word-level diff of two versions (default: the latest two)")
def api_diff(article_id: Id, conn: Conn, a: VersionQ = None, b: VersionQ = None) -> dict[str, Any]:
    _, versions = _article(conn, article_id)
    by = {v["number"]: v for v in versions}
    a, b = pick_versions(sorted(by), a, b)
    return {"article_id": article_id, "a": a, "b": b,
            "title": as_json(side_by_side(by[a]["title"], by[b]["title"], fold=False, paragraphs=False)),
            "text": as_json(side_by_side(by[a]["text"], by[b]["text"], fold=False))}


@router.get("/changes", response_model=schemas.ChangesPage, summary="Latest new versions across the archive")
def api_changes(conn: Conn, cursor: CursorQ = None, limit: Limit = None,
                all: Annotated[bool, Query(description="include first captures, not only edits")] = False,
                silent: Annotated[bool, Query(description="only silent edits (a page may then hold fewer "
                                                          "than limit; follow next_cursor)")] = False,
                ) -> dict[str, Any]:
    items, nxt = queries.list_changes(conn, parse_cursor(cursor), clamp_limit(limit), edits_only=not all,
                                      silent=silent)
    return {"items": items, "next_cursor": nxt}


@router.get("/captures/{fetch_id}", response_model=schemas.Capture, summary="A capture's provenance")
def api_capture(fetch_id: Id, conn: Conn) -> dict[str, Any]:
    found = queries.get_capture(conn, fetch_id)
    if found is None:
        raise HTTPException(404, f"no fetch {fetch_id}")
    meta, body = found
    return {**meta, "raw_url": f"/captures/{fetch_id}/raw" if body is not None else None}
