"""The search index's rows: each version's search document, as the core made it (archive.search_document).

Table `version_search` (migration 0006), one row per version, gone with it:
- SQLite: a contentless FTS5 table whose tokenizer splits on whitespace only (every other character
  is a token character, nothing is folded again): its terms are exactly the core's. FTS5 can take a
  contentless row out only given the terms it was made of, so those are kept zstd-packed in
  `version_search_docs` (a third of their size; FTS5's own content would keep them whole): the
  store reads them to replace a row, and the trigger that drops a deleted version's row unpacks
  them with `search_unpack`, which every connection of make_engine has.
- PostgreSQL: (version_id, article_id, document tsvector) with a GIN index; the tsvector is written
  here from the document with each term's positions, so phrases match as `<->` sequences.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

import zstandard
from sqlalchemy import Connection, bindparam, text

from worker.archive import search_document

# Every Unicode category but separators (Z*) makes tokens; remove_diacritics 0: the core folded already.
SQLITE_TABLES = [
    """CREATE VIRTUAL TABLE version_search USING fts5(
        terms, content='', columnsize=0,
        tokenize="unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'"
    )""",
    "CREATE TABLE version_search_docs (version_id INTEGER PRIMARY KEY, document BLOB NOT NULL)",
    """CREATE TRIGGER version_search_ad AFTER DELETE ON versions BEGIN
        INSERT INTO version_search (version_search, rowid, terms)
            SELECT 'delete', version_id, search_unpack(document) FROM version_search_docs
            WHERE version_id = old.id;
        DELETE FROM version_search_docs WHERE version_id = old.id;
    END""",
]
_SQLITE_INSERT = text("INSERT INTO version_search (rowid, terms) VALUES (:version_id, :document)")
_SQLITE_DELETE = text("INSERT INTO version_search (version_search, rowid, terms) VALUES ('delete', :version_id, :document)")
_SQLITE_DOCS = text("INSERT OR REPLACE INTO version_search_docs (version_id, document) VALUES (:version_id, :packed)")
_SQLITE_OLD = text("SELECT version_id, document FROM version_search_docs WHERE version_id IN :ids").bindparams(
    bindparam("ids", expanding=True))
_PG_WRITE = text(
    "INSERT INTO version_search (version_id, article_id, document) "
    "VALUES (:version_id, :article_id, CAST(:document AS tsvector)) "
    "ON CONFLICT (version_id) DO UPDATE SET article_id = excluded.article_id, document = excluded.document"
)
_PG_MAX_LEXEME = 2000  # bytes; PostgreSQL refuses a lexeme of 2047 or more
_PG_MAX_LEXEMES = 1_000_000  # bytes of distinct lexemes; a tsvector holds at most 1 MB of them
_PACK = zstandard.ZstdCompressor(level=3)
_POOL_FROM = 20_000  # versions


def write(c: Connection, rows: Sequence[dict[str, object]], replacing: bool = False) -> None:
    """Index versions: rows of {"version_id", "article_id", "document"}. replacing: some may be
    indexed already (a re-extraction), their rows are replaced; else they are all new."""
    if not rows:
        return
    if c.dialect.name != "sqlite":
        c.execute(_PG_WRITE, [{**r, "document": pg_tsvector(str(r["document"]))} for r in rows])
        return
    if replacing:
        old = c.execute(_SQLITE_OLD, {"ids": [r["version_id"] for r in rows]}).all()
        if old:
            c.execute(_SQLITE_DELETE, [{"version_id": i, "document": unpack(d)} for i, d in old])
    c.execute(_SQLITE_INSERT, list(rows))
    c.execute(_SQLITE_DOCS, [{"version_id": r["version_id"], "packed": _PACK.compress(str(r["document"]).encode())}
                             for r in rows])


def backfill(c: Connection, batch: int = 500) -> int:
    """Index every version the archive holds, `batch` at a time (memory stays bounded). The terms
    are cut in worker processes, one per core, when there are enough versions to pay for starting
    them (cutting costs ~2 ms per version, the writes less). Returns how many were indexed."""
    total = c.scalar(text("SELECT count(*) FROM versions")) or 0
    if total < _POOL_FROM or (os.cpu_count() or 1) < 2:
        for rows in _batches(c, batch):
            write(c, documents(rows))
        return total
    workers = os.cpu_count() or 1
    # spawn: a forked child would share the parent's database connections
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque = deque()
        for rows in _batches(c, batch):
            pending.append(pool.submit(documents, rows))
            if len(pending) > 2 * workers:
                write(c, pending.popleft().result())
        for done in pending:
            write(c, done.result())
    return total


def _batches(c: Connection, n: int) -> Iterator[list[tuple[int, int, str, str]]]:
    after = 0
    query = text("SELECT id, article_id, title, text FROM versions WHERE id > :after ORDER BY id LIMIT :n")
    while rows := [tuple(r) for r in c.execute(query, {"after": after, "n": n})]:
        yield rows  # type: ignore[misc]
        after = rows[-1][0]


def documents(rows: list[tuple[int, int, str, str]]) -> list[dict[str, object]]:
    return [{"version_id": vid, "article_id": aid, "document": search_document(title or "", body or "")}
            for vid, aid, title, body in rows]


def unpack(packed: bytes) -> str:
    """A kept document (SQLite's search_unpack)."""
    return zstandard.ZstdDecompressor().decompress(packed).decode()


def pg_tsvector(document: str) -> str:
    """The document as a tsvector literal: every term quoted, with its positions (1-based). PostgreSQL
    keeps 256 positions per lexeme and clamps positions at 16,383 (as to_tsvector does): in a longer
    text every word is still found, a phrase past that point no longer is. (Runs in the writing
    process for every version: kept lean.)"""
    positions: dict[str, list[int]] = {}
    for i, term in enumerate(document.split(), start=1):
        seen = positions.get(term)
        if seen is None:
            positions[term] = [i]
        elif len(seen) < 256:
            seen.append(i)
    out, size = [], 0
    for term, at in positions.items():
        size += len(term)
        if size > _PG_MAX_LEXEMES // 4:  # characters (of up to 4 bytes) past the 1 MB a tsvector holds
            break
        if len(term) > _PG_MAX_LEXEME // 4 and len(term.encode()) > _PG_MAX_LEXEME:
            continue
        quoted = pg_quote(term) if "'" in term or "\\" in term else f"'{term}'"
        out.append(f"{quoted}:{at[0]}" if len(at) == 1 else f"{quoted}:{','.join(map(str, at))}")
    return " ".join(out)


def pg_quote(term: str) -> str:
    """A lexeme quoted for tsvector and tsquery input: nothing in it is syntax."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
