"""Query-string parsing shared by the pages and the API: bad input is a 400 with a clear message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from fastapi import HTTPException, Request
from sqlalchemy import Connection

from worker.web.queries import ArticleFilter, Cursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def db(request: Request) -> Iterator[Connection]:
    """One read connection per request (a FastAPI dependency)."""
    with request.app.state.engine.connect() as conn:
        yield conn


def parse_when(value: str | None, name: str, end: bool = False) -> datetime | None:
    """A date (2026-11-20) or an ISO time; for `end`, a bare date means the end of that day."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start + timedelta(days=1) if end else start
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise HTTPException(400, f"{name}: {value!r} is not a date (2026-11-20) or an ISO 8601 time") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def parse_cursor(value: str | None) -> Cursor | None:
    if not value:
        return None
    try:
        return Cursor.decode(value)
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "cursor: not a cursor this archive gave out; start from the first page") from None


def clamp_limit(limit: int | None) -> int:
    return max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))


def article_filter(source: str | None, since: str | None, until: str | None, q: str | None,
                   url: str | None = None) -> ArticleFilter:
    return ArticleFilter(source=source or None, since=parse_when(since, "since"),
                         until=parse_when(until, "until", end=True), q=(q or "").strip() or None, url=url or None)


def pick_versions(numbers: list[int], a: int | None, b: int | None) -> tuple[int, int]:
    """The two versions to compare: as asked, else the latest two (or the only one twice)."""
    if not numbers:
        raise HTTPException(404, "this article has no versions")
    if a is None and b is None:
        return (numbers[-2] if len(numbers) > 1 else numbers[-1]), numbers[-1]
    b = b if b is not None else numbers[-1]
    a = a if a is not None else (b - 1 if b - 1 in numbers else numbers[0])
    for n in (a, b):
        if n not in numbers:
            raise HTTPException(404, f"no version {n}; this article has {', '.join(map(str, numbers))}")
    return a, b
