"""Date strings as pages write them -> tz-aware UTC datetimes.

Pages carry ISO 8601 (JSON-LD, OpenGraph, <time datetime>), RFC 2822 (some CMSs), compact
"20240315" stamps, or English prose dates. A date without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_MIN_YEAR, _MAX_YEAR = 1990, 2100

# ISO-like: 2024-03-15, 2024-03-15T10:20, 2024-03-15 10:20:30.123+01:00, ...Z, ... UTC
_ISO_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2}(?!\d))?",
    re.IGNORECASE,
)
_COMPACT_RE = re.compile(
    r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T?(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?Z?$"
)
_SLASH_RE = re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})")
_URL_DATE_RE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)"
)
_URL_COMPACT_RE = re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])/")

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_PROSE_MDY = re.compile(r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b")
_PROSE_DMY = re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})\b")


def to_utc(value: datetime) -> datetime:
    """Naive -> UTC by assumption; aware -> converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _tz(text: str | None) -> timezone:
    if not text or text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(groups: dict[str, str | None], tz: timezone = UTC) -> datetime | None:
    try:
        year, month, day = int(groups["y"] or 0), int(groups["m"] or 0), int(groups["d"] or 0)
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            return None
        hour, minute, second = (int(groups.get(k) or 0) for k in ("H", "M", "S"))
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _prose(text: str) -> datetime | None:
    for pattern in (_PROSE_MDY, _PROSE_DMY):
        match = pattern.search(text)
        if match:
            month = _MONTHS.get(match["mon"][:4].lower()) or _MONTHS.get(match["mon"][:3].lower())
            if month:
                return _build({"y": match["y"], "m": str(month), "d": match["d"]})
    return None


def parse_date(text: str | None) -> datetime | None:
    """Best-effort parse of one date string; None when it is not a plausible date."""
    if not text:
        return None
    text = text.strip()[:100]
    if not text:
        return None
    try:
        return _checked(to_utc(datetime.fromisoformat(text)))
    except ValueError:
        pass
    match = _ISO_RE.search(text)
    if match:
        try:
            tz = _tz(match["tz"])
        except ValueError:
            tz = UTC
        return _build(match.groupdict(), tz)
    match = _COMPACT_RE.match(text)
    if match:
        return _build(match.groupdict())
    if re.search(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", text):
        try:
            return _checked(to_utc(parsedate_to_datetime(text)))
        except (TypeError, ValueError, IndexError):
            pass
    match = _SLASH_RE.search(text)
    if match:
        return _build(match.groupdict())
    return _prose(text)


def _checked(value: datetime) -> datetime | None:
    return value if _MIN_YEAR <= value.year <= _MAX_YEAR else None


def date_from_url(url: str | None) -> datetime | None:
    """A /2024/03/15/ (or /2024-03-15, /20240315/) style date in the URL path, at midnight UTC."""
    if not url:
        return None
    for pattern in (_URL_DATE_RE, _URL_COMPACT_RE):
        match = pattern.search(url)
        if match:
            return _build(match.groupdict())
    return None
