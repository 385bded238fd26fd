"""Migration 0007 re-hashes stored versions under today's normalisation (issue #15): versions whose texts
differ only in encoding (full-width digits, soft hyphens, zero-width spaces) get today's hash, become
duplicates of each other where they are under different URLs, and no article gets a version from the
change of rule itself."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command

from worker import neardup
from worker.archive import content_hash
from worker.store.engine import make_engine
from worker.store.migrate import alembic_config

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def old_hash(title: str, text: str) -> str:
    """content_hash as releases up to 0.1 made it: NFC and whitespace only."""
    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()
    return hashlib.sha256((norm(title) + "\n" + norm(text)).encode()).hexdigest()


STORIES = [  # (url, title, text): the first two differ only in encoding
    ("https://a.example/1", "Prices rise", "Bread costs ５００ yen\u00ad now.\n\nMilk is up too."),
    ("https://b.example/1", "Prices rise", "Bread costs 500 yen now.\n\nMilk is up too."),
    ("https://a.example/2", "鹿児島で大雨", "鹿児島県で大雨が降り、住民が避難した。気象庁は警報を出した。" * 3),
]


def _fill(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(sa.text("INSERT INTO sources (id, name, kind, url, created_at, degraded) "
                          "VALUES (1, 's', 'feed', 'https://a.example/feed', :t, false)"), {"t": T0})
        for i, (u, title, text) in enumerate(STORIES, start=1):
            at = T0 + timedelta(hours=i)
            c.execute(sa.text("INSERT INTO articles (id, url, source_id, first_seen_at, last_seen_at, last_checked_at,"
                              " version_count, gone) VALUES (:i, :u, 1, :t, :t, :t, 1, false)"), {"i": i, "u": u, "t": at})
            c.execute(sa.text("INSERT INTO fetches (id, source_id, article_id, purpose, requested_url, fetched_at, "
                              "duration_ms, attempts, not_modified) VALUES (:i, 1, :i, 'article', :u, :t, 5, 1, false)"),
                      {"i": i, "u": u, "t": at})
            sig = bytes(neardup._OUR_HEADER) + b"\x00" * (4 * neardup.NUM_PERM)  # a signature of the old shingles
            c.execute(sa.text("INSERT INTO versions (id, article_id, number, content_hash, title, authors, text, "
                              "first_seen_at, last_seen_at, fetch_id, minhash) "
                              "VALUES (:i, :i, 1, :h, :title, '[]', :text, :t, :t, :i, :sig)"),
                      {"i": i, "h": old_hash(title, text), "title": title, "text": text, "t": at, "sig": sig})
    engine.dispose()


def test_rehash_gives_todays_hashes_and_links_what_is_now_the_same_text(db_url: str) -> None:
    command.upgrade(alembic_config(db_url), "0005")
    _fill(db_url)
    assert old_hash(*STORIES[0][1:]) != old_hash(*STORIES[1][1:])
    command.upgrade(alembic_config(db_url), "head")

    engine = make_engine(db_url)
    with engine.connect() as c:
        rows = {r.id: r for r in c.execute(sa.text(
            "SELECT id, content_hash, duplicate_of_id, minhash FROM versions ORDER BY id"))}
        bands = c.execute(sa.text("SELECT count(*) FROM version_bands WHERE version_id = 3")).scalar()
    engine.dispose()
    for i, (_, title, text) in enumerate(STORIES, start=1):
        assert rows[i].content_hash == content_hash(title, text)
    assert rows[1].content_hash == rows[2].content_hash
    assert rows[2].duplicate_of_id == 1 and rows[1].duplicate_of_id is None
    # the Japanese text is signed again with segment shingles and indexed; the others keep theirs
    assert bytes(rows[3].minhash) == neardup.signature(STORIES[2][2]) and bands == neardup.BANDS
    assert bytes(rows[1].minhash) == bytes(neardup._OUR_HEADER) + b"\x00" * (4 * neardup.NUM_PERM)
