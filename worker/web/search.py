"""Full-text search over every version's title and body (migration 0006 builds the index).

Index and query are cut by the same worker/segment.py search_terms: folded words, and overlapping
bigrams of Han, Kana, Thai, Lao, Khmer, Myanmar and Hangul runs. Each query term is matched as the
phrase of its search terms (鹿児島 -> "鹿児 児島", found inside 鹿児島県で; 기상청 -> "기상 상청",
found in 기상청은).
SQLite: FTS5 table `version_search`, which splits on whitespace only. PostgreSQL: `version_search`'s
tsvector column, GIN-indexed, queried with a tsquery of quoted lexemes (`<->` for phrases).

Both take the same small query language: words, "quoted phrases", -excluded, prefix*. All must match
one version (an article matches when any of its versions does). User input is only ever bound as data.
prefix* makes the term's last search term a prefix: for a bigram script its last bigram (鹿児* finds
鹿児島). A lone character of a bigram script ending a term (雨, or 用 in iPhone用) is indexed only inside
the bigram it starts, so it is always a prefix: it is found wherever text of its run follows it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import regex
from sqlalchemy import Connection, Integer, inspect, text
from sqlalchemy.sql.elements import ColumnElement, TextClause

from worker.segment import search_terms
from worker.store.models import Article
from worker.store.search_index import pg_quote

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False
    prefix: bool = False
    quoted: bool = False  # "a phrase" of words (one word of a bigram script is a phrase of its bigrams too)


def parse_query(q: str) -> list[Term]:
    terms = []
    for m in _TOKEN.finditer(q):
        neg, term = (m[1], m[2]) if m[2] is not None else (m[3], m[4])
        prefix = m[2] is None and term.endswith("*")
        term = term.rstrip("*") if prefix else term
        if search_terms(term):  # punctuation alone is no search term
            terms.append(Term(term, bool(neg), prefix, m[2] is not None))
    return terms


def cut(t: Term) -> tuple[list[str], bool]:
    """The search terms of a query term, and whether the last one is a prefix."""
    terms = search_terms(t.text)
    return terms, t.prefix or (bool(terms) and _lone_bigram_char(terms[-1]))


@lru_cache(maxsize=1024)
def _lone_bigram_char(term: str) -> bool:
    """One character of a script search cuts into bigrams: search_terms sets it apart from a digit
    before it (a Latin letter would join the digit in one word). Asked of segment, so both agree."""
    return len(_GRAPHEME.findall(term)) == 1 and len(search_terms("0" + term)) == 2


def fts5_query(terms: list[Term]) -> str:
    """A safe FTS5 MATCH string: every term is a quoted string, so no user text is FTS5 syntax."""
    wanted = [_fts5_term(t) for t in terms if not t.negated]
    return " AND ".join(wanted) + "".join(f" NOT {_fts5_term(t)}" for t in terms if t.negated)


def _fts5_term(t: Term) -> str:
    terms, prefix = cut(t)
    return '"' + " ".join(terms).replace('"', '""') + '"' + ("*" if prefix else "")


def pg_tsquery(terms: list[Term], *, phrases: bool = True) -> str:
    """A tsquery's text (bound as one parameter): each term the <-> phrase of its quoted lexemes.
    Without `phrases`, a wanted term's lexemes need only all be there: more matches, but answered
    from the GIN index alone (a phrase is checked against each row's positions, read from the table)."""
    parts = []
    for t in terms:
        lexemes, prefix = cut(t)
        joiner = " <-> " if phrases or t.negated else " & "
        phrase = joiner.join(pg_quote(x) for x in lexemes) + (":*" if prefix else "")
        parts.append(f"!({phrase})" if t.negated else f"({phrase})")
    return " & ".join(parts)


def search_clause(conn: Connection, q: str) -> ColumnElement[bool] | TextClause | None:
    """A WHERE clause on `articles`: some version of the article matches q. None when q asks for no
    word at all (only exclusions, or only punctuation): that is no search, and the list stays unfiltered."""
    terms = parse_query(q)
    if not any(not t.negated for t in terms):
        return None
    if conn.dialect.name != "sqlite":
        query, condition = pg_tsquery(terms), "document @@ CAST(:q AS tsquery)"
        # counted from the index first; a quoted phrase's own matches too, as they may be far fewer (two
        # common words seldom side by side) and walking for a rare phrase would read every article.
        # (The bigrams of one word seldom meet elsewhere: checking their order costs more than it saves.)
        phrase = any(t.quoted and len(cut(t)[0]) > 1 for t in terms if not t.negated)
        if _rare(conn, condition, pg_tsquery(terms, phrases=False)) or (phrase and _rare(conn, condition, query)):
            sub = text("SELECT article_id FROM version_search WHERE document @@ CAST(:q AS tsquery)")
            return Article.id.in_(sub.bindparams(q=query).columns(article_id=Integer))
        # ts_match_vq is @@ unindexed: each probe reads the article's own rows, where a planner that
        # cannot count a tsquery's matches would scan the whole GIN posting list again per article
        return text("EXISTS (SELECT 1 FROM version_search s WHERE s.article_id = articles.id "
                    "AND ts_match_vq(s.document, CAST(:q AS tsquery)) OFFSET 0)").bindparams(q=query)
    match = fts5_query(terms)
    # FTS5 gathers a prefix's terms anew at every evaluation (雨* is hundreds of bigrams): evaluated
    # once per article walked, 22 s for 雨 at 100,000 versions; collected once, milliseconds
    if any(cut(t)[1] for t in terms) or _rare(conn, "version_search MATCH :q", match):
        sub = text("SELECT versions.article_id FROM version_search JOIN versions ON versions.id = version_search.rowid "
                   "WHERE version_search MATCH :q").bindparams(q=match)
        return Article.id.in_(sub.columns(article_id=Integer))
    return text("EXISTS (SELECT 1 FROM versions v JOIN version_search f ON f.rowid = v.id "
                "WHERE v.article_id = articles.id AND version_search MATCH :q)").bindparams(q=match)


def _rare(conn: Connection, condition: str, q: str) -> bool:
    """Neither database can count a search's matches before running it (PostgreSQL guesses 5,000 of
    any tsquery; SQLite has no cost model for FTS), so count here, up to a bound. A rare term: collect
    its few articles, then sort them. A common one: walk the articles newest first and probe each
    (hits come quickly). Collecting costs ~matches, walking ~page * articles / matches; they cross
    near sqrt(70 * articles) (measured: bench/search_scale.py, 1,000,000 versions on PostgreSQL)."""
    threshold = walk_threshold(conn.scalar(text("SELECT max(id) FROM articles")) or 0)
    hits = conn.scalar(text(f"SELECT count(*) FROM (SELECT 1 FROM version_search WHERE {condition} LIMIT :n) m"),
                       {"q": q, "n": threshold})
    return (hits or 0) < threshold


def walk_threshold(articles: int) -> int:
    return max(500, int(math.sqrt(70 * articles)))


def search_available(conn: Connection) -> bool:
    """False on an archive not yet upgraded to migration 0006 (the browser then says so)."""
    return inspect(conn).has_table("version_search")
