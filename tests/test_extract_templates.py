"""Each simulated site template: the extractor returns exactly the article, the same on every request,
however the page's boxes (most read, related, counters, tokens) rotate around it."""

from __future__ import annotations

import httpx
import pytest

from tests.simweb import TEMPLATES, SimWeb
from worker.archive import content_hash
from worker.extract import extract


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_extracts_the_article_and_only_it(template: str) -> None:
    with SimWeb() as web:
        site = web.add_site(template, template=template)
        art = site.add_article("news/story", title="Harbour bridge reopens after repairs",
                               paragraphs=[f"Paragraph {i}: the harbour bridge reopened to traffic on Monday after "
                                           "months of repairs to its deck and cables." for i in range(6)])
        hashes = set()
        with httpx.Client() as client:
            for _ in range(4):
                ex = extract(client.get(art.url).text, art.url)
                assert ex.text == art.text
                hashes.add(content_hash(ex.title, ex.text))
        assert len(hashes) == 1
