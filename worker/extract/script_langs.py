"""Which language of a script: Russian, Ukrainian, Belarusian, Bulgarian, Serbian... in Cyrillic;
Arabic, Persian, Urdu... in Arabic script; Japanese, Chinese or Korean among Han texts; Turkish or
Azerbaijani (and Vietnamese) among Latin ones.

Letters that only one language of a script uses decide, weighed by their share of the text's
letters together with the letters the other candidates use: one і in a Russian article quoting
Ukrainian is not Ukrainian (Russian letters ы, э, ё outnumber it), while Ukrainian prose has about
one і in twenty letters and no ы at all. `strict` asks for the margins that justify overruling a
page's declared language; without it the best guess is given (short headlines).
"""

from __future__ import annotations

import re

_COUNTERS = {name: re.compile(f"[{chars}]") for name, chars in {
    "uk": "іїєґІЇЄҐ", "uk_only": "їєґЇЄҐ", "be": "ўЎ", "ru": "ыэёЫЭЁ", "hard": "ъЪ", "i": "иИ",
    "sr": "ђјљњћџЂЈЉЊЋЏ", "mk": "ѓќѕЃЌЅ", "kk": "әғқұһӘҒҚҰҺ", "ky": "ңөүҢӨҮ", "tg": "ӣӯҳҷӢӮҲҶ",
    "ur": "ٹڈڑںےۓ", "fa_letters": "پچژگ", "fa_forms": "یک", "ar_forms": "يكىة", "ckb": "ەێۆڵڕ",
    "ps": "ښځڅږګړټ", "ug": "ېۇۈۋ",
    "schwa": "əƏ", "dotless": "ıİğĞ", "vi": "ơưđƠƯĐạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữự",
}.items()}  # fmt: skip


def _shares(text: str, names: tuple[str, ...], letters: int) -> dict[str, float]:
    return {name: len(_COUNTERS[name].findall(text)) / letters for name in names}


def cyrillic(text: str, letters: int, strict: bool = False) -> str | None:
    s = _shares(
        text, ("uk", "uk_only", "be", "ru", "hard", "i", "sr", "mk", "kk", "ky", "tg"), max(letters, 1)
    )
    if strict and letters < 150:
        return None
    if s["sr"] >= 0.005:
        return "mk" if s["mk"] >= 0.001 else "sr"
    if s["tg"] >= 0.005:
        return "tg"
    if s["kk"] >= 0.01:
        return "kk"
    if s["ky"] >= 0.01:
        return "ky" if "ң" in text or "Ң" in text else "mn"
    if s["be"] >= 0.003 and s["i"] < 0.005:
        return "be"  # ў, and no и at all: Belarusian writes і and ы instead
    if s["uk"] >= 0.01 and s["ru"] * 4 < s["uk"] or s["uk_only"] > 0 and s["ru"] == 0 and not strict:
        return "uk"
    if s["ru"] >= 0.004 or (not strict and s["ru"] > 0):
        return "ru"
    if s["hard"] >= 0.01 and s["uk"] < 0.001:
        return "bg"  # ъ as a vowel, and none of Russian's ы э ё
    if strict:
        return None
    return "uk" if s["uk"] > 0 else "ru"


def arabic(text: str, letters: int, strict: bool = False) -> str | None:
    s = _shares(text, ("ur", "fa_letters", "fa_forms", "ar_forms", "ckb", "ps", "ug"), max(letters, 1))
    if strict and letters < 150:
        return None
    if s["ug"] >= 0.02:
        return "ug"
    if s["ckb"] >= 0.02:
        return "ckb"
    if s["ps"] >= 0.01:
        return "ps"
    if s["ur"] >= 0.01 or (not strict and s["ur"] > 0.005):
        return "ur"  # ے ں ٹ ڈ ڑ: Urdu's own letters
    # Persian writes ی and ک where Arabic writes ي and ك, and has پ چ ژ گ, which Arabic lacks.
    if s["fa_forms"] > s["ar_forms"] or s["fa_letters"] >= 0.004:
        return "fa"
    if strict and s["fa_letters"] > 0.001:
        return None
    return "ar"


def han(kana: int, han_count: int, hangul: int) -> str:
    """Japanese mixes kana into almost every sentence; Chinese uses none (one の in a brand is noise)."""
    total = kana + han_count + hangul
    if hangul * 3 >= total:
        return "ko"
    if kana >= 2 and kana * 12 >= han_count or kana * 4 >= han_count and kana:
        return "ja"
    return "zh"


def latin_letters(text: str, letters: int) -> str | None:
    """Turkish or Azerbaijani by their letters (ə is Azerbaijani's alone), Vietnamese by its marks."""
    s = _shares(text, ("schwa", "dotless", "vi"), max(letters, 1))
    if s["schwa"] >= 0.01:
        return "az"
    if s["dotless"] >= 0.01:
        return "tr"
    if s["vi"] >= 0.03:
        return "vi"
    return None
