"""Whether a source is healthy: `source_health` (the one judgement `status` and the browser print),
and the running extraction figures that decide when a source is degraded.

Pure: the store feeds it the (title, text, published) of a source's recent article captures, and a
baseline (the figures of an earlier window, or None). A source is degraded when most recent
captures come out empty or without a title, or when the figures jump against the baseline (a
redesign: bodies shrink to the teaser, dates vanish, or the navigation starts leaking in).
Per-source selectors that stop matching are reported by the pipeline (`Extracted.rules_matched`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from worker.fetch.errors import explain

if TYPE_CHECKING:
    from worker.config import SourceConfig

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


# --- a source's health ---------------------------------------------------------------------------

FAILING_SHARE = 0.5  # more than half of the last day's fetches failed ...
FAILING_MIN_FETCHES = 4  # ... out of at least this many
OVERDUE_GRACE = timedelta(minutes=5)
LISTINGS = ("feed", "sitemap", "page")
HEALTHY, ATTENTION, DISABLED = "healthy", "needs attention", "disabled"


@dataclass
class SourceHealth:
    state: str  # healthy | needs attention | disabled
    problems: list[str] = field(default_factory=list)  # why not healthy, most telling first

    @property
    def healthy(self) -> bool:
        return self.state == HEALTHY


def _last_poll_failure(row: dict[str, Any]) -> str:
    """'last poll failed: feed connection (connection refused by ...); fix' from its newest failed listing."""
    for f in row.get("recent_failures") or []:  # newest first
        if f["purpose"] in LISTINGS:
            return f"last poll failed: {f['purpose']} {explain(f['error'], f['detail'], f['status'])}"
    return "last poll failed"


def crawl_delay_problem(capped: dict[str, Any]) -> str:
    """A site asks for more patience than the source's cap allows: it is fetched faster than it asked."""
    return (f"Crawl-delay capped: {capped['robots']} asks for {capped['asked']:g}s between requests, above "
            f"crawl_delay_max {capped['cap']:g}s, which is applied instead; raise crawl_delay_max on this source "
            "to obey it, or drop the source")


def source_health(row: dict[str, Any], last_polled: datetime | None, cfg: SourceConfig | None,
                  config_given: bool, now: datetime) -> SourceHealth:
    """A source is healthy only when its last poll succeeded, most of its recent fetches did, its
    extraction is not degraded and its site's robots.txt Crawl-delay was not capped. `row` is a
    worker/store/overview.py row (last_poll_ok, degraded, degraded_reason, fetches_24h, failures_24h,
    recent_failures newest first, crawl_delay_capped: the robots.txt Crawl-delay its last poll capped);
    `cfg` its config entry when the config is known."""
    problems = []
    if config_given and cfg is None:
        problems.append("not in the config any more")
    disabled = cfg is not None and not cfg.enabled
    if disabled:
        problems.append("disabled in the config")
    if last_polled is None:
        if not disabled:
            problems.append("never polled")
    elif row["last_poll_ok"] is False:
        problems.append(_last_poll_failure(row))
    if last_polled is not None and cfg is not None and cfg.enabled and cfg.every:
        if now - last_polled > timedelta(seconds=2 * cfg.every) + OVERDUE_GRACE:
            problems.append("overdue: not polled for over twice its interval")
    if row["degraded"]:
        problems.append("extraction degraded" + (f": {row['degraded_reason']}" if row["degraded_reason"] else ""))
    fetches, failures = row["fetches_24h"], row["failures_24h"]
    if fetches >= FAILING_MIN_FETCHES and failures > FAILING_SHARE * fetches:
        problems.append(f"{failures} of {fetches} fetches failed in 24 h")
    if row.get("crawl_delay_capped"):
        problems.append(crawl_delay_problem(row["crawl_delay_capped"]))
    state = DISABLED if disabled else ATTENTION if problems else HEALTHY
    return SourceHealth(state, problems)
