"""worker/lexicon.py: every language the archive's outlets write in has every wall family, and no
phrase is so short or so common that it would fire on an ordinary article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from worker import lexicon
from worker.classify import classify
from worker.extract import extract
from worker.phrase_match import PhraseSet, match_form
from worker.segment import has_spaceless

LANGUAGES = ("en", "az", "ru", "tr", "ar", "fa", "ja", "zh", "zh-Hant", "ko", "th", "hi", "id", "vi", "uk", "ur",
             "bn", "pt", "es", "fr", "de", "it", "pl", "nl")  # fmt: skip
WALL_FAMILIES = ("bot", "consent", "paywall", "login", "not_found", "error")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_family(language: str) -> None:
    families = lexicon.LEXICON[language]
    assert set(families) == set(lexicon.FAMILIES)
    for family in lexicon.FAMILIES:
        assert families[family], (language, family)


def test_phrases_are_long_enough_to_be_a_walls_own_words() -> None:
    for family in WALL_FAMILIES:
        for phrase in lexicon.phrases(family):
            formed = match_form(phrase.removesuffix("*"))
            assert formed == formed.strip() and formed, phrase
            # a spaceless phrase matches anywhere: three characters at least ("出错了"); Hangul is as dense
            dense = has_spaceless(formed) or regex.search(r"\p{Hangul}", formed)
            assert len(formed) >= (3 if dense else 6), phrase


def test_phrases_gathers_languages_in_order_each_once() -> None:
    both = lexicon.phrases("not_found", ("en", "de"))
    assert both[0] == lexicon.LEXICON["en"]["not_found"][0]
    assert set(both) == set(lexicon.LEXICON["en"]["not_found"]) | set(lexicon.LEXICON["de"]["not_found"])
    assert len(both) == len(set(both))
    assert set(lexicon.phrases("bot")) >= set(lexicon.LEXICON["th"]["bot"])
    with pytest.raises(KeyError):
        lexicon.phrases("corrections")


def test_no_wall_phrase_is_in_the_extraction_test_articles() -> None:
    """The extraction fixtures are full articles in nine languages, their chrome included: the
    wall phrases of every language found in their text are few, and none makes them a wall."""
    found = PhraseSet({f: lexicon.phrases(f) for f in WALL_FAMILIES})
    pages = sorted((Path(__file__).parent / "pages").glob("*.html"))
    assert len(pages) >= 9
    for page in pages:
        meta = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        html = page.read_text(encoding="utf-8")
        extracted = extract(html, meta["url"])
        assert len(found.find(match_form(extracted.text))) <= 1, page.name
        assert classify(200, html, extracted, extracted.text).kind == "article", page.name
