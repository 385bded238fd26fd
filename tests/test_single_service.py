"""No silent duplicate work (issue 16, item 5): one plain `newsarchive run` per archive.

A second plain runner (the service or `run --once`) on an archive that has one refuses to start, exit 1,
with a line naming `--fleet`; fleet workers and a plain runner refuse each other; fleet workers share.
Real processes on real PostgreSQL (an advisory lock) and SQLite (a lock file), over a local site.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import psycopg

from tests.simweb import SimWeb
from tests.test_e2e import PARAS
from tests.test_faults_helpers import Service, cli, wait_until, write_config
from worker.store.service_lock import SERVICE_LOCK


def _site(web: SimWeb, tmp_path: Path) -> tuple[Path, list[str]]:
    site = web.add_site("daily")
    urls = [site.add_article(f"news/s{i}", title=f"Story {i} of the day", paragraphs=PARAS[i % len(PARAS)]).url
            for i in range(4)]
    return write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}]), urls


def _holders(pg_url: str) -> list[str]:
    """Modes of the sessions holding the runner lock on this database."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        return [m for (m,) in conn.execute(
            "SELECT mode FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s AND objid = %s "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            (SERVICE_LOCK >> 32, SERVICE_LOCK & 0xFFFFFFFF)).fetchall()]


def _article_fetches(db: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in cli("fetches", "--db", db).stdout.splitlines():
        row = json.loads(line)
        if row["purpose"] != "feed" and "/news/" in row["requested_url"]:
            counts[row["requested_url"]] = counts.get(row["requested_url"], 0) + 1
    return counts


def test_postgresql_one_plain_service_and_fleets_refuse_it(pg_url: str, tmp_path: Path) -> None:
    with SimWeb() as web:
        cfg, urls = _site(web, tmp_path)
        base = ["--config", str(cfg), "--db", pg_url]
        first = Service("run", *base)
        try:
            wait_until(lambda: _holders(pg_url) == ["ExclusiveLock"], 60, "the service's runner lock", first)
            wait_until(lambda: "pass complete" in first.stderr_so_far() or len(_article_fetches(pg_url)) == 4, 60,
                       "the service's first pass", first)

            second = cli("run", *base, check=False, timeout=60)
            assert second.returncode == 1, second.stderr
            assert "another `newsarchive run` already works on the archive" in second.stderr
            assert "--fleet" in second.stderr and "pid" in second.stderr and "Traceback" not in second.stderr

            once = cli("run", "--once", *base, check=False, timeout=60)
            assert once.returncode == 1 and "--fleet" in once.stderr, once.stderr

            worker = cli("run", "--fleet", "--no-migrate", *base, check=False, timeout=60)
            assert worker.returncode == 1, worker.stderr
            assert "a plain `newsarchive run` (without --fleet) already works" in worker.stderr
        finally:
            assert first.stop(signal.SIGTERM, 30).returncode == 0
        assert _holders(pg_url) == []  # gone with its process
        assert set(_article_fetches(pg_url).values()) == {1}, "every article fetched once"

        fleet = [Service("run", "--fleet", "--no-migrate", *base) for _ in range(2)]
        try:
            wait_until(lambda: _holders(pg_url) == ["ShareLock", "ShareLock"], 60, "two fleet workers' locks",
                       fleet[0])
            plain = cli("run", "--once", *base, check=False, timeout=60)
            assert plain.returncode == 1, plain.stderr
            assert "fleet workers (`run --fleet`) work on the archive" in plain.stderr
            assert "with `--fleet` too" in plain.stderr
        finally:
            for w in fleet:
                w.stop(signal.SIGTERM, 30)
        assert cli("run", "--once", *base, timeout=60).returncode == 0  # nobody else: it runs


def test_postgresql_a_killed_service_leaves_no_lock_behind(pg_url: str, tmp_path: Path) -> None:
    with SimWeb() as web:
        cfg, _ = _site(web, tmp_path)
        base = ["--config", str(cfg), "--db", pg_url]
        first = Service("run", *base)
        wait_until(lambda: _holders(pg_url) == ["ExclusiveLock"], 60, "the service's runner lock", first)
        first.stop(signal.SIGKILL, 30)
        wait_until(lambda: _holders(pg_url) == [], 30, "the killed service's lock to go")
        assert cli("run", "--once", *base, timeout=60).returncode == 0


def test_sqlite_a_second_runner_refuses_while_one_works(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    with SimWeb() as web:
        cfg, _ = _site(web, tmp_path)
        base = ["--config", str(cfg), "--db", db]
        first = Service("run", *base)
        try:
            wait_until(lambda: (tmp_path / "archive.sqlite3-run.lock").exists()
                       and "pid" in (tmp_path / "archive.sqlite3-run.lock").read_text(), 60, "the lock file", first)
            second = cli("run", "--once", *base, check=False, timeout=60)
            assert second.returncode == 1, second.stderr
            assert "another `newsarchive run` already works on the archive" in second.stderr
            assert f"pid {first.pid}" in second.stderr
        finally:
            assert first.stop(signal.SIGTERM, 30).returncode == 0
        assert cli("run", "--once", *base, timeout=60).returncode == 0  # the kernel let go of it
        assert cli("status", "--db", db).returncode == 0  # read commands take no lock


def test_postgresql_a_service_that_lost_its_lock_to_another_stops(pg_url: str, tmp_path: Path) -> None:
    """The lock's connection dies (a database restart, a network cut) and another runner takes the lock
    before this one can: the service says so and stops (exit 0) rather than work beside it."""
    with SimWeb() as web:
        cfg, _ = _site(web, tmp_path)
        svc = Service("run", "--config", str(cfg), "--db", pg_url, env={"NEWSARCHIVE_LOCK_PING": "0.5"})
        try:
            wait_until(lambda: _holders(pg_url) == ["ExclusiveLock"], 60, "the service's runner lock", svc)
            with psycopg.connect(pg_url, autocommit=True) as other:
                # end the service's lock session and take the lock in its place (waiting for it to go)
                other.execute("SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' "
                              "AND classid = %s AND objid = %s", (SERVICE_LOCK >> 32, SERVICE_LOCK & 0xFFFFFFFF))
                other.execute("SELECT pg_advisory_lock(%s)", (SERVICE_LOCK,))
                res = svc.wait(60)
        finally:
            if svc.running():
                svc.stop(signal.SIGKILL, 30)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "another runner took this archive while the database was away" in res.stderr
    assert "Traceback" not in res.stderr


def test_a_bad_lock_ping_is_a_usage_error(tmp_path: Path) -> None:
    res = cli("run", "--once", "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", "--config",
              str(write_config(tmp_path / "s.yaml", [])), env={"NEWSARCHIVE_LOCK_PING": "often"}, check=False)
    assert res.returncode == 2 and "NEWSARCHIVE_LOCK_PING='often'" in res.stderr
