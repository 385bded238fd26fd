"""Helper processes never outlive their parent: the real command, killed with -9 while one of its
examining processes is deep in a hostile page, leaves no process behind; stopped with SIGTERM
mid-page, it is gone with all of its helpers within seconds.

The busy page is nested 200,000 deep (minutes of parsing), served with the page caps lifted and a
budget far beyond the test, so that nothing but the parent's end can stop the helper.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.simweb import SimWeb, Site
from tests.test_faults_helpers import PARAS, Service, wait_until, write_config

UNCAPPED = {"NEWSARCHIVE_EXAMINERS": "1", "NEWSARCHIVE_PAGE_MAX_DEPTH": "0", "NEWSARCHIVE_PAGE_MAX_ELEMENTS": "0",
            "NEWSARCHIVE_PAGE_SECONDS": "0"}  # 0: no cap, no budget


def deep_page(depth: int) -> bytes:
    para = "<p>" + " ".join(PARAS[0]) + "</p>"
    return ("<html><head><title>Deep</title></head><body>" + "<div>" * depth + para + "</div>" * depth
            + "</body></html>").encode()


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (children, their children...), read from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended (its new parent may be slow to reap)


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


def busy_service(web: SimWeb, tmp_path: Path, *args: str) -> tuple[Service, Site, set[int]]:
    """The command started on a feed whose first article keeps an examining process busy for minutes;
    returns it once that page has been fetched and is being examined, with its helper pids."""
    site = web.add_site("daily")
    deep = site.add_article("news/deep", title="Deep", paragraphs=PARAS[0])
    site.fault(deep.path, "body", times=None, body=deep_page(200_000))
    for i in range(3):
        site.add_article(f"news/story-{i}", title=f"Story {i}", paragraphs=PARAS[(i + 1) % len(PARAS)])
    cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}],
                       per_host_concurrency=1)
    svc = Service(*args, "--config", str(cfg), "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", env=UNCAPPED)
    wait_until(lambda: deep.path in site.paths(), 60, "the deep page fetched", svc)
    time.sleep(1.0)  # handed to the examining process (it will be on it for minutes)
    helpers = descendants(svc.pid)
    assert helpers, "no helper process started"
    return svc, site, helpers


def test_kill_9_of_the_parent_ends_every_helper(web: SimWeb, tmp_path: Path) -> None:
    svc, _, helpers = busy_service(web, tmp_path, "run", "--once")
    assert svc.running(), "the pass ended before the kill"
    svc.stop(signal.SIGKILL, 10)
    try:
        wait_until(lambda: not [p for p in helpers if alive(p)], 10, "every helper gone after kill -9")
    finally:
        for p in helpers:  # a failure must not leave them running for the rest of the suite
            if alive(p):
                os.kill(p, signal.SIGKILL)


def test_sigterm_mid_page_stops_the_service_and_its_helpers_within_seconds(web: SimWeb, tmp_path: Path) -> None:
    svc, _, helpers = busy_service(web, tmp_path, "run")
    try:
        res = svc.stop(signal.SIGTERM, 15)  # AssertionError if it takes longer
        assert res.returncode == 0, res.stderr[-2000:]
        wait_until(lambda: not [p for p in helpers if alive(p)], 5, "every helper gone after SIGTERM")
    finally:
        for p in helpers:
            if alive(p):
                os.kill(p, signal.SIGKILL)
