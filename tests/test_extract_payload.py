"""The article in a page's data payload (Next.js, Arc, Nuxt, Redux state, JSON scripts), found by shape
and taken only where the DOM's body is short and the two agree; recorded as `structured`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from worker.extract import extract, payload
from worker.values import ExtractRules

EN = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from the first of June.",
    "Engineers found cracks in two of its steel girders last winter, and repairs would take at least a year.",
    "Buses and bicycles may still cross, but lorries will have to use the ring road to reach the port.",
    "Shopkeepers on the quay said they feared losing customers, while residents welcomed quieter streets.",
    "The council promised a decision on a new crossing by the end of the year, after a public consultation.",
]
DE = [
    "Der Stadtrat hat am Dienstag beschlossen, die alte Hafenbrücke ab dem ersten Juni für Autos zu sperren.",
    "Ingenieure hatten im Winter Risse in zwei Stahlträgern gefunden; die Reparatur dauert mindestens ein Jahr.",
    "Busse und Fahrräder dürfen die Brücke weiter nutzen, Lastwagen müssen über die Ringstraße zum Hafen fahren.",
    "Die Händler am Kai fürchten um ihre Kundschaft, die Anwohner freuen sich dagegen auf ruhigere Straßen.",
]
JA = [
    "市議会は火曜日、老朽化した港の橋を六月一日から車両通行止めにすることを決めた。",
    "昨年の冬、技術者が鋼製の桁二本にひびを発見し、修理には少なくとも一年かかるという。",
    "バスと自転車は引き続き通行できるが、大型トラックは環状道路を使って港へ向かう必要がある。",
    "岸壁の商店主らは客足が遠のくことを心配している一方、住民は静かな街になると歓迎している。",
    "市は住民の意見を聞いたうえで、年内に新しい橋の建設について結論を出すとしている。",
]
RU = [
    "Городской совет во вторник решил закрыть старый портовый мост для автомобилей с первого июня.",
    "Зимой инженеры нашли трещины в двух стальных балках, и ремонт займёт не меньше года.",
    "Автобусы и велосипеды по-прежнему смогут проезжать, а грузовикам придётся ехать по кольцевой дороге.",
    "Торговцы на набережной опасаются потерять покупателей, а жители рады более тихим улицам.",
    "Решение о строительстве нового моста совет обещает принять до конца года, после общественных слушаний.",
]
MENU = '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'


def shell(title: str, lang: str, body: str, scripts: str, head: str = "") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Harbour Times</title>'
        f'<meta property="og:site_name" content="Harbour Times">{head}</head>'
        f"<body>{MENU}<main><h1>{title}</h1>{body}</main>{scripts}</body></html>"
    )


def next_data(data: dict) -> str:
    return f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'


def test_next_js_payload_gives_the_body_of_a_page_that_renders_it_in_the_browser() -> None:
    title = "Harbour bridge to close to cars"
    data = {
        "props": {
            "pageProps": {
                "article": {
                    "title": title,
                    "byline": "Jane Doe",
                    "body": "".join(f"<p>{p} <a href='/x'>More</a></p>" for p in EN),
                },
                # longer, but another story: the one under the page's title wins
                "related": [
                    {"title": "Ferry timetable changes", "body": "<p>" + " ".join(EN[::-1] * 2) + "</p>"}
                ],
            }
        },
        "page": "/[slug]",
    }
    html = shell(
        title, "en", "<div id='app'><p>Loading…</p></div>", next_data(data),
        head='<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2024-03-05T08:00:00Z">',
    )  # fmt: skip
    got = extract(html, "https://harbour.example/news/bridge")
    assert got.title == title
    assert got.authors == ["Jane Doe"]
    assert got.published_at == datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
    assert got.language == "en"
    assert got.extraction_method == "structured"
    assert got.text == "\n\n".join(f"{p} More" for p in EN)


def test_arc_content_elements_in_german_are_joined_in_order_with_headers_and_list_items() -> None:
    title = "Hafenbrücke wird für Autos gesperrt"
    content = {
        "headlines": {"basic": title},
        "description": {"basic": "Die Stadt sperrt die Brücke."},
        "content_elements": [
            {"type": "text", "content": DE[0]},
            {"type": "image", "url": "https://img.example/1.jpg", "caption": "Die Brücke im Winter"},
            {"type": "text", "content": f"<b>Risse:</b> {DE[1]}"},
            {"type": "header", "content": "Was sich ändert"},
            {
                "type": "list",
                "items": [{"type": "text", "content": DE[2]}, {"type": "text", "content": DE[3]}],
            },
        ],
    }
    script = f"<script>window.Fusion=window.Fusion||{{}};Fusion.globalContent={json.dumps(content)};Fusion.x=1;</script>"
    got = extract(shell(title, "de", "<div class='article-body'></div>", script))
    assert got.title == title
    assert got.language == "de"
    assert got.extraction_method == "structured"
    assert got.text == "\n\n".join([DE[0], f"Risse: {DE[1]}", "Was sich ändert", DE[2], DE[3]])
    assert "Die Brücke im Winter" not in got.text


def test_japanese_nuxt_function_payload_gives_its_long_string() -> None:
    title = "港の橋、六月から車両通行止めに"
    body = json.dumps("".join(f"<p>{p}</p>" for p in JA), ensure_ascii=True).replace("<", "\\x3C")
    script = f'<script>window.__NUXT__=(function(a,b,c){{return {{data:[{{article:{{title:a,body:b}}}}]}}}}("{title}",{body},1));</script>'
    got = extract(shell(title, "ja", "<div class='spinner'></div>", script))
    assert got.title == title
    assert got.language == "ja"
    assert got.extraction_method == "structured"
    assert got.text == "\n\n".join(JA)


def test_russian_redux_state_under_the_title_beats_a_longer_unrelated_string() -> None:
    title = "Портовый мост закроют для автомобилей"
    state = {
        "entities": {
            "a1": {"headline": title, "text": "\n".join(RU)},
            "a2": {"headline": "Новое расписание паромов", "text": "\n".join(RU[::-1] + RU[:2])},
        }
    }
    script = f"<script>window.__PRELOADED_STATE__ = {json.dumps(state, ensure_ascii=False)};</script>"
    got = extract(shell(title, "ru", "", script))
    assert got.language == "ru"
    assert got.extraction_method == "structured"
    assert got.text == "\n\n".join(RU)


def test_json_ld_howto_steps_are_read_by_shape() -> None:
    title = "How to mend a harbour net"
    howto = {
        "@context": "https://schema.org", "@type": "HowTo", "name": title,
        "step": [{"@type": "HowToStep", "name": f"Step {i}", "itemListElement": {"@type": "HowToDirection", "text": p}}
                 for i, p in enumerate(EN)],
    }  # fmt: skip
    html = shell(title, "en", "", f'<script type="application/ld+json">{json.dumps(howto)}</script>')
    got = extract(html)
    assert got.extraction_method == "structured"
    assert got.text == "\n\n".join(EN)


def _complete(payload_text: str) -> str:
    title = "Harbour bridge to close to cars"
    body = "<article class='story'>" + "".join(f"<p>{p}</p>" for p in EN * 2) + "</article>"
    data = {"props": {"pageProps": {"article": {"title": title, "body": payload_text}}}}
    return shell(title, "en", body, next_data(data))


@pytest.mark.parametrize("payload_text", ["\n".join(EN * 3), "\n".join(RU * 4)])
def test_a_complete_dom_body_keeps_the_scorer_whatever_the_payload_holds(payload_text: str) -> None:
    got = extract(_complete(payload_text))
    assert got.extraction_method == "scorer"
    assert got.text == "\n\n".join(EN * 2)


def test_a_complete_rule_body_keeps_rules() -> None:
    got = extract(_complete("\n".join(EN * 3)), rules=ExtractRules(body="article.story"))
    assert got.extraction_method == "rules"
    assert got.text == "\n\n".join(EN * 2)


def test_a_short_dom_body_is_replaced_only_by_a_payload_that_contains_it() -> None:
    title = "Harbour bridge to close to cars"
    teaser = f"<div class='story'><p>{EN[0]}</p><p>{EN[1]}</p></div>"
    same = {"article": {"title": title, "body": "\n".join(EN)}}
    other = {"article": {"title": title, "body": "\n".join(RU * 2)}}
    got = extract(shell(title, "en", teaser, next_data(same)))
    assert (got.extraction_method, got.text) == ("structured", "\n\n".join(EN))
    got = extract(shell(title, "en", teaser, next_data(other)))
    assert (got.extraction_method, got.text) == ("scorer", f"{EN[0]}\n\n{EN[1]}")


def test_no_article_in_the_payload_leaves_the_body_empty() -> None:
    title = "Harbour bridge to close to cars"
    cases = [
        {"article": {"title": "Another story", "body": "\n".join(EN)}},  # not under the page's title
        {"article": {"title": title, "body": " ".join(EN)[:420] + "..."}},  # a teaser cut short
        {"config": {"title": title, "bundle": "function(a){var b=a[0];if(b){return {x:b}};return [];}" * 20}},
        {"config": {"title": title, "labels": [{"text": "Home"}, {"text": "News"}, {"text": "Sport"}] * 50}},
    ]
    for data in cases:
        got = extract(shell(title, "en", "", next_data(data)))
        assert (got.text, got.extraction_method) == ("", None), data


def test_hostile_payloads_cost_nothing_but_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    title = "Harbour bridge to close to cars"
    deep = "[" * 100_000 + "]" * 100_000
    good = next_data({"article": {"title": title, "body": "\n".join(EN), "n": 1e999, "m": 0}})
    good = good.replace('"m": 0', '"m": ' + "9" * 5000)  # too long for int(): never converted
    broken = '<script type="application/json">{"a": [1, 2,</script><script>window.__INITIAL_STATE__ = {bad js};</script>'
    html = shell(title, "en", "", f'<script type="application/json">{deep}</script>{broken}{good}')
    got = extract(html)
    assert (got.extraction_method, got.text) == ("structured", "\n\n".join(EN))
    monkeypatch.setattr(payload, "MAX_SCRIPT", 100)  # a script over the cap is not parsed at all
    assert extract(html).text == ""


def test_present_is_a_substring_check_of_the_containers() -> None:
    assert payload.present('<script>window.__APOLLO_STATE__={"a":1}</script>')
    assert payload.present('<script type="application/json">{}</script>')
    assert not payload.present("<html><body><p>Plain page.</p><script>var x = 1;</script></body></html>")


def test_a_failure_in_the_payload_reader_keeps_the_dom_body(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(payload, "_payload_body", broken)
    title = "Harbour bridge to close to cars"
    teaser = f"<div class='story'><p>{EN[0]}</p><p>{EN[1]}</p></div>"
    got = extract(shell(title, "en", teaser, next_data({"article": {"title": title, "body": "\n".join(EN)}})))
    assert (got.extraction_method, got.text) == ("scorer", f"{EN[0]}\n\n{EN[1]}")


def test_jsonml_body_in_a_state_payload_is_read_as_paragraphs() -> None:
    title = "Harbour bridge to close to cars"
    body = ["root", ["p", {}, EN[0][:20], ["a", {"href": "/x"}, EN[0][20:40]], EN[0][40:]]]
    body += [["p", p] for p in EN[1:]] + [["figure", {"src": "/i.jpg"}]]
    state = {"article": {"hed": title, "title": title, "body": body}}
    got = extract(shell(title, "en", "", f"<script>window.__INITIAL_STATE__={json.dumps(state)}</script>"))
    assert (got.extraction_method, got.text) == ("structured", "\n\n".join(EN))


def test_a_payload_not_under_the_title_replaces_a_stub_when_it_holds_the_page_description() -> None:
    title = "Harbour bridge to close to cars"
    description = EN[0]
    head = f'<meta property="og:description" content="{description}">'
    meta = [{"name": "description", "content": description}, {"property": "og:locale", "content": "en_GB"}]
    data = {"props": {"head": meta * 3, "story": {"hed": "Bridge shut", "blocks": [{"text": p} for p in EN]}}}
    got = extract(shell(title, "en", "", next_data(data), head=head))
    assert (got.extraction_method, got.text) == ("structured", "\n\n".join(EN))
    # the description alone (here, only the meta tags' list) is no body
    alone = {"props": {"head": [{"name": "description", "content": " ".join(EN)}] * 3 + meta}}
    head = f'<meta property="og:description" content="{" ".join(EN)}">'
    got = extract(shell(title, "en", "", next_data(alone), head=head))
    assert (got.extraction_method, got.text) == (None, "")
