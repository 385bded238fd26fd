"""Language: declared (html lang, meta, og:locale) normalised to ISO 639-1, else detected."""

from __future__ import annotations

import pytest

from worker.extract import extract
from worker.extract.language import choose_language, detect_language, normalise_lang


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("en-US", "en"), ("de_DE", "de"), ("PT-br", "pt"), ("eng", "en"), ("iw", "he"), ("x-default", None),
     ("und", None), ("", None), (None, None), ("zh-Hans-CN", "zh"), ("12", None)],
)  # fmt: skip
def test_normalise_lang(raw: str | None, expected: str | None) -> None:
    assert normalise_lang(raw) == expected


SAMPLES = {
    "en": "The council said on Monday that the new bridge would be opened to traffic in the spring, after it had been delayed by the floods.",
    "de": "Der Rat hat am Montag mitgeteilt, dass die neue Brücke im Frühjahr für den Verkehr geöffnet wird, nachdem sie durch das Hochwasser verzögert wurde.",
    "fr": "Le conseil a indiqué lundi que le nouveau pont serait ouvert à la circulation au printemps, après avoir été retardé par les inondations.",
    "es": "El ayuntamiento dijo el lunes que el nuevo puente se abrirá al tráfico en primavera, después de que las inundaciones retrasaran las obras.",
    "it": "Il consiglio ha detto lunedì che il nuovo ponte sarà aperto al traffico in primavera, dopo che è stato ritardato dalle alluvioni.",
    "pt": "O conselho disse na segunda-feira que a nova ponte será aberta ao trânsito na primavera, depois de ter sido atrasada pelas cheias.",
    "nl": "De gemeenteraad heeft maandag gezegd dat de nieuwe brug in het voorjaar voor het verkeer wordt geopend, nadat die door de overstromingen werd vertraagd.",
    "tr": "Belediye pazartesi günü yaptığı açıklamada, yeni köprünün sel nedeniyle geciktikten sonra ilkbaharda trafiğe açılacağını söyledi ve bu çok önemli bir adım olarak görülüyor.",
    "pl": "Rada poinformowała w poniedziałek, że nowy most zostanie otwarty dla ruchu wiosną, po tym jak jego budowa została opóźniona przez powódź i że to jest dobra wiadomość.",
    "sv": "Kommunen sade på måndagen att den nya bron kommer att öppnas för trafik till våren, efter att den har försenats av översvämningarna och att det är bra.",
    "ru": "Совет заявил в понедельник, что новый мост будет открыт для движения весной, после того как его строительство задержали наводнения.",
    "uk": "Рада заявила в понеділок, що новий міст буде відкрито для руху навесні, після того як його будівництво затримали повені.",
    "ar": "قال المجلس يوم الاثنين إن الجسر الجديد سيفتح أمام حركة المرور في الربيع بعد أن تأخر بسبب الفيضانات.",
    "el": "Το συμβούλιο ανακοίνωσε τη Δευτέρα ότι η νέα γέφυρα θα ανοίξει για την κυκλοφορία την άνοιξη, μετά την καθυστέρηση από τις πλημμύρες.",
    "he": "המועצה הודיעה ביום שני כי הגשר החדש ייפתח לתנועה באביב, לאחר שעיכבו אותו השיטפונות.",
    "th": "สภาเมืองกล่าวเมื่อวันจันทร์ว่าสะพานใหม่จะเปิดให้รถสัญจรได้ในฤดูใบไม้ผลิ หลังจากล่าช้าเพราะน้ำท่วม",
    "ja": "市議会は月曜日、洪水で遅れていた新しい橋が春に開通すると発表した。住民からは歓迎の声が上がっている。",
    "ko": "시의회는 월요일 홍수로 지연됐던 새 다리가 봄에 개통될 것이라고 밝혔다. 주민들은 환영의 뜻을 나타냈다.",
    "zh": "市议会周一表示，因洪水而推迟的新桥将于春季通车，居民对此表示欢迎，认为这将大大方便出行。",
}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detect_language(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang


def test_detect_unsure_returns_none() -> None:
    assert detect_language("") is None
    assert detect_language("12345 67890 !!!") is None
    assert detect_language("Xq zzv plork wibble frob quux") is None


def test_declared_wins_over_detection_unless_script_contradicts() -> None:
    assert choose_language("de", SAMPLES["en"]) == "de"  # a declared Latin language is trusted
    assert choose_language("en", SAMPLES["ar"] * 3) == "ar"  # lang="en" template on Arabic text
    assert choose_language("fa", SAMPLES["ar"] * 3) == "fa"  # same script: the declaration stands
    assert choose_language("ur", "") == "ur"
    assert choose_language(None, SAMPLES["es"]) == "es"


def _page(attr: str, head: str, text: str) -> str:
    return (
        f"<html {attr}><head>{head}</head><body><article><p>{text}</p><p>{text}</p></article></body></html>"
    )


def test_language_sources_in_extract() -> None:
    assert extract(_page('lang="pt-BR"', "", SAMPLES["en"])).language == "pt"
    assert (
        extract(_page("", '<meta http-equiv="content-language" content="fr">', SAMPLES["en"])).language
        == "fr"
    )
    assert extract(_page("", '<meta property="og:locale" content="nl_NL">', SAMPLES["en"])).language == "nl"
    assert extract(_page("", "", SAMPLES["de"])).language == "de"
    assert extract(_page("", "", SAMPLES["ko"])).language == "ko"
    assert extract(_page("", "", "Xq zzv plork wibble frob quux " * 3)).language is None


def test_latin_declaration_overruled_only_by_overwhelming_evidence() -> None:
    german = (
        SAMPLES["de"]
        + " "
        + "Die Stadt hat die Pläne für das neue Viertel vorgestellt, und die Bürger sind nicht sehr begeistert davon. "
        * 3
    )
    assert choose_language("en", german) == "de"  # a template's lang="en" on a German article
    english_quoting = (
        SAMPLES["en"] + " " + SAMPLES["en"] + " He said: «El gobierno anunció el lunes las nuevas reglas»."
    )
    assert choose_language("en", english_quoting) == "en"
    for lang in ("es", "pt", "it", "fr", "nl", "tr"):
        assert choose_language(lang, SAMPLES[lang] * 3) == lang  # a correct declaration always stands
