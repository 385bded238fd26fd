"""Boilerplate that leaks into bodies, in many languages: photo credits, box headings left with
nothing under them, share/follow/comment calls, source and filing lines, "read also" teasers; and a
short post that stays itself beside a long sidebar. Hand-written pages, per-field assertions."""

from __future__ import annotations

import pytest

from worker.extract import extract
from worker.extract.choose import choose_body
from worker.extract.content import unlikely_name
from worker.extract.fallback import fallback_body


def page(lang: str, title: str, paragraphs: list[str], inside: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html lang='{lang}'><head><title>{title} | Site</title></head><body>"
        "<div class='menu'><a href='/'>Start</a> <a href='/a'>A</a> <a href='/b'>B</a></div>"
        f"<main><article><h1>{title}</h1>{body}{inside}</article></main>"
        "<footer><p>© Site 2026</p></footer></body></html>"
    )


DE = [
    "Der Fluss stieg über Nacht um zwei Meter und überflutete die unteren Straßen der Altstadt samt Markt.",
    "Die Rettungskräfte brachten rund dreihundert Anwohner in Sicherheit, die meisten aus Häusern an der Brücke.",
    "Die Meteorologen erwarten, dass das Wasser über das Wochenende langsam sinkt, doch am Montag kommt neuer Regen.",
]
CASES = {
    "de": (
        "Hochwasser in der Altstadt",
        DE,
        [
            "Helfer tragen Sandsäcke zur Brücke am Markt. (Foto: Privat)",
            "Vertreter der Stadt am Ufer © Presseamt der Stadt | Jana Muster",
            "Quelle: dpa",
            "Kategorie: Lokales, Wetter",
            "Möchten Sie den Artikel teilen?",
            "Jetzt teilen!",
            "Kommentare schreiben",
            "Das Thema könnte Sie auch interessieren: Sturm im Norden",
        ],
    ),
    "fi": (
        "Tulva vanhassakaupungissa",
        [
            "Joki nousi yön aikana kaksi metriä ja tulvi vanhankaupungin alemmille kaduille ja torille asti.",
            "Pelastuslaitos evakuoi noin kolmesataa asukasta, useimmat heistä sillan lähellä olevista taloista.",
        ],
        ["Pelastajat kantavat hiekkasäkkejä sillalle. Kuva: Matti Meikäläinen"],
    ),
    "pl": (
        "Powódź na starym mieście",
        [
            "Rzeka podniosła się w nocy o dwa metry i zalała niższe ulice starego miasta razem z targowiskiem.",
            "Służby ratunkowe ewakuowały około trzystu mieszkańców, głównie z domów położonych przy moście.",
        ],
        [
            "Strażacy przy moście w nocy. Fot. PAP/Jan Kowalski",
            "Czytaj też: Burza nad Bałtykiem",
            "Źródło: PAP",
        ],
    ),
    "ru": (
        "Наводнение в старом городе",
        [
            "За ночь река поднялась на два метра и затопила нижние улицы старого города вместе с рынком.",
            "Спасатели эвакуировали около трёхсот жителей, большинство из домов у самого моста через реку.",
        ],
        ["Фото: ТАСС"],
    ),
    "es": (
        "Inundación en el casco antiguo",
        [
            "El río subió dos metros durante la noche e inundó las calles bajas del casco antiguo y el mercado.",
            "Los servicios de emergencia evacuaron a unos trescientos vecinos, casi todos de casas junto al puente.",
        ],
        [
            "LE PUEDE INTERESAR: Tormenta en el norte del país",
            "Mire: El río visto desde el aire",
            "Fuente: EFE",
        ],
    ),
    "pt": (
        "Enchente no centro histórico",
        [
            "O rio subiu dois metros durante a noite e inundou as ruas baixas do centro histórico e o mercado.",
            "Os bombeiros retiraram cerca de trezentos moradores, a maioria de casas perto da ponte velha.",
        ],
        ["Nos siga no Google Notícias"],
    ),
    "fr": (
        "Crue dans la vieille ville",
        [
            "La rivière est montée de deux mètres pendant la nuit et a inondé les rues basses de la vieille ville.",
            "Les secours ont évacué environ trois cents habitants, pour la plupart des maisons près du pont.",
        ],
        ["Crédits photos : Agence Exemple", "Suivez-nous sur les réseaux sociaux"],
    ),
}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_credit_share_source_and_teaser_lines_stay_out(lang: str) -> None:
    title, paragraphs, junk = CASES[lang]
    # the junk stands between the paragraphs and after them, each line a block of its own
    lines = "".join(f"<p>{line}</p>" for line in junk)
    rest = "".join(f"<p>{p}</p>" for p in paragraphs[1:])
    got = extract(page(lang, title, paragraphs[:1], inside=lines + rest + lines))
    assert got.title == title
    assert got.language == lang
    assert got.text == "\n\n".join(paragraphs)


@pytest.mark.parametrize(
    ("lang", "heading", "items"),
    [
        ("de", "Neueste Artikel", ["Sturm im Norden", "Neue Brücke eröffnet"]),
        ("ja", "関連記事", ["台風が接近", "新しい橋が開通"]),
        ("zh", "相关新闻", ["台风逼近", "新桥通车"]),
        ("ar", "اقرأ أيضا", ["عاصفة في الشمال", "افتتاح جسر جديد"]),
        ("en", "About the author", ["Jane Doe"]),
    ],
)
def test_heading_of_a_removed_box_does_not_end_the_body(lang: str, heading: str, items: list[str]) -> None:
    links = "".join(f"<li><a href='/{i}'>{item}</a></li>" for i, item in enumerate(items))
    box = f"<h3>{heading}</h3><ul class='related-list'>{links}</ul>"
    got = extract(page("de", "Hochwasser in der Altstadt", DE, inside=box))
    assert got.text == "\n\n".join(DE)
    assert heading not in got.text


def test_sub_headings_inside_the_text_and_a_closing_pull_quote_stay() -> None:
    inside = "<h2>Die Lage am Montag</h2><p>" + DE[2] + "</p><h4>Das Wasser kam schneller als je zuvor.</h4>"
    got = extract(page("de", "Hochwasser in der Altstadt", DE[:2], inside=inside))
    assert got.text == "\n\n".join(
        [*DE[:2], "Die Lage am Montag", DE[2], "Das Wasser kam schneller als je zuvor."]
    )


def test_sentences_that_merely_mention_a_photo_or_a_source_stay() -> None:
    keep = [
        "Das Bild zeigt die Brücke kurz vor der Flut im Morgengrauen.",
        "Die Quelle des Flusses liegt hoch in den Alpen.",
        "Mira cómo crece el río cada primavera.",
        "Er sah ein schönes Foto. Dann kam das Wasser",
    ]
    got = extract(page("de", "Hochwasser in der Altstadt", [*DE[:2], *keep, DE[2]]))
    for sentence in keep:
        assert sentence in got.text


def test_short_post_that_the_description_names_is_not_replaced_by_a_sidebar_run() -> None:
    ticker = "".join(
        f"<li><a href='/n{i}'>Meldung {i}</a><div>Die Nachrichtenagentur meldet am Abend eine weitere "
        f"Entwicklung in der Sache Nummer {i}, die viele Leser beschäftigt und noch lange beschäftigen "
        "wird, wie Beobachter in der Hauptstadt übereinstimmend sagen.</div></li>"
        for i in range(6)
    )
    html = (
        "<html lang='de'><head><title>Ratschläge geben | Blog</title></head><body>"
        "<div class='post'><h2>Ratschläge geben</h2><p>PDF: <a href='/r.pdf'>ratschlaege-geben</a></p></div>"
        f"<div id='sidebar'><ul>{ticker}</ul></div></body></html>"
    )
    scored = "PDF: ratschlaege-geben"
    assert "Nachrichtenagentur" in fallback_body(html, "Ratschläge geben")  # the longer run is the sidebar's
    described = choose_body(html, "Ratschläge geben", scored, 0, ("PDF: ratschlaege-geben",), None)
    assert described == (scored, "scorer")  # the page's description is the short post: it stays
    undescribed = choose_body(
        html, "Ratschläge geben", scored, 0, ("Ein Blog über Deutsch als Fremdsprache",), None
    )
    assert undescribed[1] == "fallback"  # a stub the description does not name is still replaced


@pytest.mark.parametrize(
    ("classes", "sidebar"),
    [
        ("content-sidebar-wrap", False),  # Genesis-style wrapper of the content and its sidebar: a layout
        ("main-content-sidebar-container", False),
        ("sidebar", True),
        ("sidebar-content", True),  # the sidebar's own content
        ("sidebar-wrap", True),
    ],
)
def test_a_wrapper_of_content_and_sidebar_is_not_named_as_the_sidebar(classes: str, sidebar: bool) -> None:
    assert unlikely_name(classes, "") is sidebar


JA = [
    "川の水位が一晩で二メートル上がり、旧市街の低い通りと市場が水に浸かった。消防は住民の避難を急いだ。",
    "気象台によると、水位は週末にかけてゆっくり下がる見込みだが、月曜日には再び雨が降るという。",
]


@pytest.mark.parametrize(
    ("lang", "paragraphs", "credit"),
    [
        ("ja", JA, "土のうを運ぶ住民たち（写真：共同）"),
        ("ja", JA, "写真＝共同"),
        (
            "zh",
            [
                "河水一夜之间上涨两米，淹没了老城区的低洼街道和市场，消防部门紧急疏散了居民。",
                "气象部门表示，水位将在周末缓慢下降，但周一还会有新的降雨，居民需要继续注意安全。",
            ],
            "市民在河边观看水情。（图/新华社）",
        ),
        (
            "ko",
            [
                "강물이 하룻밤 사이에 2미터나 불어나 구시가지의 낮은 거리와 시장이 물에 잠겼고 소방당국은 주민들을 대피시켰다.",
                "기상청은 주말 동안 수위가 천천히 내려가겠지만 월요일에 다시 비가 올 것이라고 밝혔다.",
            ],
            "구시가지 시장의 모습. 사진=연합뉴스",
        ),
        (
            "ar",
            [
                "ارتفع منسوب النهر مترين خلال الليل وغمرت المياه الشوارع المنخفضة في المدينة القديمة والسوق القريب منها.",
                "وقالت هيئة الأرصاد إن المنسوب سينخفض ببطء خلال عطلة نهاية الأسبوع، لكن الأمطار ستعود يوم الاثنين.",
            ],
            "تصوير: رويترز",
        ),
    ],
)
def test_credit_lines_of_unspaced_and_other_scripts_stay_out(
    lang: str, paragraphs: list[str], credit: str
) -> None:
    got = extract(page(lang, "Title", paragraphs[:1], inside=f"<p>{credit}</p><p>{paragraphs[1]}</p>"))
    assert got.language == lang
    assert got.text == "\n\n".join(paragraphs)


def test_cjk_sentences_that_mention_a_photo_stay() -> None:
    keep = "首相は記者会見で当時の写真を見せ、支援の継続を約束した。"
    got = extract(page("ja", "Title", [JA[0], keep, JA[1]]))
    assert got.text == "\n\n".join([JA[0], keep, JA[1]])
