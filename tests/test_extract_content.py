"""Main text: boilerplate kept out, headings and lists kept in order, JSON-LD articleBody, garbage."""

from __future__ import annotations

import json

import pytest

from worker.extract import extract

P1 = "The river rose by two metres overnight, flooding the lower streets of the old town and its market."
P2 = "Emergency services evacuated about three hundred residents, most of them from houses near the bridge."
P3 = "Forecasters expect the water to fall slowly over the weekend, although more rain is due on Monday."
P4 = "The mayor said repairs to the embankment, damaged in last year's storms, would now be brought forward."


def wrap(article: str, extra: str = "") -> str:
    return (
        "<html><head><title>Flood | Gazette</title></head><body>"
        '<div class="menu"><a href="/">Home</a> <a href="/n">News</a> <a href="/s">Sport</a></div>'
        f"<div class='main'><article>{article}</article></div>{extra}"
        "<footer><p>© Gazette. All rights reserved. Contact us for syndication and advertising.</p></footer>"
        "</body></html>"
    )


def test_paragraphs_separated_by_one_blank_line_and_whitespace_collapsed() -> None:
    html = wrap(f"<p>  {P1[:40]}\n\t  {P1[40:]}  </p>\n\n\n<p>{P2}</p><p>{P3}<br>{P4}</p>")
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}\n\n{P4}"


def test_headings_and_lists_kept_in_order() -> None:
    html = wrap(
        f"<h1>Flood</h1><p>{P1}</p><h2>What happens next</h2><p>{P2}</p>"
        f"<ul><li>Sandbags at the town hall</li><li>Shelter in the school</li></ul><p>{P3}</p>"
        f"<ol><li>First <b>item</b> here</li><li>Second item</li></ol><h3>Repairs</h3><p>{P4}</p>"
    )
    assert extract(html).text.split("\n\n") == [
        P1, "What happens next", P2, "Sandbags at the town hall", "Shelter in the school", P3,
        "First item here", "Second item", "Repairs", P4,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "junk",
    [
        '<div class="share-bar"><a href="#">Share on Facebook</a><a href="#">Tweet this story</a></div>',
        '<div class="newsletter-signup"><h3>Get our newsletter</h3><p>Sign up for the morning briefing, every day, free of charge.</p></div>',
        '<div class="related-articles"><h3>Related stories</h3><ul><li><a href="/1">Storm hits coast again</a></li><li><a href="/2">Dam plan approved</a></li></ul></div>',
        '<section id="comments"><h3>42 comments</h3><p>Terrible news, hope everyone is safe, said a reader from the north.</p></section>',
        '<div class="cookie-consent"><p>We use cookies to improve your experience, by continuing you accept them.</p></div>',
        '<p class="view-count">1.2k Views</p>',
        "<p>Advertisement</p>",
        "<p>Read more: <a href='/x'>Floods in the region over the last ten years, a timeline</a></p>",
        '<figure><img src="a.jpg"><figcaption>An unrelated photo of the harbour at dusk, taken last summer by a reader.</figcaption></figure>',
        '<div class="most-read"><h3>Most read</h3><ol><li><a href="/a">Celebrity wedding pictures</a></li><li><a href="/b">Lottery result</a></li></ol></div>',
    ],
)
def test_boilerplate_inside_article_is_removed(junk: str) -> None:
    text = extract(wrap(f"<p>{P1}</p><p>{P2}</p>{junk}<p>{P3}</p><p>{P4}</p>")).text
    assert text == f"{P1}\n\n{P2}\n\n{P3}\n\n{P4}"


def test_boilerplate_around_article_is_left_out() -> None:
    side = (
        '<aside class="sidebar"><h3>Trending</h3><p>Celebrity chef opens a new restaurant in the capital, with long queues, again.</p></aside>'
        '<div class="comments"><p>First! This is a comment, and it is long enough to be a paragraph, surely.</p></div>'
    )
    text = extract(wrap(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>", side)).text
    assert text == f"{P1}\n\n{P2}\n\n{P3}"


def test_article_in_divs_without_paragraph_tags() -> None:
    html = f"<html><body><div class='nav'><a href='/'>Home</a></div><div class='story'>{P1}<br><br>{P2}<br><br>{P3}</div></body></html>"
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}"


def test_headline_not_repeated_in_body() -> None:
    html = wrap(f"<h1>River floods old town</h1><p>{P1}</p><p>{P2}</p>").replace(
        "Flood | Gazette", "River floods old town | Gazette"
    )
    got = extract(html)
    assert got.title == "River floods old town"
    assert got.text == f"{P1}\n\n{P2}"


def _ld(body: str) -> str:
    return (
        '<script type="application/ld+json">'
        + json.dumps({"@type": "NewsArticle", "articleBody": body})
        + "</script>"
    )


def test_jsonld_article_body_used_when_complete_and_dom_is_partial() -> None:
    html = wrap(f"<p>{P1}</p><p>{P2}</p>").replace("</head>", _ld(f"{P1}\n{P2}\n{P3}\n{P4}") + "</head>")
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}\n\n{P4}"


def test_jsonld_teaser_body_is_not_used() -> None:
    html = wrap(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p>").replace(
        "</head>", _ld(P1[:60] + "...") + "</head>"
    )
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}\n\n{P4}"


def test_jsonld_body_of_another_text_is_not_used() -> None:
    other = "Completely different words about football, transfer fees and a new stadium for the club. " * 8
    html = wrap(f"<p>{P1}</p><p>{P2}</p>").replace("</head>", _ld(other) + "</head>")
    assert extract(html).text == f"{P1}\n\n{P2}"


def test_jsonld_body_alone_when_dom_has_nothing() -> None:
    html = "<html><head>" + _ld(f"{P1}\n\n{P2}") + "</head><body><div id='app'></div></body></html>"
    assert extract(html).text == f"{P1}\n\n{P2}"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "not html at all",
        "\x00\x01\x02\ufffd\ufffd" * 1000,
        bytes(range(256)).decode("latin-1") * 50,
        "<div>" * 5000 + "deep" + "</div>" * 5000,
        "<p>" * 5000,
        "<html><body><table><tr><td><table><tr><td>" * 500,
        '<script type="application/ld+json">' + "[" * 5000 + "</script>",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<<<>>><!--<!DOCTYPE<?xml?>",
    ],
)
def test_garbage_never_raises(garbage: str) -> None:
    got = extract(garbage, "not a url")
    assert isinstance(got.text, str) and isinstance(got.title, str)
    assert got.rules_matched is None
    assert got.authors == [] and got.published_at is None


def test_empty_page_gives_empty_text() -> None:
    got = extract(
        "<html><head><title>Only a title</title></head><body><div class='menu'><a href='/'>Home</a></div></body></html>"
    )
    assert got.text == ""
    assert got.title == "Only a title"


def test_non_string_input_never_raises() -> None:
    got = extract(None)  # type: ignore[arg-type]
    assert got.text == "" and got.title == ""


def _page(body: str) -> str:
    return f"<html><head><title>T</title></head><body>{body}</body></html>"


def test_comment_section_bigger_than_article_is_not_chosen() -> None:
    comments = "".join(
        f"<li class='comment'><p>Reader {i} says: I disagree with this, strongly, and here is why, at length.</p></li>"
        for i in range(30)
    )
    html = _page(
        f"<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
        f"<div id='comments' class='comments-area'><ol class='comment-list'>{comments}</ol></div>"
    )
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}"


def test_opinion_commentary_class_is_not_comments() -> None:
    html = _page(
        f"<div class='commentary-article'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div><div class='nav'><a href='/'>Home</a></div>"
    )
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}"


def test_quoted_social_post_stays_in_the_article() -> None:
    tweet = '<div class="social-media-embed"><blockquote class="twitter-tweet"><p>The water is still rising near the bridge, stay away.</p>— City Police (@citypolice)</blockquote></div>'
    text = extract(wrap(f"<p>{P1}</p>{tweet}<p>{P2}</p>")).text
    assert "The water is still rising near the bridge, stay away." in text


@pytest.mark.parametrize(
    "line",
    [
        "An aerial view of the flooded market square on Tuesday morning. (AP Photo/Jane Doe)",
        "Residents carry their belongings through the water. (Gazette via AP, File)",
        "Jane Doe | Bloomberg | Getty Images",
        "Get the latest updates right in your inbox. Subscribe to our newsletters.",
        "Lesen Sie auch: Hochwasser in der Region",
        "Lea también: Inundaciones en el norte",
        "Leggi anche",
        "Читайте также: наводнение в регионе",
        "Ilgili Haberler",
    ],
)
def test_caption_credit_newsletter_and_read_also_lines_dropped(line: str) -> None:
    text = extract(wrap(f"<p>{P1}</p><p>{line}</p><p>{P2}</p>")).text
    assert text == f"{P1}\n\n{P2}"


def test_sentences_that_merely_start_like_boilerplate_are_kept() -> None:
    keep = [
        "By then it was too late to save the market.",
        "Related party loans were also examined by the court.",
        "Photographers gathered at the bridge.",
    ]
    text = extract(wrap(f"<p>{P1}</p>" + "".join(f"<p>{k}</p>" for k in keep) + f"<p>{P2}</p>")).text
    for sentence in keep:
        assert sentence in text


def test_link_roll_post_is_not_emptied_by_link_density() -> None:
    items = "".join(
        f"<li><a href='https://example.org/{i}'>An interesting long article title number {i} about floods</a> via Example</li>"
        for i in range(12)
    )
    html = _page(
        f"<div class='nav'><a href='/'>Home</a></div><article><div class='entry-content'><p>{P1}</p><ul>{items}</ul></div></article>"
    )
    text = extract(html).text
    assert P1 in text and "article title number 11" in text


def test_layout_table_cell_does_not_swallow_the_page() -> None:
    html = _page(
        "<table><tr><td><div class='menu'><a href='/'>Home</a> <a href='/a'>About</a></div></td>"
        f"<td><div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></td></tr></table>"
    )
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}"
