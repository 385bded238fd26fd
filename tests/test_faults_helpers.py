"""Shared pieces of the fault tests (tests/test_faults_*.py): the real command in a subprocess with its
peak memory, a config writer, and the archive invariants every fault must leave intact.

No tests here; the themes live in test_faults_fetch, _feeds, _process, _db, _config and _security.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.test_e2e import PARAS, jsonl
from worker.store.engine import make_engine

ROOT = Path(__file__).parents[1]

__all__ = ["PARAS", "ROOT", "Result", "Service", "archive_invariants", "cli", "fetch_log", "jsonl",
           "wait_until", "write_config"]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float  # the child's peak resident set (VmHWM of that one process)


class Service:
    """`python -m worker ARGS` in its own process; its output is read all along (a full pipe would
    block it) and its own peak memory is watched in /proc while it runs.

    Not wait4's ru_maxrss: Linux folds into it the high-water mark of the memory the child had before
    its exec, which is pytest's own (the child of a fork or vfork starts in its parent's), so once the
    test session outgrows a bound every child seemed to. Popen returns after the exec."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.args = args
        self.proc = subprocess.Popen([sys.executable, "-m", "worker", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
        self._out: list[bytes] = []
        self._err: list[bytes] = []
        self._readers = [threading.Thread(target=_drain, args=(pipe, into), daemon=True)
                         for pipe, into in ((self.proc.stdout, self._out), (self.proc.stderr, self._err))]
        for t in self._readers:
            t.start()
        self._peak_kb = 0
        self._watcher = threading.Thread(target=self._watch_peak, daemon=True)
        self._watcher.start()

    def _watch_peak(self) -> None:
        """The child's VmHWM (its own peak resident set since its exec), read until it is gone."""
        status = Path(f"/proc/{self.proc.pid}/status")
        while True:
            try:
                text = status.read_text()
            except OSError:
                return
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    self._peak_kb = max(self._peak_kb, int(line.split()[1]))
                    break
            else:
                return  # a zombie has no memory left to read
            time.sleep(0.02)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def running(self) -> bool:
        return self.proc.returncode is None and os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG
                                                          | os.WNOWAIT) is None

    def stderr_so_far(self) -> str:
        return b"".join(self._err).decode("utf-8", "replace")

    def wait(self, timeout: float) -> Result:
        """Reap the child; on timeout kill it and fail."""
        deadline = time.monotonic() + timeout
        while True:
            pid, status, _ = os.wait4(self.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                self.proc.kill()
                os.wait4(self.pid, 0)
                self.proc.returncode = -9
                raise AssertionError(f"newsarchive {' '.join(self.args)} still running after {timeout}s:\n"
                                     f"{self.stderr_so_far()[-3000:]}")
            time.sleep(0.05)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        for t in self._readers:
            t.join(timeout=10)
        self._watcher.join(timeout=10)
        return Result(self.proc.returncode, b"".join(self._out).decode("utf-8", "replace"),
                      self.stderr_so_far(), self._peak_kb / 1024)

    def stop(self, sig: int, timeout: float) -> Result:
        os.kill(self.pid, sig)
        return self.wait(timeout)


def _drain(pipe: Any, into: list[bytes]) -> None:
    for chunk in iter(lambda: pipe.read1(65536), b""):
        into.append(chunk)


def cli(*args: str, check: bool = True, env: dict[str, str] | None = None, timeout: float = 120) -> Result:
    """The real command, as an operator runs it, to its end."""
    res = Service(*args, env=env).wait(timeout)
    if check and res.returncode != 0:
        raise AssertionError(f"newsarchive {' '.join(args)} exited {res.returncode}:\n{res.stderr[-3000:]}")
    return res


def wait_until(predicate: Any, timeout: float, what: str, service: Service | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if service is not None and not service.running():
            raise AssertionError(f"the service exited while waiting for {what}:\n{service.stderr_so_far()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def write_config(path: Path, sources: list[dict[str, Any]], **defaults: Any) -> Path:
    """A config with test-friendly defaults (fast, loopback allowed); keyword arguments override them."""
    base: dict[str, Any] = {"every": "15m", "revisit": [], "timeout": "5s", "retries": 1,
                            "per_host_delay": "0s", "per_host_concurrency": 16, "allow_private_networks": True,
                            "respect_robots": False}
    lines = ["defaults:"] + [f"  {k}: {json.dumps(v)}" for k, v in (base | defaults).items()] + ["sources:"]
    for s in sources:
        lines.append(f"  - name: {s['name']}")
        lines += [f"    {k}: {json.dumps(v)}" for k, v in s.items() if k != "name"]
    path.write_text("\n".join(lines) + "\n")
    return path


def fetch_log(db: str, failed: bool = False) -> list[dict[str, Any]]:
    return jsonl(cli("fetches", *(["--failed"] if failed else []), "--db", db).stdout)


def archive_invariants(db: str) -> Counter[str]:
    """Assert no article is archived twice and no version is half-written; return url -> version count.

    Every article has its versions 1..n, n == version_count >= 1; every version's capture fetch exists
    and its raw body is stored; no URL names two articles.
    """
    engine = make_engine(db, writer=False)
    try:
        with engine.connect() as c:
            arts = c.execute(text("SELECT id, url, version_count FROM articles")).all()
            vers = c.execute(text("SELECT article_id, number FROM versions ORDER BY article_id, number")).all()
            orphans = c.execute(text(
                "SELECT count(*) FROM versions v LEFT JOIN fetches f ON f.id = v.fetch_id "
                "LEFT JOIN bodies b ON b.sha256 = f.body_sha256 WHERE f.id IS NULL OR b.sha256 IS NULL")).scalar()
            alias_dups = c.execute(text(
                "SELECT count(*) FROM (SELECT url FROM article_urls GROUP BY url HAVING count(*) > 1) d")).scalar()
    finally:
        engine.dispose()
    urls = Counter(a.url for a in arts)
    assert not [u for u, n in urls.items() if n > 1], "an article archived twice"
    numbers: dict[int, list[int]] = {}
    for v in vers:
        numbers.setdefault(v.article_id, []).append(v.number)
    for a in arts:
        assert numbers.get(a.id) == list(range(1, a.version_count + 1)) and a.version_count >= 1, \
            f"half-written article {a.url}: version_count {a.version_count}, versions {numbers.get(a.id)}"
    assert orphans == 0, "a version without its capture fetch or raw body"
    assert alias_dups == 0
    return Counter({a.url: a.version_count for a in arts})
