"""Search: the query language, its safety, and the index kept current with every version written."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.rebuild import rebuild
from worker.store.repository import ArchiveStore, Capture
from worker.values import Extracted, Fetched
from worker.web.queries import ArticleFilter, list_articles
from worker.web.search import Term, fts5_query, parse_query, pg_tsquery, search_available

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_parse_query() -> None:
    assert parse_query('storm "power lines" -sport fresco* "" -') == [
        Term("storm"), Term("power lines", quoted=True), Term("sport", negated=True), Term("fresco", prefix=True)]


def test_fts5_query_quotes_everything() -> None:
    assert fts5_query(parse_query('a "b c" -d e*')) == '"a" AND "b c" AND "e"* NOT "d"'
    assert fts5_query(parse_query('say "x')) == '"say" AND "x"'  # an unbalanced quote is no term
    assert fts5_query(parse_query("NEAR(a OR b)")) == '"near a" AND "or" AND "b"'  # words, never syntax


def test_pg_tsquery_quotes_every_lexeme() -> None:
    assert pg_tsquery(parse_query('a "b c" -d e*')) == "('a') & ('b' <-> 'c') & !('d') & ('e':*)"
    assert pg_tsquery([Term("x'y\\z")]) == "('x' <-> 'y' <-> 'z')"  # quotes and backslashes are no terms
    assert pg_tsquery(parse_query("鹿児島*")) == "('鹿児' <-> '児島':*)"  # the last bigram as the prefix


def _search(engine, q: str) -> list[str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return [a["url"] for a in list_articles(conn, ArticleFilter(q=q), None, 50)[0]]


def _indexed(engine, word: str) -> int:  # type: ignore[no-untyped-def]
    """Rows of the index itself holding the word (not hidden by a join with versions)."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            return conn.scalar(text("SELECT count(*) FROM version_search WHERE version_search MATCH :w"), {"w": word})
        return conn.scalar(text("SELECT count(*) FROM version_search WHERE document @@ CAST(:w AS tsquery)"),
                           {"w": word})


def test_index_follows_inserts_updates_and_deletes(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    f = Fetched("article", "http://s/a", "http://s/a", 200, T0, 10, 1, body=b"x", body_sha256="0" * 64)
    store.record_capture(Capture(sid, "http://s/a", None, f, Extracted("Headline", [], None, "en", "Ceasefire talks"), ()))
    with engine.connect() as conn:
        assert search_available(conn)
    assert _search(engine, "ceasefire") == ["http://s/a"]
    # what `reextract` does to a version's text: the version's search document is made again
    rebuild(engine, lambda html, url, rules: Extracted("Headline", [], None, "en", "Truce talks"), {})
    assert _search(engine, "ceasefire") == [] and _search(engine, "truce") == ["http://s/a"]
    assert _indexed(engine, "ceasefire") == 0 and _indexed(engine, "truce") == 1  # the old terms are gone
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM version_bands"))  # the near-duplicate index points at versions
        conn.execute(text("DELETE FROM versions"))
    assert _search(engine, "truce") == [] and _indexed(engine, "truce") == 0
    engine.dispose()


def test_common_and_rare_term_plans_agree(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A rare term collects its articles, a common one walks the list newest first: same answers. The
    choice is made by counting matches (neither database can): a quoted phrase of two common words
    that never stand side by side is rare, and collected."""
    import worker.web.search as search

    upgrade(db_url)
    engine = make_engine(db_url)
    store = ArchiveStore(engine)
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    for i in range(12):
        f = Fetched("article", f"http://s/{i}", f"http://s/{i}", 200, T0.replace(hour=i), 10, 1, body=b"x",
                    body_sha256=f"{i:064d}")
        words = "common words " + ("rare " if i % 5 == 0 else "") + f"item{i}"
        store.record_capture(Capture(sid, f"http://s/{i}", None, f, Extracted(f"T{i}", [], None, "en", words), ()))
    monkeypatch.setattr(search, "walk_threshold", lambda articles: 4)
    with engine.connect() as conn:
        plans = {q: "EXISTS" in str(search.search_clause(conn, q)) for q in ("common", "rare", '"words common"')}
    assert plans == {"common": True, "rare": False, '"words common"': False}  # True: walked
    queries = ["common", "rare", "rare -item5", "item1*", '"common words"', '"words common"', "absent"]
    collected, walked = {}, {}
    for answers, rare in ((collected, True), (walked, False)):
        monkeypatch.setattr(search, "_rare", lambda conn, condition, q, rare=rare: rare)
        answers.update({q: _search(engine, q) for q in queries})
    assert walked == collected
    assert collected["rare"] == ["http://s/10", "http://s/5", "http://s/0"] and collected["rare -item5"] == [
        "http://s/10", "http://s/0"]
    assert len(collected["common"]) == 12 and collected["absent"] == collected['"words common"'] == []
    engine.dispose()


def test_pg_tsvector_keeps_positions_and_quotes_lexemes() -> None:
    from worker.store.search_index import pg_tsvector

    assert pg_tsvector("a b a") == "'a':1,3 'b':2"
    assert pg_tsvector("it's a\\b") == "'it''s':1 'a\\\\b':2"
    assert pg_tsvector("x" * 3000 + " y") == "'y':2"  # PostgreSQL refuses a lexeme that long: left out
