"""Running extraction figures per source, and when to call a source degraded.

Pure: the store feeds it the (title, text, published) of a source's recent article captures, and a
baseline (the figures of an earlier window, or None). A source is degraded when most recent
captures come out empty or without a title, or when the figures jump against the baseline (a
redesign: bodies shrink to the teaser, dates vanish, or the navigation starts leaking in).
Per-source selectors that stop matching are reported by the pipeline (`Extracted.rules_matched`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

SHORT_BODY_CHARS = 200  # a body shorter than this is no article (counted in characters: CJK has no spaces)
MIN_SAMPLES = 10  # fewer recent captures than this: no judgement
BAD_SHARE = 0.5  # half the recent captures empty or untitled: degraded ...
SHARE_JUMP = 0.3  # ... unless the baseline was already about as bad (within this)
DATE_JUMP = 0.5  # the share missing a date rose by this much against the baseline
LENGTH_FALL = 0.4  # mean body length fell below this share of the baseline's
LENGTH_RISE = 3.0  # or rose above this multiple (boilerplate leaking into the body)


@dataclass
class HealthFigures:
    captures: int
    empty_or_short: float  # share of captures, 0..1
    missing_title: float
    missing_date: float
    mean_body_chars: float


def figures(samples: Iterable[tuple[str, str, datetime | None]]) -> HealthFigures:
    """Figures over (title, text, published_at) of article captures."""
    n = short = untitled = undated = chars = 0
    for title, text, published in samples:
        body = (text or "").strip()
        n += 1
        short += len(body) < SHORT_BODY_CHARS
        untitled += not (title or "").strip()
        undated += published is None
        chars += len(body)
    if n == 0:
        return HealthFigures(0, 0.0, 0.0, 0.0, 0.0)
    return HealthFigures(n, short / n, untitled / n, undated / n, chars / n)


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


def _share_reason(recent: float, before: float | None, what: str) -> str | None:
    if recent < BAD_SHARE or (before is not None and recent - before < SHARE_JUMP):
        return None
    was = f" (was {_pct(before)})" if before is not None else ""
    return f"{_pct(recent)} of recent captures {what}{was}"


def degraded_reason(recent: HealthFigures, baseline: HealthFigures | None) -> str | None:
    """None when healthy, else the reasons, most telling first, joined with "; "."""
    if recent.captures < MIN_SAMPLES:
        return None
    base = baseline if baseline is not None and baseline.captures >= MIN_SAMPLES else None
    reasons = [
        _share_reason(recent.empty_or_short, base and base.empty_or_short, "have an empty or very short body"),
        _share_reason(recent.missing_title, base and base.missing_title, "have no title"),
    ]
    if base is not None:
        if recent.missing_date - base.missing_date >= DATE_JUMP:
            reasons.append(f"{_pct(recent.missing_date)} of recent captures have no date "
                           f"(was {_pct(base.missing_date)})")  # fmt: skip
        before, now = round(base.mean_body_chars), round(recent.mean_body_chars)
        if before and now < LENGTH_FALL * before:
            reasons.append(f"mean body length fell from {before} to {now} characters")
        elif before and now > LENGTH_RISE * before:
            reasons.append(f"mean body length rose from {before} to {now} characters")
    found = [r for r in reasons if r]
    return "; ".join(found) or None
