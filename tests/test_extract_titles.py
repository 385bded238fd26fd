"""Titles: the site's name goes, after ASCII and full-width separators, spaced or not; a headline's
own colon clause stays unless it is the site's name."""

from __future__ import annotations

import pytest

from worker.extract import extract
from worker.extract.titles import strip_site_suffix

BODY = (
    "<article><p>"
    + "Article text long enough, with commas, to count as the body of a page. " * 4
    + "</p></article>"
)


@pytest.mark.parametrize(
    ("raw", "sites", "expected"),
    [
        ("日本語の見出し｜日本新聞", (), "日本語の見出し"),
        ("日本語の見出し｜日本新聞", ("日本新聞",), "日本語の見出し"),
        ("見出しの文：ＮＨＫニュース", ("NHKニュース",), "見出しの文"),  # widths folded before comparing
        ("見出し：続報", (), "見出し：続報"),  # an unknown part after a colon is the headline's
        ("地震速報－東京新聞", ("東京新聞",), "地震速報"),
        ("Ukraine: talks resume", ("The Daily",), "Ukraine: talks resume"),
        ("Ukraine: talks resume", (), "Ukraine: talks resume"),
        ("Ukraine: talks resume - The Daily", ("The Daily",), "Ukraine: talks resume"),
        ("The Daily: Ukraine talks resume", ("The Daily",), "Ukraine talks resume"),
        ("Путин: переговоры продолжатся — РИА Новости", ("РИА Новости",), "Путин: переговоры продолжатся"),
        ("Son dakika haberi başlığı | Hürriyet", ("HURRIYET",), "Son dakika haberi başlığı"),
        ("عنوان الخبر الرئيسي - الجزيرة نت", ("الجزيرة نت",), "عنوان الخبر الرئيسي"),
        ("人工智能迈上新台阶_科技_腾讯网", ("腾讯网",), "人工智能迈上新台阶"),
        ("Headline words here · V8", ("V8",), "Headline words here"),
        ("Screenshot : «Vape Wave», «6 Days»", ("Libération",), "Screenshot : «Vape Wave», «6 Days»"),
        ("Le Monde » International » Un titre assez long ici", ("Le Monde",), "International » Un titre assez long ici"),
        ("Spider-Man - a review of the new film and what it means", (), "Spider-Man - a review of the new film and what it means"),
        ("기사 제목입니다 | 한겨레", (), "기사 제목입니다"),
    ],
)  # fmt: skip
def test_strip_site_suffix(raw: str, sites: tuple[str, ...], expected: str) -> None:
    assert strip_site_suffix(raw, sites) == expected


def test_sections_cut_after_bars_not_colons_and_prefixes_are_near_whole() -> None:
    sections = ("Bergisch Gladbach",)
    assert (
        strip_site_suffix("Bergisch Gladbach: die Stadt klagt", (), sections)
        == "Bergisch Gladbach: die Stadt klagt"
    )
    assert strip_site_suffix("Opinion | The bridge we deserve", (), ("Opinion",)) == "The bridge we deserve"
    title = "Energiesparen bei Cern: Teilchenbeschleuniger macht Winterpause"
    assert strip_site_suffix(title, ("TechFieber",), ("Energie",)) == title
    assert strip_site_suffix("Storm hits the coast | BBC", ("BBC News",)) == "Storm hits the coast"
    # a "site name" that is the whole title names nothing; the title is read as if none were known
    whole = "Cup-Vorschau: Beim BSV Stans freut man sich auf viele Fans - Handball Schweiz"
    assert strip_site_suffix(whole, (whole,)) == "Cup-Vorschau: Beim BSV Stans freut man sich auf viele Fans"
    assert (
        strip_site_suffix("Strava-Karten mit mehr Infos - Strava-Update: POI im Tool")
        == "Strava-Karten mit mehr Infos"
    )


def test_site_name_from_og_site_name_and_application_name() -> None:
    head = '<title>Ukraine: talks resume : Gazeta</title><meta property="og:site_name" content="Gazeta">'
    assert extract(f"<html><head>{head}</head><body>{BODY}</body></html>").title == "Ukraine: talks resume"
    head = '<title>Ukraine: talks resume | Gazeta</title><meta name="application-name" content="Gazeta">'
    assert extract(f"<html><head>{head}</head><body>{BODY}</body></html>").title == "Ukraine: talks resume"


def test_site_name_from_the_home_link() -> None:
    home = '<header><a href="/"><img alt="Der Kurier" src="/logo.png"></a></header>'
    head = "<title>Neue Brücke: Verkehr ab Montag : Der Kurier</title>"
    got = extract(f"<html><head>{head}</head><body>{home}{BODY}</body></html>")
    assert got.title == "Neue Brücke: Verkehr ab Montag"


def test_a_jsonld_headline_that_describes_gives_way_to_its_name() -> None:
    ld = '<script type="application/ld+json">{"@type":"Article","name":"Hermitian matrix","headline":"matrix equal to its conjugate-transpose"}</script>'
    got = extract(f"<html><head><title>Hermitian matrix - Wiki</title>{ld}</head><body>{BODY}</body></html>")
    assert got.title == "Hermitian matrix"


@pytest.mark.parametrize(
    ("title", "h1", "site", "expected"),
    [
        # The first <h1> names a section or the masthead: the document's title is the headline.
        ("Babies who eat peanuts early may avoid allergy", "Allergies Health Center", "", "Babies who eat peanuts early may avoid allergy"),
        ("Кабмин утвердил бюджет на 2027 год - Вести", "Новости", "", "Кабмин утвердил бюджет на 2027 год"),
        # The <h1> says what the title says, whole: it wins.
        ("Storm closes the bridge for a second day | Gazette", "Storm closes the bridge for a second day, and the ferries wait", "", "Storm closes the bridge for a second day, and the ferries wait"),
        ("東京で大雪、交通が乱れる｜日本新聞", "東京で大雪、交通が乱れる 週末まで続く見込み", "", "東京で大雪、交通が乱れる 週末まで続く見込み"),
        # A title that is only the site's name names nothing: the <h1> does.
        ("Daily Gazette", "Storm closes the bridge", "Daily Gazette", "Storm closes the bridge"),
    ],
)  # fmt: skip
def test_without_metadata_the_title_element_beats_an_unrelated_h1(title: str, h1: str, site: str, expected: str) -> None:
    meta = f'<meta name="application-name" content="{site}">' if site else ""
    html = f"<html><head><title>{title}</title>{meta}</head><body><h1>{h1}</h1>{BODY}</body></html>"
    assert extract(html, "https://example.com/a").title == expected
