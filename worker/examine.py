"""Is a fetched article page usable as a capture? Decode, extract, classify (pure: no I/O).

A capture becomes a version only when it shows the article: walls, challenge pages, error pages
served as 200 and empty extractions are failed fetches with their kind. A change that looks like a
wall's work (the body halved, almost nothing shared) is marked for one more fetch before it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from worker import neardup, storable
from worker.archive import content_hash, search_document
from worker.classify import BLOCK_STATUSES, classify, is_suspicious_change
from worker.extract import EXTRACTOR_VERSION, extract
from worker.extract.complexity import DEFAULT_LIMITS, Limits
from worker.fetch import decode_html
from worker.store import bodies
from worker.values import Extracted, ExtractRules, Fetched, Restated


@dataclass(frozen=True)
class Previous:
    """The article's latest version, to compare a capture with."""

    content_hash: str
    text: str
    version_id: int | None = None
    extractor_version: int | None = None  # which extractor made `text` (None: not recorded)
    # When another extractor made it: the raw body of the capture that started it (packed), to be
    # extracted again by today's extractor so that the capture is compared like with like.
    packed_raw: bytes | None = None
    raw_content_type: str | None = None
    raw_url: str | None = None


@dataclass(frozen=True)
class Examined:
    fetched: Fetched  # error set when the capture is not usable
    extracted: Extracted | None  # None when not usable
    content_hash: str | None
    needs_confirmation: bool = False
    rules_missed: bool = False  # the source's extract.body selector matched nothing
    packed_body: bytes | None = None  # the raw body packed for storage (examine_for_archive)
    minhash: bytes | None = None  # the text's near-duplicate signature (examine_for_archive)
    extractor_version: int = EXTRACTOR_VERSION
    restated: Restated | None = None  # the previous version re-extracted, when another extractor made it
    search_document: str | None = None  # the version's search terms (examine_for_archive)


def _failed(fetched: Fetched, kind: str, detail: str, rules_missed: bool = False) -> Examined:
    return Examined(replace(fetched, error=kind, error_detail=detail), None, None, rules_missed=rules_missed)


def restate(previous: Previous, rules: ExtractRules | None, limits: Limits = DEFAULT_LIMITS) -> Restated | None:
    """The previous version's raw body extracted by today's extractor, when another extractor made its
    text and the body was kept; None when it was not kept or today's extractor finds no body in it
    (then the capture is compared with the stored text, today's rule)."""
    if previous.packed_raw is None or previous.version_id is None or previous.extractor_version == EXTRACTOR_VERSION:
        return None
    html = decode_html(bodies.unpack(previous.packed_raw), previous.raw_content_type)
    if limits.exceeded(html) is not None:  # caps lowered since it was stored: compared with its text
        return None
    ex = storable.extracted(extract(html, previous.raw_url, rules))
    if not ex.text.strip():
        return None
    new_hash = content_hash(ex.title, ex.text)
    minhash = neardup.signature(ex.text) if new_hash != previous.content_hash else None
    return Restated(previous.version_id, ex, new_hash, previous.extractor_version, minhash)


def examine(fetched: Fetched, url: str, rules: ExtractRules | None, previous: Previous | None,
            limits: Limits = DEFAULT_LIMITS) -> Examined:
    """limits: the caps a page must be within to be parsed at all (else a failed fetch, `too_complex`)."""
    restated = None
    if previous is not None and fetched.error is None and fetched.body is not None:
        restated = restate(previous, rules, limits)
    if restated is not None:  # compare like with like: both texts by today's extractor
        previous = replace(previous, content_hash=restated.content_hash, text=restated.extracted.text)  # type: ignore[arg-type]
    seen = _examine(fetched, url, rules, previous, limits)
    return replace(seen, restated=restated) if restated is not None and seen.extracted is not None else seen


def _examine(fetched: Fetched, url: str, rules: ExtractRules | None, previous: Previous | None,
             limits: Limits) -> Examined:
    if fetched.error == "http_4xx" and fetched.status in BLOCK_STATUSES:
        return _failed(fetched, "blocked", f"status {fetched.status}")
    if fetched.error is not None or fetched.body is None:
        return Examined(fetched, None, None)
    html = decode_html(fetched.body, fetched.content_type)
    too_complex = limits.exceeded(html)
    if too_complex is not None:
        return _failed(fetched, "too_complex", too_complex)
    # what an archive cannot hold (a NUL from JSON-LD...) goes before the content hash is taken
    ex = storable.extracted(extract(html, fetched.final_url or url, rules))
    missed = ex.rules_matched is False
    if not ex.text.strip():
        return _failed(fetched, "empty_extraction", "no article body found", missed)
    verdict = classify(fetched.status, html, ex, previous.text if previous else None)
    if verdict.kind != "article":
        return _failed(fetched, verdict.kind, verdict.reason, missed)
    new_hash = content_hash(ex.title, ex.text)
    changed = previous is not None and new_hash != previous.content_hash
    suspicious = verdict.confirm or (changed and is_suspicious_change(previous.text, ex.text))  # type: ignore[union-attr]
    return Examined(fetched, ex, new_hash, needs_confirmation=suspicious, rules_missed=missed,
                    extractor_version=EXTRACTOR_VERSION)


def examine_for_archive(fetched: Fetched, url: str, rules: ExtractRules | None, previous: Previous | None,
                        limits: Limits = DEFAULT_LIMITS) -> Examined:
    """examine, and when the capture may become a version, pack its raw body, sign its text and cut
    its search terms: all the CPU work of a capture before the database, in one call the examining
    processes can run (worker/examiners.py)."""
    seen = examine(fetched, url, rules, previous, limits)
    compared = seen.restated.content_hash if seen.restated else previous.content_hash if previous else None
    if seen.extracted is not None and fetched.body is not None and seen.content_hash != compared:
        ex = seen.extracted
        seen = replace(seen, packed_body=bodies.pack(fetched.body), minhash=neardup.signature(ex.text),
                       search_document=search_document(ex.title, ex.text))
    return seen
