"""Near-duplicates: MinHash over word 5-shingles, banded for LSH lookups in a database table.

    sig = signature(version.text)                   # bytes, stored with the version
    keys = band_keys(sig)                           # rows of version_bands(band, key, version_id)
    ... candidates = versions sharing any (band, key) ...
    keep those with similarity(sig, theirs) >= THRESHOLD and another content hash

Banding: NUM_PERM = 128 hash values cut into BANDS = 32 bands of ROWS = 4. Two texts of Jaccard
similarity s share at least one band with probability 1 - (1 - s**4)**32:
    s = 0.5: 0.87    s = 0.6: 0.985    s = 0.7: 0.9998    s = 0.8: 1 - 1e-9
so pairs at the 0.7 threshold are almost never missed, at the price of looking at more
candidates (s = 0.3: 0.23, s = 0.1: 0.003); the exact cut is made afterwards on the estimated
similarity (standard error sqrt(s(1-s)/128), about 0.04 at s = 0.7). Fewer, longer bands (16 x 8,
whose S-curve sits at 0.7) would miss ~40% of pairs at s = 0.7: the lookup must favour recall.

Deterministic across processes and machines: a fixed seed and scheme, datasketch's SHA-1 shingle hash,
little-endian serialisation, and band keys from BLAKE2b, never Python's salted hash().
"""

from __future__ import annotations

import hashlib
import re
import struct

import numpy as np
from datasketch import LeanMinHash, MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS  # 4
THRESHOLD = 0.7
SEED = 1  # fixed: signatures made by any process or version of this code stay comparable
SCHEME = "affine32"  # datasketch >= 2.0's bias-free permutations; named, so a new default can't move it
SHINGLE = 5
_ORDER = "<"  # serialised little-endian whatever the machine
_KEY_MASK = (1 << 63) - 1  # band keys are non-negative and fit a signed 64-bit BIGINT
_WORD_RE = re.compile(r"\w+")
_EMPTY = (1 << 32) - 1  # datasketch's value for "no shingle seen" (affine32)


def shingles(text: str) -> list[bytes]:
    """Word 5-shingles of the lower-cased \\w+ tokens (a shorter text is one shingle), UTF-8."""
    tokens = _WORD_RE.findall(text.casefold())
    if len(tokens) < SHINGLE:
        return [" ".join(tokens).encode()] if tokens else []
    return list({" ".join(tokens[i : i + SHINGLE]).encode() for i in range(len(tokens) - SHINGLE + 1)})


# drawn once: MinHash() would draw the same 128 permutations again for every signature (0.2 ms)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature(text: str) -> bytes:
    """MinHash of the text's word 5-shingles, serialised (datasketch LeanMinHash format, 525 bytes)."""
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_PERMUTATIONS)
    mh.update_batch(shingles(text))
    lean = LeanMinHash(mh)
    buf = bytearray(lean.bytesize(byteorder=_ORDER))
    lean.serialize(buf, byteorder=_ORDER)
    return bytes(buf)


_HEADER_SIZE = struct.calcsize("<qiB")  # seed, -num_perm, scheme code: LeanMinHash's layout


def _values(sig: bytes) -> np.ndarray:
    """The hash values of a signature; read straight from the bytes when it has our header (fast:
    a lookup compares many candidates), through datasketch otherwise."""
    if len(sig) == _HEADER_SIZE + 4 * NUM_PERM and sig[:_HEADER_SIZE] == _OUR_HEADER:
        return np.frombuffer(sig, dtype="<u4", count=NUM_PERM, offset=_HEADER_SIZE)
    return LeanMinHash.deserialize(sig, byteorder=_ORDER).hashvalues


def _is_empty(values: np.ndarray) -> bool:
    return bool(np.all(values == _EMPTY))


def band_keys(sig: bytes) -> list[tuple[int, int]]:
    """(band index, key) per band, key a 63-bit non-negative int (fits BIGINT). An empty text has
    none: bodies without words never match each other."""
    values = _values(sig)
    if _is_empty(values):
        return []
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(struct.pack("<H", band) + chunk, digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "little") & _KEY_MASK))
    return keys


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0.0 when either is empty)."""
    a, b = _values(sig_a), _values(sig_b)
    if len(a) != len(b):
        raise ValueError("signatures of different sizes cannot be compared")
    if _is_empty(a) or _is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


_OUR_HEADER = signature("")[:_HEADER_SIZE]
