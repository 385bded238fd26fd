"""Is a fetched article page usable as a capture? Decode, extract, classify (pure: no I/O).

A capture becomes a version only when it shows the article: walls, challenge pages, error pages
served as 200 and empty extractions are failed fetches with their kind. A change that looks like a
wall's work (the body halved, almost nothing shared) is marked for one more fetch before it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from worker import neardup
from worker.archive import content_hash, search_document
from worker.classify import BLOCK_STATUSES, classify, is_suspicious_change
from worker.extract import extract
from worker.fetch import decode_html
from worker.store import bodies
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
    packed_body: bytes | None = None  # the raw body packed for storage (examine_for_archive)
    minhash: bytes | None = None  # the text's near-duplicate signature (examine_for_archive)
    search_document: str | None = None  # the version's search terms (examine_for_archive)


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


def examine_for_archive(fetched: Fetched, url: str, rules: ExtractRules | None, previous: Previous | None) -> Examined:
    """examine, and when the capture may become a version, pack its raw body, sign its text and cut
    its search terms: all the CPU work of a capture before the database, in one call the examining
    processes can run (worker/examiners.py)."""
    seen = examine(fetched, url, rules, previous)
    if seen.extracted is not None and fetched.body is not None and (
        previous is None or seen.content_hash != previous.content_hash
    ):
        ex = seen.extracted
        seen = replace(seen, packed_body=bodies.pack(fetched.body), minhash=neardup.signature(ex.text),
                       search_document=search_document(ex.title, ex.text))
    return seen
