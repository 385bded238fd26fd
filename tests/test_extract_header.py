"""Dates and bylines in the article's header, in boxes named in no word the metadata queries know
("article-meta", "info", "news-info", "writer"): the last resort, and where it must not look (a list
of related stories, comments, the footer, the body's own sentences, a date after the capture).
Hand-written pages, per-field assertions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from worker.extract import extract

BODY = "".join(
    f"<p>{p}</p>"
    for p in (
        "The city council voted on Thursday to close the old river bridge to cars from next spring, "
        "after engineers found cracks in two of its piers during a routine inspection.",
        "Buses and bicycles will still be allowed to cross while a replacement is designed, the council said, "
        "and a ferry service will run at peak hours from the end of January.",
        "Shop owners on both banks said they feared losing customers, and asked for a parking plan before "
        "the closure begins. The council promised a public meeting in December.",
    )
)
RELATED = (
    "<div class='more-stories'><h3>More stories</h3>"
    "<div class='item'><a href='/a'>Ferry timetable announced</a><span>3 March 2025</span></div>"
    "<div class='item'><a href='/b'>Council budget approved</a><span>1 February 2025</span></div></div>"
)
FOOTER = "<footer><p>© 2026 The River Gazette. All rights reserved.</p></footer>"


def page(header: str, body: str = BODY, after: str = "", before_body: str = "") -> str:
    return (
        "<html lang='en'><head><title>Old bridge to close to cars - The River Gazette</title></head><body>"
        "<div class='masthead'><a href='/'>Home</a> <a href='/city'>City</a></div>"
        f"<div class='story'><h1>Old bridge to close to cars</h1>{header}{before_body}"
        f"<div class='story-text'>{body}</div>{after}</div>{FOOTER}</body></html>"
    )


def day(html: str, url: str | None = None) -> str | None:
    found = extract(html, url).published_at
    return found.date().isoformat() if found else None


@pytest.mark.parametrize(
    "header",
    [
        "<div class='article-meta'><span>20 November 2026, 14:20</span> <span>Jane Doe</span></div>",
        "<div class='info'>Nov 20, 2026 08:30 | Source: The River Gazette</div>",
        "<div class='story-top'><div class='line'>Thursday 20 November 2026</div></div>",
    ],
)
def test_an_unlabelled_date_under_the_headline_is_the_publication_date(header: str) -> None:
    assert day(page(header)) == "2026-11-20"


def test_a_named_date_still_wins_and_the_header_is_not_read() -> None:
    html = page(
        "<div class='article-meta'>1 January 2020</div>",
        before_body="<span class='date'>20 November 2026</span>",
    )
    assert day(html) == "2026-11-20"


def test_the_urls_date_wins_over_a_header_date_days_away() -> None:
    html = page("<div class='article-meta'>20 November 2026</div>")
    assert day(html, "https://gazette.example/2026/11/21/bridge") == "2026-11-20"  # close: the header's
    assert day(html, "https://gazette.example/2026/10/02/bridge") == "2026-10-02"


def test_no_date_from_a_related_list_a_comment_or_the_footer() -> None:
    comments = (
        "<div class='comments'><div class='c'><b>Sam</b> <span>21 November 2026</span>"
        "<p>Long overdue.</p></div></div>"
    )
    html = page("", before_body=RELATED, after=comments)
    assert "3 March 2025" in html and "© 2026" in html
    assert day(html) is None
    # a related list as a bare list, right under the headline
    listed = page("<ul><li><a href='/c'>Ferry timetable</a> 3 March 2025</li></ul>")
    assert day(listed) is None


def test_no_date_from_the_bodys_own_sentences() -> None:
    lede = "<div class='standfirst'>On 5 March 2025 the bridge was last repaired, at a cost of two million.</div>"
    assert day(page(lede)) is None
    dated_body = "<p>The bridge opened on 5 March 1961.</p>" + BODY
    assert day(page("", body=dated_body)) is None  # after the first paragraph began, nothing is read


def test_no_date_of_another_field() -> None:
    """A date after a label no date word knows is that field's ("Deadline:"); "Date:" is the page's."""
    assert day(page("<div class='info'>Deadline: 15 March 2020</div>")) is None
    assert day(page("<div class='info'>Date: 20 November 2026</div>")) == "2026-11-20"


def test_no_date_after_the_capture() -> None:
    later = (datetime.now(UTC) + timedelta(days=40)).strftime("%d %B %Y")
    assert day(page(f"<div class='article-meta'>{later}</div>")) is None


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        ("<div class='meta'><span class='writer'>By Jane Doe</span></div>", ["Jane Doe"]),
        ("<div class='meta'><span class='reporter-name'>Jane Doe and John Smith</span></div>", ["Jane Doe", "John Smith"]),
        ("<div class='news-info'>20 November 2026, 11:45 · Author: Jane Doe and John Smith</div>", ["Jane Doe", "John Smith"]),
        ("<div class='info'>Nov 20, 2026 | By Jane Doe</div>", ["Jane Doe"]),
    ],
)  # fmt: skip
def test_a_byline_in_a_box_named_writer_or_labelled_under_the_headline(
    header: str, authors: list[str]
) -> None:
    got = extract(page(header))
    assert got.authors == authors
    assert got.published_at is None or got.published_at.date().isoformat() == "2026-11-20"


@pytest.mark.parametrize(
    "header",
    [
        # a box of links named "writer": the writers' index, no one's byline
        "<div class='writers-list'><a href='/w/1'>Our writers</a> <a href='/w/2'>Become a contributor to the paper</a></div>",
        # a sentence in a writer box
        "<div class='writer-note'>This article was put together by the desk from reporting by our staff</div>",
        # a label with no colon in a header line, and a photo credit
        "<div class='info'>Author interview series, part two</div><div class='cap'>Photo: Reuters</div>",
    ],
)  # fmt: skip
def test_no_byline_from_links_sentences_or_credits(header: str) -> None:
    assert extract(page(header)).authors == []


def test_a_desk_before_a_japanese_name_is_no_name() -> None:
    html = page("<div class='kiji-info'><span class='kiji-writer'>政治部 山田太郎</span></div>")
    assert extract(html).authors == ["山田太郎"]
    assert extract(page("<div class='kiji-info'><span class='kiji-writer'>阿部</span></div>")).authors == [
        "阿部"
    ]
