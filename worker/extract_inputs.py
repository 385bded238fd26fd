"""`newsarchive extract`: the extractor alone over files and URLs, no database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from worker.extract import extract
from worker.fetch import Fetcher, decode_html
from worker.fetch.errors import hint
from worker.values import Extracted, FetchPolicy


def extract_inputs(inputs: list[str], base_url: str | None) -> Iterator[dict[str, Any]]:
    for item in inputs:
        if item.startswith(("http://", "https://")):
            yield asyncio.run(_from_url(item))
        else:
            yield _from_file(Path(item), base_url)


def _record(where: str, ex: Extracted) -> dict[str, Any]:
    return {
        "url": where,
        "title": ex.title,
        "authors": ex.authors,
        "published_at": ex.published_at.isoformat() if ex.published_at else None,
        "modified_at": ex.modified_at.isoformat() if ex.modified_at else None,
        "language": ex.language,
        "text": ex.text,
        "extraction_method": ex.extraction_method,  # rules | scorer | structured | fallback
    }


def _from_file(path: Path, base_url: str | None) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        return {"url": str(path), "error": f"cannot read: {e.strerror or e}"}
    if raw[:2] == b"\x1f\x8b":  # saved pages are often gzipped
        import gzip

        raw = gzip.decompress(raw)
    return _record(str(path), extract(decode_html(raw, None), base_url))


async def _from_url(url: str) -> dict[str, Any]:
    # A one-off look at a page the user named: private addresses allowed, robots still obeyed.
    policy = FetchPolicy(allow_private_networks=True, per_host_delay=0)
    async with Fetcher() as fetcher:
        f = await fetcher.fetch(url, policy, purpose="article", require_html=True)
    if f.body is None:
        return {"url": url, "error": f.error, "status": f.status, "detail": f.error_detail,
                "hint": hint(f.error, f.error_detail, f.status)}
    return _record(url, extract(decode_html(f.body, f.content_type), f.final_url or url))
