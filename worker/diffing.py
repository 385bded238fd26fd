"""A readable diff between two versions of an article (for `newsarchive diff`).

A unified diff of the body paragraph by paragraph; under each changed paragraph that still shares
most of its words with its old self, a `~` line shows the words that changed, as git's word diff
marks them: `~ The mayor said on [-Monday-]{+Tuesday+} that ...`. Words are segment.py's, so a one-
character correction inside a Japanese sentence is marked there, not as the sentence rewritten.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from worker.changes import word_diff

_SPACE = re.compile(r"\s+")
SIMILAR = 0.5  # a changed paragraph gets its ~ line when at least this share of its text is unchanged
LOOKAHEAD = 3  # removed paragraphs an added one is compared with


def render_diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Headline change first, then a unified diff of the body, paragraph by paragraph."""
    lines = [f"--- {old['url']} v{old['version']} (first seen {old['first_seen_at']})",
             f"+++ {new['url']} v{new['version']} (first seen {new['first_seen_at']})"]
    if old["title"] != new["title"]:
        lines += ["title:", f"- {old['title']}", f"+ {new['title']}", f"~ {marked_words(old['title'], new['title'])}"]
    else:
        lines.append(f"title (unchanged): {new['title']}")
    old_paras = [p for p in old["text"].split("\n\n") if p.strip()]
    new_paras = [p for p in new["text"].split("\n\n") if p.strip()]
    body = list(difflib.unified_diff(old_paras, new_paras, lineterm="", n=1))[2:]  # drop the ---/+++ pair
    lines += ["body:"] + with_word_lines(body) if body else ["body (unchanged)"]
    return "\n".join(lines) + "\n"


def marked_words(old: str, new: str) -> str:
    """The new text on one line, removed words as [-...-] and added ones as {+...+}."""
    out: list[str] = []
    diff = word_diff(_SPACE.sub(" ", old), _SPACE.sub(" ", new))
    for n, (kind, text) in enumerate(diff):
        core = text.rstrip()
        space = text[len(core):]
        if kind == "equal":
            out.append(text)
        elif kind == "insert":
            out.append(f"{{+{core}+}}{space}")
        else:  # a deletion's own spacing is kept only when no insertion takes its place
            replaced = n + 1 < len(diff) and diff[n + 1][0] == "insert"
            out.append(f"[-{core}-]" + ("" if replaced else space))
    return "".join(out).rstrip()


def _unchanged_share(old: str, new: str) -> float:
    diff = word_diff(old, new)
    same = sum(len(t) for k, t in diff if k == "equal")
    return same / max(len(old), len(new), 1)


def _pairs(removed: list[str], added: list[str]) -> list[tuple[str, str] | None]:
    """For each added paragraph, the removed one it is an edit of (in order, looking a few paragraphs
    ahead: a rewritten article costs a few word diffs per paragraph, not one per pair), or None."""
    out: list[tuple[str, str] | None] = []
    start = 0
    for new in added:
        ahead = range(start, min(start + LOOKAHEAD, len(removed)))
        match = next((i for i in ahead if _unchanged_share(removed[i], new) >= SIMILAR), None)
        out.append(None if match is None else (removed[match], new))
        start = start if match is None else match + 1
    return out


def with_word_lines(body: list[str]) -> list[str]:
    """The unified diff's lines, a `~` line of marked words after each + line that edits a - line."""
    out: list[str] = []
    removed: list[str] = []
    i = 0
    while i < len(body):
        if body[i].startswith("-"):
            removed.append(body[i][1:])
            out.append(body[i])
            i += 1
            continue
        added = []
        while i < len(body) and body[i].startswith("+"):
            added.append(body[i][1:])
            i += 1
        for line, pair in zip(added, _pairs(removed, added), strict=True):
            out.append("+" + line)
            if pair is not None:
                out.append("~" + marked_words(*pair))
        removed = []
        if not added:
            out.append(body[i])
            i += 1
    return out
