"""Query-string and path parameters shared by the pages and the API, validated in one place.

Each parameter type below is what /openapi.json documents, and the server accepts exactly that: a
value the schema admits is answered (200 or 404), any other is a 400 with a one-line message. NUL is
refused everywhere (`reject_nul`, a dependency of every route), as no store and no page can hold it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import HTTPException, Path, Query, Request
from sqlalchemy import Connection

from worker.web.queries import CURSOR_PATTERN, ArticleFilter, Cursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_ID = 2**63 - 1  # the widest id column (BIGINT); larger ids cannot exist, so they are malformed
NO_NUL = r"^[^\x00]*$"

# RFC 3339 (section 5.6): full-date, or date-time with a required offset
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
                        re.ASCII)
_WHEN_SCHEMA = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"},
                          {"type": "string", "maxLength": 0}]}  # empty, as a blank form field sends it: no bound


def _text(description: str, max_length: int) -> object:
    return Query(description=description, max_length=max_length, pattern=NO_NUL)


def _when(description: str) -> object:
    return Query(description=description + "; RFC 3339: 2026-11-20 or 2026-11-20T08:00:00Z",
                 json_schema_extra=_WHEN_SCHEMA)


# the parameter types routes declare (Annotated, so FastAPI documents and checks them)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Number = Annotated[int, Path(ge=1, le=MAX_ID, description="version number, 1 for the first capture")]
VersionQ = Annotated[int | None, Query(ge=1, le=MAX_ID, description="version number")]
Limit = Annotated[int | None, Query(ge=1, le=MAX_LIMIT)]
CursorQ = Annotated[str | None, Query(pattern=CURSOR_PATTERN, max_length=40,
                                      description="next_cursor of the previous page")]
Source = Annotated[str | None, _text("source name", 200)]
Q = Annotated[str | None, _text('full-text search: words, "phrases", -excluded, prefix*', 500)]
Url = Annotated[str | None, _text("the article known under this exact URL", 8192)]
Since = Annotated[str | None, _when("first captured at or after this date or time")]
Until = Annotated[str | None, _when("first captured before the end of this date, or before this time")]


def reject_nul(request: Request) -> None:
    """A dependency of every route: NUL in the path or any query value is a 400, whatever the route."""
    if "\x00" in request.url.path:
        raise HTTPException(400, "the path contains a NUL character")
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise HTTPException(400, f"{name.replace(chr(0), '')}: contains a NUL character")


def db(request: Request) -> Iterator[Connection]:
    """One read connection per request (a FastAPI dependency)."""
    with request.app.state.engine.connect() as conn:
        yield conn


def parse_when(value: str | None, name: str, end: bool = False) -> datetime | None:
    """An RFC 3339 date (2026-11-20) or date-time (2026-11-20T08:00:00Z); for `end`, a bare date means
    the end of that day. A valid time past what a UTC datetime holds (9999-12-31T23:59:59-23:59) is
    clamped to the end of the range: it is later (or earlier) than anything archived."""
    if not value:
        return None
    try:
        if m := _DATE.fullmatch(value):
            day = date(*map(int, m.groups()))
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return _shift(start, timedelta(days=1) if end else timedelta(0))
        if m := _DATE_TIME.fullmatch(value):
            y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
            local = datetime(int(y), int(mo), int(d), int(h), int(mi), min(int(s), 59),  # 60: a leap second
                             int((frac or "0")[:6].ljust(6, "0")))
            if int(oh or 0) > 23 or int(om or 0) > 59:
                raise ValueError("offset out of range")
            offset = timedelta(hours=int(oh or 0), minutes=int(om or 0)) * (-1 if sign == "-" else 1)
            return _shift(local.replace(tzinfo=UTC), -offset)
    except ValueError:
        pass
    raise HTTPException(400, f"{name}: {value[:40]!r} is not an RFC 3339 date (2026-11-20) or time "
                             "(2026-11-20T08:00:00Z)")


def _shift(at: datetime, by: timedelta) -> datetime:
    try:
        return at + by
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC) if by > timedelta(0) else datetime.min.replace(tzinfo=UTC)


def parse_cursor(value: str | None) -> Cursor | None:
    if not value:
        return None
    try:
        return Cursor.decode(value)
    except ValueError:
        raise HTTPException(400, "cursor: not a cursor this archive gives out; start from the first page") from None


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
