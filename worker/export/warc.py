"""WARC/1.1 export (warcio): per archived version a request, a response and a metadata record.

- request: GET of the URL that answered, with the User-Agent used and nothing else identifying
  (configured extra headers such as Cookie are never exported).
- response: the status line, the response headers stored in the fetch log and the raw body from
  the bodies table. The body is stored decoded, so Content-Encoding and Transfer-Encoding are
  dropped and Content-Length is set to the decoded length: replay tools then serve it as is.
- metadata: JSON provenance (source, discovered_via, version, content_hash, requested and final URL,
  fetched_at), WARC-Concurrent-To and WARC-Refers-To the response. Its WARC-Target-URI is
  `urn:newsarchive:provenance:<final URL>`, not the page's URL: indexed under the page's URL a replay
  tool (pywb) lists it as a second memento of the page and may replay the JSON instead of the article.

WARC-Date is the fetch time; the response's and request's WARC-Target-URI the final URL. Files are gzip per record, so the
standard tools (warcio, cdxj-indexer, pywb) index and replay them.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, aliased
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from worker import __version__
from worker.atomic_file import atomic_output
from worker.logs import progress
from worker.store import bodies
from worker.store.models import Article, Body, Fetch, Source, Version
from worker.store.reading import filter_versions
from worker.values import FetchPolicy

log = logging.getLogger(__name__)

_DROPPED = frozenset({"content-encoding", "transfer-encoding", "content-length", "set-cookie", "set-cookie2"})
_BATCH = 200
PROVENANCE_URN = "urn:newsarchive:provenance:"


@dataclass(frozen=True)
class Capture:
    """One version's capture as the export needs it."""

    url: str  # the article's canonical URL
    version: int
    content_hash: str
    source: str | None  # the source whose fetch captured it
    discovered_via: str | None
    requested_url: str
    final_url: str
    status: int
    fetched_at: datetime
    headers: dict[str, str]
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body_sha256: str | None


def _warc_date(dt: datetime) -> str:
    return dt.isoformat(timespec="microseconds").replace("+00:00", "Z")


def iter_captures(engine: Engine, *, latest: bool = False, source: str | None = None,
                  since: datetime | None = None, url: str | None = None) -> Iterator[Capture]:
    """Versions with their capturing fetch, oldest first; filters as for the JSONL export."""
    first_src, fetch_src = aliased(Source), aliased(Source)
    q = (
        select(Version.number, Version.content_hash, Article.url, fetch_src.name, Fetch)
        .join(Article, Article.id == Version.article_id)
        .join(first_src, first_src.id == Article.source_id)
        .join(Fetch, Fetch.id == Version.fetch_id)
        .outerjoin(fetch_src, fetch_src.id == Fetch.source_id)
        .order_by(Version.first_seen_at, Version.id)
    )
    q = filter_versions(q, first_src, latest=latest, source=source, since=since, url=url)
    with Session(engine) as session:
        for number, chash, url, src, f in session.execute(q.execution_options(yield_per=_BATCH)):
            yield Capture(url=url, version=number, content_hash=chash, source=src, discovered_via=f.discovered_via,
                          requested_url=f.requested_url, final_url=f.final_url or f.requested_url,
                          status=f.status or 200, fetched_at=f.fetched_at, headers=dict(f.headers or {}),
                          content_type=f.content_type, etag=f.etag, last_modified=f.last_modified,
                          body_sha256=f.body_sha256)


def _load_body(engine: Engine, sha256: str | None) -> bytes | None:
    if sha256 is None:
        return None
    with engine.connect() as conn:
        data = conn.scalar(select(Body.data).where(Body.sha256 == sha256))
    if data is None:
        return None
    return bodies.unpack(data)


def response_headers(cap: Capture, length: int) -> list[tuple[str, str]]:
    """The stored response headers, fit for a decoded body; synthesised for fetches logged without them."""
    stored = cap.headers or {
        k: v for k, v in (("content-type", cap.content_type), ("etag", cap.etag),
                          ("last-modified", cap.last_modified)) if v
    }
    out = [(name, value) for name, value in stored.items() if name.lower() not in _DROPPED]
    out.append(("content-length", str(length)))
    return out


def _request_bytes(url: str, user_agent: str) -> bytes:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc.rpartition('@')[2]}", f"User-Agent: {user_agent}",
             "Accept-Encoding: gzip, deflate, br, zstd", "", ""]
    return "\r\n".join(lines).encode("utf-8")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def provenance_uri(url: str) -> str:
    """The metadata record's own target: a URN (pywb and cdxj-indexer key it as is) that names the page."""
    return PROVENANCE_URN + url


def _write_capture(writer: WARCWriter, cap: Capture, body: bytes, user_agent: str) -> None:
    date = _warc_date(cap.fetched_at)
    http_headers = StatusAndHeaders(f"{cap.status} {_reason(cap.status)}", response_headers(cap, len(body)),
                                    protocol="HTTP/1.1")
    response = writer.create_warc_record(cap.final_url, "response", payload=BytesIO(body), length=len(body),
                                         http_headers=http_headers, warc_headers_dict={"WARC-Date": date})
    response_id = response.rec_headers.get_header("WARC-Record-ID")
    raw_request = _request_bytes(cap.final_url, user_agent)
    request = writer.create_warc_record(cap.final_url, "request", payload=BytesIO(raw_request),
                                        length=len(raw_request),
                                        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id})
    provenance = {
        "url": cap.url, "version": cap.version, "content_hash": cap.content_hash, "source": cap.source,
        "discovered_via": cap.discovered_via, "requested_url": cap.requested_url, "final_url": cap.final_url,
        "status": cap.status, "fetched_at": date, "body_sha256": cap.body_sha256,
    }
    meta = json.dumps(provenance, ensure_ascii=False, sort_keys=True).encode("utf-8")
    metadata = writer.create_warc_record(provenance_uri(cap.final_url), "metadata", payload=BytesIO(meta),
                                         length=len(meta), warc_content_type="application/json",
                                         warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id,
                                                            "WARC-Refers-To": response_id})
    for record in (response, request, metadata):
        writer.write_record(record)


def write_warc_to(stream: BinaryIO, engine: Engine, *, latest: bool = False, source: str | None = None,
                  since: datetime | None = None, url: str | None = None,
                  user_agents: Mapping[str, str] | None = None, filename: str = "newsarchive.warc.gz") -> int:
    """Write a gzipped WARC/1.1 to an open binary stream; returns the number of versions written."""
    writer = WARCWriter(stream, gzip=True, warc_version="1.1")
    info = {"software": f"newsarchive/{__version__} (warcio)", "format": "WARC File Format 1.1",
            "conformsTo": "https://iso.org/standard/68004.html",
            "description": "newsarchive export: one request, response and metadata record per article version"}
    writer.write_record(writer.create_warcinfo_record(filename, info))
    agents = dict(user_agents or {})
    written = skipped = 0
    for cap in progress(iter_captures(engine, latest=latest, source=source, since=since, url=url), None, "warc"):
        body = _load_body(engine, cap.body_sha256)
        if body is None:  # a capture whose raw body was not kept: nothing faithful to write
            skipped += 1
            continue
        _write_capture(writer, cap, body, agents.get(cap.source or "", FetchPolicy.user_agent))
        written += 1
    if skipped:
        log.warning("warc: %d versions left out: their raw body is not in the archive", skipped)
    return written


def write_warc(engine: Engine, out_path: str | os.PathLike[str], *, latest: bool = False,
               source: str | None = None, since: datetime | None = None, url: str | None = None,
               user_agents: Mapping[str, str] | None = None) -> int:
    """Write the archive (or its filtered part) to out_path as WARC/1.1, gzip per record.

    user_agents: source name -> the User-Agent its fetches used (the config's); else the default.
    The file is written beside its final name and moved into place only when complete.
    """
    with atomic_output(out_path, "wb") as stream:
        return write_warc_to(stream, engine, latest=latest, source=source, since=since, url=url,
                             user_agents=user_agents, filename=os.path.basename(os.fspath(out_path)))


def user_agents_of(sources: Any) -> dict[str, str]:
    """source name -> User-Agent, from SourceConfigs (for write_warc's request records)."""
    agents = {}
    for s in sources:
        configured = dict((k.lower(), v) for k, v in s.fetch.headers)
        agents[s.name] = configured.get("user-agent", s.fetch.user_agent)
    return agents
