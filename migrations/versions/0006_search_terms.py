"""search over the core's search terms (worker/segment.py): words inside Japanese, Chinese, Thai, Korean

0003 indexed what the database's own tokenizers saw as words: a Japanese or Thai sentence was one
"word", so 災害 inside it was never found. Now every version has a search document made in Python
(worker.archive.search_document: folded words, bigrams of spaceless and Hangul runs), written by the
store with the version (worker/store/search_index.py) into `version_search`:
- SQLite: a contentless FTS5 table splitting on whitespace only, the documents kept packed beside
  it (version_search_docs); a trigger drops a version's rows with it.
- PostgreSQL: (version_id, article_id, tsvector with positions), GIN-indexed; rows go with their
  version (ON DELETE CASCADE).
The documents of existing versions are made here, in batches; 0003's index and triggers go.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-03
"""
from alembic import op

from worker.store import search_index

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PG_TABLE = """CREATE TABLE version_search (
    version_id bigint PRIMARY KEY REFERENCES versions (id) ON DELETE CASCADE,
    article_id bigint NOT NULL,
    document tsvector NOT NULL
)"""
PG_INDEXES = [
    "CREATE INDEX ix_version_search ON version_search USING gin (document)",
    # a common word: the planner may walk the newest articles and probe each one's versions
    "CREATE INDEX ix_version_search_article ON version_search (article_id)",
]

# 0003's structures, for the downgrade
OLD_SQLITE_FTS = """CREATE VIRTUAL TABLE versions_fts USING fts5(
    title, text, content='versions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
)"""
OLD_SQLITE_TRIGGERS = [
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
OLD_PG_INDEX = (
    "CREATE INDEX ix_versions_search ON versions "
    "USING gin (to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(text, '')))"
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in ("versions_fts_au", "versions_fts_ad", "versions_fts_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS versions_fts")
        for statement in search_index.SQLITE_TABLES:
            op.execute(statement)
    else:
        op.execute("DROP INDEX IF EXISTS ix_versions_search")
        op.execute(PG_TABLE)
    search_index.backfill(op.get_bind())  # every existing version's search document
    if sqlite:
        op.execute("INSERT INTO version_search(version_search) VALUES ('optimize')")  # one b-tree, not hundreds
    else:
        for index in PG_INDEXES:  # built once over all rows: faster than kept up row by row
            op.execute(index)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS version_search_ad")
        op.execute("DROP TABLE IF EXISTS version_search")
        op.execute("DROP TABLE IF EXISTS version_search_docs")
        op.execute(OLD_SQLITE_FTS)
        for trigger in OLD_SQLITE_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO versions_fts(versions_fts) VALUES ('rebuild')")
    else:
        op.execute("DROP TABLE IF EXISTS version_search")
        op.execute(OLD_PG_INDEX)
