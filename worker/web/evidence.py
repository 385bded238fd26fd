"""The per-article evidence view: two versions, their texts and diff, the capture and extraction behind
each, the acknowledged/silent verdict when the change records carry one; printable on one page and
downloadable as that article's WACZ (worker/export/wacz.py), which `newsarchive verify` checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, select

from worker.export.wacz import wacz_bytes
from worker.export.warc import user_agents_of
from worker.store.models import Version
from worker.web import queries
from worker.web.diff import side_by_side
from worker.web.pages import Conn, render
from worker.web.params import Id, VersionQ, pick_versions

router = APIRouter(include_in_schema=False)


def _extraction(conn: Connection, article_id: int) -> dict[int, dict[str, Any]]:
    """number -> how the version's text was extracted. (Its change record, with the acknowledged/silent
    verdict computed from the stored versions, comes with queries.get_versions.)"""
    rows = conn.execute(select(Version.number, Version.extraction_method, Version.extractor_version)
                        .where(Version.article_id == article_id))
    return {r.number: {"extraction_method": r.extraction_method, "extractor_version": r.extractor_version}
            for r in rows}


def _article(conn: Connection, article_id: int) -> dict[str, Any]:
    article = queries.get_article(conn, article_id)
    if article is None:
        raise HTTPException(404, f"There is no article {article_id} in this archive.")
    return article


@router.get("/articles/{article_id}/evidence", response_class=HTMLResponse)
def evidence_page(request: Request, article_id: Id, conn: Conn, a: VersionQ = None,
                  b: VersionQ = None) -> HTMLResponse:
    article = _article(conn, article_id)
    versions = queries.get_versions(conn, article_id)
    extra = _extraction(conn, article_id)
    for v in versions:
        v.update(extra.get(v["number"], {}))
    by = {v["number"]: v for v in versions}
    va, vb = pick_versions(sorted(by), a, b)
    old, new = by[va], by[vb]
    change = new["change"] if vb == va + 1 else None  # a change record describes the step from the version before
    return render(request, "evidence.html", article=article, versions=versions, old=old, new=new, change=change,
                  title_diff=side_by_side(old["title"], new["title"], paragraphs=False),
                  text_diff=side_by_side(old["text"], new["text"], fold=False))


@router.get("/articles/{article_id}/evidence.wacz")
def evidence_wacz(request: Request, article_id: Id, conn: Conn) -> Response:
    article = _article(conn, article_id)
    config = request.app.state.config
    data = wacz_bytes(request.app.state.engine, url=article["url"],
                      user_agents=user_agents_of(config.sources) if config is not None else None)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="article-{article_id}.wacz"'})
