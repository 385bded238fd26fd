"""The search index's rows: each version's search document, as the core made it (archive.search_document).

Table `version_search` (migration 0006), one row per version, deleted with it:
- SQLite: an FTS5 table over the document, whose tokenizer splits on whitespace only (every other
  character is a token character, nothing is folded again): the terms are exactly the core's.
- PostgreSQL: (version_id, article_id, document tsvector) with a GIN index; the tsvector is written
  here from the document with each term's positions, so phrases match as `<->` sequences.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import Connection, TextClause, text

# Every Unicode category but separators (Z*) makes tokens; remove_diacritics 0: the core folded already.
SQLITE_TABLE = """CREATE VIRTUAL TABLE version_search USING fts5(
    terms, tokenize="unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'"
)"""
# (REPLACE: a re-extracted version's document takes the place of its old one.)
_SQLITE_WRITE = "INSERT OR REPLACE INTO version_search (rowid, terms) VALUES (:version_id, :document)"
_PG_WRITE = (
    "INSERT INTO version_search (version_id, article_id, document) "
    "VALUES (:version_id, :article_id, CAST(:document AS tsvector)) "
    "ON CONFLICT (version_id) DO UPDATE SET article_id = excluded.article_id, document = excluded.document"
)
_PG_MAX_LEXEME = 2000  # bytes; PostgreSQL refuses a lexeme of 2047 or more
_PG_MAX_LEXEMES = 1_000_000  # bytes of distinct lexemes; a tsvector holds at most 1 MB of them


@cache
def _write(dialect: str) -> TextClause:
    return text(_SQLITE_WRITE if dialect == "sqlite" else _PG_WRITE)


def write(c: Connection, rows: Sequence[dict[str, object]]) -> None:
    """Index (or index again) versions: rows of {"version_id", "article_id", "document"}."""
    if not rows:
        return
    if c.dialect.name != "sqlite":
        rows = [{**r, "document": pg_tsvector(str(r["document"]))} for r in rows]
    c.execute(_write(c.dialect.name), list(rows))


def pg_tsvector(document: str) -> str:
    """The document as a tsvector literal: every term quoted, with its positions (1-based). PostgreSQL
    keeps 256 positions per lexeme and clamps positions at 16,383 (as to_tsvector does): in a longer
    text every word is still found, a phrase past that point no longer is."""
    positions: dict[str, list[str]] = {}
    size = 0
    for i, term in enumerate(document.split(), start=1):
        seen = positions.get(term)
        if seen is not None:
            if len(seen) < 256:
                seen.append(str(i))
            continue
        n = len(term.encode())
        if n > _PG_MAX_LEXEME or size + n > _PG_MAX_LEXEMES:
            continue
        size += n
        positions[term] = [str(i)]
    return " ".join(f"{pg_quote(t)}:{','.join(p)}" for t, p in positions.items())


def pg_quote(term: str) -> str:
    """A lexeme quoted for tsvector and tsquery input: nothing in it is syntax."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
