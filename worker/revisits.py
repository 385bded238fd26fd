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


def listed_as_updated(listed: datetime | None, last_seen_at: datetime, recorded: datetime | None) -> bool:
    """A feed or sitemap says the article changed after our latest capture: fetch it at once.

    `recorded` is the "updated" date the listing gave when we last captured the article. Listings
    often round to the second or minute, so an edit made within the second of our capture only
    shows as a date newer than the recorded one, not as one newer than the capture.
    """
    if listed is None:
        return False
    if recorded is not None and listed <= recorded:
        return False
    return listed > last_seen_at or recorded is not None
