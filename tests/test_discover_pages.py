from __future__ import annotations

import pytest

from worker.discover import is_valid_selector, parse_page_links
from worker.values import Link

BASE = "https://paper.example.com/world/"

SECTION = """<!doctype html>
<html><head><title>World</title></head>
<body>
  <nav><a href="/">Home</a><a href="/sport/">Sport</a></nav>
  <main>
    <article class="teaser">
      <a href="/world/2024/storm-hits?utm_source=homepage#comments"><img src="s.jpg" alt=""></a>
      <h2 class="headline"><a href="/world/2024/storm-hits">  Storm   hits
          the <em>coast</em> </a></h2>
    </article>
    <article class="teaser">
      <h2 class="headline"><a href="election-results?id=4&amp;fbclid=zz">Election results</a></h2>
    </article>
    <article class="teaser">
      <h2 class="headline"><a href="javascript:void(0)">Live</a></h2>
      <h2 class="headline"><a href="mailto:desk@paper.example.com">Mail us</a></h2>
      <h2 class="headline"><a href="file:///etc/passwd">File</a></h2>
      <h2 class="headline"><a>No href</a></h2>
      <h2 class="headline"><a href="https://other.example.org/syndicated">Elsewhere</a></h2>
    </article>
  </main>
  <aside class="most-read"><a href="/world/old-story">Old story</a></aside>
</body></html>"""


def test_selector_on_anchors_keeps_order_and_canonicalises() -> None:
    assert parse_page_links(SECTION, BASE, "h2.headline a") == [
        Link("https://paper.example.com/world/2024/storm-hits", title="Storm hits the coast"),
        Link("https://paper.example.com/world/election-results?id=4", title="Election results"),
        Link("https://other.example.org/syndicated", title="Elsewhere"),
    ]


def test_selector_on_containers_takes_anchors_inside() -> None:
    links = parse_page_links(SECTION, BASE, "article.teaser")
    # the image link comes first (no text) and the headline link gives the same URL its title
    assert links[0] == Link("https://paper.example.com/world/2024/storm-hits", title="Storm hits the coast")
    assert [link.url for link in links] == [
        "https://paper.example.com/world/2024/storm-hits",
        "https://paper.example.com/world/election-results?id=4",
        "https://other.example.org/syndicated",
    ]
    assert "https://paper.example.com/world/old-story" not in [link.url for link in links]


def test_base_href_wins_over_page_url() -> None:
    html = (
        '<html><head><base href="/archive/2023/"></head><body><a class="x" href="a.html">A</a></body></html>'
    )
    assert parse_page_links(html, BASE, "a.x") == [
        Link("https://paper.example.com/archive/2023/a.html", title="A")
    ]


def test_bytes_default_utf8_with_replacement() -> None:
    html = '<a class="h" href="/ü">Grüße</a>'.encode() + b'<a class="h" href="/bad">Bad \xff byte</a>'
    assert parse_page_links(html, BASE, "a.h") == [
        Link("https://paper.example.com/%C3%BC", title="Grüße"),
        Link("https://paper.example.com/bad", title="Bad \ufffd byte"),
    ]


def test_bytes_meta_charset() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body><a class="h" href="/n/1">Новости</a></body></html>'
    assert parse_page_links(html.encode("cp1251"), BASE, "a.h") == [
        Link("https://paper.example.com/n/1", title="Новости")
    ]


def test_no_text_gives_none_title() -> None:
    html = '<div class="c"><a href="/x"><img src="x.png"></a></div>'
    assert parse_page_links(html, BASE, ".c") == [Link("https://paper.example.com/x", title=None)]


def test_no_match_and_bad_selector_give_empty() -> None:
    assert parse_page_links(SECTION, BASE, "div.nothing a") == []
    assert parse_page_links(SECTION, BASE, "a[") == []
    assert parse_page_links(b"", BASE, "a") == []


@pytest.mark.parametrize(
    "selector", ["h2.headline a", "article > a", "a[href^='/world/']", "div.c, li a", "a:not(.ad)"]
)
def test_valid_selectors(selector: str) -> None:
    assert is_valid_selector(selector)


@pytest.mark.parametrize("selector", ["", "   ", "a[", "!!", "div >", "time@datetime", ":::"])
def test_invalid_selectors(selector: str) -> None:
    assert not is_valid_selector(selector)
