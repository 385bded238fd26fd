"""Small mends (issue 16, item 9), each through the real command as a newcomer would meet it."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

from tests.simweb import SimWeb
from tests.test_e2e import PARAS
from tests.test_faults_helpers import ROOT, cli, write_config
from worker.cli import build_parser


def run_in(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m worker ARGS` from another folder (the package found through PYTHONPATH)."""
    return subprocess.run([sys.executable, "-m", "worker", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_export_to_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    for fmt in ("jsonl", "warc"):
        res = cli("export", "--format", fmt, "-o", str(tmp_path / "missing/dir/x.out"),
                  "--db", f"sqlite:///{tmp_path}/a.sqlite3", check=False)
        assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
        assert f"the folder {tmp_path / 'missing/dir'} does not exist" in res.stderr
    assert not (tmp_path / "missing").exists() and not (tmp_path / "a.sqlite3").exists()


def test_extract_of_a_missing_file_exits_1(tmp_path: Path) -> None:
    res = cli("extract", str(tmp_path / "missing.html"), check=False)
    assert res.returncode == 1 and "missing.html: cannot read: No such file or directory" in res.stderr


def test_read_commands_never_create_files_or_folders(tmp_path: Path) -> None:
    for command in (("status",), ("export",), ("fetches",), ("history", "https://example.com/a"),
                    ("diff", "https://example.com/a")):
        res = run_in(tmp_path, *command, "--db", "sqlite:///nodir/x.sqlite3")
        assert res.returncode == 1, res.stderr
        assert "no archive at nodir/x.sqlite3" in res.stderr and "db upgrade" in res.stderr
        assert "Traceback" not in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_alembic_speaks_only_when_it_migrates(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/a.sqlite3"
    first = cli("db", "upgrade", "--db", db)
    assert "Running upgrade" in first.stderr
    for command in (("status",), ("export",), ("fetches",), ("db", "upgrade")):
        res = cli(*command, "--db", db)
        assert "\"logger\": \"alembic" not in res.stderr and "Context impl" not in res.stderr, (command, res.stderr)
    with SimWeb() as web:
        site = web.add_site("daily")
        site.add_article("news/story", title="A story", paragraphs=PARAS[0])
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}])
        again = cli("run", "--once", "--config", str(cfg), "--db", db)
    assert "\"logger\": \"alembic" not in again.stderr and "Context impl" not in again.stderr


def test_serve_on_a_taken_port_is_one_clear_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/a.sqlite3"
    cli("db", "upgrade", "--db", db)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = cli("serve", "--port", str(port), "--db", db, check=False, timeout=60)
    assert res.returncode == 1 and f"cannot listen on 127.0.0.1:{port}: the port is in use" in res.stderr
    assert "archive browser on" not in res.stderr and "Traceback" not in res.stderr


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Using it", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [re.split(r"\s+# ", line)[0].strip() for line in block.splitlines() if line.startswith("newsarchive ")]


def test_readme_examples_run_as_written(tmp_path: Path) -> None:
    commands = _readme_commands()
    assert any(c.startswith("newsarchive extract page.html --base-url") for c in commands)
    parser = build_parser()
    for command in commands:  # every example is valid syntax ...
        words = shlex.split(command.split(">")[0])[1:]
        parser.parse_args(words)
    # ... and the ones that need no network run as written, from a folder of one's own, on a local site
    (tmp_path / "page.html").write_text("<html><body><article><h1>A headline</h1>"
                                        + "".join(f"<p>{p}</p>" for p in PARAS[0]) + "</article></body></html>")
    with SimWeb() as web:
        site = web.add_site("daily")
        site.add_article("news/story", title="A story", paragraphs=PARAS[1])
        cfg = write_config(tmp_path / "sources.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}])
        env = {"NEWSARCHIVE_CONFIG": str(cfg)}
        offline = [c for c in commands if "example.com" not in c or c.startswith("newsarchive extract")]
        offline = [c for c in offline if c not in ("newsarchive run", "newsarchive serve", "newsarchive demo")
                   and "--source bbc-world" not in c and "import-opml" not in c]
        assert len(offline) >= 9
        for command in offline:
            words = shlex.split(command)
            out = None
            if ">" in words:
                out, words = words[words.index(">") + 1], words[:words.index(">")]
            res = run_in(tmp_path, *words[1:], env=env)
            assert res.returncode == 0, f"{command}: {res.returncode}\n{res.stderr[-2000:]}"
            if out:
                (tmp_path / out).write_text(res.stdout)
    assert (tmp_path / "archive.jsonl").stat().st_size > 0 and (tmp_path / "archive.warc.gz").stat().st_size > 0
