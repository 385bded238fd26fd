"""full-text search over version titles and bodies; indexes for keyset pagination in the browser

SQLite: an FTS5 table over `versions` (external content, so the text is not stored twice), kept
current by triggers. PostgreSQL: a GIN index on to_tsvector('simple', title || ' ' || text); the
browser's query repeats that exact expression (worker/web/search.py), so the index is used.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE_FTS = """
CREATE VIRTUAL TABLE versions_fts USING fts5(
    title, text, content='versions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
)"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER versions_fts_ai AFTER INSERT ON versions BEGIN
         INSERT INTO versions_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
       END""",
    """CREATE TRIGGER versions_fts_ad AFTER DELETE ON versions BEGIN
         INSERT INTO versions_fts(versions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
       END""",
    """CREATE TRIGGER versions_fts_au AFTER UPDATE OF title, text ON versions BEGIN
         INSERT INTO versions_fts(versions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
         INSERT INTO versions_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
       END""",
]
PG_INDEX = (
    "CREATE INDEX ix_versions_search ON versions "
    "USING gin (to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(text, '')))"
)


def upgrade() -> None:
    # newest-first lists, optionally per source, paginated by (first_seen_at, id)
    op.create_index("ix_articles_first_seen", "articles", ["first_seen_at", "id"])
    # (version_count rides along so the sources page sums versions from the index alone)
    op.create_index("ix_articles_source_first_seen", "articles", ["source_id", "first_seen_at", "id", "version_count"])
    # the changes feed: edits only (version 2 and later), newest first
    edits = sa.text("number > 1")
    op.create_index("ix_versions_edits", "versions", ["first_seen_at", "id"], sqlite_where=edits,
                    postgresql_where=edits)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_FTS)
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO versions_fts(versions_fts) VALUES ('rebuild')")  # index what exists
    else:
        op.execute(PG_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("versions_fts_au", "versions_fts_ad", "versions_fts_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS versions_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_versions_search")
    op.drop_index("ix_versions_edits", table_name="versions")
    op.drop_index("ix_articles_source_first_seen", table_name="articles")
    op.drop_index("ix_articles_first_seen", table_name="articles")
