"""Dates: JSON-LD, meta, <time>, URL; zones converted to UTC, a missing zone taken as UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from worker.extract import extract
from worker.extract.dates import date_from_url, parse_date

BODY = (
    "<article><p>"
    + "Plenty of article text here, with commas, so that it counts as a body. " * 3
    + "</p></article>"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-15T10:20:30+02:00", datetime(2024, 3, 15, 8, 20, 30, tzinfo=UTC)),
        ("2024-03-15T10:20:30Z", datetime(2024, 3, 15, 10, 20, 30, tzinfo=UTC)),
        ("2024-03-15T10:20:30.123-0500", datetime(2024, 3, 15, 15, 20, 30, 123000, tzinfo=UTC)),
        ("2024-03-15", datetime(2024, 3, 15, tzinfo=UTC)),
        ("2024-03-15 10:20", datetime(2024, 3, 15, 10, 20, tzinfo=UTC)),
        ("Fri, 15 Mar 2024 10:20:30 +0100", datetime(2024, 3, 15, 9, 20, 30, tzinfo=UTC)),
        ("20240315", datetime(2024, 3, 15, tzinfo=UTC)),
        ("March 15, 2024", datetime(2024, 3, 15, tzinfo=UTC)),
        ("15 March 2024", datetime(2024, 3, 15, tzinfo=UTC)),
        ("Published 2024-03-15T10:20:30 UTC", datetime(2024, 3, 15, 10, 20, 30, tzinfo=UTC)),
        ("not a date", None),
        ("", None),
        ("0001-01-01", None),
        ("2024-13-45", None),
    ],
)
def test_parse_date(raw: str, expected: datetime | None) -> None:
    assert parse_date(raw) == expected


def test_date_from_url() -> None:
    assert date_from_url("https://x.example/2024/03/15/story") == datetime(2024, 3, 15, tzinfo=UTC)
    assert date_from_url("https://x.example/news/2024-03-15-story") == datetime(2024, 3, 15, tzinfo=UTC)
    assert date_from_url("https://x.example/story-12345") is None
    assert date_from_url(None) is None


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}{BODY}</body></html>"


def test_published_sources_in_order() -> None:
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-01-02T03:04:05+01:00"}</script>'
    meta = '<meta property="article:published_time" content="2023-05-06T07:08:09Z">'
    dc = '<meta name="DC.date" content="2022-01-01">'
    time = '<time datetime="2021-02-03T04:05:06-03:00">3 Feb</time>'
    url = "https://x.example/2020/12/24/story"
    assert extract(_page(ld + meta), url).published_at == datetime(2024, 1, 2, 2, 4, 5, tzinfo=UTC)
    assert extract(_page(meta + dc), url).published_at == datetime(2023, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert extract(_page(dc), url).published_at == datetime(2022, 1, 1, tzinfo=UTC)
    assert extract(_page("", time), url).published_at == datetime(2021, 2, 3, 7, 5, 6, tzinfo=UTC)
    assert extract(_page(), url).published_at == datetime(2020, 12, 24, tzinfo=UTC)
    assert extract(_page(), "https://x.example/story").published_at is None


def test_dates_are_tz_aware_utc() -> None:
    ld = '<script type="application/ld+json">{"@type":"Article","datePublished":"2024-01-02T03:04:05","dateModified":"2024-01-03T00:00:00+09:00"}</script>'
    got = extract(_page(ld))
    assert got.published_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert got.modified_at == datetime(2024, 1, 2, 15, 0, tzinfo=UTC)
    assert got.published_at.utcoffset() is not None and got.published_at.tzinfo == UTC


def test_modified_from_meta() -> None:
    got = extract(_page('<meta property="article:modified_time" content="2024-06-01T12:00:00+02:00">'))
    assert got.modified_at == datetime(2024, 6, 1, 10, tzinfo=UTC)
