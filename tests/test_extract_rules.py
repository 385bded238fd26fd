"""Per-source rules: title/body/authors/published selectors, selector@attr, remove, fallback."""

from __future__ import annotations

from datetime import UTC, datetime

from worker.extract import extract
from worker.values import ExtractRules

P1 = "The council approved the budget on Tuesday night, after a debate that lasted more than five hours."
P2 = "Spending on schools will rise by four percent, while the road maintenance fund is cut by a tenth."
P3 = "A sidebar paragraph that is long, has commas, and would win generic scoring, because it is long."

HTML = f"""<html><head><title>Budget passed | Gazette</title></head><body>
<h1 class="hed">Council passes the budget</h1>
<div class="meta"><span class="who">Jane Doe and John Smith</span>
<span class="when" data-ts="2024-04-02T21:00:00-04:00">Tuesday night</span>
<time>2024-04-01</time></div>
<div class="story"><p>{P1}</p><div class="ad">Buy our product now, limited offer, while stocks last, hurry!</div><p>{P2}</p></div>
<div class="other"><p>{P3}</p><p>{P3}</p><p>{P3}</p></div>
</body></html>"""


def test_no_rules_means_rules_matched_none() -> None:
    assert extract(HTML).rules_matched is None


def test_rules_override_fields() -> None:
    rules = ExtractRules(
        title="h1.hed", body="div.story", authors=".who", published=".when@data-ts", remove=(".ad",)
    )
    got = extract(HTML, "https://x.example/a", rules)
    assert got.rules_matched is True
    assert got.title == "Council passes the budget"
    assert got.text == f"{P1}\n\n{P2}"
    assert got.authors == ["Jane Doe", "John Smith"]
    assert got.published_at == datetime(2024, 4, 3, 1, 0, tzinfo=UTC)


def test_published_selector_without_attribute_reads_text() -> None:
    got = extract(HTML, None, ExtractRules(published="div.meta time"))
    assert got.published_at == datetime(2024, 4, 1, tzinfo=UTC)


def test_remove_runs_before_everything() -> None:
    without_remove = extract(HTML, None, ExtractRules(body="div.story"))
    assert "Buy our product" in without_remove.text
    removed = extract(HTML, None, ExtractRules(body="div.story", remove=(".ad", "h1")))
    assert "Buy our product" not in removed.text
    assert removed.title == "Budget passed"  # h1 removed: title falls back to <title>


def test_body_selector_that_matches_nothing_falls_back_to_generic() -> None:
    got = extract(HTML, None, ExtractRules(body="div.article-body-from-old-design"))
    assert got.rules_matched is False
    assert got.text  # the generic extractor found something
    assert got.title == "Council passes the budget"


def test_rules_without_body_are_matched() -> None:
    got = extract(HTML, None, ExtractRules(title="h1.hed"))
    assert got.rules_matched is True


def test_invalid_selectors_do_not_raise() -> None:
    got = extract(
        HTML, None, ExtractRules(title="h1[[[", body=":::nope(", authors="<<", published="@@", remove=("{{",))
    )
    assert got.rules_matched is False
    assert got.title == "Council passes the budget"


def test_title_and_author_selectors_fall_back_when_missing() -> None:
    got = extract(HTML, None, ExtractRules(title=".no-such", authors=".no-such"))
    assert got.title == "Council passes the budget"


def test_nested_and_overlapping_selectors_are_safe() -> None:
    html = (
        "<html><body><div class='box'><div class='ad'>Buy now</div><nav><div class='x'>menu</div></nav>"
        f"<p>{P1}</p></div><div class='x'><p>{P2}</p></div></body></html>"
    )
    got = extract(html, None, ExtractRules(body="div, nav, div.x", remove=(".ad, .box .ad, div.box div",)))
    assert got.rules_matched is True
    assert P1 in got.text and P2 in got.text and "Buy now" not in got.text
    got = extract(html, None, ExtractRules(remove=("div.x, nav, .box",)))
    assert P1 not in got.text
