"""The archive decision: normalisation, the content hash, and new / same / version / duplicate.

Pure: values in, values out. The store supplies what the archive already holds.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from worker.segment import drop_invisible, fold_widths, search_terms

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The text as the hash sees it: what changes its encoding, never its content, is ignored.

    Invisible characters dropped (soft hyphen, BOM, word joiner, zero-width space), full-width Latin
    letters, digits and punctuation read as ASCII (and half-width katakana as full width), Unicode NFC,
    every run of whitespace (paragraph breaks included) collapsed to one space. Stored texts keep what
    the page said; only their identity ignores these. Changing this changes every stored hash: ship a
    migration that re-hashes stored versions (as 0007 did), or every article gets a version."""
    text = unicodedata.normalize("NFC", fold_widths(drop_invisible(text)))
    return _SPACE.sub(" ", text).strip()


def content_hash(title: str, text: str) -> str:
    """The identity of a version: SHA-256 over the normalised title and body, never over raw HTML."""
    payload = normalise_text(title) + "\n" + normalise_text(text)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def search_document(title: str, text: str) -> str:
    """What search indexes for a version: the search terms of its headline, then of its body, joined
    by spaces (the query is cut by the same search_terms, so both sides see the same words)."""
    return " ".join(search_terms(title) + search_terms(text))


@dataclass(frozen=True)
class Latest:
    """What the archive holds for an article now."""

    version_number: int
    content_hash: str


@dataclass(frozen=True)
class Decision:
    kind: str  # "new" (first version), "same" (only last_seen moves), "version" (next version)
    number: int  # the version number this capture belongs to
    content_hash: str
    duplicate_of: int | None = None  # id of an earlier version with this hash under another URL
    change: dict[str, object] | None = None  # what changed from the previous version (set by the store)


def decide(latest: Latest | None, new_hash: str, duplicate_of: int | None) -> Decision:
    """Compare a capture with the article's latest version.

    `duplicate_of` is the id of the earliest version with the same hash under another URL, if any;
    it is only attached to a version being created, never to an unchanged capture.
    """
    if latest is None:
        return Decision("new", 1, new_hash, duplicate_of)
    if latest.content_hash == new_hash:
        return Decision("same", latest.version_number, new_hash)
    return Decision("version", latest.version_number + 1, new_hash, duplicate_of)
