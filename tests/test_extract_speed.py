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
