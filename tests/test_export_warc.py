"""worker/export/warc.py: a real archive (the pipeline against the simulated web) exported as WARC/1.1,
checked with warcio's own checker, read back, and indexed with cdxj-indexer."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.simweb import SimWeb, Site
from worker.config import Config, load_config
from worker.export import user_agents_of, write_warc
from worker.fetch import Fetcher
from worker.pipeline import Pipeline
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.reading import iter_versions
from worker.store.repository import ArchiveStore

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
UA = "warc-test/2.0 (+https://example.org/bot)"
PARAS = ["The river rose two metres overnight, officials said.", "Hundreds of homes were evacuated by boat.",
         "Forecasters expect the rain to ease by Sunday evening."]


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


def make_config(tmp_path: Path, site: Site) -> Config:
    path = tmp_path / "sources.yaml"
    path.write_text(f"""\
defaults:
  per_host_delay: 0s
  per_host_concurrency: 4
  retries: 0
  allow_private_networks: true
  user_agent: "{UA}"
  headers: {{Cookie: "consent=yes-secret"}}
sources:
  - name: daily-feed
    kind: feed
    url: {site.base_url}/feed.xml
""")
    return load_config(path)


async def poll(db_url: str, config: Config) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        store = ArchiveStore(engine)
        ids = store.sync_sources(((s.name, s.kind, s.url) for s in config.sources), datetime.now(UTC))
        async with Fetcher(on_fetch=lambda f: store.log_fetch(f, None)) as fetcher:
            for src in config.sources:
                await Pipeline(store, fetcher, ids).poll(src)
    finally:
        engine.dispose()


async def archive_with_an_edit(db_url: str, tmp_path: Path, web: SimWeb) -> tuple[Config, Site]:
    site = web.add_site("daily")
    storm = site.add_article("world/2026/11/20/river-rises", title="River rises", paragraphs=PARAS,
                             authors=["Ana Ruiz"], published=datetime(2026, 11, 20, 8, tzinfo=UTC))
    site.add_article("science/2026/11/20/comet", title="Comet seen", paragraphs=[
                     "A bright comet was seen low in the western sky after sunset on Thursday, astronomers said.",
                     "Amateur observers across the region photographed its long tail, which stayed visible for "
                     "almost an hour before the comet set behind the hills.",
                     "The comet will be closest to the Sun next week and may brighten further, the observatory "
                     "said, urging people to look for it away from city lights."], published=datetime(2026, 11, 20, 9, tzinfo=UTC))
    config = make_config(tmp_path, site)
    await poll(db_url, config)
    storm.edit(title="River rises: homes evacuated")
    await poll(db_url, config)  # the feed shows the edit as newer: a second version
    return config, site


def read_records(path: Path) -> list[dict[str, Any]]:
    out = []
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh, check_digests="raise"):
            payload = rec.content_stream().read()
            out.append({
                "type": rec.rec_type, "headers": dict(rec.rec_headers.headers), "http": rec.http_headers,
                "payload": payload, "digest_ok": rec.digest_checker.passed,
            })
    return out


def export_count(db_url: str, **filters: Any) -> int:
    engine = make_engine(db_url, writer=False)
    try:
        return sum(1 for _ in iter_versions(engine, **filters))
    finally:
        engine.dispose()


def warc(db_url: str, path: Path, config: Config, **filters: Any) -> int:
    engine = make_engine(db_url, writer=False)
    try:
        return write_warc(engine, path, user_agents=user_agents_of(config.sources), **filters)
    finally:
        engine.dispose()


async def test_warc_records_per_version_read_back(db_url: str, tmp_path: Path, web: SimWeb) -> None:
    config, site = await archive_with_an_edit(db_url, tmp_path, web)
    out = tmp_path / "archive.warc.gz"
    n = warc(db_url, out, config)
    assert n == export_count(db_url) == 3
    records = read_records(out)
    assert [r["type"] for r in records] == ["warcinfo"] + ["response", "request", "metadata"] * 3
    assert all(r["headers"]["WARC-Type"] == r["type"] for r in records)
    assert all(r["digest_ok"] is not False for r in records)
    for i in range(1, len(records), 3):
        response, request, metadata = records[i : i + 3]
        meta = json.loads(metadata["payload"])
        uri = response["headers"]["WARC-Target-URI"]
        assert uri == meta["final_url"] and uri.startswith(site.base_url)
        fetched_at = datetime.fromisoformat(meta["fetched_at"].replace("Z", "+00:00"))
        assert response["headers"]["WARC-Date"] == meta["fetched_at"]
        assert abs(fetched_at - datetime.now(UTC)) < timedelta(minutes=5)
        # The response: status line, stored headers fit for the decoded body, the raw body as archived.
        http = response["http"]
        assert http.get_statuscode() == "200" and http.protocol == "HTTP/1.1"
        assert http.get_header("content-encoding") is None and http.get_header("transfer-encoding") is None
        assert http.get_header("set-cookie") is None
        assert http.get_header("content-type").startswith("text/html")
        assert int(http.get_header("content-length")) == len(response["payload"])
        assert hashlib.sha256(response["payload"]).hexdigest() == meta["body_sha256"]
        assert response["headers"]["WARC-Payload-Digest"].startswith("sha1:")
        # The request: GET, the User-Agent used, no cookie or other configured secret.
        req = request["http"]
        assert req.protocol == "GET" and req.statusline.endswith(" HTTP/1.1")
        assert request["headers"]["WARC-Target-URI"] == uri
        assert req.get_header("user-agent") == UA and req.get_header("cookie") is None
        assert b"yes-secret" not in request["payload"] + response["payload"]
        # Both point at the response; the metadata carries the provenance.
        rid = response["headers"]["WARC-Record-ID"]
        assert request["headers"]["WARC-Concurrent-To"] == rid == metadata["headers"]["WARC-Concurrent-To"]
        assert metadata["headers"]["Content-Type"] == "application/json"
        # its own target, so replay tools do not take it for a memento of the page (issue 18)
        assert metadata["headers"]["WARC-Target-URI"] == "urn:newsarchive:provenance:" + uri
        assert metadata["headers"]["WARC-Refers-To"] == rid
        assert meta["source"] == "daily-feed" and meta["discovered_via"] == site.base_url + "/feed.xml"
        assert len(meta["content_hash"]) == 64 and meta["version"] in (1, 2)
    versions = sorted((json.loads(m["payload"])["url"], json.loads(m["payload"])["version"])
                      for m in records if m["type"] == "metadata")
    storm_url = site.base_url + "/world/2026/11/20/river-rises"
    assert (storm_url, 1) in versions and (storm_url, 2) in versions
    second = next(r for r in records if r["type"] == "response" and b"homes evacuated" in r["payload"])
    assert second["headers"]["WARC-Target-URI"] == storm_url


async def test_warcio_check_and_cdxj_index(sqlite_url: str, tmp_path: Path, web: SimWeb) -> None:
    config, site = await archive_with_an_edit(sqlite_url, tmp_path, web)
    out = tmp_path / "archive.warc.gz"
    warc(sqlite_url, out, config)
    check = subprocess.run([str(BIN / "warcio"), "check", "-v", str(out)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    index = subprocess.run([str(BIN / "cdxj-indexer"), str(out)], capture_output=True, text=True, timeout=60)
    assert index.returncode == 0, index.stderr
    rows = [line.split(" ", 2) for line in index.stdout.splitlines() if line.strip()]
    fields = [json.loads(r[2]) for r in rows]
    responses = [(r, f) for r, f in zip(rows, fields, strict=True) if f.get("mime", "").startswith("text/html")]
    assert len(responses) == 3
    assert all(f["status"] == "200" and f["url"].startswith(site.base_url) for _, f in responses)
    assert any(r[0].endswith(")/world/2026/11/20/river-rises") for r, _ in responses)  # SURT key
    assert all(len(r[1]) == 14 and r[1].startswith("20") for r, _ in responses)  # 14-digit timestamps


async def test_filters_latest_source_and_since(sqlite_url: str, tmp_path: Path, web: SimWeb) -> None:
    config, _ = await archive_with_an_edit(sqlite_url, tmp_path, web)
    assert warc(sqlite_url, tmp_path / "latest.warc.gz", config, latest=True) == export_count(sqlite_url,
                                                                                              latest=True) == 2
    assert warc(sqlite_url, tmp_path / "none.warc.gz", config, source="other") == 0
    future = datetime.now(UTC) + timedelta(days=1)
    assert warc(sqlite_url, tmp_path / "since.warc.gz", config, since=future) == 0
    records = read_records(tmp_path / "since.warc.gz")
    assert [r["type"] for r in records] == ["warcinfo"]  # still a valid, empty WARC
    assert not list(tmp_path.glob("*.partial"))


async def test_cli_export_warc(sqlite_url: str, tmp_path: Path, web: SimWeb) -> None:
    config, _ = await archive_with_an_edit(sqlite_url, tmp_path, web)
    out = tmp_path / "cli.warc.gz"
    proc = subprocess.run([sys.executable, "-m", "worker", "export", "--format", "warc", "-o", str(out),
                           "--config", config.path, "--db", sqlite_url], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    records = read_records(out)
    assert [r["type"] for r in records].count("response") == 3
    request = next(r for r in records if r["type"] == "request")
    assert request["http"].get_header("user-agent") == UA
