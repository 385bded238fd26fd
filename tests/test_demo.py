"""`newsarchive demo` (issue 16, item 8): started through the CLI, it archives its simulated site twice
(one story edited in between) and serves the browser, which shows articles and a story with 2 versions;
Ctrl-C ends it all, with no process and no temporary folder left behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - 127.0.0.1 only
        return r.read().decode("utf-8")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def test_demo_shows_articles_versions_and_the_browser_then_ends_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "worker", "demo", "--port", str(port)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    try:
        lines = []
        deadline = time.monotonic() + 90
        while not any("Ctrl-C ends" in line for line in lines):
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line or proc.poll() is None, f"demo exited {proc.poll()}:\n{''.join(lines)}"
            assert time.monotonic() < deadline, "demo did not get to the browser in 90 s:\n" + "".join(lines)
            lines.append(line)
        out = "".join(lines)
        assert "4 new articles" in out and "1 new versions" in out, out
        browser = re.search(r"the archive browser: +(\S+)", out).group(1)  # type: ignore[union-attr]
        story = re.search(r"the story with 2 versions: (\S+)", out).group(1)  # type: ignore[union-attr]
        assert browser == f"http://127.0.0.1:{port}/"
        for _ in range(100):  # uvicorn binds a moment after the line is printed
            try:
                front = _get(browser)
                break
            except OSError:
                time.sleep(0.1)
        assert front.count("/articles/") >= 4 and "2 versions" in front
        page = _get(story)  # /lookup?url=... redirects to the article's page
        assert "Harbour bridge reopens after two years of repairs, over budget" in page
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        assert "about a third more than planned" in text and "about a fifth more than planned" in text  # v2 and v1
        assert _children(proc.pid) == []  # one process: nothing to orphan
        folders = list(tmp_path.glob("newsarchive-demo-*"))
        assert len(folders) == 1 and (folders[0] / "archive.sqlite3").exists()
    finally:
        os.kill(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=30)
    assert code == 0
    assert not list(tmp_path.glob("newsarchive-demo-*")), "the temporary folder outlived the demo"
    try:
        os.killpg(proc.pid, 0)
        raise AssertionError("a process of the demo's group outlived it")
    except ProcessLookupError:
        pass
