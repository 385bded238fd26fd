"""Comparing like with like (issue #14): a capture compared with a version another extractor made is
compared with that version's own raw body as today's extractor reads it; without the raw body, with the
stored text (today's rule)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import worker.examine as examine_mod
from worker.examine import Previous, examine_for_archive
from worker.store import bodies
from worker.values import Fetched

PAGE = Path(__file__).parent / "pages" / "en_magazine.html"
URL = "https://news.example/story"


def _fetched(body: bytes) -> Fetched:
    return Fetched(requested_url=URL, final_url=URL, status=200, body=body, content_type="text/html",
                   fetched_at=datetime(2026, 1, 1, tzinfo=UTC), purpose="revisit", duration_ms=1, attempts=1,
                   body_sha256=hashlib.sha256(body).hexdigest())


def test_a_version_by_another_extractor_is_restated_from_its_raw_body() -> None:
    body = PAGE.read_bytes()
    today = examine_for_archive(_fetched(body), URL, None, None)
    assert today.content_hash is not None and today.extracted is not None
    # What an older extractor stored for the same page: another text, so another hash.
    old = Previous("0" * 64, today.extracted.text + "\n\nShare this article", version_id=7, extractor_version=1)

    without_raw = examine_for_archive(_fetched(body), URL, None, old)
    assert without_raw.restated is None and without_raw.packed_body is not None  # a change, by today's rule

    with_raw = examine_for_archive(_fetched(body), URL, None, replace(
        old, packed_raw=bodies.pack(body), raw_content_type="text/html", raw_url=URL))
    assert with_raw.restated is not None and with_raw.restated.version_id == 7
    assert with_raw.restated.content_hash == with_raw.content_hash  # like with like: unchanged
    assert with_raw.packed_body is None  # nothing new to store
    assert with_raw.restated.minhash is not None  # the restated text is signed for its near-duplicates


def test_a_version_by_todays_extractor_is_not_extracted_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    body = PAGE.read_bytes()
    calls = []
    real = examine_mod.extract
    monkeypatch.setattr(examine_mod, "extract", lambda *a: calls.append(a) or real(*a))
    prev = Previous("0" * 64, "text", version_id=7, extractor_version=examine_mod.EXTRACTOR_VERSION,
                    packed_raw=bodies.pack(body), raw_content_type="text/html", raw_url=URL)
    seen = examine_for_archive(_fetched(body), URL, None, prev)
    assert seen.restated is None and len(calls) == 1  # the capture alone
