"""Hostile and broken feeds and sitemaps through the real `run --once`: invalid XML, entity-expansion
bombs, a sitemap index that lists itself, 50,000 entries, relative and broken links, and
javascript:/mailto:/file: links. The pass completes, whatever the listing still names is archived,
nothing is fetched that should not be, nothing is archived twice."""

from __future__ import annotations

from typing import Any

import pytest

from tests.simweb import SimWeb, Site
from tests.test_faults_helpers import PARAS, archive_invariants, cli, fetch_log, jsonl, write_config

XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")
HOSTILE_SCHEMES = ["javascript:alert(1)", "mailto:news@example.org", "file:///etc/passwd", "data:text/html,hi",
                   "ftp://127.0.0.1/x", "tel:+123456"]


def rss(items: list[str], doctype: str = "", title: str = "t") -> str:
    body = "".join(f"<item><title>{title}</title><link>{link}</link></item>" for link in items)
    return f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>x</title>{body}</channel></rss>'


def urlset(locs: list[str], doctype: str = "") -> str:
    body = "".join(f"<url><loc>{loc}</loc></url>\n" for loc in locs)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>')


def sitemap_index(locs: list[str]) -> str:
    body = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'


class Listings:
    """One site; each hostile listing is served by a `body` fault and names its own fresh articles."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.expect: dict[str, set[str]] = {}  # source name -> URLs it must get archived
        self.sources: list[dict[str, Any]] = []
        self._n = 0

    def article(self) -> str:
        self._n += 1
        paras = [f"{p} Listing story {self._n}." for p in PARAS[self._n % len(PARAS)]]
        return self.site.add_article(f"news/story-{self._n}", title=f"Story {self._n}", paragraphs=paras).url

    def serve(self, name: str, kind: str, path: str, body: str, ctype: str, expect: set[str],
              **extra: Any) -> None:
        self.site.fault(path, "body", times=None, body=body.encode(), content_type=ctype)
        self.sources.append({"name": name, "kind": kind, "url": self.site.url(path), **extra})
        self.expect[name] = expect


def build(site: Site) -> Listings:
    ls = Listings(site)
    a, b = ls.article(), ls.article()
    # invalid XML: cut off mid-item, stray bytes; what parsed before the break still counts
    ls.serve("invalid-feed", "feed", "/bad/invalid.xml", rss([a, b])[:-60] + "\x00<<&&", RSS, {a})
    a, b = ls.article(), ls.article()
    cut = urlset([a, b]).index(b) + 10  # the second entry breaks off inside its <loc>
    ls.serve("invalid-sitemap", "sitemap", "/bad/invalid-sitemap.xml", urlset([a, b])[:cut] + "\x00<<", XML, {a})
    a = ls.article()
    ls.serve("laughs-feed", "feed", "/bad/laughs.xml", rss([a], LAUGHS, title="&lol9;"), RSS, {a})
    a = ls.article()
    ls.serve("laughs-sitemap", "sitemap", "/bad/laughs-sitemap.xml",
             urlset([a], LAUGHS).replace("</urlset>", "<url><loc>&lol9;</loc></url></urlset>"), XML, {a})
    a = ls.article()
    site.fault("/bad/child.xml", "body", times=None, body=urlset([a]).encode(), content_type=XML)
    ls.serve("self-index", "sitemap", "/bad/self-index.xml",
             sitemap_index([site.url("/bad/self-index.xml"), site.url("/bad/child.xml")]), XML, {a})
    real = [ls.article() for _ in range(3)]
    filler = [site.url(f"/filler/{i}") for i in range(50_000 - len(real))]
    ls.serve("fifty-thousand", "sitemap", "/bad/big.xml", urlset(filler[:25_000] + real + filler[25_000:]), XML,
             set(real), include=["/news/"])
    rel = [ls.article() for _ in range(2)]
    broken = ["http://[::1", "", "   ", "http://", "//", "http://exa mple.org/x", "https://:80/"]
    ls.serve("relative-and-broken", "feed", "/bad/relative.xml",
             rss(["/news/" + rel[0].rsplit("/news/", 1)[1], "../news/" + rel[1].rsplit("/news/", 1)[1], *broken]),
             RSS, set(rel))
    a = ls.article()
    ls.serve("schemes-feed", "feed", "/bad/schemes.xml", rss([*HOSTILE_SCHEMES, a]), RSS, {a})
    a = ls.article()
    ls.serve("schemes-sitemap", "sitemap", "/bad/schemes-sitemap.xml", urlset([*HOSTILE_SCHEMES, a]), XML, {a})
    a = ls.article()
    page = ('<html><body><h2 class="headline">' + "".join(f'<a href="{h}">x</a>' for h in HOSTILE_SCHEMES)
            + f'<a href="{a}">story</a></h2></body></html>')
    ls.serve("schemes-page", "page", "/bad/section/", page, "text/html; charset=utf-8", {a}, links="h2.headline a")
    return ls


@pytest.fixture(scope="module")
def hostile_pass(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("feedfaults")
    db = f"sqlite:///{tmp / 'archive.sqlite3'}"
    with SimWeb() as web:
        site = web.add_site("daily")
        ls = build(site)
        cfg = write_config(tmp / "s.yaml", ls.sources)
        result = cli("run", "--once", "--config", str(cfg), "--db", db, timeout=180)
        return {"ls": ls, "db": db, "result": result, "export": jsonl(cli("export", "--db", db).stdout),
                "log": fetch_log(db), "paths": site.paths(), "site": site}


def test_pass_completes(hostile_pass: Any) -> None:
    res = hostile_pass["result"]
    assert res.returncode == 0 and "pass complete" in res.stdout and "Traceback" not in res.stderr


def test_every_listing_yields_its_articles(hostile_pass: Any) -> None:
    by_source: dict[str, set[str]] = {}
    for v in hostile_pass["export"]:
        by_source.setdefault(v["source"], set()).add(v["url"])
    for name, urls in hostile_pass["ls"].expect.items():
        assert by_source.get(name, set()) == urls, name


def test_nothing_archived_twice(hostile_pass: Any) -> None:
    counts = archive_invariants(hostile_pass["db"])
    assert set(counts.values()) == {1}
    assert len(counts) == sum(len(u) for u in hostile_pass["ls"].expect.values())


def test_self_listing_index_read_once(hostile_pass: Any) -> None:
    paths = hostile_pass["paths"]
    assert paths.count("/bad/self-index.xml") == 1 and paths.count("/bad/child.xml") == 1


def test_no_request_for_filler_or_hostile_links(hostile_pass: Any) -> None:
    paths = hostile_pass["paths"]
    assert not [p for p in paths if p.startswith("/filler/")]
    urls = [f["requested_url"] for f in hostile_pass["log"]]
    assert not [u for u in urls if not u.startswith(("http://", "https://"))]
    assert not [u for u in urls if any(s.split(":")[0] + ":" in u[:12] for s in HOSTILE_SCHEMES[:-2])]
    # entities were never expanded into anything: no "lol" text and no URL made of it
    assert not [u for u in urls if "lol" in u]
    assert all("lollol" not in v["title"] for v in hostile_pass["export"])


def test_listing_fetches_are_logged_as_successes(hostile_pass: Any) -> None:
    """A listing that arrived is a successful fetch even when its content is junk."""
    listings = [f for f in hostile_pass["log"] if f["purpose"] in ("feed", "sitemap", "page")]
    assert len(listings) == len(hostile_pass["ls"].sources) + 1  # + the self-index's child
    assert all(f["error"] is None and f["status"] == 200 for f in listings)


def test_memory_stays_small(hostile_pass: Any) -> None:
    # billion laughs would be ~3 GB expanded; 50,000 entries are parsed streaming
    print(f"run --once peak RSS under hostile listings: {hostile_pass['result'].max_rss_mb:.1f} MB")  # pytest -s
    assert hostile_pass["result"].max_rss_mb < 250, hostile_pass["result"].max_rss_mb
