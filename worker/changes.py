"""What changed between two versions of an article: the fields, and words added and removed.

Pure. Texts are compared as the content hash sees them (normalised: NFC, whitespace collapsed), so
a field listed here is a field that moved the hash or the metadata, never a re-wrapped paragraph.
Words are worker/segment.py's segments: a Japanese or Thai sentence counts its words, not as one,
and a corrected number in it is one word replaced, not the sentence.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from worker import segment
from worker.archive import normalise_text
from worker.values import Extracted

FIELDS = ("title", "body", "authors", "published_at", "modified_at")
_PARAGRAPH = re.compile(r"\n\s*\n")


def _words(text: str) -> list[str]:
    return segment.words(normalise_text(text))


def _changed_fields(old: Extracted, new: Extracted) -> list[str]:
    pairs = {
        "title": (normalise_text(old.title), normalise_text(new.title)),
        "body": (normalise_text(old.text), normalise_text(new.text)),
        "authors": (list(old.authors), list(new.authors)),
        "published_at": (old.published_at, new.published_at),
        "modified_at": (old.modified_at, new.modified_at),
    }
    return [name for name in FIELDS if pairs[name][0] != pairs[name][1]]


def _paragraphs(text: str) -> list[str]:
    return [p for p in (normalise_text(p) for p in _PARAGRAPH.split(text)) if p]


def _word_counts(old: str, new: str) -> tuple[int, int]:
    """(words added, words removed) in the body: a replaced word counts once each way. Paragraphs
    are matched first, and only the words of those that changed are segmented and compared (a
    2,000-character Japanese article is a thousand words)."""
    a, b = _paragraphs(old), _paragraphs(new)
    added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        words_a, words_b = _words(" ".join(a[i1:i2])), _words(" ".join(b[j1:j2]))
        for wop, x1, x2, y1, y2 in difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes():
            if wop in ("insert", "replace"):
                added += y2 - y1
            if wop in ("delete", "replace"):
                removed += x2 - x1
    return added, removed


def summarise_change(old: Extracted | None, new: Extracted) -> dict[str, Any]:
    """JSON-ready summary of what a new version changed against the one before it.

    {"fields": [...], "words_added": n, "words_removed": m} plus "title": {"old", "new"} when the
    headline changed. The first version (old None) has no fields and adds all its body's words.
    """
    if old is None:
        return {"fields": [], "words_added": len(_words(new.text)), "words_removed": 0}
    fields = _changed_fields(old, new)
    added, removed = _word_counts(old.text, new.text) if "body" in fields else (0, 0)
    summary: dict[str, Any] = {"fields": fields, "words_added": added, "words_removed": removed}
    if "title" in fields:
        summary["title"] = {"old": old.title, "new": new.title}
    return summary


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """segment.diff_tokens' tokens and, for each, the token with the whitespace that follows it
    ("" between the pieces of a spaceless script)."""
    pairs = segment.diff_tokens(text.strip())
    tokens = [t for t, _ in pairs]
    follows = [lead for _, lead in pairs[1:]] + [""]
    return tokens, [t + f for t, f in zip(tokens, follows, strict=False)]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The body diff word by word (spaced chunks, and the ICU pieces of spaceless scripts):
    [("equal" | "insert" | "delete", text), ...], neighbours of one kind merged. Equal and inserted
    pieces keep the new text's spacing (joined, they give the new text, stripped); deleted pieces
    keep the old text's. A replaced run is a delete, then an insert."""
    old_words, old_pieces = _tokens(old)
    new_words, new_pieces = _tokens(new)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    out: list[tuple[str, str]] = []

    def emit(kind: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        else:
            out.append((kind, text))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            emit("equal", "".join(new_pieces[j1:j2]))
            continue
        if op in ("delete", "replace"):
            emit("delete", "".join(old_pieces[i1:i2]))
        if op in ("insert", "replace"):
            emit("insert", "".join(new_pieces[j1:j2]))
    return out
