"""The benchmark's scorers compute the published methods' values on toy inputs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import extraction as bench  # noqa: E402


def test_shingles_with_multiplicity_and_short_text() -> None:
    assert bench.shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"): 2, ("b", "c", "d", "a"): 1, ("c", "d", "a", "b"): 1, ("d", "a", "b", "c"): 1,
    }  # fmt: skip
    assert bench.shingles("only two") == {("only", "two"): 1}
    assert bench.shingles("") == {}
    assert bench.shingles("Hello, world! ... it's") == {("Hello", "world", "it", "s"): 1}


def test_page_scores() -> None:
    # truth: 7 tokens -> 4 shingles; prediction drops the last token -> 3 shingles, all shared.
    truth = "one two three four five six seven"
    assert bench.page_pr(truth, truth) == (1.0, 1.0)
    precision, recall = bench.page_pr("one two three four five six", truth)
    assert precision == 1.0
    assert recall == pytest.approx(3 / 4)
    assert bench.page_pr("", truth) == (1.0, 0.0)
    assert bench.page_pr("totally other words here", truth) == (0.0, 0.0)
    tp, fp, fn = bench.page_counts("one two three four five six seven eight", truth)
    assert (tp, fp, fn) == pytest.approx((4 / 5, 1 / 5, 0.0))


def test_aeb_score_means_and_accuracy() -> None:
    truth = "one two three four five six seven"
    pairs = [(truth, truth), ("one two three four five six", truth)]
    scores = bench.aeb_score(pairs)
    assert scores["precision"] == 1.0
    assert scores["recall"] == pytest.approx((1 + 0.75) / 2)
    assert scores["f1"] == pytest.approx(2 * 0.875 / 1.875)
    assert scores["accuracy"] == 0.5


def test_webeval_score() -> None:
    items = [
        ("Body  text\nhere. Menu", ["Body text here.", "missing one"], ["Menu", "Footer"]),
        (None, ["lost"], ["x"]),
    ]
    scores = bench.webeval_score(items)
    # tp 1, fn 2 (one missing + one failed page), fp 1
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(1 / 3)
    assert scores["f"] == pytest.approx(2 / (2 + 1 + 2))


def test_metadata_matchers() -> None:
    assert bench.title_match("Hello, World!", "hello world")
    assert not bench.title_match("Hello World | Site", "Hello World")
    assert bench.byline_match("Jane Doe", "By Jane Doe, Staff Writer")
    assert bench.byline_match("Jane Doe, John Roe", "Jane Doe and John Roe")
    assert bench.byline_match("", None)
    assert not bench.byline_match("Jane Doe", None)
    assert not bench.byline_match("", "Jane Doe")
    assert not bench.byline_match("John Roe", "Jane Doe")
    assert bench.date_match("2024-03-15T10:00:00+00:00", "2024-03-15")
    assert not bench.date_match("2024-03-16", "2024-03-15T23:00:00Z")
    assert bench.date_match(None, None)


def test_metadata_score_over_all_and_given() -> None:
    rows = [
        (bench.Result("", "A title", "Jane Doe", "2024-01-02"), {"title": "A title", "byline": "By Jane Doe", "published_time": "2024-01-02T00:00:00Z"}),
        (bench.Result("", "Other", "", None), {"title": "A title", "byline": None, "published_time": "None"}),
    ]  # fmt: skip
    scores = bench.metadata_score(rows)
    assert scores["title"] == 0.5
    assert scores["byline"] == 1.0 and scores["byline|given"] == 1.0
    assert scores["date"] == 1.0 and scores["date|given"] == 1.0


def test_scorers_take_canonically_equivalent_text_as_the_same() -> None:
    precomposed, decomposed = "\u09df\u09be", "\u09af\u09bc\u09be"  # Bengali "য়া", two spellings of one text
    assert bench.webeval_score([(f"{precomposed} word", [f"{decomposed} word"], [])])["recall"] == 1.0
    assert bench.page_pr(f"one two three {precomposed}", f"one two three {decomposed}") == (1.0, 1.0)
