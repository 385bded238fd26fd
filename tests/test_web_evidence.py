"""The evidence view over real HTTP: `newsarchive serve` in its own process over an archive the pipeline
built from the simulated web (SQLite and PostgreSQL): both texts, the diff, each capture's provenance,
the verdict box, the print stylesheet, and the article's WACZ, which `newsarchive verify` accepts."""

from __future__ import annotations

import html
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.simweb import SimWeb
from tests.test_pywb_replay import archive_three_versions
from tests.test_web_browser import free_port, wait_up
from worker.store.engine import make_engine
from worker.store.reading import iter_versions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


@pytest.fixture
def serve_archive() -> Iterator:
    procs: list[subprocess.Popen[str]] = []

    def start(db_url: str) -> str:
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "worker", "serve", "--db", db_url, "--host", "127.0.0.1",
                                 "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, env={**os.environ})
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        wait_up(base, proc)
        return base

    yield start
    for proc in procs:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
        assert proc.returncode == 0, out[-2000:]


def _versions(db_url: str, url: str) -> list[dict]:
    engine = make_engine(db_url, writer=False)
    try:
        return list(iter_versions(engine, url=url))
    finally:
        engine.dispose()


async def test_evidence_view_and_its_wacz(db_url: str, tmp_path: Path, web: SimWeb, serve_archive) -> None:
    _, site, storm = await archive_three_versions(db_url, tmp_path, web)
    versions = _versions(db_url, storm.url)
    assert [v["version"] for v in versions] == [1, 2, 3]
    base = serve_archive(db_url)
    found = httpx.get(f"{base}/lookup", params={"url": storm.url})
    article = found.headers["location"].rsplit("/", 1)[1]
    page = httpx.get(f"{base}/articles/{article}/evidence")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = html.unescape(page.text)
    # the latest two by default: v2 against v3, the correction inserted on the new side
    assert "version 2" in text and "version 3" in text
    assert "<ins>Correction: an earlier version of this article misstated the river" in page.text
    assert PARAS_LAST in text  # both texts in full (no folding)
    for v in versions[1:]:
        prov = v["provenance"]
        for value in (prov["requested_url"], prov["final_url"], prov["fetched_at"], prov["body_sha256"],
                      prov["extraction_method"], v["content_hash"]):
            assert value and value in text, value
        if prov["etag"]:
            assert prov["etag"] in text
    assert f"extractor {versions[2]['provenance']['extractor_version']}" in text
    # the verdict (worker/acknowledged.py, from the two stored versions): v3 added a correction note
    assert '<section id="verdict">' in page.text and "Acknowledged change" in text
    assert "correction_note" in text and "phrase: correction" in text
    assert '<link rel="stylesheet" href="/static/evidence.css">' in page.text
    assert f'href="/articles/{article}/evidence.wacz"' in page.text
    css = httpx.get(f"{base}/static/evidence.css").text
    assert "@media print" in css and "@page" in css
    # two chosen versions: the headline edit, struck and inserted words
    first = httpx.get(f"{base}/articles/{article}/evidence", params={"a": 1, "b": 2}).text
    assert "<del>rises</del>" in first and "homes evacuated</ins>" in first and "Changed: title" in first and "<ins>Correction" not in first
    bad = httpx.get(f"{base}/articles/{article}/evidence", params={"a": 1, "b": 7})
    assert bad.status_code == 404 and "no version 7" in bad.text
    comet = httpx.get(f"{base}/lookup", params={"url": site.base_url + "/science/2026/11/20/comet"})
    single = httpx.get(f"{base}{comet.headers['location']}/evidence").text
    assert "One version only" in single and single.count('class="prov-of"') == 1
    assert httpx.get(f"{base}/articles/999999/evidence").status_code == 404
    assert httpx.get(f"{base}/articles/999999/evidence.wacz").status_code == 404
    # the article's evidence package
    got = httpx.get(f"{base}/articles/{article}/evidence.wacz", timeout=60)
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    assert got.headers["content-disposition"] == f'attachment; filename="article-{article}.wacz"'
    with zipfile.ZipFile(io.BytesIO(got.content)) as zf:
        inside = [json.loads(line) for line in zf.read("provenance/versions.jsonl").decode().splitlines()]
    assert [(v["url"], v["version"]) for v in inside] == [(storm.url, 1), (storm.url, 2), (storm.url, 3)]
    assert inside[2]["change"]["acknowledged"] is True
    path = tmp_path / f"article-{article}.wacz"
    path.write_bytes(got.content)
    ok = subprocess.run([sys.executable, "-m", "worker", "verify", str(path)], capture_output=True, text=True,
                        timeout=60, cwd=ROOT)
    assert ok.returncode == 0 and "ok: 4 files" in ok.stdout, ok.stdout + ok.stderr


PARAS_LAST = "Forecasters expect the rain to ease by Sunday evening."
