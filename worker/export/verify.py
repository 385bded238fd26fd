"""`newsarchive verify FILE.wacz`: every hash a WACZ carries, and its signature if it is signed.

Checked, in order: the file is a ZIP; datapackage.json parses and lists each file in the ZIP (and
nothing else); each file's SHA-256 and size match; datapackage-digest.json holds the SHA-256 of
datapackage.json; every WARC record's own digests (WARC-Block-Digest, WARC-Payload-Digest) match;
a signature verifies with the key it names, over the hash it names, made when the package says.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from worker.export.signing import check_signature, fingerprint

_OWN = ("datapackage.json", "datapackage-digest.json")


class VerifyFailed(Exception):
    """One line naming what failed."""


@dataclass
class Verified:
    files: int = 0
    records: int = 0
    signed_by: str | None = None  # SHA-256 fingerprint of the public key, when signed
    notes: list[str] = field(default_factory=list)


def _sha256(zf: zipfile.ZipFile, name: str) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return "sha256:" + h.hexdigest(), size


def _json(zf: zipfile.ZipFile, name: str) -> Any:
    try:
        return json.loads(zf.read(name))
    except KeyError:
        raise VerifyFailed(f"{name} is missing") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise VerifyFailed(f"{name} is not JSON ({e})") from None


def _check_warc(zf: zipfile.ZipFile, name: str) -> int:
    n = 0
    try:
        with zf.open(name) as fh:
            for rec in ArchiveIterator(fh, check_digests=True):
                rec.content_stream().read()
                n += 1
                if rec.digest_checker.passed is False:
                    rid = rec.rec_headers.get_header("WARC-Record-ID")
                    problems = "; ".join(str(p) for p in rec.digest_checker.problems)
                    raise VerifyFailed(f"{name}: record {n} {rid}: {problems}")
    except (ArchiveLoadFailed, OSError, EOFError, zipfile.BadZipFile) as e:
        raise VerifyFailed(f"{name}: unreadable after record {n} ({type(e).__name__}: {e})") from None
    return n


def verify_wacz(path: str) -> Verified:
    """Raises VerifyFailed naming the first thing that does not check out; OSError if path is unreadable."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise VerifyFailed(f"{path} is not a ZIP file (a WACZ is one)") from None
    with zf:
        package = _json(zf, "datapackage.json")
        if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
            raise VerifyFailed("datapackage.json has no resources list")
        done = Verified()
        listed = set()
        for res in package["resources"]:
            name, expected = res.get("path"), str(res.get("hash", ""))
            if not name or name not in zf.NameToInfo:
                raise VerifyFailed(f"{name}: listed in datapackage.json but not in the ZIP")
            if not expected.startswith("sha256:"):
                raise VerifyFailed(f"{name}: datapackage.json gives no SHA-256 for it ({expected or 'no hash'})")
            try:
                actual, size = _sha256(zf, name)
            except (zipfile.BadZipFile, OSError, EOFError) as e:  # a flipped byte in a deflated member
                raise VerifyFailed(f"{name}: unreadable in the ZIP ({e})") from None
            if actual != expected:
                raise VerifyFailed(f"{name}: SHA-256 mismatch: datapackage.json says {expected}, the file is {actual}")
            if "bytes" in res and res["bytes"] != size:
                raise VerifyFailed(f"{name}: size mismatch: datapackage.json says {res['bytes']} bytes, the file "
                                   f"has {size}")
            listed.add(name)
            done.files += 1
        extra = [n for n in zf.namelist() if n not in listed and n not in _OWN and not n.endswith("/")]
        if extra:
            raise VerifyFailed(f"{extra[0]}: in the ZIP but not listed in datapackage.json")
        digest = _json(zf, "datapackage-digest.json")
        actual, _ = _sha256(zf, "datapackage.json")
        if not isinstance(digest, dict) or digest.get("hash") != actual:
            said = digest.get("hash") if isinstance(digest, dict) else None
            raise VerifyFailed(f"datapackage.json: SHA-256 mismatch: datapackage-digest.json says {said}, "
                               f"the file is {actual}")
        for name in sorted(listed):
            if name.endswith((".warc", ".warc.gz")):
                done.records += _check_warc(zf, name)
        signed = digest.get("signedData")
        if signed:
            if not isinstance(signed, dict):
                raise VerifyFailed("datapackage-digest.json: signedData is not an object")
            if signed.get("hash") != actual:
                raise VerifyFailed(f"signature: signs {signed.get('hash')}, not this datapackage.json ({actual})")
            if signed.get("created") != package.get("created"):
                raise VerifyFailed(f"signature: made at {signed.get('created')}, but datapackage.json was created "
                                   f"{package.get('created')}")
            problem = check_signature(signed)
            if problem:
                raise VerifyFailed(f"signature: {problem}")
            if signed.get("publicKey"):
                done.signed_by = fingerprint(signed["publicKey"])
            else:
                done.signed_by = f"domain {signed.get('domain')}"
                done.notes.append("domain certificate chain and time stamp not checked")
        return done
