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
