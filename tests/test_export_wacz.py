"""`newsarchive export --format wacz` and `newsarchive verify`: a real archive (the pipeline over the
simulated web) packaged as WACZ 1.1.1, validated by py-wacz's `wacz validate`, replayed by pywb, and
checked by `verify`, which must catch one flipped byte and a wrong signature."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.simweb import SimWeb
from tests.test_pywb_replay import archive_three_versions, assert_replays, pywb_serving, responses_of

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
MEMBERS = ["archive/data.warc.gz", "indexes/index.cdx", "pages/pages.jsonl", "provenance/versions.jsonl",
           "datapackage.json", "datapackage-digest.json"]


@pytest.fixture
def web() -> Iterator[SimWeb]:
    with SimWeb() as w:
        yield w


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worker", *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ})


def wacz_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "wacz"), "validate", "-f", str(path)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def new_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


def zlib_member_end(data: bytes, start: int) -> int:
    """Where the gzip member starting at `start` ends."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    d.decompress(data[start:])
    return len(data) - len(d.unused_data)


def rewrite_member(path: Path, name: str, data: bytes) -> None:
    """The same ZIP with one member's content replaced (what a forger would do)."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w") as zf:
        for info, content in members:
            zf.writestr(info, data if info.filename == name else content)


def forge(src: Path, dst: Path, name: str, data: bytes) -> None:
    """src with one member replaced and every hash recomputed to match: only record digests inside the
    WARC, or a signature, can still tell."""
    dst.write_bytes(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        package = json.loads(zf.read("datapackage.json"))
        digest = json.loads(zf.read("datapackage-digest.json"))
    for res in package["resources"]:
        if res["path"] == name:
            res["hash"], res["bytes"] = "sha256:" + hashlib.sha256(data).hexdigest(), len(data)
    package_bytes = json.dumps(package).encode()
    digest["hash"] = "sha256:" + hashlib.sha256(package_bytes).hexdigest()
    rewrite_member(dst, name, data)
    rewrite_member(dst, "datapackage.json", package_bytes)
    rewrite_member(dst, "datapackage-digest.json", json.dumps(digest).encode())


async def test_wacz_export_validates_verifies_and_carries_provenance(db_url: str, tmp_path: Path,
                                                                      web: SimWeb) -> None:
    config, site, storm = await archive_three_versions(db_url, tmp_path, web)
    out = tmp_path / "all.wacz"
    proc = cli("export", "--format", "wacz", "-o", str(out), "--config", config.path, "--db", db_url)
    assert proc.returncode == 0, proc.stderr
    assert "wrote 4 versions" in proc.stderr
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == sorted(MEMBERS)
        assert zf.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        package = json.loads(zf.read("datapackage.json"))
        digest = json.loads(zf.read("datapackage-digest.json"))
        for res in package["resources"]:
            data = zf.read(res["path"])
            assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and res["bytes"] == len(data)
        assert digest["hash"] == "sha256:" + hashlib.sha256(zf.read("datapackage.json")).hexdigest()
        assert package["wacz_version"] == "1.1.1" and "signedData" not in digest
        versions = [json.loads(line) for line in zf.read("provenance/versions.jsonl").decode().splitlines()]
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()]
        index = zf.read("indexes/index.cdx").decode().splitlines()
    mine = [v for v in versions if v["url"] == storm.url]
    assert [v["version"] for v in mine] == [1, 2, 3]
    assert "title" in mine[1]["change"]["fields"] and "body" in mine[2]["change"]["fields"]
    assert all(v["provenance"]["body_sha256"] and v["provenance"]["extraction_method"] for v in mine)
    assert pages[0]["format"] == "json-pages-1.0" and len(pages) == 1 + 4
    assert {p["url"] for p in pages[1:]} == {v["provenance"]["final_url"] for v in versions}
    html_rows = [json.loads(line.split(" ", 2)[2]) for line in index if '"text/html' in line]
    assert len(html_rows) == 4 and all(r["filename"] == "data.warc.gz" for r in html_rows)
    check = wacz_validate(out)
    assert check.returncode == 0 and "the passed WACZ is valid" in check.stdout, check.stdout + check.stderr
    ok = cli("verify", str(out))
    assert ok.returncode == 0, ok.stderr
    assert "ok: 4 files match their SHA-256" in ok.stdout and "not signed" in ok.stdout


async def test_wacz_of_one_article_replays_in_pywb(sqlite_url: str, tmp_path: Path, web: SimWeb) -> None:
    config, site, storm = await archive_three_versions(sqlite_url, tmp_path, web)
    out = tmp_path / "storm.wacz"
    proc = cli("export", "--format", "wacz", "-o", str(out), "--url", storm.url, "--db", sqlite_url)
    assert proc.returncode == 0 and "wrote 3 versions" in proc.stderr, proc.stderr
    with zipfile.ZipFile(out) as zf:
        zf.extract("archive/data.warc.gz", tmp_path)
        package = json.loads(zf.read("datapackage.json"))
    assert package["mainPageURL"] == storm.url
    responses = responses_of(tmp_path / "archive" / "data.warc.gz")
    assert {uri for uri, _, _ in responses} == {storm.url} and len(responses) == 3
    with pywb_serving(tmp_path / "pywb", out) as base:
        assert_replays(base, responses)


async def test_verify_catches_a_flipped_byte(sqlite_url: str, tmp_path: Path, web: SimWeb) -> None:
    config, _, _ = await archive_three_versions(sqlite_url, tmp_path, web)
    out = tmp_path / "a.wacz"
    assert cli("export", "--format", "wacz", "-o", str(out), "--db", sqlite_url).returncode == 0
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo("archive/data.warc.gz")
    raw = bytearray(out.read_bytes())
    # the member's data starts after its local header (30 bytes, the name, the extra field)
    name_len, extra_len = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    raw[start + info.compress_size // 2] ^= 0x01
    bad = tmp_path / "flipped.wacz"
    bad.write_bytes(bytes(raw))
    proc = cli("verify", str(bad))
    assert proc.returncode == 1
    assert "FAILED" in proc.stderr and "archive/data.warc.gz" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert wacz_validate(bad).returncode != 0  # py-wacz agrees
    # an edited provenance file, re-listed with its new hash, breaks the digest of datapackage.json
    with zipfile.ZipFile(out) as zf:
        package = json.loads(zf.read("datapackage.json"))
        versions = zf.read("provenance/versions.jsonl").replace(b"River rises", b"River falls")
    for res in package["resources"]:
        if res["path"] == "provenance/versions.jsonl":
            res["hash"], res["bytes"] = "sha256:" + hashlib.sha256(versions).hexdigest(), len(versions)
    forged = tmp_path / "forged.wacz"
    forged.write_bytes(out.read_bytes())
    rewrite_member(forged, "provenance/versions.jsonl", versions)
    rewrite_member(forged, "datapackage.json", json.dumps(package).encode())
    proc = cli("verify", str(forged))
    assert proc.returncode == 1 and "datapackage.json: SHA-256 mismatch" in proc.stderr, proc.stderr
    # a WARC edited inside a record, every file hash recomputed: the record's own digest disagrees
    with zipfile.ZipFile(out) as zf:
        warc = zf.read("archive/data.warc.gz")
    members, pos = [], 0
    while pos < len(warc):  # gzip per record: split into records, edit the first capture of the story
        d = zlib_member_end(warc, pos)
        members.append(warc[pos:d])
        pos = d
    i = next(n for n, m in enumerate(members)
             if b"WARC-Type: response" in (r := gzip.decompress(m)) and b"River rises" in r)
    edited = gzip.decompress(members[i]).replace(b"River rises", b"River falls")
    members[i] = gzip.compress(edited)
    forge(out, tmp_path / "rewarc.wacz", "archive/data.warc.gz", b"".join(members))
    proc = cli("verify", str(tmp_path / "rewarc.wacz"))
    assert proc.returncode == 1 and f"archive/data.warc.gz: record {i + 1} " in proc.stderr, proc.stderr
    assert "digest" in proc.stderr
    missing = cli("verify", str(tmp_path / "nope.wacz"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


async def test_signed_wacz_verifies_and_a_wrong_signature_fails(sqlite_url: str, tmp_path: Path,
                                                                web: SimWeb) -> None:
    await archive_three_versions(sqlite_url, tmp_path, web)
    key = new_key(tmp_path / "key.pem")
    out = tmp_path / "signed.wacz"
    proc = cli("export", "--format", "wacz", "-o", str(out), "--sign-key", str(tmp_path / "key.pem"),
               "--db", sqlite_url)
    assert proc.returncode == 0 and "(signed)" in proc.stderr, proc.stderr
    with zipfile.ZipFile(out) as zf:
        package = json.loads(zf.read("datapackage.json"))
        digest = json.loads(zf.read("datapackage-digest.json"))
    signed = digest["signedData"]
    assert signed["hash"] == digest["hash"] and signed["created"] == package["created"]
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert base64.b64decode(signed["publicKey"]) == der
    key.public_key().verify(base64.b64decode(signed["signature"]), signed["hash"].encode(), ec.ECDSA(hashes.SHA256()))
    check = wacz_validate(out)
    assert check.returncode == 0, check.stdout + check.stderr
    ok = cli("verify", str(out))
    assert ok.returncode == 0 and f"signature valid (key {hashlib.sha256(der).hexdigest()})" in ok.stdout, ok.stderr
    # a signature by another key, under this key's name
    other = ec.generate_private_key(ec.SECP256R1())
    signed["signature"] = base64.b64encode(other.sign(signed["hash"].encode(), ec.ECDSA(hashes.SHA256()))).decode()
    wrong = tmp_path / "wrong.wacz"
    wrong.write_bytes(out.read_bytes())
    rewrite_member(wrong, "datapackage-digest.json", json.dumps(digest).encode())
    proc = cli("verify", str(wrong))
    assert proc.returncode == 1 and "signature: the signature does not match" in proc.stderr, proc.stderr
    # the provenance edited and every hash recomputed: the signature no longer covers this package
    with zipfile.ZipFile(out) as zf:
        versions = zf.read("provenance/versions.jsonl").replace(b"River rises", b"River falls")
    forge(out, tmp_path / "forged.wacz", "provenance/versions.jsonl", versions)
    proc = cli("verify", str(tmp_path / "forged.wacz"))
    assert proc.returncode == 1 and "signature: signs sha256:" in proc.stderr, proc.stderr


async def test_bad_sign_key_and_missing_output(sqlite_url: str, tmp_path: Path, web: SimWeb) -> None:
    await archive_three_versions(sqlite_url, tmp_path, web)
    rsa_like = tmp_path / "not-a-key.pem"
    rsa_like.write_text("hello\n")
    proc = cli("export", "--format", "wacz", "-o", str(tmp_path / "x.wacz"), "--sign-key", str(rsa_like),
               "--db", sqlite_url)
    assert proc.returncode == 2 and "not a PEM private key" in proc.stderr and not (tmp_path / "x.wacz").exists()
    proc = cli("export", "--format", "wacz", "--db", sqlite_url)
    assert proc.returncode == 2 and "give -o FILE.wacz" in proc.stderr
    proc = cli("export", "--format", "warc", "-o", str(tmp_path / "x.warc.gz"), "--sign-key", str(rsa_like),
               "--db", sqlite_url)
    assert proc.returncode == 2 and "--format wacz" in proc.stderr


async def test_url_filter_in_every_format(sqlite_url: str, tmp_path: Path, web: SimWeb) -> None:
    _, _, storm = await archive_three_versions(sqlite_url, tmp_path, web)
    tracked = storm.url + "?utm_source=rss&utm_medium=feed"  # not as stored: canonicalised first
    proc = cli("export", "--url", tracked, "--db", sqlite_url)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["url"], r["version"]) for r in lines] == [(storm.url, 1), (storm.url, 2), (storm.url, 3)]
    proc = cli("export", "--format", "warc", "-o", str(tmp_path / "one.warc.gz"), "--url", storm.url, "--latest",
               "--db", sqlite_url)
    assert proc.returncode == 0 and "wrote 1 versions" in proc.stderr, proc.stderr
    proc = cli("export", "--url", "https://elsewhere.example/none", "--db", sqlite_url)
    assert proc.returncode == 0 and proc.stdout == ""
