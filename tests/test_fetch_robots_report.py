"""A robots.txt Crawl-delay above crawl_delay_max names its source (issue 17, item 8): the poll goes on
at the cap, and `status`, `status --json`, /api/sources, the Sources page and /metrics say which
source is slowed, what its site asked for, the cap applied and what to change."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from tests.simweb import SimWeb
from tests.test_e2e import PARAS
from tests.test_faults_helpers import cli, write_config
from worker.config import load_config
from worker.fetch import Fetcher
from worker.health import source_health
from worker.store.engine import make_engine
from worker.store.migrate import alembic_config
from worker.values import FetchPolicy
from worker.web import create_app

SLOW = "User-agent: *\nCrawl-delay: 86400\n"


async def test_a_capped_fetch_says_which_robots_txt_asked_for_what() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, content=SLOW.encode())
        return httpx.Response(200, content=b"page")

    async def public(host: str) -> list[str]:
        return ["93.184.216.34"]

    async def no_wait(seconds: float) -> None:
        pass

    policy = FetchPolicy(per_host_delay=0.0, retries=0, crawl_delay_max=2.0)
    async with Fetcher(transport=httpx.MockTransport(handler), resolver=public, sleep=no_wait) as fetcher:
        capped = await fetcher.fetch("https://slow.example/a", policy, purpose="article")
        obeyed = await fetcher.fetch("https://slow.example/b", FetchPolicy(per_host_delay=0.0, retries=0,
                                     crawl_delay_max=100000.0), purpose="article")
        spaced = await fetcher.fetch("https://slow.example/c", FetchPolicy(per_host_delay=90000.0, retries=0,
                                     crawl_delay_max=2.0), purpose="article")
    assert capped.ok and capped.crawl_delay_capped == ("https://slow.example/robots.txt", 86400.0)
    assert obeyed.ok and obeyed.crawl_delay_capped is None  # under the cap: obeyed, nothing to say
    assert spaced.ok and spaced.crawl_delay_capped is None  # per_host_delay alone spaces them as asked


def test_status_names_the_source_a_capped_crawl_delay_slows(tmp_path: Path, db_url: str) -> None:
    with SimWeb() as web:
        slow, calm = web.add_site("slow"), web.add_site("calm")
        slow.robots_txt = SLOW
        for i in range(3):
            slow.add_article(f"news/s-{i}", title=f"Slow story {i}", paragraphs=PARAS[i])
            calm.add_article(f"news/c-{i}", title=f"Calm story {i}", paragraphs=PARAS[i])
        cfg = write_config(tmp_path / "s.yaml", [
            {"name": "slow", "kind": "feed", "url": slow.url("/feed.xml")},
            {"name": "calm", "kind": "feed", "url": calm.url("/feed.xml")},
        ], respect_robots=True, retries=0, crawl_delay_max="1s")
        base = ["--config", str(cfg), "--db", db_url]
        # 86400 s obeyed would stall the pass for days; capped at 1 s its four requests take seconds
        cli("run", "--once", *base, timeout=90)
        text = cli("status", *base).stdout
        doc = json.loads(cli("status", "--json", *base).stdout)
        with TestClient(create_app(db_url, load_config(cfg))) as client:
            api = {s["name"]: s for s in client.get("/api/sources").json()}
            html = client.get("/sources").text
            metrics = client.get("/metrics").text

        lines = {ln.split()[0]: ln for ln in text.splitlines()[1:]}
        robots = slow.url("/robots.txt")
        assert "NEEDS ATTENTION" in lines["slow"] and "Crawl-delay capped" in lines["slow"]
        assert f"{robots} asks for 86400s" in lines["slow"] and "crawl_delay_max 1s" in lines["slow"]
        assert "raise crawl_delay_max on this source" in lines["slow"]
        assert lines["calm"].rstrip().endswith("healthy")
        by = {s["name"]: s for s in doc["sources"]}
        assert by["slow"]["crawl_delay_capped"] == {"robots": robots, "asked": 86400.0, "cap": 1.0}
        assert by["calm"]["crawl_delay_capped"] is None and by["calm"]["state"] == "healthy"
        assert by["slow"]["articles"] == 3  # the pass went on at the cap
        assert api["slow"]["problems"] == by["slow"]["problems"] and api["slow"]["crawl_delay_capped"]["cap"] == 1.0
        assert "Crawl-delay capped" in html
        assert 'newsarchive_source_crawl_delay_capped_seconds{source="slow"} 86400.0' in metrics
        assert 'crawl_delay_capped_seconds{source="calm"}' not in metrics

        slow.robots_txt = "User-agent: *\nCrawl-delay: 0.5\n"  # the site relents: the next poll clears it
        cli("run", "--once", *base, timeout=90)
        doc = json.loads(cli("status", "--json", *base).stdout)
    by = {s["name"]: s for s in doc["sources"]}
    assert by["slow"]["crawl_delay_capped"] is None and by["slow"]["state"] == "healthy", by["slow"]["problems"]
    engine = make_engine(db_url)
    try:
        with engine.connect() as c:  # cleared to SQL NULL, not a JSON null
            assert c.execute(sa.text("SELECT count(*) FROM sources WHERE crawl_delay_capped IS NULL")).scalar() == 2
    finally:
        engine.dispose()


def test_the_problem_is_judged_from_the_row_alone() -> None:
    row = {"last_poll_ok": True, "degraded": False, "degraded_reason": None, "fetches_24h": 4, "failures_24h": 0,
           "recent_failures": [], "crawl_delay_capped": {"robots": "https://a.example/robots.txt", "asked": 120.0,
                                                         "cap": 30.0}}
    now = datetime.now(UTC)
    judged = source_health(row, now, None, False, now)
    assert judged.state == "needs attention"
    assert judged.problems == ["Crawl-delay capped: https://a.example/robots.txt asks for 120s between requests, "
                               "above crawl_delay_max 30s, which is applied instead; raise crawl_delay_max on this "
                               "source to obey it, or drop the source"]
    assert source_health(row | {"crawl_delay_capped": None}, now, None, False, now).healthy


def test_migration_0010_adds_the_column_to_an_archive_at_0009(db_url: str) -> None:
    command.upgrade(alembic_config(db_url), "0009")
    engine = make_engine(db_url)
    try:
        with engine.begin() as c:
            c.execute(sa.text("INSERT INTO sources (name, kind, url, created_at, degraded) "
                              "VALUES ('old', 'feed', 'http://a/feed', :t, false)"), {"t": datetime.now(UTC)})
        command.upgrade(alembic_config(db_url), "0010")
        with engine.connect() as c:
            assert c.execute(sa.text("SELECT name, crawl_delay_capped FROM sources")).all() == [("old", None)]
        command.downgrade(alembic_config(db_url), "0009")
        assert "crawl_delay_capped" not in {col["name"] for col in sa.inspect(engine).get_columns("sources")}
        command.upgrade(alembic_config(db_url), "head")
    finally:
        engine.dispose()
