"""When a known article is fetched again (pure; SPEC "Revisit semantics")."""

from __future__ import annotations

from datetime import datetime, timedelta


def next_revisit(first_seen: datetime, checked_at: datetime, ages: tuple[float, ...]) -> datetime | None:
    """The first revisit age still ahead after a check at `checked_at`, or None when none is left.

    Every age that had already passed at the check is consumed by it, so several ages passed while
    the worker was down count as one due check.
    """
    for age in sorted(ages):
        due = first_seen + timedelta(seconds=age)
        if due > checked_at:
            return due
    return None


def listed_as_updated(listed_updated_at: datetime | None, last_seen_at: datetime) -> bool:
    """A feed or sitemap says the article changed after our latest capture: fetch it at once."""
    return listed_updated_at is not None and listed_updated_at > last_seen_at
