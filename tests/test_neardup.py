"""worker/neardup.py: MinHash signatures, LSH band keys for a database index, similarity."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from worker.neardup import BANDS, NUM_PERM, THRESHOLD, band_keys, shingles, signature, similarity

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("council harbour budget minister vote river school hospital police court storm flood road "
         "tram ferry election mayor union strike price energy market bank museum festival port "
         "village farmer water bridge station airport factory worker teacher doctor nurse judge").split()
STOCK = ["said on Monday", "according to officials", "in a statement", "the government said",
         "local residents", "earlier this year", "a spokesman said", "will be published"]


def _article(seed: int, paragraphs: int = 10) -> list[str]:
    """Same-topic prose: a small shared vocabulary and stock phrases, like two stories on one beat."""
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(3):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 14))]
            words.insert(rng.randint(0, len(words)), rng.choice(STOCK))
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    return out


def _jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb)


def test_a_signature_is_bytes_of_a_fixed_size_and_the_same_in_another_process() -> None:
    text = "\n\n".join(_article(1))
    sig = signature(text)
    assert isinstance(sig, bytes) and len(sig) == len(signature("other words entirely here today"))
    code = ("import sys; from worker.neardup import signature; "
            "sys.stdout.write(signature(sys.stdin.read()).hex())")
    other = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True,
                           cwd=ROOT, check=True, env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    assert other == sig.hex()


def test_signatures_are_byte_for_byte_datasketchs() -> None:
    """neardup computes datasketch's MinHash (affine32, seed 1, SHA-1 shingle hashes, LeanMinHash
    bytes) with numpy alone; datasketch itself, the reference, must agree on every text."""
    from datasketch import LeanMinHash, MinHash

    from worker import neardup

    texts = ["", "two words", "a text with a few words in it", "\n\n".join(_article(3)),
             "Ünïcödé wörds, ещё и по-русски, 東京 and numbers 1 2 3 4 5 6 7"]
    for text in texts:
        mh = MinHash(num_perm=NUM_PERM, seed=neardup.SEED, scheme="affine32")
        mh.update_batch(shingles(text))
        lean = LeanMinHash(mh)
        buf = bytearray(lean.bytesize(byteorder="<"))
        lean.serialize(buf, byteorder="<")
        assert signature(text) == bytes(buf), text[:40]


def test_shingles_are_lower_cased_word_five_grams() -> None:
    assert set(shingles("One, two; THREE four five six!")) == {
        b"one two three four five", b"two three four five six"}
    assert shingles("Too short") == [b"too short"]
    assert shingles("  ") == []


def test_similarity_estimates_jaccard() -> None:
    base = _article(2, 12)
    for keep in (12, 11, 9, 6, 3):
        a, b = "\n\n".join(base), "\n\n".join(base[:keep])
        assert similarity(signature(a), signature(b)) == pytest.approx(_jaccard(a, b), abs=0.12)
    text = "\n\n".join(base)
    assert similarity(signature(text), signature(text)) == 1.0


def test_wire_story_with_a_local_intro_is_a_near_duplicate_and_a_same_topic_story_is_not() -> None:
    wire = _article(3, 12)
    local = _article(4, 1) + wire
    trimmed = wire[:-2]
    unrelated = _article(5, 12)
    sig = signature("\n\n".join(wire))
    assert similarity(sig, signature("\n\n".join(local))) >= THRESHOLD
    assert similarity(sig, signature("\n\n".join(trimmed))) >= THRESHOLD
    assert similarity(sig, signature("\n\n".join(unrelated))) < 0.2


def test_band_keys_fit_a_signed_bigint_and_near_duplicates_share_one() -> None:
    wire = _article(6, 12)
    keys = band_keys(signature("\n\n".join(wire)))
    assert [band for band, _ in keys] == list(range(BANDS))
    assert all(isinstance(k, int) and 0 <= k < 2**63 for _, k in keys)
    assert band_keys(signature("\n\n".join(wire))) == keys  # deterministic
    near = set(band_keys(signature("\n\n".join(_article(7, 1) + wire[:-1]))))
    assert near & set(keys)
    unrelated = set(band_keys(signature("\n\n".join(_article(8, 12)))))
    assert not unrelated & set(keys)


def test_empty_texts_have_no_band_keys_and_match_nothing() -> None:
    empty = signature("")
    assert band_keys(empty) == []
    assert similarity(empty, empty) == 0.0
    assert similarity(empty, signature("some words that make a shingle or two")) == 0.0


def test_signatures_of_other_sizes_are_refused() -> None:
    from datasketch import LeanMinHash, MinHash

    small = LeanMinHash(MinHash(num_perm=NUM_PERM // 2))
    buf = bytearray(small.bytesize(byteorder="<"))
    small.serialize(buf, byteorder="<")
    with pytest.raises(ValueError):
        similarity(signature("a b c d e f"), bytes(buf))


def test_band_keys_never_change() -> None:
    """Stored archives hold these keys: a new way of computing them must give the same numbers."""
    sig = signature("The council voted on Tuesday to close the old bridge for repairs until spring.")
    assert band_keys(sig)[:3] == [(0, 450716900889455072), (1, 5821698000441036140), (2, 5805331101216053182)]


def test_helper_processes_load_only_what_they_need() -> None:
    """numpy, httpx and SQLAlchemy are 15-25 MB each in every process that loads them: the writing
    process needs neither numpy nor httpx, the examining processes neither SQLAlchemy nor httpx."""
    import subprocess
    import sys

    def loaded(modules: str) -> str:
        probe = f"import sys, {modules}; print(sorted({{'numpy', 'httpx', 'sqlalchemy'}} & set(sys.modules)))"
        return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()

    assert loaded("worker.writer, worker.store.repository") == "['sqlalchemy']"
    assert loaded("worker.examine, worker.examiners") == "[]"
