"""worker/classify.py: walls, bot checks, error pages and soft 404s are not articles; articles are.

Every tests/pages_walls/<name>.html is classified with the status, expected kind and (optionally)
the earlier version named in <name>.json ("previous_from": another page whose extraction is the
latest version's text).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from worker.classify import ARTICLE, classify, is_suspicious_change
from worker.extract import extract
from worker.values import Extracted

PAGES = Path(__file__).parent / "pages_walls"
NAMES = sorted(p.stem for p in PAGES.glob("*.html"))
KINDS = {"article", "blocked", "consent", "paywall", "error", "soft_404"}


@cache
def _load(name: str) -> tuple[dict, str, Extracted]:
    meta = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    return meta, html, extract(html, meta["url"])


def _text(name: str) -> str:
    return _load(name)[2].text


def test_the_wall_pages_cover_every_kind_in_several_languages() -> None:
    metas = [_load(n)[0] for n in NAMES]
    assert {m["kind"] for m in metas} == KINDS
    for kind in KINDS - {"article"}:
        languages = {n.split("_")[0] for n, m in zip(NAMES, metas, strict=True) if m["kind"] == kind}
        assert len(languages) >= 2, kind


@pytest.mark.parametrize("name", NAMES)
def test_wall_page(name: str) -> None:
    meta, html, extracted = _load(name)
    previous = _text(meta["previous_from"]) if meta.get("previous_from") else None
    verdict = classify(meta["status"], html, extracted, previous)
    assert verdict.kind == meta["kind"], verdict.reason
    assert (verdict.reason == "") == (verdict.kind == "article" and not verdict.confirm)
    assert not verdict.confirm or verdict.kind == "article"


@pytest.mark.parametrize("name", [n for n in NAMES if _load(n)[0]["kind"] == "article"])
def test_an_article_stays_an_article_against_its_own_earlier_version(name: str) -> None:
    meta, html, extracted = _load(name)
    assert classify(200, html, extracted, extracted.text).kind == "article"


# ---- synthetic pages: one signal at a time ------------------------------------------------------

STORY = [
    "The city council voted on Tuesday to extend the tram line to the northern suburbs, ending years of "
    "argument over the route and the cost of the project.",
    "The extension will add six stops and is expected to carry twelve thousand passengers a day once it "
    "opens, according to the transport authority's own estimates.",
    "Opponents said the money would be better spent on buses, which can reach more neighbourhoods for the "
    "same price, and warned that the budget had already grown twice.",
    "Construction is due to begin next spring and to last about three years. Roads along the route will "
    "be closed in stages, and shops will receive compensation for lost trade.",
    "The mayor called the vote a turning point for the city. Residents of the northern districts, who now "
    "spend up to an hour on crowded buses to reach the centre, welcomed the decision.",
    "A public inquiry into the route will hear objections in the autumn, but council officers said they "
    "did not expect it to delay the start of work.",
]
OTHER = [
    "Firefighters spent the night tackling a blaze at a disused warehouse near the river, where flames "
    "could be seen from several kilometres away.",
    "No one was injured, the fire service said, but nearby homes were evacuated as a precaution and "
    "residents were allowed back only in the morning.",
    "Investigators will examine the site once it is safe. The building had been empty for a decade and "
    "was due to be turned into flats under plans approved last year.",
    "Neighbours said they had complained repeatedly about people breaking into the warehouse, and asked "
    "the owner to secure it after a smaller fire in the spring.",
    "The owner said the building had been fenced off and checked every week, and that he would cooperate "
    "fully with the investigation into the cause of the fire.",
    "Smoke drifted across the ring road during the morning rush hour, and drivers were advised to keep "
    "their windows closed until the wind changed direction.",
]


def _page(paragraphs: list[str], *, title: str = "Council backs tram extension", head: str = "",
          around: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title} | City Post</title>{head}</head><body>"
            f"<header><a href='/'>City Post</a> <a href='/news'>News</a></header>{around}"
            f"<main><article><h1>{title}</h1><div class='article-body'>{body}</div></article></main>"
            f"<footer><a href='/privacy'>Privacy</a> <a href='/cookies'>Manage cookies</a></footer></body></html>")


def _classify(html: str, previous: str | None, status: int | None = 200) -> str:
    return classify(status, html, extract(html, "https://citypost.example/news/tram"), previous).kind


def _story(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


BANNER = ("<div id='cookie-banner' role='dialog'><p>We and our partners use cookies.</p>"
          "<button>Accept all cookies</button> <button>Reject all</button></div>")
SUBSCRIBE_BOX = "<div class='offer'><h3>Subscribe to continue reading</h3><a href='/subscribe'>Subscribe</a></div>"
NOT_FREE = '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script>'


def test_a_corrected_sentence_on_a_page_with_banners_is_an_article() -> None:
    edited = STORY[:2] + [STORY[2].replace("twice", "three times")] + STORY[3:]
    html = _page(edited, around=BANNER + SUBSCRIBE_BOX)
    assert _classify(html, _story(STORY)) == "article"


def test_an_added_paragraph_and_a_new_headline_are_an_article() -> None:
    html = _page(STORY + ["Update: the transport minister has promised to pay a third of the cost."],
                 title="Minister to fund a third of tram extension", around=BANNER)
    assert _classify(html, _story(STORY)) == "article"


def test_a_rewritten_story_beside_a_banner_is_an_article() -> None:
    # Nothing shared with the latest version, same length: a rewrite (confirmed later by a second
    # fetch), not a wall, although a consent banner sits beside it.
    assert _classify(_page(OTHER, around=BANNER + SUBSCRIBE_BOX), _story(STORY)) == "article"


def test_a_teaser_beside_a_banner_is_a_wall() -> None:
    assert _classify(_page(STORY[:1], around=BANNER), _story(STORY)) == "consent"
    assert _classify(_page(STORY[:1], around=SUBSCRIBE_BOX), _story(STORY)) == "paywall"


def test_not_free_structured_data_needs_a_cut_body() -> None:
    assert _classify(_page(STORY[:2], head=NOT_FREE), _story(STORY)) == "paywall"
    assert _classify(_page(STORY, head=NOT_FREE), _story(STORY)) == "article"
    assert _classify(_page(STORY[:1], head=NOT_FREE), None) == "paywall"  # first capture, a teaser


def test_error_statuses() -> None:
    full = _page(STORY)
    for status in (401, 403, 407, 429, 451):
        assert _classify(full, _story(STORY), status) == "blocked"
    assert _classify(full, _story(STORY), 404) == "error"
    challenge = "<html><head><title>One moment</title><script>window._cf_chl_opt={}</script></head></html>"
    assert _classify(challenge, _story(STORY), 503) == "blocked"


def test_an_empty_extraction_is_no_article() -> None:
    assert _classify("<html><body><nav><a href='/'>Home</a></nav></body></html>", None) == "error"


def test_a_vanished_body_is_an_error() -> None:
    html = _page(["Loading the article, one moment."])
    assert _classify(html, _story(STORY)) == "error"
    assert _classify(html, None) == "article"  # nothing to compare with, no marker: a (tiny) article


def test_challenge_markers_need_a_body_that_is_not_the_article() -> None:
    head = "<script>window._cf_chl_opt={cType:'managed'}</script>"
    assert _classify(_page(["Checking your connection, please wait."], head=head), _story(STORY)) == "blocked"
    assert _classify(_page(STORY, head=head), _story(STORY)) == "article"


def test_a_captcha_on_the_comment_form_is_not_a_wall() -> None:
    form = "<form class='comments'><div class='g-recaptcha'></div><button>Post</button></form>"
    assert _classify(_page(STORY, around=form), None) == "article"
    assert _classify(_page(STORY[:1], around=form), _story(STORY)) == "blocked"


def test_a_headline_that_starts_like_an_error_is_not_an_error() -> None:
    for title in ("404 days in captivity: a hostage tells her story", "Error in the census count"):
        assert _classify(_page(STORY + OTHER, title=title), None) == "article"
    assert _classify(_page(STORY[:1], title="Page not found"), None) == "soft_404"


def test_words_the_article_already_had_are_not_a_wall() -> None:
    story = STORY[:3] + ["Critics said riders would soon be asked to verify you are human before buying a ticket."]
    teaser = _page(story[3:])  # the body shrank to the paragraph that mentions a bot check
    assert _classify(teaser, _story(story)) != "blocked"


# ---- is_suspicious_change ------------------------------------------------------------------------


def test_suspicious_when_the_body_loses_more_than_half() -> None:
    assert is_suspicious_change(_story(STORY), _story(STORY[:2]))
    assert not is_suspicious_change(_story(STORY), _story(STORY[:4]))


def test_suspicious_when_almost_nothing_is_shared() -> None:
    assert is_suspicious_change(_story(STORY), _story(OTHER))
    assert is_suspicious_change(_story(STORY), _story(STORY[:1] + OTHER))


def test_not_suspicious_for_ordinary_edits() -> None:
    old = _story(STORY)
    assert not is_suspicious_change(old, old)
    assert not is_suspicious_change(old, old.replace("Tuesday", "Wednesday"))
    assert not is_suspicious_change(old, old + "\n\nUpdate: the vote was unanimous.")
    assert not is_suspicious_change(old, _story(STORY[1:]))  # lede dropped
    assert not is_suspicious_change("", old)  # nothing before: nothing to suspect


def test_a_first_capture_beside_a_consent_banner_is_confirmed_first() -> None:
    # A real short article on a site that renders its banner in the HTML, or a consent layer over a
    # teaser: an article, but one more fetch must show the same before it becomes version 1.
    layer = BANNER.replace("role='dialog'", "role='dialog' aria-modal='true'")
    html = _page(STORY[:4], around=layer)  # about 100 words
    verdict = classify(200, html, extract(html), None)
    assert verdict.kind == "article" and verdict.confirm
    assert "consent" in verdict.reason
    assert _classify(_page(STORY[:1], around=layer), None) == "consent"  # a teaser of 27 words
    full = _page(STORY + OTHER, around=layer)  # long enough: no doubt
    assert classify(200, full, extract(full), None) == ARTICLE


def test_a_banner_that_locks_nothing_beside_a_short_first_capture_is_an_article() -> None:
    assert classify(200, _page(STORY[:4], around=BANNER), extract(_page(STORY[:4], around=BANNER)), None) == ARTICLE
    assert _classify(_page(STORY[:2], around=BANNER), None) == "article"  # 50 words
    assert _classify(_page(["Read the story below."], around=BANNER), None) == "consent"


def test_spaceless_scripts_are_counted_by_character() -> None:
    ja = ["東京都は本日、新しい防災計画を発表しました。", "専門家はこの計画が市民の安全を大きく高めると述べています。",
          "計画には避難所の増設と情報伝達の改善が含まれています。", "都は来年度から段階的に実施する予定です。"]
    layer = BANNER.replace("role='dialog'", "role='dialog' aria-modal='true'")
    html = _page(ja + ja[::-1] + ja, title="東京都が新しい防災計画を発表", around=layer)
    assert classify(200, html, extract(html), None).kind == "article"
    assert not is_suspicious_change("\n\n".join(ja * 3), "\n\n".join(ja * 3).replace("本日", "昨日"))


def test_the_headings_extraction_found_are_the_ones_a_parse_finds_and_spare_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """classify reads the <title> and <h1>s from the extraction (a second parse of a 150 KB page
    cost ~0.7 ms): the same verdict on every wall page as when it parses them itself, and no parse
    for a page whose rules need only the titles."""
    from dataclasses import replace

    import worker.classify
    from worker.classify import _Page

    for name in NAMES:
        meta, html, extracted = _load(name)
        assert extracted.headings is not None, name
        previous = _text(meta["previous_from"]) if meta.get("previous_from") else None
        parsed = _Page(html, replace(extracted, headings=None), previous)
        assert _Page(html, extracted, previous).titles == parsed.titles, name
        assert classify(meta["status"], html, replace(extracted, headings=None), previous) == classify(
            meta["status"], html, extracted, previous), name

    def no_parse(*args: object) -> None:
        raise AssertionError("the page was parsed again")

    # A first capture of 250 words: short enough for the title rules (a not-found title), too long for the others.
    paras = "".join(f"<p>The council met on day {i} and the harbour plan was debated by members at length "
                    f"before a vote that was put off to next week.</p>" for i in range(12))
    page = "<html><head><title>{t} | Herald</title></head><body><article><h1>{t}</h1>{p}</article></body></html>"
    monkeypatch.setattr(worker.classify, "LexborHTMLParser", no_parse)
    for title, kind in (("Harbour plan vote put off", "article"), ("Page not found", "soft_404")):
        html = page.format(t=title, p=paras)
        extracted = extract(html, "https://herald.example/x")
        assert 120 < len(extracted.text.split()) < 400
        assert classify(200, html, extracted, None).kind == kind


# ---- any language: signals that are not words, words of every script -----------------------------

KA = "გთხოვთ, დაელოდოთ. მიმდინარეობს თქვენი ბრაუზერის შემოწმება."  # Georgian: in no phrase list


def test_a_form_posting_to_a_challenge_path_is_a_check_in_any_language() -> None:
    form = "<form method='post' action='/captcha/verify?r=7f3a'><input name='answer'><button>OK</button></form>"
    assert _classify(_page([KA], around=form, title="შემოწმება"), None) == "blocked"
    assert _classify(_page([KA], around=form, title="შემოწმება"), _story(STORY)) == "blocked"
    assert _classify(_page(STORY + OTHER, around=form), None) == "article"  # beside a full article: no check
    plain = "<form method='post' action='/comments/post'><input name='answer'><button>OK</button></form>"
    assert _classify(_page([KA], around=plain, title="შემოწმება"), None) == "article"


def test_a_page_of_scripts_and_a_noscript_message_is_a_check() -> None:
    shell = ("<html><head><title>&#8203;</title><script src='/149e9513-01fa-4fb0-aad4-566afd725d1b/2d206a39/ips.js'>"
             "</script></head><body><noscript><p>{msg}</p></noscript><div id='app'></div></body></html>")
    for msg in ("გთხოვთ, ჩართოთ JavaScript.", "Please enable JavaScript to view this page."):
        assert _classify(shell.format(msg=msg), None) == "blocked"
        assert _classify(shell.format(msg=msg), _story(STORY)) == "blocked"
    # a short page with text of its own beside its noscript tag is not a shell
    brief = _page(STORY[:1], around="<noscript><img src='/pixel.gif' alt='Enable JavaScript'></noscript><script>t()</script>")
    assert _classify(brief, None) == "article"


JA = ["東京都は本日、新しい防災計画を発表しました。", "専門家はこの計画が市民の安全を大きく高めると述べています。",
      "計画には避難所の増設と情報伝達の改善が含まれています。", "都は来年度から段階的に実施する予定です。"]


def test_lengths_are_counted_in_words_of_any_script() -> None:
    from worker import segment

    previous = "\n\n".join(JA * 6)
    html = _page(["読み込み中です。"], title="東京都が新しい防災計画を発表")
    verdict = classify(200, html, extract(html), previous)
    words = segment.count(extract(html).text)
    assert verdict.kind == "error"
    assert verdict.reason == f"body collapsed from {segment.count(previous)} to {words} words"
    assert segment.count(previous) < len(previous.replace("\n", "")) / 1.5  # words, not characters


def test_wall_words_fold_widths_and_join_across_layout() -> None:
    assert _classify(_page(["ＡＣＣＥＳＳ　ＤＥＮＩＥＤ。"], title="ＡＣＣＥＳＳ　ＤＥＮＩＥＤ"), None) == "blocked"
    split = "<html><head><title>東都新聞</title></head><body><main><p>お探しのページは<br>見つかりませんでした。</p></main></body></html>"
    assert _classify(split, None) == "soft_404"


def test_an_article_that_quotes_a_walls_words_is_an_article() -> None:
    # A first capture of a short brief: "thin", yet the not-found words are a quote, not the page's.
    quoted = ["県のサイトは十一日、閲覧できなくなった。", "画面には「ページが見つかりません」と出た。"] + JA
    assert _classify(_page(quoted, title="県のサイトが一時閲覧不能に"), None) == "article"
    bare = ["ページが見つかりません。"] + JA[:1]  # the same words as a paragraph of their own
    assert _classify(_page(bare, title="東都新聞"), None) == "soft_404"


def test_a_long_rewrite_that_says_something_went_wrong_is_an_article() -> None:
    rewrite = OTHER + ["Something went wrong."] + OTHER[::-1]  # shares nothing with STORY, not shorter
    assert _classify(_page(rewrite, title="Warehouse blaze"), _story(STORY)) == "article"
    assert _classify(_page(["Something went wrong.", "Please try again later."]), _story(STORY)) == "error"


def test_classify_cuts_words_as_segment_does() -> None:
    from worker import segment
    from worker.classify import _words

    for text in ("Hello, wörld! İstanbul'da 3,5 °C", "नमस्ते दुनिया — مرحبا بالعالم", "東京都で災害 and ข่าววันนี้", ""):
        assert _words(text) == segment.words(text.casefold()), text


def test_a_consent_notice_that_is_the_whole_body_is_a_wall_however_long() -> None:
    notice = ("Noi e i nostri partner archiviamo e accediamo a informazioni su un dispositivo, come i cookie, e "
              "trattiamo dati personali, come gli identificativi unici e le informazioni standard inviate da un "
              "dispositivo, per annunci e contenuti personalizzati, valutazione degli annunci e del contenuto, "
              "osservazioni del pubblico e sviluppo di prodotti.")
    html = ("<html><head><title>Il Corriere</title></head><body><div role='dialog'><h2>La tua privacy</h2>"
            f"<p>{notice}</p><button>Accetta tutto</button></div></body></html>")
    assert _classify(html, None) == "consent"
