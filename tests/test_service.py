"""`newsarchive run` as a service: polls at start, stops cleanly on SIGTERM, and a restart does not
re-poll sources polled within their interval."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.simweb import SimWeb
from tests.test_e2e import World, jsonl, newsarchive, write_config

ROOT = Path(__file__).parents[1]


class Running:
    """A `newsarchive run` process whose standard error is read as it comes."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "worker", "run", *args], cwd=ROOT, text=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.proc.stderr), daemon=True)  # type: ignore[arg-type]
        self.reader.start()

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, float, str]:
        started = time.monotonic()
        self.proc.send_signal(sig)
        self.proc.wait(timeout=20)
        self.reader.join(5)
        return self.proc.returncode, time.monotonic() - started, "".join(self.lines)


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


def test_service_polls_stops_and_restarts_without_repolling(tmp_path: Path) -> None:
    with SimWeb() as web:
        world = World(web)
        cfg = write_config(tmp_path / "s.yaml", world.sources()[:1]).read_text().replace("every: 15m", "every: 1h")
        (tmp_path / "s.yaml").write_text(cfg)
        db = tmp_path / "a.sqlite3"
        base = ["--config", str(tmp_path / "s.yaml"), "--db", f"sqlite:///{db}"]

        svc = Running(*base)
        wait_for(lambda: polled(db))
        code, took, err = svc.stop()
        assert code == 0, err[-2000:]
        assert took < 10
        assert "Traceback" not in err
        rows = jsonl(newsarchive("export", *base).stdout)
        assert {r["url"] for r in rows} == {world.storm.url, world.rates.url}

        # a restart within the hour: the feed is not polled again
        world.daily.clear_requests()
        svc = Running(*base)
        wait_for(lambda: svc.said("next poll at"))
        time.sleep(1)  # had it been due, the poll would have started at once
        code, _, err = svc.stop()
        assert code == 0, err[-2000:]
        assert "/feed.xml" not in world.daily.paths()


def test_sigint_also_stops_cleanly(tmp_path: Path) -> None:
    with SimWeb() as web:
        world = World(web)
        write_config(tmp_path / "s.yaml", world.sources()[:1])
        db = tmp_path / "a.sqlite3"
        svc = Running("--config", str(tmp_path / "s.yaml"), "--db", f"sqlite:///{db}")
        wait_for(lambda: polled(db))
        code, _, err = svc.stop(signal.SIGINT)
        assert code == 0, err[-2000:]
