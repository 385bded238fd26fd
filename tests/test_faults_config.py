"""A table of bad config files through the real command: exit status 2, a message naming the file,
the line and the key, no traceback, and no work done (no database created)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_faults_helpers import cli

HEAD = "sources:\n  - name: daily\n    kind: feed\n    url: https://example.org/rss\n"

# name -> (file text or None for a missing file, line, key, words the message must contain)
BAD: dict[str, tuple[str | None, int | None, str, str]] = {
    "bad-duration": (HEAD + "    every: 15 minutes\n", 5, "sources[0].every", "use 15m"),
    "bad-default-duration": ("defaults:\n  timeout: soon\n" + HEAD, 2, "defaults.timeout", "not a duration"),
    "bad-revisit-item": (HEAD + "    revisit: [1h, 6 hours]\n", 5, "sources[0].revisit[1]", "not a duration"),
    "unknown-key": (HEAD + "    evry: 15m\n", 5, "sources[0].evry", "unknown key"),
    "unknown-top-key": ("databse: sqlite:///x.db\n" + HEAD, 1, "databse", "unknown key"),
    "wrong-kind": (HEAD.replace("kind: feed", "kind: rss"), 3, "sources[0].kind", "not a kind"),
    "duplicate-names": (HEAD + "  - name: daily\n    kind: sitemap\n    url: https://example.org/s.xml\n", 5,
                        "sources[1].name", "unique"),
    "duplicate-key": (HEAD + "    url: https://example.org/other\n", 5, "sources[0].url", "duplicate key"),
    "bad-regex": (HEAD + "    include: ['(unclosed']\n", 5, "sources[0].include[0]", "not a regular expression"),
    "bad-selector": (HEAD.replace("kind: feed", "kind: page") + "    links: 'h2 >> a[['\n", 5, "sources[0].links",
                     "not a CSS selector"),
    "bad-extract-selector": (HEAD + "    extract:\n      body: 'div..x'\n", 6, "sources[0].extract.body",
                             "not a CSS selector"),
    "not-yaml": ("sources:\n  - name: daily\n    kind: [feed\n    url: https://example.org/rss\n", 4, "",
                 "not valid YAML"),
    "not-a-mapping": ("- just\n- a list\n", 1, "", "mapping"),
    "bad-number": (HEAD + "    retries: lots\n", 5, "sources[0].retries", "whole number"),
    "bad-size": (HEAD + "    max_bytes: huge\n", 5, "sources[0].max_bytes", "not a size"),
    "bad-url": (HEAD.replace("https://example.org/rss", "example.org/rss"), 4, "sources[0].url", "http"),
    "missing-file": (None, None, "", "no such file"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_config_is_exit_2_with_file_line_and_key(tmp_path: Path, name: str) -> None:
    text, line, key, words = BAD[name]
    path = tmp_path / f"{name}.yaml"
    if text is not None:
        path.write_text(text)
    res = cli("check", "--config", str(path), check=False, timeout=60)
    assert res.returncode == 2, res.stderr
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in res.stderr, res.stderr
    if key:
        assert f"{where} {key}:" in res.stderr, res.stderr
    assert words in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""


@pytest.mark.parametrize("name", ["bad-duration", "not-yaml", "missing-file"])
def test_run_stops_before_any_work(tmp_path: Path, name: str) -> None:
    text, _line, _key, words = BAD[name]
    path = tmp_path / "sources.yaml"
    if text is not None:
        path.write_text(text)
    db = tmp_path / "archive.sqlite3"
    res = cli("run", "--once", "--config", str(path), "--db", f"sqlite:///{db}", check=False, timeout=60)
    assert res.returncode == 2 and words in res.stderr and "Traceback" not in res.stderr
    assert not db.exists()


def test_config_from_environment_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "env.yaml"
    path.write_text(BAD["unknown-key"][0] or "")
    res = cli("check", check=False, env={"NEWSARCHIVE_CONFIG": str(path)}, timeout=60)
    assert res.returncode == 2 and f"{path}:5: sources[0].evry:" in res.stderr
