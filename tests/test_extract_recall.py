"""Body recall: leads, split bodies, headers, named containers, story streams kept; nothing of the
boilerplate around them let in. Each test fails without the mechanism it names."""

from __future__ import annotations

import pytest

from worker.extract import extract

P1 = "The river rose by two metres overnight, flooding the lower streets of the old town and its market."
P2 = "Emergency services evacuated about three hundred residents, most of them from houses near the bridge."
P3 = "Forecasters expect the water to fall slowly over the weekend, although more rain is due on Monday."
P4 = "The mayor said repairs to the embankment, damaged in last year's storms, would now be brought forward."
P5 = "Shopkeepers on the quay began clearing mud from their floors as soon as the water had gone down."
P6 = "Insurers said claims from the flood were likely to be the largest the town had seen in a generation."
LEAD = "Hundreds of people had to leave their homes as the river burst its banks after a week of heavy rain."
MENU = '<div class="menu"><a href="/">Home</a> <a href="/n">News</a> <a href="/s">Sport</a></div>'


def page(body: str, title: str = "Flood in the old town") -> str:
    return f"<html><head><title>{title}</title></head><body>{MENU}{body}</body></html>"


def test_lead_box_before_the_body_is_kept_without_its_kicker_and_date() -> None:
    html = page(
        "<div class='story'><h1>Flood in the old town</h1>"
        f"<div class='intro'><span class='kicker'>Weather</span><p>{LEAD}</p><span>12.03.2024</span></div>"
        f"<div class='text'><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div></div>"
    )
    assert extract(html).text == f"{LEAD}\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P4}"


def test_article_header_holding_the_lead_gives_its_lead_not_its_byline() -> None:
    html = page(
        "<div class='story'><div class='article-header'><h1>Flood in the old town</h1>"
        f"<p class='author'>By Jane Doe</p><p class='standfirst'>{LEAD}</p></div>"
        f"<div class='text'><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div></div>"
    )
    text = extract(html).text
    assert text.startswith(f"{LEAD}\n\n{P1}")
    assert "Jane Doe" not in text and "Flood in the old town" not in text


def test_body_split_by_an_ad_into_boxes_of_one_kind_is_kept_whole() -> None:
    first = "".join(
        f"<p>{p}</p>" for p in (P1, P2, P3, P4, P5, P2.replace("three", "four"), P3.replace("slowly", "fast"))
    )
    html = page(
        f"<div class='wrap'><div class='txt txt-1'>{first}</div>"
        "<div class='ad-slot'><p>Advertisement: holiday flights from 49, book now, while seats last.</p></div>"
        f"<div class='txt txt-2'><p>{P6}</p></div></div>"
    )
    text = extract(html).text
    assert text.startswith(f"{P1}\n\n{P2}") and text.endswith(P6)
    assert "holiday flights" not in text


def test_body_pieces_in_wrappers_of_one_kind_each_with_its_rail_are_kept_whole() -> None:
    rail = "<div class='rail'><article class='teaser'><h2><a href='/x'>Other story</a></h2></article></div>"
    first = "".join(
        f"<p>{p}</p>" for p in (P2, P3, P4, P5, P6, P2.replace("three", "four"), P3.replace("slowly", "fast"))
    )
    html = page(
        f"<article class='main'><div class='part'><div class='body-text body-text-1'><p>{P1} {LEAD}</p></div>{rail}</div>"
        f"<div class='part'><div class='body-text body-text-2'>{first}</div>{rail}</div></article>"
    )
    text = extract(html).text
    assert text.startswith(f"{P1} {LEAD}\n\n{P2}")
    assert "Other story" not in text


def test_next_story_in_a_box_of_the_same_kind_is_not_a_continuation() -> None:
    first = "".join(f"<p>{p}</p>" for p in (P1, P2, P3, P4, P5))
    html = page(
        f"<div class='wrap'><div class='txt'>{first}</div>"
        f"<div class='txt'><h1>Budget debate goes on</h1><p>{P6.replace('flood', 'budget')}</p></div></div>"
    )
    assert "budget" not in extract(html).text


def test_furigana_readings_are_not_text() -> None:
    sentence = "<ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rp>(</rp><rt>ぎゃくたい</rt><rp>)</rp></ruby>をなくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができました。"
    html = page(f"<article><p>{sentence}</p><p>{sentence}</p><p>{P1}</p><p>{P2}</p></article>")
    text = extract(html).text
    assert "子どもへの虐待をなくすための法律ができました。" in text
    assert "ぎゃくたい" not in text and "ほうりつ" not in text


def test_post_written_inside_noscript_is_kept() -> None:
    html = page(
        f"<div class='post-body'><script>render()</script><noscript><p>{P1}</p><p>{P2}</p><p>{P3}</p></noscript></div>"
    )
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}"


def test_noscript_without_prose_is_still_dropped() -> None:
    html = page(
        f"<article><p>{P1}</p><noscript><p>Please enable JavaScript.</p></noscript><p>{P2}</p></article>"
    )
    assert extract(html).text == f"{P1}\n\n{P2}"


def test_section_whose_id_is_its_headings_slug_is_not_judged_by_its_words() -> None:
    html = page(
        f"<div class='document'><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
        f"<div class='section' id='sharing-the-river-with-neighbours'><h2>Sharing the river with neighbours</h2><p>{P4}</p></div>"
        "<div class='share-buttons'><a href='#'>Share on Facebook</a></div></div>"
    )
    text = extract(html).text
    assert f"Sharing the river with neighbours\n\n{P4}" in text
    assert "Facebook" not in text


def test_layout_class_naming_a_sidebar_layout_is_not_a_sidebar() -> None:
    html = page(
        f"<article class='story'><p>{P1}</p><p>{P2}</p>"
        f"<div class='o-row c-fixed-sidebar-layout--140'><div class='o-col'><p>{P3}</p></div></div></article>"
    )
    assert P3 in extract(html).text


def test_a_class_ending_in_d_none_is_not_bootstraps_hidden_box() -> None:
    # "frame-background-none" (TYPO3) ends in "d-none" but hides nothing; Bootstrap's "d-none" does.
    frame = "<div class='frame frame-type-text frame-background-none'><div class='frame-bodytext'><p>{}</p></div></div>"
    html = page(f"<div id='page'>{frame.format(P1)}{frame.format(P2)}{frame.format(P3)}"
                f"<div class='d-none'><p>{P6}</p></div></div>")
    text = extract(html).text
    assert P1 in text and P2 in text and P3 in text
    assert P6 not in text


STANDFIRST = "Banks and investors keep financing the firms whose projects harm the climate most."


def _with_description(body: str, description: str = STANDFIRST) -> str:
    return (f"<html><head><title>Flood</title><meta property='og:description' content='{description}'></head>"
            f"<body>{MENU}{body}</body></html>")


def test_standfirst_above_the_container_that_is_the_description_is_kept_first() -> None:
    html = _with_description(f"<header class='article-header'><h1>Flood</h1><div class='summary'>{STANDFIRST}</div>"
                             f"<span class='byline'>By Ann Lee</span></header>"
                             f"<div class='article-body'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    text = extract(html).text
    assert text.startswith(STANDFIRST + "\n\n" + P1)
    assert "Ann Lee" not in text


@pytest.mark.parametrize("where", [
    f"<script>var data = {{'summary': '{STANDFIRST}'}};</script>",  # only in a script: nothing visible
    f"<div class='related'><p>{STANDFIRST}</p></div>",  # a teaser of this very story in a rail
])  # fmt: skip
def test_description_is_no_standfirst_where_the_page_does_not_show_it_as_one(where: str) -> None:
    html = _with_description(f"{where}<div class='article-body'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    assert extract(html).text.startswith(P1)


def test_standfirst_inside_the_container_is_not_repeated() -> None:
    html = _with_description(f"<article><p class='lead'>{STANDFIRST}</p><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>")
    assert extract(html).text.count(STANDFIRST) == 1


def test_paragraph_of_comma_separated_links_does_not_outscore_the_article() -> None:
    names = ", ".join(f"<a href='/u/{i}'>reader{i}</a>" for i in range(300))
    html = page(
        f"<div class='work'><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div>"
        f"<div id='kudos'><p>{names} left kudos on this work!</p></div>"
    )
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}\n\n{P4}"


def test_long_comment_thread_does_not_send_the_body_to_the_fallback() -> None:
    comments = "".join(
        f"<div class='comment-body'><p>Reader {i} wrote a long reply about the flood, the bridge and the"
        " council, saying that nobody had listened to the warnings that were given years ago by the engineers.</p></div>"
        for i in range(8)
    )
    body = "".join(f"<p>{p}</p>" for p in (P1, P2, P3, P4, P5, P6, LEAD))
    got = extract(
        page(f"<div class='main'><div class='entry'>{body}</div></div><div id='comments'>{comments}</div>")
    )
    assert got.text == f"{P1}\n\n{P2}\n\n{P3}\n\n{P4}\n\n{P5}\n\n{P6}\n\n{LEAD}"
    assert got.extraction_method == "scorer"


def test_box_inside_a_footer_is_not_the_article() -> None:
    about = (
        ", ".join(["our readers", "our town", "our river", "our market", "our bridge", "our schools"])
        + ", since 1890."
    )
    html = page(
        f"<div class='content'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
        f"<footer><div class='about'><p>About us: {about}</p><p>Gazette, {about}</p><p>Contact, {about}</p>"
        f"<p>Imprint, {about}</p><p>Jobs, {about}</p></div></footer>"
    )
    assert extract(html).text == f"{P1}\n\n{P2}\n\n{P3}"


def test_named_article_with_more_prose_replaces_a_box_that_scored_higher() -> None:
    # Every paragraph of the article sits in a wrapper of its own, so no one box gathers its score,
    # while a box of short comma lists scores as one.
    wrapped = "".join(
        f"<div class='paragraph'><div class='inner'><p>{p}</p></div></div>" for p in (P1, P2, P3, P4, P5, P6)
    )
    lists = "".join(
        f"<p>Opening hours, {d}: 9, 10, 11, 12, 13, 14, 15, 16, 17, 18.</p>"
        for d in ("Mon", "Tue", "Wed", "Thu")
    )
    html = page(
        f"<div class='shop-hours'>{lists}</div><div class='layout'><div class='col'><article>{wrapped}</article></div></div>"
    )
    text = extract(html).text
    assert text.startswith(P1) and text.endswith(P6)
    assert "Opening hours" not in text


def test_in_a_stream_of_stories_the_one_headed_by_the_title_is_the_article() -> None:
    other = "".join(
        f"<p>Another story, with commas, many, many, commas, and more of them, number {i}, about the budget.</p>"
        for i in range(8)
    )
    html = page(
        "<main><div class='stream'>"
        f"<div class='slot'><article class='entry'><h1>Flood in the old town</h1><p>{P1}</p><p>{P2}</p></article></div>"
        f"<div class='slot'><article class='entry'><h1>Budget debate goes on</h1>{other}</article></div>"
        "</div></main>"
    )
    text = extract(html).text
    assert text == f"{P1}\n\n{P2}"


@pytest.mark.parametrize(
    "line",
    [
        "Leave a comment",
        "Leave a Reply",
        "Weiterlesen",
        "Zurück zur Übersicht",
        "Ähnliche Themen",
        "ツイート",
        "【関連記事】",
        "最終更新:3/9(木) 18:45",
        "相关新闻：",
        "分享到微信",
        "관련기사",
    ],
)
def test_more_boilerplate_lines_dropped(line: str) -> None:
    html = page(f"<article><p>{P1}</p><p>{line}</p><p>{P2}</p></article>")
    assert extract(html).text == f"{P1}\n\n{P2}"


def test_sentence_starting_like_a_share_button_is_kept() -> None:
    line = "分享经济正在崛起。"
    html = page(f"<article><p>{P1}</p><p>{line}</p><p>{P2}</p></article>")
    assert extract(html).text == f"{P1}\n\n{line}\n\n{P2}"


def test_formula_source_in_mathml_annotation_is_not_text() -> None:
    formula = (
        "<math><semantics><mrow><mi>A</mi><mo>=</mo><msup><mi>A</mi><mi>H</mi></msup></mrow>"
        "<annotation encoding='application/x-tex'>{\\displaystyle A=A^{H}}</annotation></semantics></math>"
    )
    html = page(
        f"<article><p>{P1}</p><p>A matrix is Hermitian when {formula} holds, as the council's engineer noted.</p><p>{P2}</p></article>"
    )
    text = extract(html).text
    assert "displaystyle" not in text
    assert "A matrix is Hermitian when" in text


def test_text_in_div_and_span_lines_is_found_beside_some_paragraphs() -> None:
    # A serial chapter written as <div><span> lines, beside author notes and a footer in <p>.
    notes = "".join(
        f"<p>Author note {i}: thanks for reading, the next chapter comes on Friday as usual.</p>"
        for i in range(30)
    )
    lines = "".join(
        f"<div><span>Line {i} of the chapter, where the heroine crosses the bridge again and looks back at the town.</span></div>"
        for i in range(300)
    )
    html = page(f"<div class='notes'>{notes}</div><div class='chapter'>{lines}</div>")
    text = extract(html).text
    assert "Line 0 of the chapter" in text and "Line 299 of the chapter" in text


def test_forum_thread_whose_posts_are_named_comments_is_not_emptied() -> None:
    posts = "".join(
        f"<div class='MtnComment'><div class='MtnCommentProfile'>user{i}</div><div class='MtnCommentText'>"
        f"Post {i}: since the update my phone will not open the app store over mobile data, wifi works fine though.</div></div>"
        for i in range(20)
    )
    html = page(f"<main id='content'><h2 class='Title'>App store over mobile data</h2>{posts}</main>")
    text = extract(html).text
    assert "Post 0: since the update" in text and "Post 19: since the update" in text


def test_comments_under_a_post_still_go_when_the_post_has_prose() -> None:
    comments = "".join(
        f"<div class='comment'><div class='comment-text'>Reader {i}: I have been waiting for this thread, thanks a lot for opening it.</div></div>"
        for i in range(30)
    )
    html = page(f"<main id='content'><div class='post'><p>{P1} {LEAD}</p></div>{comments}</main>")
    assert "Reader 0" not in extract(html).text


def test_article_header_with_its_lead_in_a_div_gives_the_lead() -> None:
    html = page(
        "<div class='story'><header class='article-header'><h1>Flood in the old town</h1>"
        f"<div class='summary'>{LEAD}</div><div class='byline'>By Jane Doe</div></header>"
        f"<div class='text'><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div></div>"
    )
    text = extract(html).text
    assert text.startswith(f"{LEAD}\n\n{P1}")
    assert "Jane Doe" not in text


@pytest.mark.parametrize(
    ("story", "end"),
    [("<article class='single'>", "</article>"), ("<div class='post-1 post hentry'>", "</div>"),
     ("<div itemscope itemtype='https://schema.org/NewsArticle'>", "</div>")],
)  # fmt: skip
def test_lead_in_the_storys_header_above_the_bodys_wrapper_is_kept(story: str, end: str) -> None:
    html = page(
        f"{story}<header class='post-header'><h1>Flood in the old town</h1>"
        f"<p class='excerpt'>{LEAD}</p><span class='date'>12.03.2024</span></header>"
        f"<div class='wrap'><div class='cols'><div class='text'><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div>"
        f"<div class='share'><a href='#'>Share</a></div></div></div>{end}"
    )
    text = extract(html).text
    assert text == f"{LEAD}\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P4}"


def test_standfirst_without_a_final_stop_is_kept() -> None:
    lead = (
        "Penalties for those who refuse to self-isolate are to be raised to a maximum of ten thousand pounds"
    )
    html = page(
        "<div class='story'><h1>Flood in the old town</h1>"
        f"<div class='intro'><span class='kicker'>Weather</span><p>{lead}</p></div>"
        f"<div class='text'><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div></div>"
    )
    assert extract(html).text.startswith(f"{lead}\n\n{P1}")


def test_named_span_inside_a_sentence_stays_but_screen_reader_text_goes() -> None:
    first = "<p><span class='dateline'>KOBE – </span>A total of 6,000 surgical masks were lost at a hospital, police said on Tuesday.</p>"
    second = f"<p>{P2}<span class='sr-only'> (opens in a new window)</span></p>"
    html = page(f"<article><div class='text'>{first}{second}<p>{P3}</p><p>{P4}</p></div></article>")
    text = extract(html).text
    assert "KOBE – A total of 6,000 surgical masks" in text
    assert "opens in a new window" not in text


def test_box_named_as_banners_holding_most_of_the_paragraphs_is_the_body() -> None:
    table = (
        "<table class='results'>"
        + "".join(f"<tr><td>Station {i}</td><td>{i * 7} cm</td><td>rising</td></tr>" for i in range(30))
        + "</table>"
    )
    html = page(
        f"<article class='post'><p>{P1}</p>{table}"
        f"<div class='banners-contenido-nota-5286571'><p>{P2}</p><p>{P3}</p><p>{P4}</p><p>{P5}</p></div></article>"
    )
    text = extract(html).text
    assert P1 in text and P2 in text and P5 in text
