"""Is a fetched article page usable as a capture? Decode, extract, classify (pure: no I/O).

A capture becomes a version only when it shows the article: walls, challenge pages, error pages
served as 200 and empty extractions are failed fetches with their kind. A change that looks like a
wall's work (the body halved, almost nothing shared) is marked for one more fetch before it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from worker.archive import content_hash
from worker.classify import BLOCK_STATUSES, classify, is_suspicious_change
from worker.extract import extract
from worker.fetch import decode_html
from worker.values import Extracted, ExtractRules, Fetched


@dataclass(frozen=True)
class Previous:
    """The article's latest version, to compare a capture with."""

    content_hash: str
    text: str


@dataclass(frozen=True)
class Examined:
    fetched: Fetched  # error set when the capture is not usable
    extracted: Extracted | None  # None when not usable
    content_hash: str | None
    needs_confirmation: bool = False
    rules_missed: bool = False  # the source's extract.body selector matched nothing


def _failed(fetched: Fetched, kind: str, detail: str, rules_missed: bool = False) -> Examined:
    return Examined(replace(fetched, error=kind, error_detail=detail), None, None, rules_missed=rules_missed)


def examine(fetched: Fetched, url: str, rules: ExtractRules | None, previous: Previous | None) -> Examined:
    if fetched.error == "http_4xx" and fetched.status in BLOCK_STATUSES:
        return _failed(fetched, "blocked", f"status {fetched.status}")
    if fetched.error is not None or fetched.body is None:
        return Examined(fetched, None, None)
    html = decode_html(fetched.body, fetched.content_type)
    ex = extract(html, fetched.final_url or url, rules)
    missed = ex.rules_matched is False
    if not ex.text.strip():
        return _failed(fetched, "empty_extraction", "no article body found", missed)
    verdict = classify(fetched.status, html, ex, previous.text if previous else None)
    if verdict.kind != "article":
        return _failed(fetched, verdict.kind, verdict.reason, missed)
    new_hash = content_hash(ex.title, ex.text)
    changed = previous is not None and new_hash != previous.content_hash
    suspicious = verdict.confirm or (changed and is_suspicious_change(previous.text, ex.text))  # type: ignore[union-attr]
    return Examined(fetched, ex, new_hash, needs_confirmation=suspicious, rules_missed=missed)
