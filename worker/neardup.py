"""Near-duplicates: MinHash over word 5-shingles (4 in spaceless scripts), banded for LSH lookups.

What is shingled: the casefolded text cut into words, then every run of SHINGLE (5) consecutive words,
or SPACELESS_SHINGLE (4) in a text whose words are mostly of a spaceless script (a text shorter than
that is one shingle). The words: a text in a script that the standard library's \\w+ cuts to pieces
gets segment.py's words: the spaceless scripts (Han, Kana, Thai, Lao, Khmer, Myanmar: all between two
punctuation marks was one "word", so a Japanese story republished with one phrase reworded per
paragraph was missed) and the scripts whose letters carry obligatory combining marks (Devanagari and
the other Brahmic scripts, Tibetan, Thaana: re's \\w split नमस्ते in three). Every other text keeps
exactly the tokens it always had, re's \\w+ on the casefolded text, so the signatures and band keys
already stored in archives still match new captures: Latin, Cyrillic, Greek, Hangul, and Arabic or
Hebrew with their optional vowel points, which \\w+ splits on (محمّد -> محم د) but the same way every
time. No stemming or other folding than casefolding: a reworded phrase is other words, not other
endings (words cut to their first 5 letters, a crude stem, measured: still 37 of 140 language-draws
below 0.95 at 0.7, against 46). ICU's words are short (鹿児島 / 県 / で), so a text whose
words are mostly of a spaceless script has shingles of SPACELESS_SHINGLE words: 4, measured as the
size that keeps both republished copies and same-topic or same-boilerplate stories furthest from
THRESHOLD.

THRESHOLD = 0.6, measured on bench/neardup_langs.py's seven languages over 40 seeds (one phrase of
every paragraph reworded, against same-topic and same-boilerplate stories): at 0.7 a Korean, Russian
or English story republished with one phrase reworded per paragraph was missed too often (the word
count of a sentence is small, each reworded word takes SHINGLE shingles with it: copies' exact Jaccard
is 0.62-0.80 there): Korean recall was below 0.95 in all 40 draws (worst 0.650). At 0.6 every language
of every draw has precision and recall >= 0.95. Four-word shingles at 0.7 would also have lifted them,
but still fell below 0.95 in 7 of 280 (language, draw), and would have re-signed every stored version.

    sig = signature(version.text)                   # bytes, stored with the version
    keys = band_keys(sig)                           # rows of version_bands(band, key, version_id)
    ... candidates = versions sharing any (band, key) ...
    keep those with similarity(sig, theirs) >= THRESHOLD and another content hash

Banding: NUM_PERM = 128 hash values cut into BANDS = 32 bands of ROWS = 4. Two texts of Jaccard
similarity s share at least one band with probability 1 - (1 - s**4)**32:
    s = 0.5: 0.87    s = 0.6: 0.985    s = 0.65: 0.996    s = 0.7: 0.9998    s = 0.8: 1 - 1e-9
so pairs at the 0.6 threshold are rarely missed (1.5%, and the copies of a story mostly sit higher),
at the price of looking at more candidates (s = 0.3: 0.23, s = 0.1: 0.003); the exact cut is made
afterwards on the estimated similarity (standard error sqrt(s(1-s)/128), about 0.04 at s = 0.6-0.7).
Fewer, longer bands (16 x 8, whose S-curve sits at 0.7) would miss most pairs at s = 0.6: the lookup
must favour recall. Bands and signatures were made the same way before the threshold went from 0.7 to
0.6: archives keep them, and a capture after the upgrade finds its old copies.

Deterministic across processes and machines: a fixed seed and scheme, datasketch's SHA-1 shingle hash,
little-endian serialisation, and band keys from BLAKE2b, never Python's salted hash(). Signatures are
datasketch's (MinHash, affine32 scheme, LeanMinHash bytes), computed with numpy alone (see signature).
"""

from __future__ import annotations

import hashlib
import re
import struct
from functools import cache
from typing import TYPE_CHECKING

import regex

from worker import segment

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS  # 4
THRESHOLD = 0.6  # measured: bench/neardup_langs.py --seeds 1-40 (see the module's doc)
SEED = 1  # fixed: signatures made by any process or version of this code stay comparable
SHINGLE = 5
SPACELESS_SHINGLE = 4  # words per shingle in a text of a spaceless script: measured, bench/neardup_langs.py
_KEY_MASK = (1 << 63) - 1  # band keys are non-negative and fit a signed 64-bit BIGINT
_WORD_RE = re.compile(r"\w+")  # the tokens of every text that needs no segmentation: never change it
# A combining mark of a script whose words carry such marks as letters: re's \w would cut the word there.
# (Inherited marks are Latin, Greek and Cyrillic accents, and the Arabic vowel points.)
_WORD_MARK = regex.compile(r"(?V1)[\p{M}--[\p{Zinh}\p{Zyyy}\p{Latin}\p{Greek}\p{Cyrillic}\p{Arabic}"
                           r"\p{Hebrew}\p{Syriac}\p{Hangul}\p{Han}]]")
_EMPTY = (1 << 32) - 1  # the value of a permutation that saw no shingle
# datasketch's LeanMinHash layout: seed, -num_perm, scheme code (1: affine32), then the values
_HEADER = struct.Struct("<qiB")
_OUR_HEADER = _HEADER.pack(SEED, -NUM_PERM, 1)
_HEADER_SIZE = _HEADER.size
_VALUES = struct.Struct(f"<{NUM_PERM}I")
_BAND = struct.Struct(f"<H{ROWS}Q")  # a band key's input: the band's index, then its values as uint64


def tokens(text: str) -> tuple[list[str], int]:
    """The casefolded words of a text and the number of them per shingle (see the module's doc)."""
    folded = text.casefold()
    if segment.has_spaceless(folded):
        words = segment.words(folded)
        spaceless = sum(segment.has_spaceless(w) for w in words)  # an English story quoting 東京 stays at 5
        return words, SPACELESS_SHINGLE if 2 * spaceless >= len(words) else SHINGLE
    if _WORD_MARK.search(folded):
        return segment.words(folded), SHINGLE
    return _WORD_RE.findall(folded), SHINGLE


def shingles(text: str) -> list[bytes]:
    """Word shingles of the text's casefolded words (a shorter text is one shingle), UTF-8."""
    return [s.encode() for s in _shingle_set(text)]


def _shingle_set(text: str) -> set[str]:
    words, size = tokens(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations h -> a*h + b (mod 2**32, a odd), drawn as it draws them."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, the pre-mix of datasketch's affine32 scheme."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(text: str) -> bytes:
    """MinHash of the text's word shingles, serialised (datasketch LeanMinHash format, 525 bytes).

    The same bytes as datasketch's MinHash(num_perm=128, seed=1, scheme="affine32") over SHA-1
    shingle hashes (tests/test_neardup.py holds the two together), computed here with numpy alone:
    datasketch brings scipy, ~50 MB in every process that examines pages. numpy is imported here
    only: the processes that compare and index signatures (the writer, the web UI) do without it."""
    import numpy as np

    sha1 = hashlib.sha1
    # each shingle's hash: the first 4 bytes of its SHA-1, little-endian (read by numpy in one go)
    hashes = b"".join([sha1(s.encode()).digest()[:4] for s in _shingle_set(text)])
    values = np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    if hashes:
        a, b = _permutations()
        mixed = _fmix32(np.frombuffer(hashes, dtype="<u4").astype(np.uint32)).reshape(-1, 1)
        values = (mixed * a + b).min(axis=0)  # uint32 arithmetic wraps: the mod 2**32 of the scheme
    return _OUR_HEADER + values.astype("<u4").tobytes()


def _values(sig: bytes) -> tuple[int, ...]:
    """The hash values of a signature, read straight from its bytes."""
    if len(sig) != _HEADER_SIZE + 4 * NUM_PERM or sig[:_HEADER_SIZE] != _OUR_HEADER:
        raise ValueError("not a signature of this archive (another size, seed or scheme)")
    return _VALUES.unpack_from(sig, _HEADER_SIZE)


def _is_empty(values: tuple[int, ...]) -> bool:
    return all(v == _EMPTY for v in values)


def band_keys(sig: bytes) -> list[tuple[int, int]]:
    """(band index, key) per band, key a 63-bit non-negative int (fits BIGINT). An empty text has
    none: bodies without words never match each other."""
    values = _values(sig)
    if _is_empty(values):
        return []
    keys = []
    for band in range(BANDS):
        chunk = _BAND.pack(band, *values[band * ROWS : (band + 1) * ROWS])
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "little") & _KEY_MASK))
    return keys


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0.0 when either is empty)."""
    a, b = _values(sig_a), _values(sig_b)
    if _is_empty(a) or _is_empty(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_PERM
