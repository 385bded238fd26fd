"""`newsarchive run` as a service: polls at start, stops cleanly on SIGTERM, and a restart does not
re-poll sources polled within their interval."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.simweb import SimWeb
from tests.test_e2e import World, jsonl, newsarchive, write_config

ROOT = Path(__file__).parents[1]


def start_service(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "worker", "run", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())


def wait_for(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def polled(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select count(*) from sources where last_polled_at is not null").fetchone()[0] > 0
    except sqlite3.OperationalError:  # not migrated yet
        return False


def stop(proc: subprocess.Popen[str]) -> tuple[int, float, str]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    return proc.returncode, time.monotonic() - started, err


def test_service_polls_stops_and_restarts_without_repolling(tmp_path: Path) -> None:
    with SimWeb() as web:
        world = World(web)
        cfg = write_config(tmp_path / "s.yaml", world.sources()[:1]).read_text().replace("every: 15m", "every: 1h")
        (tmp_path / "s.yaml").write_text(cfg)
        db = tmp_path / "a.sqlite3"
        base = ["--config", str(tmp_path / "s.yaml"), "--db", f"sqlite:///{db}"]

        proc = start_service(*base)
        wait_for(lambda: polled(db))
        code, took, err = stop(proc)
        assert code == 0, err[-2000:]
        assert took < 10
        assert "Traceback" not in err
        rows = jsonl(newsarchive("export", *base).stdout)
        assert {r["url"] for r in rows} == {world.storm.url, world.rates.url}

        # a restart within the hour: the feed is not polled again
        world.daily.clear_requests()
        proc = start_service(*base)
        time.sleep(3)
        code, _, err = stop(proc)
        assert code == 0, err[-2000:]
        assert "/feed.xml" not in world.daily.paths()
        assert "next poll at" in err


def test_sigint_also_stops_cleanly(tmp_path: Path) -> None:
    with SimWeb() as web:
        world = World(web)
        write_config(tmp_path / "s.yaml", world.sources()[:1])
        db = tmp_path / "a.sqlite3"
        proc = start_service("--config", str(tmp_path / "s.yaml"), "--db", f"sqlite:///{db}")
        wait_for(lambda: polled(db))
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
        assert proc.returncode == 0
