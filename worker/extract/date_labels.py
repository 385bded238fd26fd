"""Published or modified: the labels around the dates of a dateline ("Опубликовано 20.11.2026 10:30,
обновлено 21.11.2026", "入力 2026.11.20 10:30 수정 ...", "2026年11月20日 10時30分配信").

A date labelled "updated" is never the publication date; an unlabelled one is.
"""

from __future__ import annotations

from datetime import datetime

import regex

from . import date_words as words
from .dates import local_dates, normalise


def _labels_re() -> regex.Pattern[str]:
    kinds = [(label, "modified") for label in words.MODIFIED_LABELS]
    kinds += [(label, "published") for label in words.PUBLISHED_LABELS]
    # Longest first, so "last modified" is not read as "modified"'s shorter neighbour.
    alternatives = sorted({label for label, _ in kinds}, key=len, reverse=True)
    return regex.compile("|".join(f"(?:{regex.escape(a)})" for a in alternatives))


_LABELS_RE = _labels_re()
_LABEL_KIND = {label: "published" for label in words.PUBLISHED_LABELS} | {
    label: "modified" for label in words.MODIFIED_LABELS
}


def label_kind(before: str) -> str | None:
    """'published', 'modified' or None: the label nearest before a date."""
    found = _LABELS_RE.findall(words.key(before[-60:])[-40:])
    return _LABEL_KIND.get(found[-1]) if found else None


def _trailing(after: str) -> tuple[str | None, int]:
    """A Japanese or Chinese label right after a date ("10時30分配信"), and how many characters it
    takes; one followed by a colon ("更新：") introduces the next date instead."""
    stripped = after.lstrip(" ()[]（）【】")
    for label, kind in words.TRAILING_LABELS.items():
        if stripped.startswith(label) and not stripped[len(label) :].lstrip(" 日时時間间").startswith(
            (":", "：")
        ):
            return kind, len(after) - len(stripped) + len(label)
    return None, 0


def labelled_dates(text: str | None, lang: str | None = None) -> tuple[datetime | None, datetime | None]:
    """(published, modified) in a dateline such as "Опубликовано 20.11.2026 10:30, обновлено
    21.11.2026": the label decides; an unlabelled date counts as the publication's."""
    if not text:
        return None, None
    text = normalise(text[:400])
    found = local_dates(text, lang)
    published = modified = unlabelled = None
    skip = 0  # the previous date's trailing label: not the next one's leading label
    for i, date in enumerate(found):
        prev_end = found[i - 1].end + skip if i else 0
        next_start = found[i + 1].start if i + 1 < len(found) else len(text)
        trail, skip = _trailing(text[date.end : next_start])
        kind = label_kind(text[prev_end : date.start]) or trail
        if kind == "modified":
            modified = modified or date.when
        elif kind == "published":
            published = published or date.when
        else:
            unlabelled = unlabelled or date.when
    return published or unlabelled, modified
