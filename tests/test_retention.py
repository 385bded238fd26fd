"""Retention: `newsarchive prune [--dry-run]` through the real CLI on SQLite and PostgreSQL, the
`retention` block's validation, and the service's own prune (both runners, a short interval)."""

from __future__ import annotations

import json
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from tests.test_e2e import newsarchive
from tests.test_faults_helpers import Service, wait_until
from tests.test_fleet_workers import FAST
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.models import Article, Fetch, Source, Version, VersionRestatement
from worker.store.repository import ArchiveStore
from worker.values import Fetched

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=200)  # older than every default age
YOUNG = NOW - timedelta(days=1)
FEED = "https://news.example.com/feed.xml"


def _fetched(purpose: str, url: str, at: datetime, *, status: int | None = 200, body: str | None = None,
             error: str | None = None, not_modified: bool = False) -> Fetched:
    return Fetched(purpose=purpose, requested_url=url, final_url=url, status=status, fetched_at=at, duration_ms=120,
                   attempts=1, error=error, not_modified=not_modified, body_sha256=body and body * 64)


def _fill(db: str) -> dict[str, set[str]]:
    """An archive whose fetch log has one row of each case; returns the expected fate of each tag."""
    upgrade(db)
    engine = make_engine(db)
    store = ArchiveStore(engine)
    sid = store.sync_sources([("daily", "feed", FEED)], OLD)["daily"]
    rows = {  # tag -> (fetched, source_id); logged in this order, a minute apart
        "poll_first_a": _fetched("feed", FEED, OLD, body="a"),
        "poll_304": _fetched("feed", FEED, OLD, status=304, not_modified=True),
        "poll_same_a": _fetched("feed", FEED, OLD, body="a"),
        "poll_changed_b": _fetched("feed", FEED, OLD, body="b"),
        "poll_failed": _fetched("feed", FEED, OLD, status=503, error="http_status"),
        "poll_b_after_failure": _fetched("feed", FEED, OLD, body="b"),  # same as the last successful poll
        "poll_back_to_a": _fetched("feed", FEED, OLD, body="a"),  # differs from the poll before: kept
        "article_capture": _fetched("article", "https://news.example.com/a1", OLD, body="c"),
        "article_failed": _fetched("article", "https://news.example.com/a2", OLD, status=None, error="timeout"),
        "failed_but_named": _fetched("revisit", "https://news.example.com/a1", OLD, status=500, error="http_status"),
        "delivery_ok": _fetched("notify", "https://hooks.example.com/x", OLD, status=204),
        "delivery_failed": _fetched("notify", "https://hooks.example.com/x", OLD, status=500, error="http_status"),
        "young_poll_304": _fetched("feed", FEED, YOUNG, status=304, not_modified=True),
        "young_failed": _fetched("article", "https://news.example.com/a3", YOUNG, status=None, error="timeout"),
        "young_delivery": _fetched("notify", "https://hooks.example.com/x", YOUNG, status=204),
        "robots_failed": _fetched("robots", "https://news.example.com/robots.txt", OLD, status=None, error="timeout"),
    }
    for i, (tag, f) in enumerate(rows.items()):
        f.fetched_at += timedelta(minutes=i)
        f.error_detail = tag  # to find the row again
        if f.purpose == "feed":
            store.log_listing_fetch(sid, f, None, keep_state=False)
        else:
            store.log_fetch(f, None if f.purpose == "robots" else sid)
    with engine.begin() as c:
        ids = {tag: fid for tag, fid in c.execute(select(Fetch.error_detail, Fetch.id))}
        aid = c.execute(insert(Article).values(url="https://news.example.com/a1", source_id=sid, first_seen_at=OLD,
                                               last_seen_at=OLD, last_checked_at=OLD, version_count=1)).inserted_primary_key[0]
        vid = c.execute(insert(Version).values(
            article_id=aid, number=1, content_hash="h" * 64, title="t", authors=[], text="x", first_seen_at=OLD,
            last_seen_at=OLD, fetch_id=ids["article_capture"])).inserted_primary_key[0]
        # whatever names a fetch keeps it, even a failed one (here a restatement, as no real one would)
        c.execute(insert(VersionRestatement).values(
            version_id=vid, restated_at=OLD, fetch_id=ids["failed_but_named"], new_extractor_version=2,
            old_content_hash="h" * 64, new_content_hash="h" * 64, old_title="t", old_text="x"))
    engine.dispose()
    removed = {"poll_304", "poll_same_a", "poll_b_after_failure", "poll_failed", "article_failed", "delivery_ok",
               "delivery_failed", "robots_failed"}
    return {"removed": removed, "kept": set(rows) - removed}


def _tags(db: str) -> set[str]:
    engine = make_engine(db)
    with engine.connect() as c:
        tags = set(c.execute(select(Fetch.error_detail)).scalars())
    engine.dispose()
    return tags


def _status_counts(db: str) -> dict[str, int]:
    return json.loads(newsarchive("status", "--json", "--db", db).stdout)["archive"]


def test_prune_removes_old_unchanged_polls_failures_and_deliveries_keeps_captures(db_url: str, tmp_path: Path) -> None:
    fate = _fill(db_url)
    before = _status_counts(db_url)
    assert before["fetches"] == 16 and before["failed_fetches"] == 6

    dry = newsarchive("prune", "--dry-run", "--db", db_url)
    assert "unchanged_polls: would remove 3 " in dry.stdout
    assert "failed_fetches: would remove 3 " in dry.stdout  # poll_failed, article_failed, robots_failed
    assert "deliveries: would remove 2 " in dry.stdout
    assert _tags(db_url) == fate["removed"] | fate["kept"]  # --dry-run removed nothing

    done = newsarchive("prune", "--db", db_url)
    assert "unchanged_polls: removed 3 " in done.stdout and "deliveries: removed 2 " in done.stdout
    assert _tags(db_url) == fate["kept"]
    assert _status_counts(db_url) == before  # counters count every request made: pruning takes nothing off
    metrics_before = 'newsarchive_fetches_total{error="",purpose="feed",status="304"} 2.0'
    from fastapi.testclient import TestClient

    from worker.web.app import create_app

    with TestClient(create_app(db_url)) as client:
        assert metrics_before in client.get("/metrics").text

    again = newsarchive("prune", "--db", db_url)  # nothing left to do
    assert "unchanged_polls: removed 0 " in again.stdout and _tags(db_url) == fate["kept"]


def test_ages_from_the_config_and_forever(sqlite_url: str, tmp_path: Path) -> None:
    fate = _fill(sqlite_url)
    cfg = tmp_path / "s.yaml"
    cfg.write_text(f"database: {sqlite_url}\nsources: []\n"
                   "retention:\n  unchanged_polls: forever\n  failed_fetches: 400d\n  deliveries: 1h\n")
    out = newsarchive("prune", "--config", str(cfg)).stdout
    assert "unchanged_polls: kept forever" in out and "failed_fetches: removed 0 " in out
    assert "deliveries: removed 3 " in out  # the young one too: it is older than an hour
    assert _tags(sqlite_url) == (fate["removed"] | fate["kept"]) - {"delivery_ok", "delivery_failed", "young_delivery"}


@pytest.mark.parametrize(("line", "message"), [
    ("  failed_fetches: 90 days", 'retention.failed_fetches: "90 days" is not an age (write e.g. 90d, or forever'),
    ("  deliveries: 0", "retention.deliveries: 0 is too small"),
    ("  deliveries: never", 'retention.deliveries: "never" is not an age'),
    ("  unchanged: 30d", 'retention.unchanged: unknown key (did you mean "unchanged_polls"?)'),
])
def test_a_bad_retention_block_is_exit_2_naming_file_line_and_key(tmp_path: Path, line: str, message: str) -> None:
    cfg = tmp_path / "s.yaml"
    cfg.write_text(f"sources: []\nretention:\n  unchanged_polls: 30d\n{line}\n")
    for command in ("prune", "check"):
        res = newsarchive(command, "--config", str(cfg), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", check=False)
        assert res.returncode == 2, res.stderr
        assert f"{cfg}:4: {message}" in res.stderr
    assert not (tmp_path / "a.sqlite3").exists()


def test_the_schema_describes_the_retention_block() -> None:
    schema = json.loads(newsarchive("schema").stdout)
    block = schema["$defs"][schema["properties"]["retention"]["anyOf"][0]["$ref"].rsplit("/", 1)[1]]
    assert set(block["properties"]) == {"unchanged_polls", "failed_fetches", "deliveries"}
    assert block["properties"]["unchanged_polls"]["default"] == "30d"
    assert {"const": "forever"} in block["properties"]["deliveries"]["anyOf"]


@pytest.mark.parametrize("runner", ["inprocess", "fleet"])
def test_the_service_prunes_on_its_own(db_url: str, tmp_path: Path, runner: str) -> None:
    if runner == "fleet" and not db_url.startswith("postgresql"):
        pytest.skip("the fleet runs on PostgreSQL only")
    fate = _fill(db_url)
    cfg = tmp_path / "s.yaml"  # a source nobody answers: the service has nothing else to do
    cfg.write_text("defaults:\n  every: 1h\n  retries: 0\n  allow_private_networks: true\nsources:\n"
                   "  - {name: daily, kind: feed, url: 'http://127.0.0.1:9/feed.xml'}\n")
    env = {**(FAST if runner == "fleet" else {}), "NEWSARCHIVE_PRUNE_EVERY": "1s"}
    svc = Service("run", *(["--fleet"] if runner == "fleet" else []), "--config", str(cfg), "--db", db_url, env=env)
    try:
        wait_until(lambda: fate["removed"].isdisjoint(_tags(db_url)), 60, "the service's prune", svc)
        wait_until(lambda: "prune: removed" in svc.stderr_so_far(), 10, "its log line", svc)
    finally:
        res = svc.stop(signal.SIGTERM, 20)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr[-3000:]
    assert fate["kept"] <= _tags(db_url)


def test_migration_0008_counts_an_existing_fetch_log(db_url: str) -> None:
    """An archive at 0007 with fetches: after 0008 the tallies hold them, so /metrics and status go on."""
    from alembic import command

    from worker.store.migrate import alembic_config

    command.upgrade(alembic_config(db_url), "0007")
    engine = make_engine(db_url)
    with engine.begin() as c:
        sid = c.execute(insert(Source).values(name="daily", kind="feed", url=FEED, created_at=OLD)).inserted_primary_key[0]
        c.execute(insert(Fetch), [
            {"source_id": sid, "purpose": "feed", "requested_url": FEED, "status": 200, "fetched_at": OLD,
             "duration_ms": ms, "attempts": 1, "error": None, "not_modified": False} for ms in (10, 300, 40_000)] + [
            {"source_id": None, "purpose": "robots", "requested_url": FEED, "status": None, "fetched_at": OLD,
             "duration_ms": 5, "attempts": 1, "error": "timeout", "not_modified": False}])
    engine.dispose()
    upgrade(db_url)
    assert _status_counts(db_url) | {"articles": 0, "versions": 0} == {
        "articles": 0, "versions": 0, "fetches": 4, "failed_fetches": 1}
    from worker.web.metrics import render

    engine = make_engine(db_url)
    text = render(engine).decode()
    engine.dispose()
    assert 'newsarchive_listing_fetches_total{purpose="feed",source="daily"} 3.0' in text
    assert 'newsarchive_fetches_total{error="timeout",purpose="robots",status=""} 1.0' in text
    assert 'newsarchive_fetch_duration_seconds_bucket{le="0.05"} 2.0' in text
    assert 'newsarchive_fetch_duration_seconds_bucket{le="30.0"} 3.0' in text
    assert 'newsarchive_fetch_duration_seconds_count 4.0' in text
    with make_engine(db_url).connect() as c:
        assert c.scalar(select(func.count()).select_from(Fetch)) == 4
