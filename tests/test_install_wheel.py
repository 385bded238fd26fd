"""newsarchive installs as a package: a wheel built from this tree, installed into a fresh venv, migrates,
runs a pass and exports from a folder outside the source tree (issue 16, item 6).

The wheel is built offline (setuptools from the test venv, no build isolation) and installed without its
dependencies; the fresh venv borrows those from the test venv's site-packages through a .pth line (a
plain path entry: the test venv's own .pth files, among them the editable install's finder, are not
run), so the `worker` package it imports can only be the wheel's.
"""

from __future__ import annotations

import json
import os
import signal
import site
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.simweb import SimWeb
from tests.test_e2e import write_config

ROOT = Path(__file__).parents[1]


def _run(cmd: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEWSARCHIVE_CONFIG",
                                                             "NEWSARCHIVE_DATABASE_URL")}
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh venv holding the wheel of this tree."""
    base = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(base / "dist"), str(ROOT)], cwd=base)
    (wheel,) = (base / "dist").glob("newsarchive-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("worker/migrations/env.py", "worker/migrations/script.py.mako",
                 "worker/migrations/versions/0001_initial_schema.py", "worker/web/templates/base.html",
                 "worker/web/static/style.css"):
        assert name in names, f"the wheel lacks {name}"
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    purelib = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                   "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (purelib / "borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
          "--no-index", "-q", str(wheel)], cwd=base)
    where = _run([str(venv / "bin" / "python"), "-c", "import worker; print(worker.__file__)"], cwd=base).stdout
    assert where.strip().startswith(str(purelib)), f"worker imported from {where.strip()}, not the wheel"
    return venv / "bin"


def test_the_installed_wheel_migrates_runs_and_exports_outside_the_source_tree(
        installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert ROOT not in work.parents
    db = f"sqlite:///{work / 'archive.sqlite3'}"
    cli = str(installed / "newsarchive")

    up = _run([cli, "db", "upgrade", "--db", db], cwd=work)
    assert "schema up to date" in up.stdout
    with SimWeb() as web:
        site_ = web.add_site("daily")
        arts = [site_.add_article(f"news/item-{i}", title=f"Item {i} of the installed week",
                                  paragraphs=[f"Paragraph {j} of item {i}, long enough to be kept as body text "
                                              "by the extractor of the installed package." for j in range(5)])
                for i in range(3)]
        cfg = write_config(work / "sources.yaml", [{"name": "daily", "kind": "feed", "url": site_.url("/feed.xml")}])
        run = _run([cli, "run", "--once", "--config", str(cfg), "--db", db], cwd=work)
        assert "pass complete" in run.stdout
    out = _run([cli, "export", "--db", db], cwd=work).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert {r["url"] for r in rows} == {a.url for a in arts}
    # the browser's templates came with the wheel too
    ok = _run([str(installed / "python"), "-c",
               "from worker.web.pages import templates; print(templates.get_template('base.html').name)"], cwd=work)
    assert ok.stdout.strip() == "base.html"


def test_the_installed_wheel_runs_the_demo(installed: Path, tmp_path: Path) -> None:
    """The newcomer's first command, from a pipx-like install: the demo's site and pages come with the wheel."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(installed / "newsarchive"), "demo", "--port", str(port), "--dir", str(tmp_path / "d")],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        out = ""
        while "Ctrl-C ends" not in out:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line, f"demo exited {proc.poll()}:\n{out}"
            out += line
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:  # noqa: S310
                    front = r.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "2 versions" in front
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    assert (tmp_path / "d" / "archive.sqlite3").exists()  # --dir keeps it
