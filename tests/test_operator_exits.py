"""Exit statuses a script can use (issue 16, item 3), through the real command: 0 the pass completed,
1 nothing could be done, 2 usage and config errors only, 3 a crash."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from tests.simweb import SimWeb
from tests.test_e2e import PARAS
from tests.test_faults_helpers import cli, write_config
from worker import cli as cli_module
from worker.store.engine import is_unavailable
from worker.store.repository import _retrying


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_all_sources_failed_exits_1_and_says_so(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    cfg = write_config(tmp_path / "s.yaml", [
        {"name": "a", "kind": "feed", "url": f"{down}/feed.xml"},
        {"name": "b", "kind": "sitemap", "url": f"{down}/sitemap.xml"},
        {"name": "c", "kind": "urls", "urls": [f"{down}/x", f"{down}/y"]},
    ], retries=0)
    res = cli("run", "--once", "--config", str(cfg), "--db", f"sqlite:///{tmp_path}/a.sqlite3", check=False)
    assert res.returncode == 1, res.stderr[-2000:]
    assert "all 3 sources failed (feed:connection 1, sitemap:connection 1)" in res.stdout
    assert "nothing archived" in res.stdout and "0 failed" not in res.stdout


def test_some_sources_failed_exits_0_and_counts_them(tmp_path: Path) -> None:
    with SimWeb() as web:
        site = web.add_site("daily")
        site.add_article("news/story", title="A story", paragraphs=PARAS[0])
        cfg = write_config(tmp_path / "s.yaml", [
            {"name": "good", "kind": "feed", "url": site.url("/feed.xml")},
            {"name": "down", "kind": "feed", "url": f"http://127.0.0.1:{free_port()}/feed.xml"},
        ], retries=0)
        res = cli("run", "--once", "--config", str(cfg), "--db", f"sqlite:///{tmp_path}/a.sqlite3")
    assert "2 sources (1 failed: feed:connection 1)" in res.stdout and "1 new articles" in res.stdout


@pytest.mark.parametrize("command", [("run", "--once"), ("status",), ("export",), ("db", "upgrade")])
def test_a_database_that_is_down_exits_1_not_2(tmp_path: Path, command: tuple[str, ...]) -> None:
    """A PostgreSQL nothing listens on (the shared server is never stopped): exit 1, one line."""
    cfg = write_config(tmp_path / "s.yaml", [{"name": "x", "kind": "urls", "urls": ["http://127.0.0.1:9/a"]}])
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/news"
    res = cli(*command, "--config", str(cfg), "--db", url, check=False, timeout=60)
    assert res.returncode == 1, res.stderr[-2000:]
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("newsarchive:")]
    assert len(lines) == 1 and "127.0.0.1" in lines[0] and "Traceback" not in res.stderr
    assert "cannot open the database" in lines[0] or "cannot upgrade" in lines[0]


@pytest.mark.parametrize(("db", "says"), [
    ("archive.sqlite3", "is not a database URL"),
    ("mysql://u@localhost/news", "mysql databases are not supported"),
    ("sqlite://nohost/x.db", "a SQLite URL has no host"),
])
def test_a_malformed_or_unsupported_db_url_is_a_usage_error(tmp_path: Path, db: str, says: str) -> None:
    for command in (("status",), ("run", "--once")):
        cfg = write_config(tmp_path / "s.yaml", [{"name": "x", "kind": "urls", "urls": ["http://127.0.0.1:9/a"]}])
        res = cli(*command, "--config", str(cfg), "--db", db, check=False)
        assert res.returncode == 2 and says in res.stderr and "Traceback" not in res.stderr, res.stderr
        assert "sqlite:///" in res.stderr  # names what to write instead


def test_a_crash_is_status_3_with_its_traceback(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    def boom(args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli_module, "cmd_schema", boom)
    assert cli_module.main(["schema"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "crashed (RuntimeError)" in err


def _sqlite_error(message: str) -> OperationalError:
    return OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))


def test_only_unavailable_or_locked_errors_are_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("worker.store.repository.time.sleep", lambda s: None)
    assert is_unavailable(_sqlite_error("database is locked"))
    assert not is_unavailable(_sqlite_error("ambiguous column name: id"))
    assert not is_unavailable(_sqlite_error("no such table: articles"))
    calls: list[int] = []

    @_retrying
    def bad_sql() -> None:
        calls.append(1)
        raise _sqlite_error("ambiguous column name: id")

    with pytest.raises(OperationalError):
        bad_sql()
    assert len(calls) == 1  # a bug in the SQL fails at once, instead of "database unavailable" forever

    @_retrying
    def locked_once() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _sqlite_error("database is locked")
        return "done"

    assert locked_once() == "done" and len(calls) == 3


def test_unavailable_postgres_errors() -> None:
    class PgError(Exception):
        def __init__(self, sqlstate: str | None) -> None:
            self.sqlstate = sqlstate

    def err(state: str | None) -> OperationalError:
        return OperationalError("SELECT 1", {}, PgError(state))

    assert is_unavailable(err(None))  # client side: refused, lost
    assert is_unavailable(err("57P01")) and is_unavailable(err("08006")) and is_unavailable(err("40P01"))
    assert not is_unavailable(err("42702"))  # ambiguous column
