"""Examining captures in worker processes: the same answers as in-process, and a process that dies
is a failed fetch of its page, not a failed pass."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest

from worker.examine import Previous, examine_for_archive
from worker.examiners import PROCESSES_ENV, Examiner, default_processes
from worker.values import Fetched

PAGES = Path(__file__).parent / "pages"


def _fetched(name: str) -> Fetched:
    body = (PAGES / name).read_bytes()
    url = f"https://news.example/{name}"
    return Fetched(requested_url=url, final_url=url, status=200, body=body, content_type="text/html",
                   fetched_at=datetime(2026, 1, 1, tzinfo=UTC), purpose="article", duration_ms=1, attempts=1,
                   body_sha256=hashlib.sha256(body).hexdigest())


async def test_a_process_examines_as_this_one_does_and_packs_and_signs_new_text() -> None:
    examiner = Examiner(processes=1)
    try:
        for name in ("de_nachrichten.html", "en_magazine.html", "ar_khabar.html"):
            here = examine_for_archive(_fetched(name), f"https://news.example/{name}", None, None)
            there = await examiner.examine(_fetched(name), f"https://news.example/{name}", None, None)
            assert there == here
            assert there.extracted is not None and there.packed_body and there.minhash
        # Text the archive already holds: nothing to pack or sign.
        assert here.content_hash is not None
        same = await examiner.examine(_fetched("ar_khabar.html"), "https://news.example/a", None,
                                      Previous(here.content_hash, "text"))
        assert same.extracted is not None and same.packed_body is None and same.minhash is None
    finally:
        examiner.close()


async def test_a_killed_process_fails_its_pages_and_a_fresh_one_takes_the_rest() -> None:
    examiner = Examiner(processes=1)
    try:
        await examiner.examine(_fetched("en_magazine.html"), "https://news.example/m", None, None)  # started
        pool = examiner._slots[0].pool
        assert pool is not None
        pending = [asyncio.ensure_future(examiner.examine(_fetched("de_nachrichten.html"), f"https://n.example/{i}",
                                                          None, None)) for i in range(200)]
        await asyncio.sleep(0.05)
        for pid in list(pool._processes):  # as the OOM killer or a parser crash would
            os.kill(pid, signal.SIGKILL)
        results = await asyncio.gather(*pending)
        crashed = [r for r in results if r.fetched.error == "examine_crash"]
        assert crashed, "no page was in the killed process"
        assert all(r.extracted is None and "died" in (r.fetched.error_detail or "") for r in crashed)
        after = await examiner.examine(_fetched("ar_khabar.html"), "https://news.example/a", None, None)
        assert after.extracted is not None and examiner._slots[0].pool is not pool
    finally:
        examiner.close()


def test_a_bad_process_count_is_one_clear_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "s.yaml"
    config.write_text("sources:\n  - {name: a, kind: urls, urls: ['https://news.example/a']}\n")
    env = {**os.environ, PROCESSES_ENV: "two"}
    done = subprocess.run([sys.executable, "-m", "worker", "run", "--once", "--config", str(config), "--db",
                           f"sqlite:///{tmp_path / 'a.sqlite3'}"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 2
    assert "NEWSARCHIVE_EXAMINERS='two': give a whole number" in done.stderr
    assert "Traceback" not in done.stderr


def test_process_count_from_the_environment_or_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "0")
    assert default_processes() == 0
    monkeypatch.setenv(PROCESSES_ENV, "3")
    assert default_processes() == 3
    monkeypatch.delenv(PROCESSES_ENV)
    assert default_processes() == max(0, len(os.sched_getaffinity(0)) - 1)
