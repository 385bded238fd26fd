"""WACZ 1.1.1 export: the WARC export, its CDXJ index, a page list and the versions' records in one ZIP
that replay tools (pywb, ReplayWeb.page) open as is and anyone can check (`newsarchive verify`).

    archive/data.warc.gz            the WARC export (warc.py), stored uncompressed in the ZIP
    indexes/index.cdx               CDXJ of the WARC (cdxj-indexer), sorted
    pages/pages.jsonl               one page per archived version: url, ts (capture time), title
    provenance/versions.jsonl       the versions as `newsarchive export` prints them: text, provenance, change
    datapackage.json                every file above with its SHA-256 and size
    datapackage-digest.json         the SHA-256 of datapackage.json, signed when a key is given

The files are written to a temporary folder first (the index needs the finished WARC); the ZIP is
written beside its final name and moved into place only when complete.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import IO, Any

from cdxj_indexer import CDXJIndexer
from sqlalchemy import Engine

from worker import __version__
from worker.atomic_file import atomic_output
from worker.export.signing import signed_data
from worker.export.warc import write_warc_to
from worker.store.reading import iter_versions

WACZ_VERSION = "1.1.1"
SOFTWARE = f"newsarchive {__version__}"
WARC_PATH = "archive/data.warc.gz"
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"
VERSIONS_PATH = "provenance/versions.jsonl"
# the fixed time of every ZIP entry: the same archive exports to the same bytes but for `created`
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _sha256_file(path: str) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return "sha256:" + h.hexdigest(), size


def _iso_z(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_files(work: str, engine: Engine, filters: dict[str, Any],
                 user_agents: Mapping[str, str] | None) -> tuple[int, list[dict[str, Any]]]:
    """The WARC, index, pages and versions under work/; returns (versions in the WARC, version records)."""
    for folder in ("archive", "indexes", "pages", "provenance"):
        os.makedirs(os.path.join(work, folder))
    warc_path = os.path.join(work, WARC_PATH)
    with open(warc_path, "wb") as stream:
        n = write_warc_to(stream, engine, user_agents=user_agents, filename="data.warc.gz", **filters)
    with open(os.path.join(work, INDEX_PATH), "w", encoding="utf-8") as out:
        CDXJIndexer(output=out, inputs=[warc_path], sort=True, filename="data.warc.gz").process_all()
    records = list(iter_versions(engine, **filters))
    with open(os.path.join(work, VERSIONS_PATH), "w", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(os.path.join(work, PAGES_PATH), "w", encoding="utf-8") as out:
        out.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Archived versions"}) + "\n")
        for rec in records:
            prov = rec["provenance"]
            if not prov.get("body_sha256"):
                continue
            page = {"id": hashlib.sha256(f"{rec['url']} {rec['version']}".encode()).hexdigest()[:32],
                    "url": prov.get("final_url") or prov["requested_url"], "ts": prov["fetched_at"],
                    "title": f"{rec['title']} (v{rec['version']})"}
            out.write(json.dumps(page, ensure_ascii=False) + "\n")
    return n, records


def _datapackage(work: str, records: list[dict[str, Any]], created: str, url: str | None) -> dict[str, Any]:
    resources = []
    for path in (WARC_PATH, INDEX_PATH, PAGES_PATH, VERSIONS_PATH):
        digest, size = _sha256_file(os.path.join(work, path))
        resources.append({"name": os.path.basename(path), "path": path, "hash": digest, "bytes": size})
    package: dict[str, Any] = {
        "profile": "data-package", "wacz_version": WACZ_VERSION, "resources": resources,
        "title": f"newsarchive: {url}" if url else "newsarchive export",
        "description": f"{len(records)} archived versions with their captures and provenance",
        "created": created, "software": SOFTWARE,
    }
    if url and records:
        last = records[-1]["provenance"]
        package["mainPageURL"] = last.get("final_url") or last["requested_url"]
        package["mainPageDate"] = last["fetched_at"]
    return package


def write_wacz_to(stream: IO[bytes], engine: Engine, *, latest: bool = False, source: str | None = None,
                  since: datetime | None = None, url: str | None = None,
                  user_agents: Mapping[str, str] | None = None, sign_key: Any = None) -> int:
    """Write a WACZ to a seekable binary stream; returns the number of versions in its WARC.
    sign_key: an ECDSA P-256 private key (signing.load_signing_key) to sign datapackage-digest.json."""
    filters = dict(latest=latest, source=source, since=since, url=url)
    created = _iso_z(datetime.now(UTC))
    with tempfile.TemporaryDirectory(prefix="newsarchive-wacz-") as work:
        n, records = _write_files(work, engine, filters, user_agents)
        package = _datapackage(work, records, created, url)
        package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
        digest: dict[str, Any] = {"path": "datapackage.json",
                                  "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
        if sign_key is not None:
            digest["signedData"] = signed_data(sign_key, digest["hash"], created, SOFTWARE)
        with zipfile.ZipFile(stream, "w") as zf:
            for res in package["resources"]:
                # the WARC is gzip already and is read at offsets: stored, as the spec asks
                kind = zipfile.ZIP_STORED if res["path"] == WARC_PATH else zipfile.ZIP_DEFLATED
                info = zipfile.ZipInfo(res["path"], _ZIP_TIME)
                info.compress_type = kind
                with open(os.path.join(work, res["path"]), "rb") as src, zf.open(info, "w") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
            for name, data in (("datapackage.json", package_bytes),
                               ("datapackage-digest.json", json.dumps(digest, indent=2).encode("utf-8"))):
                info = zipfile.ZipInfo(name, _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
    return n


def write_wacz(engine: Engine, out_path: str | os.PathLike[str], **kwargs: Any) -> int:
    """write_wacz_to into a file, written beside its final name and moved into place when complete."""
    with atomic_output(out_path, "wb") as stream:
        return write_wacz_to(stream, engine, **kwargs)


def wacz_bytes(engine: Engine, **kwargs: Any) -> bytes:
    """A small WACZ (one article's) in memory, for the browser's download."""
    buf = io.BytesIO()
    write_wacz_to(buf, engine, **kwargs)
    return buf.getvalue()
