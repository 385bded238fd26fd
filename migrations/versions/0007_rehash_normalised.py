"""re-hash stored versions under the normalisation of 0.2 (invisible characters, character widths)

The content hash now ignores what changes a text's encoding, never its content: soft hyphens, BOMs,
word joiners and zero-width spaces, and full-width Latin letters, digits and punctuation (see
worker.archive.normalise_text). Without this migration every stored version whose text has any of
them would differ from its next capture, and become a new version from the change of rule alone.

Each version's hash is computed again from its stored title and text with today's content_hash, and
the duplicate links of every hash group it left or joined are set again (duplicate_of: the earliest
captured version with that hash under another article). Versions are read in batches of BATCH by id.

Near-duplicate signatures of texts in spaceless scripts (Han, Kana, Thai, ...) or with combining marks
are made again too: shingles are now cut by worker.segment (a CJK clause was one "word" before); band
rows follow. Texts in other scripts keep their signatures byte for byte.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
import regex
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 2000
_RESIGN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{M}]")

versions = sa.table("versions", sa.column("id", sa.BigInteger), sa.column("article_id", sa.BigInteger),
                    sa.column("content_hash", sa.String), sa.column("title", sa.Text), sa.column("text", sa.Text),
                    sa.column("first_seen_at", sa.DateTime), sa.column("duplicate_of_id", sa.BigInteger),
                    sa.column("minhash", sa.LargeBinary))
bands = sa.table("version_bands", sa.column("band", sa.Integer), sa.column("key", sa.BigInteger),
                 sa.column("version_id", sa.BigInteger))


def upgrade() -> None:
    from worker import neardup
    from worker.archive import content_hash

    conn = op.get_bind()
    touched: set[str] = set()
    last = 0
    while True:
        rows = conn.execute(sa.select(versions.c.id, versions.c.content_hash, versions.c.title, versions.c.text,
                                      versions.c.minhash)
                            .where(versions.c.id > last).order_by(versions.c.id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1].id
        for row in rows:
            new = content_hash(row.title or "", row.text or "")
            if new != row.content_hash:
                conn.execute(versions.update().where(versions.c.id == row.id).values(content_hash=new))
                touched |= {row.content_hash, new}
            if row.minhash is not None and _RESIGN.search(row.text or ""):
                _resign(conn, neardup, row.id, row.text, row.minhash)
    for h in sorted(touched):
        _relink(conn, h)


def _resign(conn, neardup, version_id: int, text: str, old: bytes) -> None:  # type: ignore[no-untyped-def]
    sig = neardup.signature(text)
    if sig == old:
        return
    conn.execute(versions.update().where(versions.c.id == version_id).values(minhash=sig))
    conn.execute(bands.delete().where(bands.c.version_id == version_id))
    keys = neardup.band_keys(sig)
    if keys:
        conn.execute(bands.insert(), [{"band": b, "key": k, "version_id": version_id} for b, k in keys])


def _relink(conn, content_hash: str) -> None:  # type: ignore[no-untyped-def]
    """duplicate_of for a hash group: the earliest-captured version of it under another article."""
    group = conn.execute(sa.select(versions.c.id, versions.c.article_id, versions.c.duplicate_of_id)
                         .where(versions.c.content_hash == content_hash)
                         .order_by(versions.c.first_seen_at, versions.c.id)).all()
    for i, (vid, article_id, current) in enumerate(group):
        original = next((g.id for g in group[:i] if g.article_id != article_id), None)
        if original != current:
            conn.execute(versions.update().where(versions.c.id == vid).values(duplicate_of_id=original))


def downgrade() -> None:
    pass  # the hashes stay as they are: the older rule would only make versions of what did not change
