"""`newsarchive reextract` repairs an archive whose versions were made by a deliberately worse extractor."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

import worker.examine as examine_mod
from tests.test_e2e import jsonl, newsarchive
from worker.config import load_config
from worker.fetch import Fetcher
from worker.pipeline import Pipeline, utcnow
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.repository import ArchiveStore
from worker.values import Extracted, ExtractRules

STORIES = {
    "/a": ("Harbour bridge reopens", "The harbour bridge reopened to traffic on Monday after repairs to its deck."),
    "/b": ("Council approves budget", "The city council approved next year's budget by a narrow margin."),
}


class Site:
    def __init__(self) -> None:
        self.rng = random.Random(7)
        self.stories = dict(STORIES)

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        title, lead = self.stories[path]
        paras = "".join(f"<p>{lead} Further detail number {i} follows from the reporting.</p>" for i in range(5))
        most_read = "".join(f"<li>Headline {self.rng.randint(1, 10**6)}</li>" for _ in range(5))
        html = (f"<html><head><title>{title} | The Paper</title></head><body><nav>Home World</nav>"
                f"<article><h1>{title}</h1>{paras}</article><aside><h3>Most read</h3><ul>{most_read}</ul>"
                f"</aside><footer>{self.rng.randint(1, 10**6)} views</footer></body></html>")
        return httpx.Response(200, text=html, headers={"content-type": "text/html; charset=utf-8"})


def whole_page(html: str, url: str | None, rules: ExtractRules | None) -> Extracted:
    """The worse extractor: every text node of the page, boilerplate and all."""
    tree = LexborHTMLParser(html)
    title = tree.css_first("title").text() if tree.css_first("title") else ""
    return Extracted(title=title, authors=[], published_at=None, language=None,
                     text=(tree.body.text(separator="\n") if tree.body else ""))


async def _public(host: str) -> list[str]:
    return ["93.184.216.34"]


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
async def test_reextract_merges_churn_versions_and_keeps_real_edits(
        db: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    db_url = f"sqlite:///{tmp_path / 'a.sqlite3'}" if db == "sqlite" else request.getfixturevalue("pg_url")
    cfg = tmp_path / "s.yaml"
    cfg.write_text("defaults: {per_host_delay: 0s, revisit: [1h, 2h, 3h, 4h]}\nsources:\n"
                   "  - {name: paper, kind: urls, urls: ['https://paper.example/a', 'https://paper.example/b']}\n")
    config = load_config(cfg)
    upgrade(db_url)
    store = ArchiveStore(make_engine(db_url))
    ids = store.sync_sources([("paper", "urls", None)], utcnow())
    site = Site()
    offset = [timedelta(0)]
    monkeypatch.setattr(examine_mod, "extract", whole_page)
    async with Fetcher(transport=httpx.MockTransport(site.handler), resolver=_public) as fetcher:
        pipe = Pipeline(store, fetcher, ids, clock=lambda: utcnow() + offset[0])
        await pipe.poll(config.sources[0])
        for hours in (1, 2, 3):
            if hours == 3:  # a real correction on story b
                site.stories["/b"] = ("Council approves budget", STORIES["/b"][1].replace("narrow", "wide"))
            offset[0] = timedelta(hours=hours, minutes=1)
            await pipe.revisit(config.sources)

    before = jsonl(newsarchive("export", "--db", db_url).stdout)
    assert len(before) == 8  # the worse extractor saw a "change" at every capture

    out = newsarchive("reextract", "--config", str(cfg), "--db", db_url).stdout
    assert "2 articles" in out and "5 versions merged" in out

    after = jsonl(newsarchive("export", "--db", db_url).stdout)
    versions = {}
    for r in after:
        versions.setdefault(r["url"], []).append(r)
    assert [v["version"] for v in versions["https://paper.example/a"]] == [1]
    assert [v["version"] for v in versions["https://paper.example/b"]] == [1, 2]
    a1 = versions["https://paper.example/a"][0]
    assert a1["title"] == "Harbour bridge reopens" and "views" not in a1["text"] and "Most read" not in a1["text"]
    assert "wide margin" in versions["https://paper.example/b"][1]["text"]
    # versions span every capture they stand for
    assert a1["last_seen_at"] > a1["first_seen_at"]
    # running it again changes nothing
    again = newsarchive("reextract", "--config", str(cfg), "--db", db_url).stdout
    assert "2 unchanged" in again and "0 versions merged" in again
