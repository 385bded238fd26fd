"""A readable diff between two versions of an article (for `newsarchive diff`)."""

from __future__ import annotations

import difflib
from typing import Any


def render_diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Headline change first, then a unified diff of the body, paragraph by paragraph."""
    lines = [f"--- {old['url']} v{old['version']} (first seen {old['first_seen_at']})",
             f"+++ {new['url']} v{new['version']} (first seen {new['first_seen_at']})"]
    if old["title"] != new["title"]:
        lines += ["title:", f"- {old['title']}", f"+ {new['title']}"]
    else:
        lines.append(f"title (unchanged): {new['title']}")
    old_paras = [p for p in old["text"].split("\n\n") if p.strip()]
    new_paras = [p for p in new["text"].split("\n\n") if p.strip()]
    body = list(difflib.unified_diff(old_paras, new_paras, lineterm="", n=1))[2:]  # drop the ---/+++ pair
    lines += ["body:"] + body if body else ["body (unchanged)"]
    return "\n".join(lines) + "\n"
