"""Database faults under the real command: PostgreSQL restarted under a running service (a throwaway
cluster of our own, never the shared server), and an SQLite file whose write lock another
connection holds for a few seconds."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.simweb import SimWeb
from tests.test_faults_helpers import PARAS, Service, archive_invariants, wait_until, write_config
from tests.test_faults_process import N, add_articles, archived

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


class Cluster:
    """initdb into a temporary folder, on a free port, owned by the postgres OS user when we are root."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="na-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "log"
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, f"{PG_BIN[-1]}/{tool}", *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not PG_BIN:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    c = Cluster()
    c.start()
    try:
        yield c
    finally:
        c.close()


def pg_archived(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            row = conn.execute("SELECT count(DISTINCT article_id) FROM versions").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:  # down, restarting, or not migrated yet
        return -1


def test_postgres_restart_under_running_service(cluster: Cluster, tmp_path: Path) -> None:
    with SimWeb() as web:
        site = web.add_site("daily")
        urls = add_articles(site)
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                           every="2s", per_host_delay="0.4s", per_host_concurrency=1)
        svc = Service("run", "--config", str(cfg), "--db", cluster.url)
        try:
            wait_until(lambda: pg_archived(cluster.url) >= 3, 60, "three articles archived", svc)
            cluster.stop()  # the server goes away mid-pass ...
            time.sleep(1.5)  # ... for a moment: captures in flight meet a dead connection
            cluster.start()
            wait_until(lambda: pg_archived(cluster.url) == N, 30, "every article archived after the restart", svc)
        finally:
            res = svc.stop(signal.SIGTERM, 10)
    assert res.returncode == 0, res.stderr[-2000:]
    counts = archive_invariants(cluster.url)
    assert set(counts) == set(urls) and set(counts.values()) == {1}


def test_postgres_restart_between_passes(cluster: Cluster, tmp_path: Path) -> None:
    """A restart while the service waits between passes costs nothing: pooled connections are re-checked."""
    with SimWeb() as web:
        site = web.add_site("daily")
        first = add_articles(site, 3)
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                           every="2s")
        svc = Service("run", "--config", str(cfg), "--db", cluster.url)
        try:
            wait_until(lambda: pg_archived(cluster.url) == 3, 60, "the first articles", svc)
            cluster.stop()
            cluster.start()
            more = [site.add_article(f"news/later-{i}", title=f"Later story {i}",
                                     paragraphs=[f"{p} (later {i})" for p in PARAS[i]]).url for i in range(3)]
            wait_until(lambda: pg_archived(cluster.url) == 6, 45, "the articles published after the restart", svc)
        finally:
            res = svc.stop(signal.SIGTERM, 10)
    assert res.returncode == 0, res.stderr[-2000:]
    counts = archive_invariants(cluster.url)
    assert set(counts) == set(first + more) and set(counts.values()) == {1}


def test_sqlite_busy_waits_instead_of_failing(tmp_path: Path) -> None:
    """Another connection holds the write lock for 3 s mid-pass: the pass waits, then completes."""
    db = tmp_path / "a.sqlite3"
    url = f"sqlite:///{db}"
    with SimWeb() as web:
        site = web.add_site("daily")
        urls = add_articles(site, 8)
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                           per_host_delay="0.5s", per_host_concurrency=1)
        svc = Service("run", "--once", "--config", str(cfg), "--db", url)
        wait_until(lambda: archived(db) >= 2, 60, "two articles archived", svc)
        holder = sqlite3.connect(db, timeout=30, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")  # another process's long write transaction
            held = archived(db)
            assert held < len(urls), "the pass ended before the lock was taken"
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:  # the pass can fetch but not write: it must wait, not fail
                assert svc.running(), svc.stderr_so_far()[-2000:]
                assert archived(db) == held
                time.sleep(0.2)
        finally:
            holder.execute("COMMIT")
            holder.close()
        res = svc.wait(120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "pass complete" in res.stdout and "locked" not in res.stderr
    counts = archive_invariants(url)
    assert set(counts) == set(urls) and set(counts.values()) == {1}
