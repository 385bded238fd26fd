"""End to end: the real `newsarchive` command against the simulated news web, over real HTTP,
on SQLite and on PostgreSQL. Each SPEC rule of issue #2 is proven here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.simweb import Article, SimWeb, Site

BOILERPLATE = ["Most read", "views", "Page generated", "cookies", "Newsletter", "Related", "Comments"]
PARAS = [
    ["Heavy rain and winds of up to 120 km/h battered the northern coast overnight, officials said on Friday.",
     "Emergency services evacuated more than two thousand residents from low-lying villages near the river.",
     "The regional government said damage to roads and power lines would take weeks to repair fully.",
     "Forecasters expect the weather to calm by Sunday, though flood warnings remain in place for now."],
    ["The central bank left its main interest rate unchanged at 4.25 percent after a two-day meeting.",
     "Policymakers said inflation was easing but remained above the target of two percent for the year.",
     "Markets had widely expected the decision, and the currency moved little after the announcement.",
     "The next meeting is scheduled for January, when new staff projections will be published."],
    ["A small museum in the old town has reopened after a six-year restoration of its medieval hall.",
     "Visitors can now see frescoes that had been hidden under layers of plaster since the 18th century.",
     "Restorers worked with archive photographs to rebuild the painted ceiling beam by beam.",
     "Admission is free for the first month, the museum's director told reporters at the opening."],
    ["Researchers have mapped the migration routes of a rare seabird using tiny solar-powered trackers.",
     "The birds travelled more than ten thousand kilometres between their breeding and feeding grounds.",
     "The data show the colonies depend on a handful of fishing areas that are not yet protected.",
     "The team hopes the findings will inform new marine reserves planned for the next decade."],
]


def newsarchive(*args: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point, in a fresh process, as an operator would run it."""
    proc = subprocess.run([sys.executable, "-m", "worker", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, cwd=Path(__file__).parents[1])
    if check and proc.returncode != 0:
        raise AssertionError(f"newsarchive {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return proc


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def write_config(path: Path, sources: list[dict[str, Any]], revisit: str = "[2s, 4s]") -> Path:
    lines = [
        "defaults:",
        "  every: 15m",
        f"  revisit: {revisit}",
        "  timeout: 10s",
        "  retries: 1",
        "  per_host_delay: 0s",
        "  per_host_concurrency: 4",
        "  allow_private_networks: true   # the simulated web lives on 127.0.0.1",
        "sources:",
    ]
    for s in sources:
        lines.append(f"  - name: {s['name']}")
        for k, v in s.items():
            if k != "name":
                lines.append(f"    {k}: {json.dumps(v)}")
    path.write_text("\n".join(lines) + "\n")
    return path


class World:
    """Two sites and four stories; a reprint; one robots-disallowed story."""

    def __init__(self, web: SimWeb) -> None:
        self.daily: Site = web.add_site("daily")
        self.herald: Site = web.add_site("herald")
        t = datetime(2026, 11, 20, 8, tzinfo=UTC)
        self.storm = self.daily.add_article("world/2026/11/20/storm-hits-coast", title="Storm hits northern coast",
                                            paragraphs=PARAS[0], authors=["Jane Doe"], published=t)
        self.rates = self.daily.add_article("business/2026/11/20/rates-on-hold", title="Central bank holds rates",
                                            paragraphs=PARAS[1], authors=["Ali Veli"], published=t)
        self.museum = self.herald.add_article("culture/museum-reopens", title="Medieval hall reopens",
                                              paragraphs=PARAS[2], authors=["Ana Ruiz"], published=t)
        self.reprint: Article = self.herald.add_article(
            "wire/storm-hits-coast", title=self.storm.title, paragraphs=self.storm.paragraphs,
            authors=self.storm.authors, published=t)
        self.daily.robots_txt = "User-agent: *\nDisallow: /private/\n"
        self.secret = self.daily.add_article("private/birds-study", title="Seabird routes mapped",
                                             paragraphs=PARAS[3], authors=["Kim Lee"], published=t)

    def sources(self) -> list[dict[str, Any]]:
        return [
            {"name": "daily-rss", "kind": "feed", "url": self.daily.url("/feed.xml")},
            {"name": "herald-sitemap", "kind": "sitemap", "url": self.herald.url("/sitemap_index.xml")},
        ]


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


def by_url(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["url"], []).append(r)
    return out


def test_archive_end_to_end(web: SimWeb, db_url: str, tmp_path: Path) -> None:
    world = World(web)
    cfg = str(write_config(tmp_path / "sources.yaml", world.sources()))
    base = ["--config", cfg, "--db", db_url]

    first = newsarchive("run", "--once", *base)
    assert "pass complete" in first.stdout

    rows = jsonl(newsarchive("export", *base).stdout)
    urls = by_url(rows)
    # the right articles: four stories, canonical URLs (tracking parameters gone), not the disallowed one
    assert set(urls) == {world.storm.url, world.rates.url, world.museum.url, world.reprint.url}
    for art in (world.storm, world.rates, world.museum):
        (v,) = urls[art.url]
        assert v["version"] == 1 and v["title"] == art.title
        for para in art.paragraphs:
            assert para in v["text"]
        for junk in BOILERPLATE:
            assert junk not in v["text"], (junk, v["text"])
        assert v["authors"] == art.authors
        prov = v["provenance"]
        assert prov["requested_url"] == art.url and prov["final_url"] == art.url and prov["status"] == 200
        assert prov["body_sha256"] and prov["fetched_at"] and prov["discovered_via"]
    # the reprint is linked to the earlier capture of the same text
    (reprint,) = urls[world.reprint.url]
    (storm,) = urls[world.storm.url]
    assert reprint["content_hash"] == storm["content_hash"]
    first_url = min((reprint, storm), key=lambda r: r["first_seen_at"])["url"]
    dup = (reprint if first_url == storm["url"] else storm)["duplicate_of"]
    assert dup == {"url": first_url, "version": 1}
    # robots.txt obeyed: no request to the disallowed path, and the refusal is in the fetch log
    assert not [p for p in world.daily.paths() if p.startswith("/private/")]
    failed = jsonl(newsarchive("fetches", "--failed", *base).stdout)
    assert any(f["error"] == "robots_disallowed" and "/private/" in f["requested_url"] for f in failed)

    # second pass at once: the feed answers 304, nothing is parsed, no version from boilerplate churn
    world.daily.clear_requests()
    fetched_as_new = [f["purpose"] for f in jsonl(newsarchive("fetches", *base).stdout)
                      if f["requested_url"] == world.storm.url].count("article")
    newsarchive("run", "--once", *base)
    log = jsonl(newsarchive("fetches", *base).stdout)
    feed_fetches = [f for f in log if f["purpose"] == "feed"]
    assert feed_fetches[-1]["not_modified"] is True and feed_fetches[-1]["status"] == 304
    # a known URL listed again is not fetched as new (only a due revisit may fetch it)
    assert [f["purpose"] for f in log if f["requested_url"] == world.storm.url].count("article") == fetched_as_new
    assert len(jsonl(newsarchive("export", *base).stdout)) == len(rows)

    # revisits: the pages churn (counters, most-read, tokens) but no version is made
    time.sleep(2.2)
    newsarchive("run", "--once", *base)
    log = jsonl(newsarchive("fetches", *base).stdout)
    assert sum(1 for f in log if f["purpose"] == "revisit") >= 4
    assert len(jsonl(newsarchive("export", *base).stdout)) == len(rows)

    # real edits: a headline change and a corrected sentence each make a new version
    world.storm.edit(title="Storm batters northern coast, thousands evacuated")
    corrected = list(world.museum.paragraphs)
    corrected[1] = corrected[1].replace("18th century", "17th century")
    world.museum.edit(paragraphs=corrected)
    time.sleep(2.2)  # the 4s revisit age is due now
    newsarchive("run", "--once", *base)
    urls = by_url(jsonl(newsarchive("export", *base).stdout))
    assert [v["version"] for v in urls[world.storm.url]] == [1, 2]
    assert urls[world.storm.url][1]["title"] == "Storm batters northern coast, thousands evacuated"
    assert [v["version"] for v in urls[world.museum.url]] == [1, 2]
    assert "17th century" in urls[world.museum.url][1]["text"]
    assert [v["version"] for v in urls[world.rates.url]] == [1]  # untouched story: still one version

    diff = newsarchive("diff", world.museum.url, *base).stdout
    assert "- " in diff and "18th century" in diff and "17th century" in diff
    history = newsarchive("history", world.storm.url, *base).stdout
    assert "v1" in history and "v2" in history

    latest = jsonl(newsarchive("export", "--latest", *base).stdout)
    assert len(latest) == 4 and {r["version"] for r in latest if r["url"] == world.storm.url} == {2}


def test_feed_update_makes_article_due_at_once(web: SimWeb, sqlite_url: str, tmp_path: Path) -> None:
    """A feed saying an article was updated after our capture gets it fetched without waiting for an age."""
    world = World(web)
    cfg = str(write_config(tmp_path / "s.yaml", [{"name": "daily-atom", "kind": "feed",
                                                    "url": world.daily.url("/atom.xml")}], revisit="[]"))
    base = ["--config", cfg, "--db", sqlite_url]
    newsarchive("run", "--once", *base)
    world.rates.edit(title="Central bank holds rates, signals cut in spring")
    newsarchive("run", "--once", *base)
    urls = by_url(jsonl(newsarchive("export", *base).stdout))
    assert [v["version"] for v in urls[world.rates.url]] == [1, 2]


@pytest.mark.parametrize("kind,path,extra", [
    ("feed", "/feed.json", {}),
    ("sitemap", "/news-sitemap.xml", {}),
    ("page", "/section/", {"links": "h2.headline a"}),
])
def test_other_source_kinds(web: SimWeb, sqlite_url: str, tmp_path: Path, kind: str, path: str,
                            extra: dict[str, str]) -> None:
    world = World(web)
    src = {"name": "s", "kind": kind, "url": world.daily.url(path), **extra}
    cfg = str(write_config(tmp_path / "s.yaml", [src]))
    newsarchive("run", "--once", "--config", cfg, "--db", sqlite_url)
    urls = set(by_url(jsonl(newsarchive("export", "--db", sqlite_url).stdout)))
    assert urls == {world.storm.url, world.rates.url}


def test_urls_source_and_include_exclude(web: SimWeb, sqlite_url: str, tmp_path: Path) -> None:
    world = World(web)
    cfg = str(write_config(tmp_path / "s.yaml", [
        {"name": "one-off", "kind": "urls", "urls": [world.museum.url + "?utm_source=x#top"]},
        {"name": "daily", "kind": "feed", "url": world.daily.url("/feed.xml"), "exclude": ["/business/"]},
    ]))
    newsarchive("run", "--once", "--config", cfg, "--db", sqlite_url)
    urls = set(by_url(jsonl(newsarchive("export", "--db", sqlite_url).stdout)))
    assert urls == {world.museum.url, world.storm.url}


def test_gone_article_keeps_its_versions(web: SimWeb, sqlite_url: str, tmp_path: Path) -> None:
    world = World(web)
    # Due 8 s after its capture: after the first pass (which revisits what is due by its end, and
    # takes seconds on a loaded machine with its helper processes' start), before the second.
    cfg = str(write_config(tmp_path / "s.yaml", world.sources()[:1], revisit="[8s]"))
    base = ["--config", cfg, "--db", sqlite_url]
    started = time.monotonic()
    newsarchive("run", "--once", *base)
    world.daily.remove_article(world.rates.slug)
    time.sleep(max(0.0, started + 8.2 - time.monotonic()))
    newsarchive("run", "--once", *base)
    urls = by_url(jsonl(newsarchive("export", *base).stdout))
    assert [v["version"] for v in urls[world.rates.url]] == [1]
    failed = jsonl(newsarchive("fetches", "--failed", *base).stdout)
    assert any(f["requested_url"] == world.rates.url and f["status"] == 410 for f in failed)


def test_check_and_config_errors(tmp_path: Path) -> None:
    good = write_config(tmp_path / "good.yaml", [{"name": "x", "kind": "feed", "url": "https://example.org/rss"}])
    out = newsarchive("check", "--config", str(good)).stdout
    assert "x" in out and "feed" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: x\n    kind: feed\n    url: https://example.org/rss\n    every: 15 minutes\n")
    proc = newsarchive("check", "--config", str(bad), check=False)
    assert proc.returncode == 2
    assert f"{bad}:5: sources[0].every" in proc.stderr and "Traceback" not in proc.stderr
    proc = newsarchive("run", "--once", "--config", str(bad), "--db", f"sqlite:///{tmp_path}/x.db", check=False)
    assert proc.returncode == 2 and not (tmp_path / "x.db").exists()  # stopped before any work


def test_db_upgrade(sqlite_url: str) -> None:
    out = newsarchive("db", "upgrade", "--db", sqlite_url).stdout
    assert "up to date" in out


def test_extract_command_on_files(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<html lang='de'><head><title>Sturm trifft die Küste | Tagesblatt</title>"
        "<meta name='author' content='Erika Muster'></head><body><nav><a href='/'>Start</a></nav>"
        "<article><h1>Sturm trifft die Küste</h1>"
        + "".join(f"<p>Der Sturm hat in der Nacht viele Bäume entwurzelt, sagte die Polizei am Morgen {i}.</p>"
                  for i in range(6))
        + "</article><footer>Impressum</footer></body></html>", encoding="utf-8")
    missing = tmp_path / "missing.html"
    proc = newsarchive("extract", str(page), str(missing), check=False)
    assert proc.returncode == 1 and "missing.html: cannot read" in proc.stderr  # an input failed: not 0
    out = jsonl(proc.stdout)
    assert out[0]["url"] == str(page) and out[0]["title"] == "Sturm trifft die Küste"
    assert out[0]["language"] == "de" and "entwurzelt" in out[0]["text"] and "Impressum" not in out[0]["text"]
    assert set(out[0]) >= {"title", "authors", "published_at", "modified_at", "language", "text", "url"}
    assert out[0]["extraction_method"] == "scorer"  # which method made the body (issue 14)
    assert out[1]["url"] == str(missing) and "error" in out[1]
