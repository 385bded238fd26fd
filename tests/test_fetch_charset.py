"""decode_html: BOM, header, meta, detection, fallback."""

from __future__ import annotations

import codecs

from worker.fetch import decode_html
from worker.fetch.charset import header_charset, meta_charset

RU = "Президент подписал указ о новых мерах поддержки экономики. Эксперты считают, что это поможет."
JA = "東京都は本日、新しい防災計画を発表しました。専門家はこの計画が市民の安全を高めると述べています。"


def page(text: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Новости</title></head><body><p>{text}</p></body></html>"


def test_windows_1251_declared_only_in_meta_charset() -> None:
    body = page(RU * 3, '<meta charset="windows-1251">').encode("cp1251")
    assert RU in decode_html(body, "text/html")
    assert RU in decode_html(body, None)


def test_shift_jis_declared_only_in_http_equiv() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    body = page(JA * 3, head).replace("Новости", "ニュース").encode("shift_jis")
    assert JA in decode_html(body, "text/html")


def test_wrong_header_charset_falls_back_to_meta() -> None:
    body = page(RU * 3, "<meta charset='windows-1251'>").encode("cp1251")
    text = decode_html(body, "text/html; charset=utf-8")  # the server lies
    assert RU in text and "\ufffd" not in text


def test_wrong_header_charset_without_meta_uses_detection() -> None:
    body = page(RU * 5).encode("cp1251")
    assert RU in decode_html(body, "text/html; charset=UTF-8")


def test_header_charset_wins_over_meta_when_it_decodes() -> None:
    body = page(RU, '<meta charset="iso-8859-1">').encode("utf-8")
    assert RU in decode_html(body, 'text/html; charset="utf-8"')


def test_bom_beats_everything() -> None:
    body = codecs.BOM_UTF8 + page(RU, '<meta charset="windows-1251">').encode("utf-8")
    assert decode_html(body, "text/html; charset=windows-1251").startswith("<!DOCTYPE html>")
    utf16 = codecs.BOM_UTF16_LE + page(JA).encode("utf-16-le")
    assert JA in decode_html(utf16, "text/html; charset=iso-8859-1")


def test_unknown_labels_and_garbage_never_raise() -> None:
    assert "abc" in decode_html(b"<p>abc</p>", "text/html; charset=no-such-charset")
    text = decode_html(b"<p>\xff\xfe\xfa broken \x80</p>", None)
    assert "broken" in text


def test_helpers() -> None:
    assert header_charset("text/html; Charset=Shift_JIS") == "Shift_JIS"
    assert header_charset("text/html") is None and header_charset(None) is None
    assert meta_charset(b'<meta content="text/html; charset=koi8-r" http-equiv="Content-Type">') == "koi8-r"
    assert meta_charset(b" " * 5000 + b'<meta charset="utf-8">') is None  # only the first 4 KB count
