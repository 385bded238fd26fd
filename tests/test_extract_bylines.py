"""Bylines in many languages: labels, roles, e-mails and dates go; names are split on the
conjunctions and list marks of each language; a date or the site's name is never an author."""

from __future__ import annotations

import pytest

from worker.extract import extract
from worker.extract.bylines import split_names

BODY = (
    "<article><p>"
    + "Article text long enough, with commas, to count as the body of a page. " * 4
    + "</p></article>"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("記者 山田太郎", ["山田太郎"]),
        ("山田太郎記者", ["山田太郎"]),
        ("田中一郎、佐藤花子", ["田中一郎", "佐藤花子"]),
        ("ジョン・スミス", ["ジョン・スミス"]),  # the middle dot joins one foreign name
        ("本报记者 张三", ["张三"]),
        ("本报记者 张三 李四", ["张三", "李四"]),
        ("张三，李四", ["张三", "李四"]),
        ("홍길동 기자", ["홍길동"]),
        ("글=홍길동 기자", ["홍길동"]),
        ("(서울=연합뉴스) 홍길동 기자 hong@yna.co.kr", ["홍길동"]),
        ("홍길동 기자, 김철수 기자", ["홍길동", "김철수"]),
        ("بقلم: محمد علي", ["محمد علي"]),
        ("Автор: Иван Петров", ["Иван Петров"]),
        ("Иван Петров и Анна Смирнова", ["Иван Петров", "Анна Смирнова"]),
        ("Yazar: Ali Veli ve Ayşe Kaya", ["Ali Veli", "Ayşe Kaya"]),
        ("Müəllif: Əli Həsənov və Leyla Quliyeva", ["Əli Həsənov", "Leyla Quliyeva"]),
        ("Von Anna Becker und Jonas Weber", ["Anna Becker", "Jonas Weber"]),
        ("Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
        ("Martin Untersinger (avec Damien Leloup et Morgane Tual)", ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]),
        ("By GILLIAN MOHNEY March 11, 2015 3:46 PM", ["GILLIAN MOHNEY"]),
        ("Иван Петров, 20 ноября 2026, 10:30 МСК", ["Иван Петров"]),
        ("山田太郎 2026年11月20日 10時30分", ["山田太郎"]),
        ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", ["Bradley M. Kuhn"]),
        ("Jane Doe jane.doe@paper.example", ["Jane Doe"]),
        ("James Akinaka • 8h", ["James Akinaka"]),
        ("By Brenda Goodman, MA", ["Brenda Goodman"]),
        ("Jane Doe Staff Writer", ["Jane Doe"]),
        ("Our Foreign Staff", ["Our Foreign Staff"]),
        ("史蒂文的家_藍天 (stevenhgm)", ["史蒂文的家_藍天 (stevenhgm)"]),
        ("/ Cory Doctorow / 10:08 am Fri Jul 19, 2013", ["Cory Doctorow"]),
        ("Jane Doe, Tuesday 15 October 2019", ["Jane Doe"]),
        ("By Sun Yang", ["Sun Yang"]),
        ("Staff Writer", []),
        ("Redacci&oacute;n Diario Siete", ["Redacción Diario Siete"]),  # entities decoded, not split on
        ("Lindsey O&#8217;Donnell", ["Lindsey O’Donnell"]),
        ("Letters To The Editor", ["Letters To The Editor"]),  # a column's name, kept whole
        ("Text und Interview: Harald Willenbrock", ["Harald Willenbrock"]),
        ("MORITZ GATHMANN am 12. März 2021", ["MORITZ GATHMANN"]),
        ("Veröffentlicht am 03.05.2021, PETA-Team", ["PETA-Team"]),
        ("Sara Zinnecker Stand: 01.02.2023", ["Sara Zinnecker"]),
        ("AuthorAndreas Kalt", ["Andreas Kalt"]),  # a screen-reader label glued on
        ("Leonardo DiCaprio", ["Leonardo DiCaprio"]),
        ("Post author By Helge Fahrnberger", ["Helge Fahrnberger"]),
        ("erstellt von Dominique — veröffentlicht", ["Dominique"]),
        ("Christoph Hein Chefredakteur", ["Christoph Hein"]),
        ("Jan Fleischhauer, deutscher Journalist, Kolumnist", ["Jan Fleischhauer"]),
        ("Hecho en Bolivia con Drupal por Smartica", []),  # Spanish "en" is no conjunction
        ("wien.ORF.at/Agenturen", []),
        ("By", []),
        ("Brendan Carlin For The Mail", ["Brendan Carlin"]),
        ("Kooman, F", ["Kooman"]),
        ("Updated April 29, 2019 at 3:33 pm", []),
        ("Last Updated: January 7, 2025", []),
        ("20 ноября 2026", []),
        ("2026年11月20日", []),
    ],
)  # fmt: skip
def test_split_names(raw: str, expected: list[str]) -> None:
    assert split_names(raw) == expected


def test_the_site_name_is_never_an_author() -> None:
    assert split_names("By Jane Doe | The Gazette", ("The Gazette",)) == ["Jane Doe"]
    assert split_names("THE GAZETTE", ("The Gazette",)) == []
    assert (
        split_names("Süddeutsche.de GmbH, Munich, Germany", ("Süddeutsche.de GmbH",)) == []
    )  # nor its address
    assert split_names("Jane Doe and John Smith, The Gazette", ("The Gazette",)) == ["Jane Doe", "John Smith"]
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Organization","name":"Daily Planet"}}</script>'
    head = ld + '<meta property="og:site_name" content="Daily Planet">'
    body = '<div class="byline">Автор: Иван Петров</div>'
    assert extract(f"<html><head>{head}</head><body>{body}{BODY}</body></html>").authors == ["Иван Петров"]


def test_byline_element_with_role_and_date() -> None:
    body = '<p class="byline"><span>김민수 기자</span> 입력 2024.06.03 14:20</p>'
    assert extract(f'<html lang="ko"><body>{body}{BODY}</body></html>').authors == ["김민수"]
    body = '<div class="author">Yazar: Mehmet Yılmaz - 20 Kasım 2026</div>'
    assert extract(f'<html lang="tr"><body>{body}{BODY}</body></html>').authors == ["Mehmet Yılmaz"]


def test_a_byline_with_an_email_glued_to_the_name_gives_way_to_a_clean_one() -> None:
    body = (
        '<div class="author">Por María Carrasquilla Reinamaria.c@paper.example</div>'
        '<div class="author">María Carrasquilla Reina</div>'
    )
    assert extract(f'<html lang="es"><body>{body}{BODY}</body></html>').authors == [
        "María Carrasquilla Reina"
    ]
