"""Title, authors, section, canonical URL: each source of each field, and the order they win in."""

from __future__ import annotations

import pytest

from worker.extract import extract
from worker.extract.metadata import split_names, strip_site_suffix

BODY = "<p>" + "A sentence of article text that is long enough, with commas, to count. " * 4 + "</p>"


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body>{body}<article>{BODY}</article></body></html>'


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Big storm hits coast | The Gazette", "Big storm hits coast"),
        ("Big storm hits coast - The Gazette", "Big storm hits coast"),
        ("Big storm hits coast – Gazette", "Big storm hits coast"),
        ("Big storm hits coast | News | The Gazette", "Big storm hits coast"),
        (
            "Spider-Man - a review of the new film and what it means",
            "Spider-Man - a review of the new film and what it means",
        ),
        ("No suffix at all", "No suffix at all"),
    ],
)
def test_strip_site_suffix(raw: str, expected: str) -> None:
    assert strip_site_suffix(raw) == expected


def test_strip_known_site_name_in_front_or_long() -> None:
    assert (
        strip_site_suffix(
            "The Very Long Name Of Our Newspaper Group: Online | Storm hits",
            ("The Very Long Name Of Our Newspaper Group: Online",),
        )
        == "Storm hits"
    )
    assert (
        strip_site_suffix(
            "Storm hits - A Very Long Name Of A Newspaper Group", ("A Very Long Name Of A Newspaper Group",)
        )
        == "Storm hits"
    )


def test_title_order_jsonld_then_og_then_h1_then_title() -> None:
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","headline":"From JSON-LD"}</script>'
    og = '<meta property="og:title" content="From OG | Site">'
    title = "<title>From title | Site</title>"
    h1 = "<h1>From h1</h1>"
    assert extract(page(ld + og + title, h1)).title == "From JSON-LD"
    assert extract(page(og + title, h1)).title == "From OG"
    assert extract(page(title, h1)).title == "From h1"
    assert extract(page(title)).title == "From title"
    assert extract(page()).title == ""


def test_truncated_jsonld_headline_gives_way_to_full_h1() -> None:
    ld = '<script type="application/ld+json">{"@type":"Article","headline":"A very long headline that the CMS cut…"}</script>'
    got = extract(page(ld, "<h1>A very long headline that the CMS cut short at 110 characters</h1>"))
    assert got.title == "A very long headline that the CMS cut short at 110 characters"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        ("Jane Doe, John Smith & Ann Lee", ["Jane Doe", "John Smith", "Ann Lee"]),
        ("Von Anna Becker und Jonas Weber", ["Anna Becker", "Jonas Weber"]),
        ("https://www.facebook.com/somepaper", []),
        ("", []),
    ],
)
def test_split_names(raw: str, expected: list[str]) -> None:
    assert split_names(raw) == expected


def test_authors_from_jsonld_list_graph_and_dedup() -> None:
    ld = (
        '<script type="application/ld+json">{"@graph":[{"@type":"Person","@id":"#p1","name":"Jane Doe"},'
        '{"@type":"NewsArticle","headline":"H","author":[{"@id":"#p1"},{"@type":"Person","name":"John Smith"},'
        '"Jane Doe",{"@type":"Organization","name":"The Gazette"}]}]}</script>'
    )
    assert extract(page(ld)).authors == ["Jane Doe", "John Smith"]


def test_authors_from_jsonld_organisation_only_when_no_person() -> None:
    ld = '<script type="application/ld+json">{"@type":"Article","author":{"@type":"Organization","name":"Gazette Staff"}}</script>'
    assert extract(page(ld)).authors == ["Gazette Staff"]


def test_authors_from_meta_skip_urls() -> None:
    head = '<meta property="article:author" content="https://facebook.com/paper"><meta name="author" content="Jane Doe">'
    assert extract(page(head)).authors == ["Jane Doe"]


def test_authors_from_byline_element() -> None:
    body = '<div class="byline">By <a rel="author" href="/a/jd">Jane Doe</a></div>'
    assert extract(page("", body)).authors == ["Jane Doe"]
    body = '<p class="article-byline">By Jane Doe and John Smith, Staff Writers</p>'
    assert extract(page("", body)).authors == ["Jane Doe", "John Smith"]


def test_section_and_canonical() -> None:
    head = '<meta property="article:section" content="World"><link rel="canonical" href="/world/story-1">'
    got = extract(page(head), "https://news.example/world/story-1?ref=rss")
    assert got.section == "World"
    assert got.canonical_url == "https://news.example/world/story-1"
    og = '<meta property="og:url" content="https://news.example/a">'
    assert extract(page(og)).canonical_url == "https://news.example/a"
    assert extract(page()).canonical_url is None


def test_section_from_jsonld_list() -> None:
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","articleSection":["Sport","Football"]}</script>'
    assert extract(page(ld)).section == "Sport"


def test_broken_jsonld_is_ignored_or_repaired() -> None:
    broken = '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Fixed",}</script>'
    assert extract(page(broken)).title == "Fixed"
    junk = '<script type="application/ld+json">{not json at all</script><title>Kept</title>'
    assert extract(page(junk)).title == "Kept"


def test_middle_initial_is_not_a_conjunction_and_roles_are_dropped() -> None:
    assert split_names("Sarah E. Needleman") == ["Sarah E. Needleman"]
    assert split_names("Tom Krisher, AP Auto Writer") == ["Tom Krisher"]
    assert split_names("María López y Carlos Ruiz") == ["María López", "Carlos Ruiz"]
    assert split_names("Gazette Staff") == ["Gazette Staff"]


def test_comment_form_name_is_not_a_byline() -> None:
    body = '<p class="comment-form-author"><label>Name (required)</label></p><div class="byline">By Jane Doe</div>'
    assert extract(page("", body)).authors == ["Jane Doe"]


def test_section_prefix_stripped_from_title() -> None:
    head = '<meta property="og:title" content="Opinion | The bridge we deserve"><meta property="article:section" content="Opinion">'
    assert extract(page(head)).title == "The bridge we deserve"
