"""worker/logs.py: JSON lines off a terminal, readable lines on one, no secrets, bars only on a terminal."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from worker.logs import ProgressCounter, progress, redact, setup_logging


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    setup_logging("info", stream=out)
    log = logging.getLogger("worker.test")
    log.info("polled %s: %d links", "daily", 12, extra={"source": "daily", "links": 12})
    log.debug("hidden at INFO")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("it failed")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2
    first = lines[0]
    assert first["msg"] == "polled daily: 12 links" and first["level"] == "info" and first["logger"] == "worker.test"
    assert first["source"] == "daily" and first["links"] == 12
    assert first["ts"].endswith("Z")
    assert lines[1]["level"] == "error" and "ValueError: boom" in lines[1]["exc"]


def test_readable_lines_on_a_terminal() -> None:
    out = FakeTTY()
    setup_logging("DEBUG", stream=out)
    logging.getLogger("worker.test").debug("fetched %s", "http://x.org/", extra={"status": 200})
    text = out.getvalue()
    assert not text.lstrip().startswith("{")
    assert "DEBUG" in text and "worker.test: fetched http://x.org/" in text and "status=200" in text


def test_calling_again_replaces_the_handler_instead_of_doubling_lines() -> None:
    out = io.StringIO()
    setup_logging("INFO", stream=out)
    setup_logging("INFO", stream=out)
    logging.getLogger("worker.test").info("once")
    assert len(out.getvalue().splitlines()) == 1


def test_unknown_level_falls_back_to_info_with_a_warning() -> None:
    out = io.StringIO()
    setup_logging("LOUD", stream=out)
    assert logging.getLogger().level == logging.INFO
    assert "unknown log level" in out.getvalue()


@pytest.mark.parametrize("as_json", [True, False])
def test_passwords_and_credential_headers_never_printed(as_json: bool) -> None:
    out = io.StringIO()
    setup_logging("INFO", stream=out, json_lines=as_json)
    log = logging.getLogger("worker.test")
    log.info("opening %s", "postgresql://archive:hunter2@db.example.org/news")
    log.info("proxy http://bob:pa55word@proxy:3128 refused")
    log.info("request headers %s", {"Authorization": "Bearer tok-123", "Cookie": "session=abc"})
    log.warning("sent", extra={"headers": "X-Newsarchive-Signature: sha256=deadbeef"})
    text = out.getvalue()
    for secret in ("hunter2", "pa55word", "tok-123", "session=abc", "deadbeef"):
        assert secret not in text
    assert "archive:***@db.example.org" in text and "bob:***@proxy" in text


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "a cookie consent wall at https://example.com/a?b=1 (status 403)"
    assert redact(text) == text


def test_progress_is_silent_and_transparent_off_a_terminal() -> None:
    out = io.StringIO()
    assert list(progress(range(5), 5, "export", stream=out)) == [0, 1, 2, 3, 4]
    assert out.getvalue() == ""
    with ProgressCounter(3, "pass", stream=out) as bar:
        bar.add_total(2)
        bar.update()
    assert out.getvalue() == ""


def test_progress_draws_a_bar_on_a_terminal() -> None:
    out = FakeTTY()
    assert list(progress(iter(range(3)), 3, "export", stream=out)) == [0, 1, 2]
    assert "export" in out.getvalue() and "3/3" in out.getvalue()
    counter_out = FakeTTY()
    with ProgressCounter(None, "pass", stream=counter_out) as bar:
        bar.add_total(4)
        bar.update(4)
    assert "pass" in counter_out.getvalue() and "4/4" in counter_out.getvalue()


def test_run_once_draws_a_progress_bar_on_a_terminal_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The bar goes to a terminal's standard error; piped, standard error carries log lines only."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios
    from pathlib import Path

    from tests.simweb import SimWeb
    from tests.test_e2e import write_config

    root = Path(__file__).resolve().parents[1]
    with SimWeb() as web:
        site = web.add_site("daily")
        site.add_article("a/one", title="One", paragraphs=["The council met on Monday to discuss the budget "
                                                           "for next year and agreed to raise spending."] * 4)
        cfg = write_config(tmp_path / "s.yaml", [{"name": "d", "kind": "feed", "url": site.url("/feed.xml")}])
        outputs = []
        for db, on_tty in (("a", True), ("b", False)):
            args = [sys.executable, "-m", "worker", "run", "--once", "--config", str(cfg),
                    "--db", f"sqlite:///{tmp_path / db}.sqlite3"]
            if on_tty:
                leader, follower = pty.openpty()
                fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real size
                proc = subprocess.Popen(args, cwd=root, stdout=subprocess.DEVNULL, stderr=follower, env=os.environ.copy())
                os.close(follower)
                chunks = []
                while True:
                    try:
                        data = os.read(leader, 65536)
                    except OSError:
                        break
                    if not data:
                        break
                    chunks.append(data)
                proc.wait(timeout=60)
                os.close(leader)
                outputs.append(b"".join(chunks).decode(errors="replace"))
            else:
                outputs.append(subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=60).stderr)
    on_terminal, piped = outputs
    assert "articles:" in on_terminal and "1/1" in on_terminal
    assert "articles:" not in piped and "1/1" not in piped
