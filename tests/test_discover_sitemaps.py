from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from worker.discover import parse_sitemap
from worker.discover.sitemaps import MAX_INFLATED, parse_w3c_datetime
from worker.values import Link, SitemapParse

BASE = "https://site.example.com/sitemap.xml"

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://site.example.com/a?utm_source=sm#x</loc><lastmod>2024-01-02</lastmod>
    <image:image><image:loc>https://cdn.example.com/a.jpg</image:loc><image:title>pic</image:title></image:image>
  </url>
  <url><loc> https://site.example.com/b </loc><lastmod>2024-01-02T10:00:00+02:00</lastmod></url>
  <url><loc>/relative/c</loc></url>
  <url><loc>javascript:void(0)</loc></url>
  <url><loc>ftp://site.example.com/d</loc></url>
  <url><lastmod>2024-01-01</lastmod></url>
</urlset>"""


def test_urlset_links_and_lastmod() -> None:
    result = parse_sitemap(URLSET, BASE)
    assert result == SitemapParse(
        links=[
            Link("https://site.example.com/a", datetime(2024, 1, 2, tzinfo=UTC)),
            Link("https://site.example.com/b", datetime(2024, 1, 2, 8, 0, tzinfo=UTC)),
            Link("https://site.example.com/relative/c"),
        ],
        children=[],
    )


def test_missing_or_wrong_namespaces() -> None:
    body = b"""<urlset xmlns="http://wrong.example/ns">
<url><loc>https://site.example.com/1</loc></url>
<sm:url><sm:loc>https://site.example.com/2</sm:loc><sm:lastmod>2024-05-01</sm:lastmod></sm:url>
</urlset>"""
    links = parse_sitemap(body, BASE).links
    assert [link.url for link in links] == ["https://site.example.com/1", "https://site.example.com/2"]
    assert links[1].updated_at == datetime(2024, 5, 1, tzinfo=UTC)


def test_sitemap_index_children_absolute() -> None:
    body = b"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://site.example.com/post-sitemap.xml</loc><lastmod>2024-01-01T00:00:00Z</lastmod></sitemap>
  <sitemap><loc>/page-sitemap.xml.gz</loc></sitemap>
  <sitemap><loc>mailto:x@y.z</loc></sitemap>
</sitemapindex>"""
    assert parse_sitemap(body, BASE) == SitemapParse(
        links=[],
        children=[
            "https://site.example.com/post-sitemap.xml",
            "https://site.example.com/page-sitemap.xml.gz",
        ],
    )


NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://site.example.com/news/1</loc>
    <lastmod>2024-03-01T08:00:00Z</lastmod>
    <news:news><news:publication><news:name>Site</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-03-01T12:00:00+02:00</news:publication_date>
      <news:title>  Storm   hits the coast </news:title></news:news></url>
  <url><loc>https://site.example.com/news/2</loc>
    <lastmod>2024-03-02T08:00:00Z</lastmod>
    <news:news><news:publication_date>2024-03-01</news:publication_date><news:title>Older pub</news:title></news:news>
  </url>
</urlset>"""


def test_news_sitemap_takes_later_date_and_news_title() -> None:
    assert parse_sitemap(NEWS, BASE).links == [
        # publication 12:00+02:00 = 10:00Z, later than lastmod 08:00Z
        Link(
            "https://site.example.com/news/1", datetime(2024, 3, 1, 10, 0, tzinfo=UTC), "Storm hits the coast"
        ),
        Link("https://site.example.com/news/2", datetime(2024, 3, 2, 8, 0, tzinfo=UTC), "Older pub"),
    ]


def test_gzip_by_magic_bytes() -> None:
    assert parse_sitemap(gzip.compress(NEWS), "https://site.example.com/news.xml.gz") == parse_sitemap(
        NEWS, BASE
    )


def test_gzip_bomb_is_refused() -> None:
    # ~60 MB of zeros inside a ~60 KB gzip: inflating must stop at the cap, not exhaust memory
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    bomb = b"".join(compressor.compress(chunk) for _ in range(MAX_INFLATED // len(chunk) + 10))
    bomb += compressor.flush()
    assert len(bomb) < 1_000_000
    assert parse_sitemap(bomb, BASE) == SitemapParse(links=[], children=[])


def test_truncated_gzip_keeps_what_inflated() -> None:
    big = b"<urlset>" + b"".join(b"<url><loc>https://s.example/%d</loc></url>" % i for i in range(2000))
    cut = gzip.compress(big + b"</urlset>")[:-2000]
    links = parse_sitemap(cut, BASE).links
    assert 0 < len(links) < 2000
    assert links[0].url == "https://s.example/0"


def test_fifty_thousand_entries() -> None:
    rows = b"".join(
        b"<url><loc>https://big.example.com/article/%d?utm_medium=x</loc><lastmod>2024-01-%02dT10:00:00+00:00</lastmod></url>"
        % (i, i % 28 + 1)
        for i in range(50_000)
    )
    body = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + rows
        + b"</urlset>"
    )
    links = parse_sitemap(gzip.compress(body), BASE).links
    assert len(links) == 50_000
    assert links[0] == Link("https://big.example.com/article/0", datetime(2024, 1, 1, 10, 0, tzinfo=UTC))
    assert links[-1].url == "https://big.example.com/article/49999"


def test_invalid_xml_keeps_what_parsed_before() -> None:
    body = b"""<urlset><url><loc>https://site.example.com/ok</loc></url>
<url><loc>https://site.example.com/also-ok</loc></url><url><loc>https://site.exa"""
    urls = [link.url for link in parse_sitemap(body, BASE).links]
    assert urls[:2] == ["https://site.example.com/ok", "https://site.example.com/also-ok"]


@pytest.mark.parametrize(
    "body", [b"", b"\n\n", b"<<<>>>", b"<html><body>Not found</body></html>", b"\x1f\x8bjunk"]
)
def test_garbage_gives_empty_result(body: bytes) -> None:
    assert parse_sitemap(body, BASE) == SitemapParse(links=[], children=[])


def test_plain_text_sitemap() -> None:
    body = b"\xef\xbb\xbfhttps://site.example.com/t1\r\n\n  https://site.example.com/t2?fbclid=1  \nnot a url\nmailto:a@b.c\n"
    assert parse_sitemap(body, BASE).links == [
        Link("https://site.example.com/t1"),
        Link("https://site.example.com/t2"),
    ]


def test_external_entity_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret}">]>
<urlset><url><loc>https://site.example.com/&x;</loc></url><url><loc>https://site.example.com/y</loc></url></urlset>""".encode()
    urls = [link.url for link in parse_sitemap(body, BASE).links]
    assert "https://site.example.com/y" in urls
    assert not any("SECRET" in url for url in urls)


def test_entity_bomb_in_sitemap() -> None:
    decls = ['<!ENTITY a0 "aaaaaaaaaa">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    body = (
        '<?xml version="1.0"?><!DOCTYPE urlset [' + "".join(decls) + "]>"
        "<urlset><url><loc>https://site.example.com/&a9;</loc></url>"
        "<url><loc>https://site.example.com/fine</loc></url></urlset>"
    ).encode()
    links = parse_sitemap(body, BASE).links
    assert all(len(link.url) < 1000 for link in links)
    assert "https://site.example.com/fine" in [link.url for link in links]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-02", datetime(2024, 1, 2, tzinfo=UTC)),
        ("2024-01", datetime(2024, 1, 1, tzinfo=UTC)),
        ("2024-01-02T10:00Z", datetime(2024, 1, 2, 10, 0, tzinfo=UTC)),
        ("2024-01-02T10:00:30.5+02:00", datetime(2024, 1, 2, 8, 0, 30, 500000, tzinfo=UTC)),
        ("2024-01-02T10:00:00-0530", datetime(2024, 1, 2, 15, 30, tzinfo=UTC)),
        ("2024-01-02T10:00:00", datetime(2024, 1, 2, 10, 0, tzinfo=UTC)),
        ("yesterday", None),
        ("2024-02-30", None),
        ("", None),
    ],
)
def test_parse_w3c_datetime(text: str, expected: datetime | None) -> None:
    assert parse_w3c_datetime(text) == expected


def test_gzip_multi_member_and_large_output() -> None:
    # a 3 MB comment makes the first member inflate over several capped chunks
    first = b"<urlset><url><loc>https://s.example/first</loc></url><!--" + b"x" * 3_000_000 + b"-->"
    body = gzip.compress(first) + gzip.compress(b"<url><loc>https://s.example/last</loc></url></urlset>")
    links = parse_sitemap(body, BASE).links
    assert [link.url for link in links] == ["https://s.example/first", "https://s.example/last"]
