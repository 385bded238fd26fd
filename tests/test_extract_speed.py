"""Fast paths of extraction give what the plain computation gives (speed figures: bench/extraction_same.py)."""

from __future__ import annotations

from worker.extract import render


def _plain_effective_length(text: str) -> int:
    return len(text) + 2 * len(render._DENSE.findall(text))


def test_no_dense_character_below_the_floor():
    below = "".join(chr(c) for c in range(ord(render.DENSE_FLOOR)) if not 0xD800 <= c < 0xE000)
    assert render._DENSE.findall(below) == []
    assert render._DENSE.match(render.DENSE_FLOOR)  # the floor itself is a Han radical


def test_effective_length_fast_path_matches_the_plain_count():
    samples = [
        "", "plain ascii", "Grüße aus Köln", "Привет, мир", "مرحبا بالعالم", "สวัสดีครับ",
        "東京都で10時30分に", "ひらがな と カタカナ", "한국어 문장", "mixed café 漢字 ｶﾀｶﾅ 〆 々",
        "\u2e7f\u2e80\u2e99", "𠀀𪜀 plane two", "emoji 😀 only",
    ]  # fmt: skip
    for text in samples:
        assert render.effective_length(text) == _plain_effective_length(text), text


def _plain_fold(word: str) -> str:
    import unicodedata

    from worker import segment

    word = segment._WIDE.sub(lambda m: unicodedata.normalize("NFKC", m[0]), word).replace("ı", "i").casefold()
    return unicodedata.normalize("NFC", segment._FOLD_MARKS.sub("", unicodedata.normalize("NFD", word)))


def test_fold_ascii_fast_path_matches_the_full_fold():
    from worker.segment import fold, fold_widths

    ascii_chars = "".join(map(chr, range(128)))
    for word in [
        ascii_chars,
        ascii_chars.upper(),
        "Hello WORLD",
        "İstanbul",
        "café",
        "ＡＢＣ１２３",
        "ｶﾀｶﾅ",
        "",
    ]:
        assert fold(word) == _plain_fold(word), word
    assert fold_widths(ascii_chars) == ascii_chars


def test_script_counts_match_a_count_of_each_letter():
    import re

    from worker.extract import language

    samples = [
        "Die Straße in Köln", "Привет, мир! Hello", "مرحبا بالعالم و hello", "東京都で10時30分に、한국어 문장",
        "ελληνικά שלום ქართული Հայերեն हिन्दी বাংলা ไทย", "", "12345 !!!",
    ]  # fmt: skip
    for text in samples:
        plain = {name: len(p.findall(text)) for name, p in language._SCRIPT_RES.items()}
        plain["latin"] = len(re.findall(r"[A-Za-z\u00c0-\u024f]", text))
        want = {name: n for name, n in plain.items() if n}
        if language._ANY_NON_LATIN_RE.search(text) is None:
            want = {name: n for name, n in want.items() if name == "latin"}
        assert language._script_counts(text) == want, text


def test_standfirst_laid_out_over_lines_and_runs_of_spaces_is_still_found():
    # the standfirst search tests the description's longest word run before collapsing spaces
    from worker.extract import extract

    lead = "Hundreds of people had to leave their homes as the river burst its banks after heavy rain."
    shown = lead.replace(" ", "\n   ", 3).replace("river ", "river\u00a0\t ")
    body = "".join(
        f"<p>Paragraph {i} of the report on the flood, with enough words and commas, to count as prose here.</p>"
        for i in range(6)
    )
    html = (
        f"<html><head><title>Flood</title><meta property='og:description' content='{lead}'></head><body>"
        f"<header class='article-header'><h1>Flood</h1><div class='summary'>{shown}</div></header>"
        f"<div class='article-body'>{body}</div></body></html>"
    )
    assert extract(html).text.startswith(lead + "\n\nParagraph 0")


def _plain_mark_regions(root) -> None:
    from worker.extract import fallback

    marked: set[int] = set()
    for node in root.css(fallback._REGIONS):
        attrs = node.attributes
        named = node.tag in ("aside", "footer", "header", "nav", "menu") or fallback.is_boilerplate_attr(attrs)
        if not named and not fallback.unlikely_name(attrs.get("class") or "", attrs.get("id") or ""):
            continue
        parent = node.parent
        while parent is not None and parent.mem_id not in marked:
            parent = parent.parent
        if parent is None:
            marked.add(node.mem_id)
            node.insert_before(fallback._OPEN)
            node.insert_after(fallback._CLOSE)


def test_fallback_marks_the_outermost_named_boxes_as_a_walk_to_the_root_does():
    from selectolax.lexbor import LexborHTMLParser

    from worker.extract import fallback

    html = (
        "<body><div class='page'><div class='sidebar'><div class='x'><aside><p>a</p></aside></div>"
        "<div class='related'><p>b</p></div></div><div class='story'><p>c</p><nav><p>d</p></nav>"
        "<div class='wrap'><div id='comments'><div class='share'><p>e</p></div></div></div>"
        "<footer><div class='menu'><p>f</p></div></footer></div><div class='plain'><p>g</p></div></div>"
        "<aside><header><p>h</p></header></aside></body>"
    )
    fast, plain = LexborHTMLParser(html), LexborHTMLParser(html)
    fallback._mark_regions(fast.body)
    _plain_mark_regions(plain.body)
    assert fast.body.text() == plain.body.text()
    assert fast.body.text().count(fallback._OPEN) == 5  # sidebar, nav, comments, footer, the last aside


def test_match_form_ascii_fast_path_matches_the_unicode_path():
    from worker.phrase_match import match_form

    ascii_chars = "".join(map(chr, range(128)))
    for text in [ascii_chars, ascii_chars.upper(), "  Don`t  STOP\tthe\nPress ", "`", "", "UPDATE 2-Vote"]:
        # a soft hyphen sends the text down the Unicode path and is dropped there
        assert match_form(text) == match_form("\u00ad" + text), repr(text)


def _notes_line_by_line(text: str, monkeypatch) -> list:
    from worker import acknowledged
    from worker.phrase_match import PhraseSet

    with monkeypatch.context() as patch:
        patch.setattr(PhraseSet, "occurs", lambda self, formed: True)  # every line read, as before the check
        return acknowledged.notes(text)


def test_the_whole_text_check_never_hides_a_note_a_line_holds(monkeypatch):
    from worker import acknowledged, lexicon

    found = 0
    leads = ["", "_", "[", "【", "* "]
    for i, label in enumerate(lexicon.phrases("correction_label")):
        lead = leads[i % len(leads)]
        for text in (
            f"The vote was held on Monday.\n{lead}{label}: the date of the vote was misstated here before",
            f"東京で会議が開かれた。\n{lead}{label}（11月20日）記事の日付を訂正しました。",
        ):
            notes = acknowledged.notes(text)
            assert notes == _notes_line_by_line(text, monkeypatch), text
            found += bool(notes)
    for sentence in lexicon.phrases("correction_sentence")[:80]:
        text = f"Intro.\nNothing here.\nWe said so. {sentence} misstated the date of the vote."
        notes = acknowledged.notes(text)
        assert notes == _notes_line_by_line(text, monkeypatch), text
        found += bool(notes)
    assert found > 200  # the texts do hold notes: the check was put to the test
    assert acknowledged.notes("The vote was held on Monday.\nNo note at all.") == []


def test_scoring_with_the_index_paragraph_texts_gives_what_fresh_queries_give():
    from selectolax.lexbor import LexborHTMLParser

    from worker.extract.choose import paragraph_mass
    from worker.extract.content import generic_body
    from worker.extract.index import PageIndex

    prose = "The council voted on Monday to close the old bridge, citing cracks, rust and cost. " * 3
    html = (
        f"<html><head><title>Bridge</title></head><body><div class='nav'><p>Home, News, Sport</p></div>"
        f"<article><h1>Bridge</h1><p>{prose}</p><p>{prose[::-1]}</p><pre>{prose}</pre></article>"
        f"<aside class='related'><p>{prose}</p></aside>"
        f"<div class='entry-content'><p>{prose}</p></div></body></html>"
    )
    shared, fresh = LexborHTMLParser(html), LexborHTMLParser(html)
    paragraphs = PageIndex(shared).paragraphs()
    assert [text for _, text in paragraphs] == [n.text() for n in (*shared.css("p"), *shared.css("pre"))]
    assert paragraph_mass(paragraphs) == paragraph_mass([(n, n.text()) for n in fresh.css("p, pre")]) > 0
    assert generic_body(shared, "Bridge", paragraphs) == generic_body(fresh, "Bridge") != ""
