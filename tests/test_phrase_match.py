"""worker/phrase_match.py: many phrases found at once, folded, at word edges where a script has them."""

from __future__ import annotations

from worker.phrase_match import PhraseSet, match_form


def _found(groups: dict[str, tuple[str, ...]], text: str) -> list[tuple[str, str]]:
    return [(h.group, h.phrase) for h in PhraseSet(groups).find(match_form(text))]


def test_case_accents_and_widths_fold() -> None:
    groups = {"nf": ("página no encontrada", "access denied", "sayfa bulunamadı")}
    assert _found(groups, "PAGINA NO ENCONTRADA") == [("nf", "página no encontrada")]
    assert _found(groups, "ＡＣＣＥＳＳ　ＤＥＮＩＥＤ") == [("nf", "access denied")]  # full-width Latin
    assert _found(groups, "SAYFA BULUNAMADI") == [("nf", "sayfa bulunamadı")]  # Turkish dotless I


def test_spaced_scripts_match_whole_words() -> None:
    groups = {"consent": ("accept all",), "bot": ("вы не робот",)}
    assert _found(groups, "Accept all") == [("consent", "accept all")]
    assert _found(groups, "They accept allegations") == []
    assert _found(groups, "Reaccept all") == []
    assert _found(groups, "Вы не роботы?") == []
    assert _found(groups, "Вы не робот?") == [("bot", "вы не робот")]


def test_a_starred_phrase_lets_its_last_word_go_on() -> None:
    groups = {"paywall": ("devamını okumak için abone*",)}
    assert _found(groups, "Devamını okumak için abone olun") == [("paywall", "devamını okumak için abone")]
    assert _found(groups, "Devamını okumak için aboneliğinizi başlatın") == [("paywall", "devamını okumak için abone")]


def test_spaceless_scripts_match_anywhere_and_across_layout_spaces() -> None:
    groups = {"nf": ("ページが見つかりません", "ไม่พบหน้าเว็บ"), "login": ("로그인하고 계속 읽기",)}
    assert _found(groups, "申し訳ありません。ページが\n見つかりませんでした") == [("nf", "ページが見つかりません")]
    assert _found(groups, "ขออภัย ไม่พบหน้า เว็บ") == [("nf", "ไม่พบหน้าเว็บ")]
    assert _found(groups, "지금 로그인하고 계속 읽기를 누르세요") == [("login", "로그인하고 계속 읽기")]  # particle glued on


def test_script_variants_are_one() -> None:
    groups = {"nf": ("صفحه یافت نشد", "درخواست‌های بیش از حد", "मैं रोबोट नहीं हूं", "الصفحة غير موجودة")}
    assert _found(groups, "صفحه يافت نشد") == [("nf", "صفحه یافت نشد")]  # Arabic yeh for Persian yeh
    assert _found(groups, "درخواست های بیش از حد") == [("nf", "درخواست‌های بیش از حد")]  # space for ZWNJ
    assert _found(groups, "मैं रोबोट नहीं हूँ") == [("nf", "मैं रोबोट नहीं हूं")]  # chandrabindu
    assert _found(groups, "الصفحةُ غيرُ موجودةٍ") == [("nf", "الصفحة غير موجودة")]  # vowel marks


def test_digits_of_other_scripts_are_ascii() -> None:
    assert match_form("خطای ۴۰۴") == "خطای 404"
    assert match_form("त्रुटि ४०४") == "त्रुटि 404"


def test_hits_come_in_text_order_with_every_group_that_owns_the_phrase() -> None:
    hits = PhraseSet({"a": ("page not found",), "b": ("page not found", "oops")}).find(match_form("Oops! Page not found"))
    assert [(h.group, h.formed, h.start) for h in hits] == [("b", "oops", 0), ("a", "page not found", 6),
                                                            ("b", "page not found", 6)]


def test_an_empty_set_finds_nothing() -> None:
    assert PhraseSet({}).find("anything") == []
    assert PhraseSet({"a": ("x",)}).find("") == []
