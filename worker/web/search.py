"""Full-text search over every version's title and body (migration 0003 builds the index).

SQLite: FTS5 table `versions_fts` (external content over `versions`, kept by triggers).
PostgreSQL: GIN index on to_tsvector('simple', title || ' ' || text); PG_DOCUMENT must stay the index's
expression byte for byte, or PostgreSQL falls back to a sequential scan.

Both take the same small query language: words, "quoted phrases", -excluded, prefix*. All must match
one version (an article matches when any of its versions does). User input is only ever bound as data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sqlalchemy import Connection, Integer, inspect, text
from sqlalchemy.sql.elements import ColumnElement, TextClause

from worker.store.models import Article

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
PG_DOCUMENT = "to_tsvector('simple'::regconfig, coalesce(versions.title, '') || ' ' || coalesce(versions.text, ''))"


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False
    prefix: bool = False


def parse_query(q: str) -> list[Term]:
    terms = []
    for m in _TOKEN.finditer(q):
        neg, term = (m[1], m[2]) if m[2] is not None else (m[3], m[4])
        prefix = m[2] is None and term.endswith("*")
        term = term.rstrip("*") if prefix else term
        if any(ch.isalnum() for ch in term):  # punctuation alone is no search term
            terms.append(Term(term, bool(neg), prefix))
    return terms


def fts5_query(terms: list[Term]) -> str:
    """A safe FTS5 MATCH string: every term is a quoted string, so no user text is FTS5 syntax."""
    wanted = [_fts5_term(t) for t in terms if not t.negated]
    return " AND ".join(wanted) + "".join(f" NOT {_fts5_term(t)}" for t in terms if t.negated)


def _fts5_term(t: Term) -> str:
    return '"' + t.text.replace('"', '""') + '"' + ("*" if t.prefix else "")


def pg_tsquery(terms: list[Term]) -> tuple[str, dict[str, str]]:
    """A tsquery expression over bound parameters, one per term (phraseto_tsquery takes any text)."""
    parts, params = [], {}
    for i, t in enumerate(terms):
        params[f"t{i}"] = t.text
        one = (f"to_tsquery('simple'::regconfig, quote_literal(:t{i}) || ':*')" if t.prefix
               else f"phraseto_tsquery('simple'::regconfig, :t{i})")
        parts.append(f"!!{one}" if t.negated else one)
    return " && ".join(parts), params


def search_clause(conn: Connection, q: str) -> ColumnElement[bool] | TextClause | None:
    """A WHERE clause on `articles`: some version of the article matches q. None when q asks for no
    word at all (only exclusions, or only punctuation): that is no search, and the list stays unfiltered."""
    terms = parse_query(q)
    if not any(not t.negated for t in terms):
        return None
    if conn.dialect.name != "sqlite":  # PostgreSQL's planner weighs GIN scan against index walk itself
        query, params = pg_tsquery(terms)
        sub = text(f"SELECT versions.article_id FROM versions WHERE {PG_DOCUMENT} @@ ({query})").bindparams(**params)
        return Article.id.in_(sub.columns(article_id=Integer))
    match = fts5_query(terms)
    if _rare_on_sqlite(conn, match):
        sub = text("SELECT versions.article_id FROM versions_fts JOIN versions ON versions.id = versions_fts.rowid "
                   "WHERE versions_fts MATCH :q").bindparams(q=match)
        return Article.id.in_(sub.columns(article_id=Integer))
    return text("EXISTS (SELECT 1 FROM versions v JOIN versions_fts f ON f.rowid = v.id "
                "WHERE v.article_id = articles.id AND versions_fts MATCH :q)").bindparams(q=match)


def _rare_on_sqlite(conn: Connection, match: str) -> bool:
    """SQLite has no cost model for FTS, so choose here. A rare term: collect its few articles, then
    sort them. A common one: walk the articles newest first and probe each (hits come quickly).
    Collecting costs ~matches, walking ~page * articles / matches; they cross near sqrt(70 * articles)."""
    articles = conn.scalar(text("SELECT max(id) FROM articles")) or 0
    threshold = max(500, int(math.sqrt(70 * articles)))
    hits = conn.scalar(text("SELECT count(*) FROM (SELECT 1 FROM versions_fts WHERE versions_fts MATCH :q LIMIT :n)"),
                       {"q": match, "n": threshold})
    return (hits or 0) < threshold


def search_available(conn: Connection) -> bool:
    """False on an archive not yet upgraded to migration 0003 (the browser then says so)."""
    if conn.dialect.name == "sqlite":
        return inspect(conn).has_table("versions_fts")
    return bool(conn.scalar(text("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_versions_search'")))
