"""Text that every archive can hold: no NUL, no other character PostgreSQL or XML refuses.

PostgreSQL's text and jsonb refuse NUL ("text fields cannot contain NUL"); XML 1.0 (feeds, WARC's
XML neighbours, exports read by XML tools) refuses the other C0 controls but tab, newline and
carriage return, U+FFFE and U+FFFF; lone surrogates (from JSON's "\\ud800") cannot be encoded in
UTF-8 at all. A page can put any of them in its JSON-LD or its text; one of them made every poll
of its source fail on PostgreSQL. They are removed from what is extracted (before its content hash
is taken: worker/examine.py) and again at the store's boundary, for every text a row is given
(worker/store/repository.py); removing is idempotent, so the two agree.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TypeVar

from worker.values import Extracted, Fetched

_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
S = TypeVar("S", str, None)


def text(value: S) -> S:
    """`value` without the characters an archive cannot hold (None stays None)."""
    if value is None or _UNSTORABLE.search(value) is None:
        return value
    return _UNSTORABLE.sub("", value)


def extracted(ex: Extracted) -> Extracted:
    """The same extraction with every text field storable (the same object when it already was)."""
    fields = {"title": ex.title, "text": ex.text, "section": ex.section, "language": ex.language,
              "canonical_url": ex.canonical_url}
    cleaned = {k: text(v) for k, v in fields.items() if v is not None and text(v) is not v}
    authors = [text(a) for a in ex.authors]
    if any(a is not b for a, b in zip(authors, ex.authors, strict=True)):
        cleaned["authors"] = [a for a in authors if a.strip()]  # type: ignore[assignment]
    return replace(ex, **cleaned) if cleaned else ex  # type: ignore[arg-type]


def fetched(f: Fetched) -> Fetched:
    """The same fetch with every text field storable (URLs, validators, error detail, headers)."""
    fields = {"requested_url": f.requested_url, "final_url": f.final_url, "etag": f.etag,
              "last_modified": f.last_modified, "content_type": f.content_type, "error_detail": f.error_detail}
    cleaned: dict[str, object] = {k: text(v) for k, v in fields.items() if v is not None and text(v) is not v}
    if any(text(k) is not k or text(v) is not v for k, v in f.headers.items()):
        cleaned["headers"] = {text(k): text(v) for k, v in f.headers.items()}
    return replace(f, **cleaned) if cleaned else f  # type: ignore[arg-type]
