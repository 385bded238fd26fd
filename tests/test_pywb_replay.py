"""The WARC export replayed by pywb itself: indexed with `wb-manager add`, served by `wayback` on
127.0.0.1, every version is one memento of the article's URL and replays as the archived HTML
(issue 18: the provenance metadata record used to shadow the response it describes)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.simweb import Article, SimWeb, Site
from tests.test_export_warc import PARAS, make_config, poll, warc
from worker.config import Config

ROOT = Path(__file__).resolve().parents[1]
COLL = "evidence"


def pywb_bin() -> Path:
    """pywb's CLIs live in their own virtualenv (tests/pywb-requirements.txt says why): $PYWB_BIN, else
    .venv-pywb/bin beside the project. Absent: a skip with the way to make it, a failure in CI."""
    found = Path(os.environ.get("PYWB_BIN") or ROOT / ".venv-pywb" / "bin")
    if not (found / "wb-manager").exists() or not (found / "wayback").exists():
        msg = (f"pywb not found in {found}: python3 -m venv .venv-pywb && "
               ".venv-pywb/bin/pip install -r tests/pywb-requirements.txt (or set PYWB_BIN)")
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (in CI this is a failure, not a skip)")
        pytest.skip(msg)
    return found


async def archive_three_versions(db_url: str, tmp_path: Path, web: SimWeb) -> tuple[Config, Site, Article]:
    """An article captured three times (a headline edit, then a correction added) beside one captured once.
    Captures a second apart at least: pywb (and Memento) address a memento by its 14-digit timestamp."""
    site = web.add_site("daily")
    storm = site.add_article("world/2026/11/20/river-rises", title="River rises", paragraphs=PARAS,
                             authors=["Ana Ruiz"])
    site.add_article("science/2026/11/20/comet", title="Comet seen", paragraphs=[
        "A bright comet was seen low in the western sky after sunset on Thursday, astronomers said.",
        "Amateur observers across the region photographed its long tail, which stayed visible for almost an "
        "hour before the comet set behind the hills."])
    config = make_config(tmp_path, site)
    await poll(db_url, config)
    time.sleep(1.05)
    storm.edit(title="River rises: homes evacuated")
    await poll(db_url, config)
    time.sleep(1.05)
    storm.edit(paragraphs=[*PARAS, "Correction: an earlier version of this article misstated the river's rise."])
    await poll(db_url, config)
    return config, site, storm


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def pywb_serving(root: Path, archive: Path) -> Iterator[str]:
    """pywb over one WARC or WACZ file: a collection under root, indexed by wb-manager, served by wayback
    in its own process group (killed on exit). Yields the collection's base URL."""
    bin_ = pywb_bin()
    root.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    unpack = ["--unpack-wacz"] if archive.suffix == ".wacz" else []
    for args in (["init", COLL], ["add", *unpack, COLL, str(archive)]):
        done = subprocess.run([str(bin_ / "wb-manager"), *args], cwd=root, capture_output=True, text=True,
                              timeout=120, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    log = open(root / "wayback.log", "wb")
    proc = subprocess.Popen([str(bin_ / "wayback"), "-b", "127.0.0.1", "-p", str(port), "-d", str(root)], cwd=root,
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}/{COLL}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (root / "wayback.log").read_text(errors="replace")
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise AssertionError("pywb did not start: " + (root / "wayback.log").read_text(errors="replace")) from None
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def timemap(base: str, url: str) -> list[dict]:
    """pywb's JSON TimeMap (one JSON object per line) of url."""
    r = httpx.get(f"{base}timemap/json/{url}", timeout=30)
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines() if line.strip()]


def responses_of(path: Path) -> list[tuple[str, str, bytes]]:
    """(target URI, 14-digit timestamp, body) of every response record in a WARC."""
    out = []
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type == "response":
                date = rec.rec_headers.get_header("WARC-Date")
                stamp = "".join(ch for ch in date if ch.isdigit())[:14]
                out.append((rec.rec_headers.get_header("WARC-Target-URI"), stamp, rec.content_stream().read()))
    return out


def assert_replays(base: str, responses: list[tuple[str, str, bytes]]) -> None:
    """Each URL's TimeMap lists each of its versions once, as text/html; id_ gives the archived bytes and
    mp_ the archived page (rewritten by pywb, the article's text intact)."""
    by_url: dict[str, list[tuple[str, bytes]]] = {}
    for uri, stamp, body in responses:
        by_url.setdefault(uri, []).append((stamp, body))
    for url, captures in by_url.items():
        rows = timemap(base, url)
        assert sorted(r["timestamp"] for r in rows) == sorted(s for s, _ in captures), rows
        assert all(r["mime"].startswith("text/html") for r in rows), rows
        for stamp, body in captures:
            raw = httpx.get(f"{base}{stamp}id_/{url}", timeout=30)
            assert raw.status_code == 200
            assert raw.content == body
            page = httpx.get(f"{base}{stamp}mp_/{url}", timeout=30)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            title = body.split(b"<title>", 1)[1].split(b"</title>", 1)[0].decode()
            assert title in page.text and '"content_hash"' not in page.text


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


async def test_pywb_replays_each_version_once(sqlite_url: str, tmp_path: Path, web: SimWeb) -> None:
    config, site, article = await archive_three_versions(sqlite_url, tmp_path, web)
    out = tmp_path / "archive.warc.gz"
    assert warc(sqlite_url, out, config) == 4
    responses = responses_of(out)
    storm = article.url
    assert sum(1 for uri, _, _ in responses if uri == storm) == 3
    with pywb_serving(tmp_path / "pywb", out) as base:
        assert_replays(base, responses)
        # the edits are there, in order: headline first, then the correction
        stamps = sorted(s for uri, s, _ in responses if uri == storm)
        texts = [httpx.get(f"{base}{s}id_/{storm}", timeout=30).text for s in stamps]
        assert ["homes evacuated" in t for t in texts] == [False, True, True]
        assert ["Correction: an earlier" in t for t in texts] == [False, False, True]
        # the provenance stays findable, under its own URN
        cdx = httpx.get(f"{base.replace('/evidence/', '/evidence/cdx')}?url=urn:newsarchive:provenance:{storm}"
                        "&output=json", timeout=30)
        rows = [json.loads(line) for line in cdx.text.splitlines() if line.strip()]
        assert len(rows) == 3 and all(r["mime"] == "application/json" for r in rows), cdx.text
