"""Dates in local forms: every calendar, digit set, month name and zone a page shows readers, and
published vs modified by their labels. One parser (dates.parse_date) for pages, feeds and sitemaps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from worker.extract import extract
from worker.extract.date_labels import labelled_dates
from worker.extract.dates import find_dates, parse_date

NOV20 = datetime(2026, 11, 20, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 20, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("2026年11月20日", "ja", NOV20),
        ("2026年11月20日 10時30分", "ja", at(1, 30)),  # a Japanese page's time is Tokyo's
        ("2026年11月20日 10:30", "ja", at(1, 30)),
        ("２０２６年１１月２０日　１０：３０", "ja", at(1, 30)),  # full-width digits
        ("令和8年11月20日", "ja", NOV20),
        ("2026年11月20日 10:30 JST", None, at(1, 30)),  # a visible zone, whatever the language
        ("2026年11月20日 下午3:05", "zh", at(7, 5)),
        ("2026년 11월 20일 오후 3:05", "ko", at(6, 5)),
        ("2026.11.20 오전 9시 5분", "ko", at(0, 5)),
        ("20.11.2026", "ru", NOV20),
        ("20.11.2026", None, NOV20),  # dots: day first everywhere
        ("20/11/2026", "fr", NOV20),
        ("20/11/2026", "en", NOV20),  # 20 cannot be a month
        ("11/20/2026", "en", NOV20),
        ("05/06/2026", "de", datetime(2026, 6, 5, tzinfo=UTC)),
        ("05/06/2026", "en", None),  # US or British: the page does not say
        ("05/06/2026", None, None),
        ("20 ноября 2026, 10:30 МСК", "ru", at(7, 30)),
        ("20 ноября 2026 в 10:30", "ru", at(10, 30)),  # Russian spans eleven zones: left as given
        ("10:30, 20.11.2026", "ru", at(10, 30)),
        ("20 листопада 2026 року", "uk", NOV20),
        ("20 лістапада 2026", "be", NOV20),
        ("20 Kasım 2026 14:00", "tr", at(11)),  # Turkey: one zone, +03:00
        ("20 KASIM 2026", "tr", NOV20),
        ("20 noyabr 2026", "az", NOV20),
        ("20 noyabr 2026 14:00", "az", at(10)),  # Baku, +04:00
        ("20. November 2026 um 10:30 Uhr", "de", at(10, 30)),
        ("20 de noviembre de 2026", "es", NOV20),
        ("le 20 novembre 2026 à 10h30", "fr", at(10, 30)),
        ("November 20, 2026 at 3:05 pm EST", "en", at(20, 5)),
        ("Nov. 20, 2026", "en", NOV20),
        ("posted on November 20, 2026, at 11:29 a.m.", "en", at(11, 29)),
        ("20 listopada 2026", "pl", NOV20),
        ("20. listopadu 2026", "cs", NOV20),
        ("2026. november 20.", "hu", NOV20),
        ("20 Νοεμβρίου 2026", "el", NOV20),
        ("٢٠ نوفمبر ٢٠٢٦", "ar", NOV20),  # Arabic-Indic digits
        ("20 تشرين الثاني 2026", "ar", NOV20),  # the Levantine month name
        ("٢٠ نوفمبر ٢٠٢٦ - ١٠:٣٠ م", "ar", at(22, 30)),
        ("۲۰ نوامبر ۲۰۲۶", "fa", NOV20),  # Persian digits
        ("۲۹ آبان ۱۴۰۵", "fa", NOV20),  # Solar Hijri
        ("1 فروردین 1403", "fa", datetime(2024, 3, 20, tzinfo=UTC)),  # Nowruz
        ("20 नवंबर 2026", "hi", NOV20),
        ("२० नवंबर २०२६", "hi", NOV20),  # Devanagari digits
        ("20 พฤศจิกายน 2569", "th", NOV20),  # Buddhist era
        ("20 พ.ย. 2569 เวลา 10:30 น.", "th", at(3, 30)),
        ("20/11/2569", "th", NOV20),
        ("20 בנובמבר 2026", "he", NOV20),
        ("20 tháng 11 năm 2026", "vi", NOV20),
        ("20.11.2026 10:30 +03:00", "ru", at(7, 30)),
        ("2026-11-20 10:30 GMT+3", None, at(7, 30)),
    ],
)
def test_local_forms(raw: str, lang: str | None, expected: datetime | None) -> None:
    assert parse_date(raw, lang) == expected


@pytest.mark.parametrize(
    "raw",
    ["9999-12-31T23:59:59-01:00", "9999-12-31", "2024-03-15T10:00-23:59", "2024-03-15T10:00+25:00",
     "20.11.2026 10:30 -23:59", "31.02.2026", "2026年13月40日", "20 ноября 9999", "99999999999999999999",
     "Mon, 99 Foo 9999 99:99:99 +9999", "۳۱ اسفند ۹۹۹۹", "32 Kasım 2026"],
)  # fmt: skip
def test_impossible_dates_are_none_and_never_raise(raw: str) -> None:
    assert parse_date(raw, "ru") is None
    assert parse_date(raw) is None


def test_naive_machine_dates_stay_utc_whatever_the_language() -> None:
    assert parse_date("2026-11-20T10:30:00", "ja") == at(10, 30)


@pytest.mark.parametrize(
    ("text", "lang", "published", "modified"),
    [
        ("Опубликовано 20.11.2026 10:30, обновлено 21.11.2026", "ru", at(10, 30), datetime(2026, 11, 21, tzinfo=UTC)),
        ("Оновлено: 21.11.2026. Опубліковано: 20.11.2026", "uk", NOV20, datetime(2026, 11, 21, tzinfo=UTC)),
        ("Güncelleme: 21.11.2026 - Yayınlanma: 20.11.2026", "tr", NOV20, datetime(2026, 11, 21, tzinfo=UTC)),
        ("2026年11月20日 10時30分配信 2026年11月21日 更新", "ja", at(1, 30), datetime(2026, 11, 21, tzinfo=UTC)),
        ("更新：2026年11月21日", "ja", None, datetime(2026, 11, 21, tzinfo=UTC)),
        ("입력 2026.11.20 10:30 수정 2026.11.21 11:00", "ko", at(1, 30), datetime(2026, 11, 21, 2, tzinfo=UTC)),
        ("Nov 20, 2026 at 6:01 am Updated Nov 21, 2026", "en", at(6, 1), datetime(2026, 11, 21, tzinfo=UTC)),
        ("Updated November 21, 2026", "en", None, datetime(2026, 11, 21, tzinfo=UTC)),
        ("آخر تحديث ٢١ نوفمبر ٢٠٢٦", "ar", None, datetime(2026, 11, 21, tzinfo=UTC)),
        ("By Jane Doe, 20 November 2026", "en", NOV20, None),
    ],
)  # fmt: skip
def test_published_and_modified_are_not_confused(
    text: str, lang: str, published: datetime | None, modified: datetime | None
) -> None:
    assert labelled_dates(text, lang) == (published, modified)


def test_find_dates_in_order() -> None:
    found = find_dates("20.11.2026 — 21 ноября 2026, 09:00", "ru")
    assert [d.when for d in found] == [NOV20, datetime(2026, 11, 21, 9, tzinfo=UTC)]
    assert [d.has_time for d in found] == [False, True]


BODY = (
    "<article><p>"
    + "Достаточно длинный текст статьи, с запятыми, чтобы считаться телом. " * 4
    + "</p></article>"
)


def test_visible_dateline_in_extract() -> None:
    head = '<div class="article-date">Опубликовано 20 ноября 2026, 10:30 МСК. Обновлено 21 ноября 2026</div>'
    got = extract(f'<html lang="ru"><body>{head}{BODY}</body></html>')
    assert got.published_at == at(7, 30)
    assert got.modified_at == datetime(2026, 11, 21, tzinfo=UTC)


def test_updated_time_element_is_not_the_publication_date() -> None:
    html = (
        '<html lang="en"><body><p class="meta">Updated <time datetime="2026-11-21T08:00:00Z">Nov 21</time></p>'
        '<p class="meta">Published <time datetime="2026-11-20T08:00:00Z">Nov 20</time></p>'
        + BODY
        + "</body></html>"
    )
    got = extract(html)
    assert got.published_at == at(8)
    assert got.modified_at == datetime(2026, 11, 21, 8, tzinfo=UTC)


def test_japanese_dateline_in_local_time() -> None:
    html = '<html lang="ja"><body><p class="date">2026年11月20日 10時30分</p>' + BODY + "</body></html>"
    assert extract(html).published_at == at(1, 30)


def test_a_sidebar_date_far_from_the_urls_gives_way_to_it() -> None:
    html = '<html lang="de"><body><span class="date">03.01.2025</span>' + BODY + "</body></html>"
    assert extract(html, "https://x.example/2026/11/20/story").published_at == NOV20
    assert extract(html, "https://x.example/story").published_at == datetime(2025, 1, 3, tzinfo=UTC)


def test_cdata_wrapped_jsonld_is_read() -> None:
    ld = '<script type="application/ld+json">//<![CDATA[\n{"@type":"NewsArticle","datePublished":"2026-11-20"}\n//]]></script>'
    assert extract(f"<html><head>{ld}</head><body>{BODY}</body></html>").published_at == NOV20


@pytest.mark.parametrize(
    "raw",
    ["2024", "2024-03", "2024-03-15", "2024-03-15T10:20Z", "2024-03-15T10:20:30+02:00", "2024-03-15 10:20:30.5-05:00",
     "2024-03-15T10:20:30.123456+0530", "  2024-03-15T10:20:30z  "],
)  # fmt: skip
def test_the_same_parser_reads_sitemap_dates(raw: str) -> None:
    """parse_date reads what the sitemap parser reads, the same way: feeds and sitemaps can share it."""
    from worker.discover.sitemaps import parse_w3c_datetime

    assert parse_date(raw) == parse_w3c_datetime(raw)
    assert parse_date(raw) is not None


def test_the_dateline_is_read_beside_the_headline_not_in_a_ticker() -> None:
    ticker = '<ul class="ticker"><li><span class="date">03.01.2025 08:00</span> Другая новость</li></ul>'
    story = '<article><header><h1>Заголовок</h1><div class="meta"><span class="date">20.11.2026 10:30</span></div></header>'
    html = f'<html lang="ru"><body>{ticker}{story}{BODY}</article></body></html>'
    assert extract(html).published_at == at(10, 30)
