"""Near-duplicates through the store at THRESHOLD 0.6 (issue #15): a copy captured today links to a
version stored before the threshold moved from 0.7, whose signature and band rows stay as they were."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from bench.neardup_langs import documents
from tests.test_store import T0, cap, store  # noqa: F401  (store: the fixture)
from worker import neardup
from worker.store.reading import iter_versions
from worker.store.repository import ArchiveStore


def _korean_pair_below_the_old_threshold() -> tuple[str, str, str]:
    """A Korean story, its copy reworded once per paragraph (similarity in [0.6, 0.7): missed at 0.7), and
    an unrelated story on the same beat."""
    docs = documents(random.Random(3), 6)
    ko = [d for d in docs if d.lang == "ko"]
    pairs = [(a, b) for a in ko for b in ko if a.kind == "wire" and b.kind == "copy" and a.story == b.story]
    wire, copy = min(pairs, key=lambda p: neardup.similarity(neardup.signature(p[0].text),
                                                             neardup.signature(p[1].text)))
    other = next(d for d in ko if d.kind == "other")
    return wire.text, copy.text, other.text


def test_a_copy_captured_now_links_to_a_version_stored_before(store: ArchiveStore) -> None:  # noqa: F811
    wire, copy, other = _korean_pair_below_the_old_threshold()
    sim = neardup.similarity(neardup.signature(wire), neardup.signature(copy))
    assert neardup.THRESHOLD <= sim < 0.7, sim
    ids = store.sync_sources([("a", "feed", None), ("b", "feed", None), ("c", "feed", None)], T0)
    cap(store, ids["a"], "http://a/story", T0, "정부 발표", wire)
    cap(store, ids["c"], "http://c/other", T0 + timedelta(minutes=1), "호우 경보", other)
    with store.engine.connect() as c:  # what the archive holds: the signature and bands made as before
        sig = c.execute(sa.text("SELECT minhash FROM versions ORDER BY id LIMIT 1")).scalar()
        bands = sorted(c.execute(sa.text("SELECT band, key FROM version_bands WHERE version_id = "
                                         "(SELECT min(id) FROM versions) ORDER BY band")).all())
    assert bytes(sig) == neardup.signature(wire) and [tuple(b) for b in bands] == neardup.band_keys(bytes(sig))

    cap(store, ids["b"], "http://b/reprint", T0 + timedelta(hours=2), "정부 발표", copy)
    rows = {r["url"]: r for r in iter_versions(store.engine)}
    assert [n["url"] for n in rows["http://b/reprint"]["near_duplicates"]] == ["http://a/story"]
    assert [n["url"] for n in rows["http://a/story"]["near_duplicates"]] == ["http://b/reprint"]
    assert rows["http://c/other"]["near_duplicates"] == []
