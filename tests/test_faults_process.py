"""Process faults on the real command: kill -9 mid-pass then restart, SIGTERM mid-pass, and two
`run --once` at once on one SQLite file. Passes are made slow by per_host_delay and simweb hangs,
never by sleeps in the code."""

from __future__ import annotations

import signal
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.simweb import SimWeb, Site
from tests.test_faults_helpers import PARAS, Service, archive_invariants, cli, wait_until, write_config

N = 12  # articles per site


def add_articles(site: Site, n: int = N) -> list[str]:
    return [site.add_article(f"news/{site.name}-{i}", title=f"{site.name} story {i}",
                             paragraphs=[f"{p} ({site.name} {i})" for p in PARAS[i % len(PARAS)]]).url
            for i in range(n)]


def archived(db: Path) -> int:
    """Articles with a version so far, read without taking any lock a writer needs (WAL readers never do)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(DISTINCT article_id) FROM versions").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A service killed with SIGKILL after three of twelve articles were archived (site still up)."""
    tmp = tmp_path_factory.mktemp("kill9")
    with SimWeb() as web:
        site = web.add_site("daily")
        urls = add_articles(site)
        cfg = write_config(tmp / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                           per_host_delay="0.4s", per_host_concurrency=1)  # about 5 s per pass
        db = tmp / "a.sqlite3"
        args = ("run", "--config", str(cfg), "--db", f"sqlite:///{db}")
        first = Service(*args)
        wait_until(lambda: archived(db) >= 3, 60, "three articles archived", first)
        first.stop(signal.SIGKILL, 10)
        with sqlite3.connect(db) as conn:
            done = {u.removeprefix(site.base_url) for (u,) in conn.execute("SELECT url FROM articles")}
        yield {"site": site, "urls": urls, "db": db, "args": args, "done": done, "cut": len(site.requests)}


def test_kill_9_leaves_only_whole_captures(killed: dict[str, Any]) -> None:
    db = killed["db"]
    assert integrity(db) == "ok"
    counts = archive_invariants(f"sqlite:///{db}")  # whole captures only, whatever the kill interrupted
    assert 3 <= len(counts) < N, "the kill did not land mid-pass"


def test_kill_9_then_restart_resumes_the_work(killed: dict[str, Any]) -> None:
    db, site = killed["db"], killed["site"]
    second = Service(*killed["args"])  # the source was never marked polled, so the service polls it at once
    try:
        wait_until(lambda: archived(db) == N, 20, "the rest archived", second)
    finally:
        res = second.stop(signal.SIGTERM, 10)
    assert res.returncode == 0, res.stderr[-2000:]
    counts = archive_invariants(f"sqlite:///{db}")
    assert set(counts) == set(killed["urls"]) and set(counts.values()) == {1}
    # work resumed rather than restarted: what was archived before the kill was not fetched again
    assert killed["done"] and not set(site.paths()[killed["cut"]:]) & killed["done"]


@pytest.fixture(scope="module")
def terminated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A service sent SIGTERM while requests are under way (three articles never answer)."""
    tmp = tmp_path_factory.mktemp("sigterm")
    with SimWeb() as web:
        site = web.add_site("daily")
        urls = add_articles(site)
        for url in urls[-3:]:
            site.fault(url.removeprefix(site.base_url), "hang", times=None)
        cfg = write_config(tmp / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                           per_host_delay="0.3s", per_host_concurrency=4, timeout="60s")
        db = tmp / "a.sqlite3"
        args = ("run", "--config", str(cfg), "--db", f"sqlite:///{db}")
        svc = Service(*args)
        wait_until(lambda: archived(db) >= 3, 60, "three articles archived", svc)
        res = svc.stop(signal.SIGTERM, 10)  # AssertionError if it takes longer than 10 s
        yield {"site": site, "urls": urls, "db": db, "args": args, "result": res}


def test_sigterm_mid_pass_exits_0_within_10s_nothing_half_written(terminated: dict[str, Any]) -> None:
    res, db = terminated["result"], terminated["db"]
    assert res.returncode == 0, res.stderr[-2000:]
    assert integrity(db) == "ok"
    assert len(archive_invariants(f"sqlite:///{db}")) < N


def test_sigterm_logs_no_traceback(terminated: dict[str, Any]) -> None:
    assert "Traceback" not in terminated["result"].stderr


def test_after_sigterm_the_next_run_finishes_the_work(terminated: dict[str, Any]) -> None:
    terminated["site"].clear_faults()
    cli("run", "--once", *terminated["args"][1:])
    counts = archive_invariants(f"sqlite:///{terminated['db']}")
    assert set(counts) == set(terminated["urls"]) and set(counts.values()) == {1}


@pytest.mark.parametrize("fresh", [True, False], ids=["fresh-file", "migrated-file"])
def test_two_passes_at_once_on_one_sqlite_file(web: SimWeb, tmp_path: Path, fresh: bool) -> None:
    sites = [web.add_site("daily"), web.add_site("herald")]
    urls = [u for s in sites for u in add_articles(s, 8)]
    # Both processes list the same articles: each must end up archived once.
    cfg = write_config(tmp_path / "s.yaml", [{"name": s.name, "kind": "feed", "url": s.url("/feed.xml")}
                                              for s in sites], per_host_delay="0.1s", per_host_concurrency=2)
    db = tmp_path / "a.sqlite3"
    if not fresh:
        cli("db", "upgrade", "--db", f"sqlite:///{db}")
    args = ("run", "--once", "--config", str(cfg), "--db", f"sqlite:///{db}")
    results = []
    go = threading.Barrier(2)

    def one() -> None:
        go.wait()
        results.append(cli(*args, check=False))

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=150)
    # Both migrate the file at once; then one plain runner per archive (worker/store/service_lock.py):
    # one that finds the other at work refuses with exit 1 rather than fetch everything again.
    assert sorted(r.returncode for r in results) in ([0, 0], [0, 1]), [r.stderr[-1500:] for r in results]
    for r in results:
        assert r.returncode == 0 or "another `newsarchive run` already works on the archive" in r.stderr, r.stderr
    assert integrity(db) == "ok"
    counts = archive_invariants(f"sqlite:///{db}")
    assert set(counts) == set(urls) and set(counts.values()) == {1}
