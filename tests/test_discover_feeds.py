from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from worker.discover import feed_kind, filter_links, parse_feed
from worker.values import Link

BASE = "https://news.example.com/feeds/main.xml"

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Example News</title><link>https://news.example.com/</link>
  <item>
    <title>Parliament votes &amp; <![CDATA[<b>passes</b>]]> the budget</title>
    <link>/politics/budget-vote?utm_source=rss&amp;utm_medium=feed#comments</link>
    <pubDate>Tue, 02 Jan 2024 10:00:00 +0200</pubDate>
  </item>
  <item>
    <title>Edited story</title>
    <link>https://news.example.com/world/edited?id=7&amp;fbclid=XYZ</link>
    <pubDate>Tue, 02 Jan 2024 10:00:00 +0000</pubDate>
    <atom:updated>2024-01-05T12:30:00+01:00</atom:updated>
  </item>
  <item><title>Permalink guid</title><guid>https://news.example.com/p/3</guid></item>
  <item><title>Opaque guid</title><guid isPermaLink="false">https://news.example.com/p/4</guid></item>
  <item><title>Script</title><link>javascript:alert(1)</link></item>
  <item><title>Mail</title><link>mailto:desk@example.com</link></item>
  <item><title>File</title><link>file:///etc/passwd</link></item>
  <item><title>DC modified</title><link>https://news.example.com/p/8</link>
    <dc:modified>2024-03-01T00:00:00-05:00</dc:modified></item>
</channel></rss>"""


def test_rss2_links_titles_dates() -> None:
    links = parse_feed(RSS2, BASE)
    assert [link.url for link in links] == [
        "https://news.example.com/politics/budget-vote",
        "https://news.example.com/world/edited?id=7",
        "https://news.example.com/p/3",
        "https://news.example.com/p/8",
    ]
    assert links[0].title == "Parliament votes & passes the budget"
    # pubDate in +0200 becomes UTC
    assert links[0].updated_at == datetime(2024, 1, 2, 8, 0, tzinfo=UTC)
    assert links[0].updated_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    # a modification date wins over the publication date
    assert links[1].updated_at == datetime(2024, 1, 5, 11, 30, tzinfo=UTC)
    assert links[2].updated_at is None
    assert links[3].updated_at == datetime(2024, 3, 1, 5, 0, tzinfo=UTC)
    assert feed_kind(RSS2) == "rss"


def test_rss091() -> None:
    body = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>http://old.example.com/</link>
<item><title>Old story</title><link>http://old.example.com/s/1.html</link></item>
</channel></rss>"""
    assert parse_feed(body, "http://old.example.com/rss") == [
        Link(url="http://old.example.com/s/1.html", title="Old story")
    ]


def test_rss10_rdf() -> None:
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.org/"><title>RDF</title><link>https://rdf.example.org/</link>
    <items><rdf:Seq><rdf:li resource="https://rdf.example.org/a/1"/></rdf:Seq></items></channel>
  <item rdf:about="https://rdf.example.org/a/1">
    <title>First RDF item</title><link>https://rdf.example.org/a/1?utm_campaign=x</link>
    <dc:date>2024-02-10T09:00:00+02:00</dc:date>
  </item>
</rdf:RDF>"""
    links = parse_feed(body, "https://rdf.example.org/index.rdf")
    assert links == [
        Link(
            url="https://rdf.example.org/a/1",
            updated_at=datetime(2024, 2, 10, 7, 0, tzinfo=UTC),
            title="First RDF item",
        )
    ]
    assert feed_kind(body) == "rss"


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<!-- generated -->
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example.net/en/">
  <title>Atom</title>
  <entry xml:base="world/">
    <id>tag:atom.example.net,2024:1</id>
    <title type="html">A &lt;em&gt;big&lt;/em&gt; story &amp;amp; more</title>
    <link rel="self" href="/api/1"/>
    <link rel="alternate" type="text/html" href="big-story#top"/>
    <published>2024-01-01T00:00:00Z</published>
    <updated>2024-01-03T18:00:00-05:00</updated>
  </entry>
  <entry>
    <id>tag:atom.example.net,2024:2</id><title>Only related</title>
    <link rel="related" href="https://other.example.org/x"/>
    <published>2024-01-02T00:00:00+02:00</published>
  </entry>
  <entry><id>tag:atom.example.net,2024:3</id><title>No link</title></entry>
</feed>"""


def test_atom_xml_base_and_updated() -> None:
    links = parse_feed(ATOM, "https://atom.example.net/feed")
    assert links == [
        Link(
            url="https://atom.example.net/en/world/big-story",
            updated_at=datetime(2024, 1, 3, 23, 0, tzinfo=UTC),
            title="A big story & more",
        ),
        Link(
            url="https://other.example.org/x",
            updated_at=datetime(2024, 1, 1, 22, 0, tzinfo=UTC),
            title="Only related",
        ),
    ]
    assert feed_kind(ATOM) == "atom"


def test_relative_links_resolve_against_base_url() -> None:
    body = b"""<rss version="2.0"><channel><item><title>R</title><link>../story/9</link></item></channel></rss>"""
    assert [link.url for link in parse_feed(body, BASE)] == ["https://news.example.com/story/9"]


JSON_FEED = b"""{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON News", "home_page_url": "https://json.example.com/",
  "items": [
    {"id": "1", "url": "https://json.example.com/a?utm_source=jf", "title": "A",
     "date_published": "2024-01-02T10:00:00+02:00", "date_modified": "2024-01-04T10:00:00+02:00"},
    {"id": "https://json.example.com/b", "title": "B", "date_published": "2024-01-02T10:00:00Z"},
    {"id": "3", "url": "/c#x", "content_text": "no title"},
    {"id": "4", "url": "javascript:void(0)"},
    {"id": "not-a-url"},
    "junk"
  ]
}"""


def test_json_feed() -> None:
    links = parse_feed(JSON_FEED, "https://json.example.com/feed.json")
    assert links == [
        Link("https://json.example.com/a", datetime(2024, 1, 4, 8, 0, tzinfo=UTC), "A"),
        Link("https://json.example.com/b", datetime(2024, 1, 2, 10, 0, tzinfo=UTC), "B"),
        Link("https://json.example.com/c", None, None),
    ]
    assert feed_kind(JSON_FEED) == "json"


def test_json_feed_10() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1", "items": [{"id": "x", "url": "https://j.example/x"}]}'
    )
    assert [link.url for link in parse_feed(body, "https://j.example/f")] == ["https://j.example/x"]


def test_malformed_feed_keeps_what_parses() -> None:
    body = b"""<rss version="2.0"><channel>
<item><title>Good</title><link>https://m.example.com/good</link></item>
<item><title>Broken <b></title><link>https://m.example.com/second</link></item>
<item><title>Cut off"""
    urls = [link.url for link in parse_feed(body, "https://m.example.com/rss")]
    assert urls[:2] == ["https://m.example.com/good", "https://m.example.com/second"]


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"garbage \x00\xff", b"{not json", b'{"items": 5}', b"[1, 2]", b"<html><p>hi</p></html>"],
)
def test_broken_input_gives_empty_list(body: bytes) -> None:
    assert parse_feed(body, BASE) == []


def test_feed_kind_not_a_feed() -> None:
    assert feed_kind(b"<html><body/></html>") is None
    assert feed_kind(b'{"a": 1}') is None
    assert feed_kind(b"") is None


# --- security ---------------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"LEAKED-FROM-SERVER")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("one_line", [False, True])
def test_external_entities_are_never_resolved(tmp_path: Path, local_server: str, one_line: bool) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    decls = (
        '<!ENTITY inner "INNER-EXPANDED">'
        f'<!ENTITY xfile SYSTEM "file://{secret}">'
        f'<!ENTITY xweb SYSTEM "{local_server}/entity">'
        f'<!ENTITY % xpe SYSTEM "{local_server}/dtd"> %xpe;'
    )
    sep = "" if one_line else "\n"
    body = (
        f'<?xml version="1.0"?>{sep}<!DOCTYPE rss SYSTEM "{local_server}/doctype" [{sep}'
        + decls.replace("><", f">{sep}<")
        + f"{sep}]>\n"
        '<rss version="2.0"><channel><title>&xfile;</title>'
        "<item><title>T &xfile; &xweb; &inner;</title><link>https://x.example.com/1</link>"
        "<description>&xfile;</description></item></channel></rss>"
    ).encode()
    links = parse_feed(body, "https://x.example.com/rss")
    assert _Recorder.hits == []
    assert [link.url for link in links] == ["https://x.example.com/1"]
    title = links[0].title or ""
    assert "TOP-SECRET" not in title and "LEAKED" not in title
    assert "INNER-EXPANDED" not in title  # no entity is declared at all


def _billion_laughs(levels: int = 10, fanout: int = 10) -> bytes:
    decls = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    decls += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * fanout}">' for i in range(1, levels)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(decls) + "\n]>\n"
        f'<rss version="2.0"><channel><item><title>&lol{levels - 1};</title>'
        "<link>https://bomb.example.com/1</link><description>"
        + f"&lol{levels - 1};" * 50
        + "</description></item></channel></rss>"
    ).encode()


def test_entity_bomb_is_not_expanded() -> None:
    links = parse_feed(_billion_laughs(), "https://bomb.example.com/rss")
    assert [link.url for link in links] == ["https://bomb.example.com/1"]
    assert len(links[0].title or "") < 100


def test_quadratic_blowup_is_not_expanded() -> None:
    big = "A" * 100_000
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{big}">]>'
        '<rss version="2.0"><channel><item><title>' + "&a;" * 2000 + "</title>"
        "<link>https://q.example.com/1</link></item></channel></rss>"
    ).encode()
    links = parse_feed(body, "https://q.example.com/rss")
    assert all(len(link.title or "") < 100_000 for link in links)


# --- filter_links -----------------------------------------------------------------------------


def test_filter_links_include_exclude_dedupe() -> None:
    t1 = datetime(2024, 1, 1, tzinfo=UTC)
    t2 = datetime(2024, 1, 2, tzinfo=UTC)
    links = [
        Link("https://a.example/news/1", t1, "first"),
        Link("https://a.example/tag/x"),
        Link("https://b.example/news/2"),
        Link("https://a.example/news/3"),
        Link("https://a.example/news/1", t2, "second"),
        Link("https://a.example/news/1", None, None),
        Link("https://a.example/news/3", None, "late title"),
    ]
    include = [re.compile(r"^https://a\.example/")]
    exclude = [re.compile("/tag/")]
    assert filter_links(links, include, exclude) == [
        Link("https://a.example/news/1", t2, "first"),
        Link("https://a.example/news/3", None, "late title"),
    ]
    assert len(filter_links(links, [], [])) == 4
