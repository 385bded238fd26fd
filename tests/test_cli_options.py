"""Every option of every command says what it does, and `fetches --since/--limit` (issue 16, item 9)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tests.simweb import SimWeb
from tests.test_e2e import PARAS
from tests.test_faults_helpers import cli, write_config
from worker.cli import build_parser


def walk(parser: argparse.ArgumentParser, path: str = "newsarchive"):  # type: ignore[no-untyped-def]
    """(command path, action) for every argument of the parser and its subcommands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield path, action
            for name, sub in action.choices.items():
                yield from walk(sub, f"{path} {name}")
        else:
            yield path, action


def test_every_option_of_every_command_has_help() -> None:
    missing = [f"{command}: {'/'.join(a.option_strings) or a.dest}" for command, a in walk(build_parser())
               if not (a.help or "").strip() or a.help == argparse.SUPPRESS]
    assert not missing, "options without help text (add help=... in worker/cli.py): " + ", ".join(missing)


def test_fetches_since_and_limit(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with SimWeb() as web:
        site = web.add_site("daily")
        for i in range(3):
            site.add_article(f"news/s{i}", title=f"Story {i} of the day", paragraphs=PARAS[i % len(PARAS)])
        cfg = write_config(tmp_path / "s.yaml", [{"name": "daily", "kind": "feed", "url": site.url("/feed.xml")}])
        cli("run", "--once", "--config", str(cfg), "--db", db)
    rows = [json.loads(line) for line in cli("fetches", "--db", db).stdout.splitlines()]
    assert len(rows) >= 4  # robots.txt, the feed, three articles

    newest = [json.loads(line) for line in cli("fetches", "--db", db, "--limit", "2").stdout.splitlines()]
    assert newest == rows[-2:]  # the newest two, still oldest first

    since = rows[-1]["fetched_at"]
    later = [json.loads(line) for line in cli("fetches", "--db", db, "--since", since).stdout.splitlines()]
    assert later and later == [r for r in rows if r["fetched_at"] >= since]
    assert cli("fetches", "--db", db, "--since", "2999-01-01T00:00:00Z").stdout == ""

    bad = cli("fetches", "--db", db, "--limit", "0", check=False)
    assert bad.returncode == 2 and "--limit" in bad.stderr
    bad = cli("fetches", "--db", db, "--since", "yesterday", check=False)
    assert bad.returncode == 2 and "--since: 'yesterday' is not an ISO 8601" in bad.stderr
