"""Self-checks of the simulated news web (tests/simweb.py): it must behave like the sites it imitates."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urljoin

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests.simweb import TEMPLATES, Article, SimWeb, Site

PUBLISHED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
PARAS = ["The storm reached the coast at dawn on Friday, flooding the harbour district.",
         "Emergency crews evacuated more than two hundred residents from low-lying streets.",
         "The mayor said the sea wall had held, but warned that the next tide could be worse.",
         "Forecasters expect the wind to ease by Sunday evening."]
# Where each template keeps the article body, and its inline ad.
BODY = {"daily": ("div.story__body", "div.ad"), "herald": ("div.entry-content", "div.td-a-rec"),
        "gazette": ("section[data-testid=article-body]", "div.AdSlot_container__a1")}


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as c:
        yield c


def storm(site: Site, slug: str = "world/2026/11/20/storm-hits-coast") -> Article:
    return site.add_article(slug, title="Storm hits coast", paragraphs=PARAS, authors=["Jane Doe"],
                            published=PUBLISHED, section="World")


def body_blocks(page: str, template: str) -> list[str]:
    body_sel, ad_sel = BODY[template]
    body = HTMLParser(page).css_first(body_sel)
    assert body is not None
    for ad in body.css(ad_sel):
        ad.decompose()
    return [n.text(strip=True) for n in body.css("p, h2, li")]


def test_page_chrome_changes_but_article_does_not(web: SimWeb, client: httpx.Client) -> None:
    for template in TEMPLATES:
        art = storm(web.add_site(f"site-{template}", template=template))
        first, second = client.get(art.url), client.get(art.url)
        assert first.status_code == second.status_code == 200
        assert first.text != second.text
        assert 20_000 <= len(first.content) <= 60_000
        assert body_blocks(first.text, template) == body_blocks(second.text, template) == art.blocks
        assert art.text == "\n\n".join(PARAS[:2] + ["Key points"] + art.bullets + PARAS[2:])
        for marker in ("Page generated at", 'type="hidden"', "<script", "<style", "cookie", "<article"):
            assert marker in first.text, marker
        tokens = [HTMLParser(r.text).css_first("input[type=hidden]").attributes["value"] for r in (first, second)]
        assert tokens[0] != tokens[1]


def test_article_head_metadata(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    art = storm(site)
    tree = HTMLParser(client.get(art.url).text)
    assert tree.css_first("title").text() == "Storm hits coast | The Daily"
    assert tree.css_first("html").attributes["lang"] == "en"
    assert tree.css_first("h1").text() == "Storm hits coast"
    assert tree.css_first("article time").attributes["datetime"] == PUBLISHED.isoformat()
    assert tree.css_first('meta[property="og:title"]').attributes["content"] == "Storm hits coast"
    ld = json.loads(tree.css_first('script[type="application/ld+json"]').text())
    assert ld["@type"] == "NewsArticle" and ld["author"] == [{"@type": "Person", "name": "Jane Doe"}]
    assert ld["datePublished"] == ld["dateModified"] == PUBLISHED.isoformat()


def test_feed_answers_304_to_its_validators(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    storm(site)
    for path in ("/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/news-sitemap.xml"):
        first = client.get(site.url(path))
        etag, last_modified = first.headers["etag"], first.headers["last-modified"]
        assert client.get(site.url(path), headers={"If-None-Match": etag}).status_code == 304
        assert client.get(site.url(path), headers={"If-Modified-Since": last_modified}).status_code == 304
        assert client.get(site.url(path), headers={"If-None-Match": '"other"'}).status_code == 200
    etag = client.get(site.url("/feed.xml")).headers["etag"]
    storm(site, "world/2026/11/21/second-storm")
    changed = client.get(site.url("/feed.xml"), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "second-storm" in changed.text


def test_robots_txt(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    site.robots_txt = "User-agent: *\nDisallow: /private/\n"
    secret = site.add_article("private/secret-story", title="Secret", paragraphs=["Hidden."])
    robots = client.get(site.url("/robots.txt"))
    assert robots.status_code == 200 and "Disallow: /private/" in robots.text
    assert secret.url in client.get(site.url("/feed.xml")).text  # listed, though disallowed
    site.robots_txt = None
    assert client.get(site.url("/robots.txt")).status_code == 404


def test_reprint_has_same_text_on_other_site(web: SimWeb, client: httpx.Client) -> None:
    daily, herald = web.add_site("daily"), web.add_site("herald")
    art = storm(daily)
    copy = herald.reprint(art, "news/storm-reprint")
    assert copy.url == herald.base_url + "/news/storm-reprint" and copy.text == art.text
    assert daily.template != herald.template
    here, there = client.get(art.url).text, client.get(copy.url).text
    assert body_blocks(here, daily.template) == body_blocks(there, herald.template) == art.blocks
    assert "story__body" not in there and "entry-content" not in here


def test_edit_changes_feed_dates_and_page(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    art = storm(site)
    rss = client.get(site.url("/feed.xml")).text
    atom_before = client.get(site.url("/atom.xml")).text
    assert "<atom:updated>" not in rss and "date_modified" not in client.get(site.url("/feed.json")).text
    art.edit(title="Storm batters coast", paragraphs=PARAS[:3])
    assert art.modified > PUBLISHED
    stamp = art.modified.isoformat()
    assert f"<atom:updated>{stamp}</atom:updated>" in client.get(site.url("/feed.xml")).text
    atom = client.get(site.url("/atom.xml")).text
    assert f"<updated>{stamp}</updated>" in atom and atom != atom_before
    assert f"<lastmod>{stamp}</lastmod>" in client.get(site.url("/sitemap.xml")).text
    items = client.get(site.url("/feed.json")).json()["items"]
    assert items[0]["date_modified"] == stamp and items[0]["title"] == "Storm batters coast"
    page = client.get(art.url).text
    assert "<h1 class=\"story__headline\">Storm batters coast</h1>" in page
    assert body_blocks(page, site.template) == art.blocks and PARAS[3] not in page


def test_request_log(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    art = storm(site)
    client.get(site.url("/robots.txt"), headers={"User-Agent": "newsarchive-test"})
    client.get(art.url + "?utm_source=rss&utm_medium=feed")
    assert [r.path for r in site.requests] == ["/robots.txt", art.path + "?utm_source=rss&utm_medium=feed"]
    method, path, headers = site.requests[0]
    assert (method, path, headers["user-agent"]) == ("GET", "/robots.txt", "newsarchive-test")
    assert site.paths() == ["/robots.txt", art.path]
    site.clear_requests()
    assert site.requests == []


def test_links_in_feeds_and_section_page(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    arts = [storm(site, f"world/2026/11/2{i}/story-{i}") for i in range(4)]
    rss = client.get(site.url("/feed.xml")).text
    assert f"{arts[0].url}?utm_source=rss&amp;utm_medium=feed" in rss and f"{arts[1].url}</link>" in rss
    section = site.url("/section/")
    tree = HTMLParser(client.get(section).text)
    hrefs = [a.attributes["href"] for a in tree.css("h2.headline a")]
    assert not any(h.startswith("http") for h in hrefs)
    assert sorted(urljoin(section, h) for h in hrefs) == sorted(a.url for a in arts)
    assert len(tree.css("a")) > 100  # navigation and footer links that are not articles


def test_sitemap_index_splits_articles(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    arts = [storm(site, f"world/story-{i}") for i in range(5)]
    index = client.get(site.url("/sitemap_index.xml")).text
    assert f"{site.base_url}/sitemap-1.xml" in index and f"{site.base_url}/sitemap-2.xml.gz" in index
    part1 = client.get(site.url("/sitemap-1.xml")).text
    raw = client.get(site.url("/sitemap-2.xml.gz"))
    assert raw.headers["content-type"] == "application/x-gzip"
    part2 = gzip.decompress(raw.content).decode()
    assert [a.url in part1 for a in arts] == [True, True, True, False, False]
    assert [a.url in part2 for a in arts] == [False, False, False, True, True]
    news = client.get(site.url("/news-sitemap.xml")).text
    assert "<news:title>Storm hits coast</news:title>" in news


def test_removed_and_gone_articles(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    removed, hidden = storm(site, "world/a"), storm(site, "world/b")
    site.remove_article("world/a")
    hidden.gone = True
    assert client.get(removed.url).status_code == 410
    assert client.get(hidden.url).status_code == 404
    assert removed.url not in client.get(site.url("/sitemap.xml")).text
    assert client.get(site.url("/no/such/page")).status_code == 404


def test_fault_status_then_normal(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    art = storm(site)
    site.fault(art.path, "status", times=2, status=503)
    site.fault("/feed.xml", "status", status=429, retry_after=7)
    assert [client.get(art.url).status_code for _ in range(3)] == [503, 503, 200]
    limited = client.get(site.url("/feed.xml"))
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "7")
    assert client.get(site.url("/feed.xml")).status_code == 200


def test_fault_redirects(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    art = storm(site)
    site.fault("/old-story", "redirect", times=None, to=art.path)
    moved = client.get(site.url("/old-story"), follow_redirects=True)
    assert moved.status_code == 200 and str(moved.url) == art.url
    site.fault("/a", "redirect", times=None, to="/b")
    site.fault("/b", "redirect", times=None, to="/a")
    with pytest.raises(httpx.TooManyRedirects):
        client.get(site.url("/a"), follow_redirects=True)


def test_other_faults(web: SimWeb, client: httpx.Client) -> None:
    site = web.add_site("daily")
    art = storm(site)
    site.fault(art.path, "pdf")
    pdf = client.get(art.url)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    site.fault("/robots.txt", "gzip")
    raw = httpx.get(site.url("/robots.txt"), headers={"Accept-Encoding": "identity"})
    assert raw.headers["content-encoding"] == "gzip" and "User-agent" in raw.text
    site.fault("/robots.txt", "trickle", chunk=20, delay=0.001)
    assert "User-agent" in client.get(site.url("/robots.txt")).text
    site.fault("/feed.xml", "body", status=200, body="<html><h1>Are you a robot?</h1></html>")
    assert "robot" in client.get(site.url("/feed.xml")).text
    site.fault("/feed.xml", "reset")
    with pytest.raises(httpx.TransportError):
        client.get(site.url("/feed.xml"))
    site.fault("/feed.xml", "hang")
    with pytest.raises(httpx.ReadTimeout):
        client.get(site.url("/feed.xml"), timeout=0.3)
    assert client.get(site.url("/feed.xml")).status_code == 200
