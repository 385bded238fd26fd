"""The store on SQLite and PostgreSQL: migrations, captures, versions, duplicates, atomicity."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import event, func, select

from worker.store.engine import make_engine, mask_url
from worker.store.migrate import alembic_config, pending, upgrade
from worker.store.models import Article, Body, Fetch, Version
from worker.store.reading import article_versions, find_article, iter_fetches, iter_versions
from worker.store.repository import ArchiveStore, Capture
from worker.values import Extracted, Fetched

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
AGES = (3600.0, 86400.0)


def fetched(url: str, at: datetime, body: bytes = b"<html>x</html>", purpose: str = "article") -> Fetched:
    import hashlib

    return Fetched(purpose=purpose, requested_url=url, final_url=url, status=200, fetched_at=at, duration_ms=12,
                   attempts=1, body=body, content_type="text/html", etag='"e1"',
                   body_sha256=hashlib.sha256(body).hexdigest())


def extracted(title: str, text: str) -> Extracted:
    return Extracted(title=title, authors=["Jane Doe"], published_at=T0, language="en", text=text)


@pytest.fixture
def store(db_url: str) -> ArchiveStore:
    upgrade(db_url)
    return ArchiveStore(make_engine(db_url))


def cap(store: ArchiveStore, sid: int, url: str, at: datetime, title: str, text: str, body: bytes = b"<p>x</p>",
        **kw: object) -> str:
    c = Capture(sid, url, "http://site/feed.xml", fetched(url, at, body), extracted(title, text), AGES, **kw)
    return store.record_capture(c).kind


def test_migrations_apply_and_are_current(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)  # idempotent
    assert not pending(db_url)


def test_two_upgrades_at_once_take_turns(db_url: str) -> None:
    """Two processes starting on the same fresh archive (two `run`s, a fleet's workers) both migrate:
    one makes the schema, the other finds it at head. Before, the second failed on a half-made schema."""
    cmd = [sys.executable, "-m", "worker", "db", "upgrade", "--db", db_url]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
    assert not pending(db_url)


def test_an_upgrade_is_seen_whole_or_not_at_all(tmp_path: Path) -> None:
    """The migrations run as one transaction: a reader never sees the schema between two of them
    (a second process that did would migrate on top of half a schema)."""
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    make_engine(url).dispose()  # the file exists, in WAL mode, so the reader does not block the upgrade
    seen: set[str | None] = set()
    done = threading.Event()

    def read() -> None:
        conn = sqlite3.connect(tmp_path / "a.sqlite3", timeout=60)
        while not done.is_set():
            try:
                seen.add(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
            except sqlite3.OperationalError:  # no such table yet
                seen.add(None)
        conn.close()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        upgrade(url)
    finally:
        done.set()
        reader.join()
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert seen <= {None, head}, seen


def test_opening_a_fresh_file_waits_for_another_opener(tmp_path: Path) -> None:
    """Turning a fresh file to WAL needs it alone; SQLite says "locked" at once when another process
    holds it, without waiting. Opening waits instead, as for any other lock."""
    path = tmp_path / "a.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (x)")  # a rollback-journal file that another process is writing
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
        other.close()


def test_versions_only_on_real_change(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "feed", "http://site/feed.xml")], T0)["s"]
    url = "http://site/a"
    assert cap(store, sid, url, T0, "Headline", "Para one.\n\nPara two.", b"<p>1</p>") == "new"
    # a different page (rotating boxes) with the same extracted content: only last_seen moves
    assert cap(store, sid, url, T0 + timedelta(hours=1), "Headline", "Para one.\n\nPara two.", b"<p>2</p>") == "same"
    assert cap(store, sid, url, T0 + timedelta(hours=2), "New headline", "Para one.\n\nPara two.") == "version"
    assert cap(store, sid, url, T0 + timedelta(hours=3), "New headline", "Para one.\n\nPara 2.") == "version"
    versions = article_versions(store.engine, find_article(store.engine, url) or -1)
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[0]["last_seen_at"].startswith("2026-11-01T13:00")
    with store.engine.connect() as c:
        # bodies are kept for captures that start a version, not for unchanged revisits
        assert c.scalar(select(func.count()).select_from(Body)) == 2
        assert c.scalar(select(func.count()).select_from(Fetch)) == 4


def test_reprint_is_linked_as_duplicate(store: ArchiveStore) -> None:
    ids = store.sync_sources([("a", "feed", None), ("b", "feed", None)], T0)
    cap(store, ids["a"], "http://a/story", T0, "Storm", "Same words.")
    cap(store, ids["b"], "http://b/reprint", T0 + timedelta(minutes=5), "Storm", "Same words.")
    rows = list(iter_versions(store.engine))
    assert [r["url"] for r in rows] == ["http://a/story", "http://b/reprint"]
    assert rows[0]["duplicate_of"] is None
    assert rows[1]["duplicate_of"] == {"url": "http://a/story", "version": 1}
    assert rows[1]["source"] == "b" and rows[1]["provenance"]["discovered_via"] == "http://site/feed.xml"


def test_aliases_make_listed_urls_known(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    cap(store, sid, "http://site/canonical", T0, "T", "Body.", aliases=("http://site/listed?x=1",))
    known = store.known(["http://site/listed?x=1", "http://site/canonical", "http://site/other"])
    assert set(known) == {"http://site/listed?x=1", "http://site/canonical"}
    assert known["http://site/listed?x=1"].url == "http://site/canonical"


def test_revisit_schedule_and_due(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    cap(store, sid, "http://site/a", T0, "T", "Body.")
    assert store.due_revisits(T0 + timedelta(minutes=59), [sid]) == []
    due = store.due_revisits(T0 + timedelta(hours=2), [sid])
    assert [d.url for d in due] == ["http://site/a"]
    cap(store, sid, "http://site/a", T0 + timedelta(hours=2), "T", "Body.")
    assert store.due_revisits(T0 + timedelta(hours=3), [sid]) == []
    cap(store, sid, "http://site/a", T0 + timedelta(days=2), "T", "Body.")  # past the last age
    assert store.due_revisits(T0 + timedelta(days=30), [sid]) == []


def test_due_revisits_come_page_by_page_each_once(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    for i in range(7):  # captured in pairs at the same time: pages must break ties by id
        cap(store, sid, f"http://site/{i}", T0 + timedelta(minutes=i // 2), "T", f"Body {i}.")
    now = T0 + timedelta(days=1)
    pages, after = [], None
    while page := store.due_revisits(now, [sid], 3, after):
        pages.append([d.url for d in page])
        after = page[-1]
    assert pages == [[f"http://site/{i}" for i in range(j, min(j + 3, 7))] for j in (0, 3, 6)]


def test_listed_updates_are_noted_in_one_go(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    for i in range(3):
        cap(store, sid, f"http://site/{i}", T0, "T", f"Body {i}.")
    known = store.known([f"http://site/{i}" for i in range(3)])
    store.note_listed_updates({known["http://site/0"].id: T0 + timedelta(hours=1),
                               known["http://site/2"].id: T0 + timedelta(hours=2)})
    after = store.known([f"http://site/{i}" for i in range(3)])
    assert [after[f"http://site/{i}"].listed_updated_at for i in range(3)] == [
        T0 + timedelta(hours=1), None, T0 + timedelta(hours=2)]


def test_failure_keeps_versions_and_is_logged(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    cap(store, sid, "http://site/a", T0, "T", "Body.")
    gone = replace(fetched("http://site/a", T0 + timedelta(hours=2)), status=410, body=None, error="http_4xx")
    store.record_failure(gone, sid, "http://site/a", None, T0 + timedelta(hours=3))
    failed = list(iter_fetches(store.engine, failed=True))
    assert len(failed) == 1 and failed[0]["status"] == 410 and failed[0]["source"] == "s"
    with store.engine.connect() as c:
        assert c.scalar(select(Article.gone)) is True
        assert c.scalar(select(func.count()).select_from(Version)) == 1


def test_capture_is_atomic(store: ArchiveStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash in the middle of a capture leaves nothing of it behind."""
    import worker.store.repository as repo

    sid = store.sync_sources([("s", "feed", None)], T0)["s"]

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("crash after the body was written")

    monkeypatch.setattr(repo, "_version_values", boom)
    with pytest.raises(RuntimeError):
        cap(store, sid, "http://site/a", T0, "T", "Body.")
    with store.engine.connect() as c:
        for table in (Article, Version, Fetch, Body):
            assert c.scalar(select(func.count()).select_from(table)) == 0, table.__tablename__


def test_timestamps_come_back_utc_aware(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    cap(store, sid, "http://site/a", T0, "T", "Body.")
    with store.engine.connect() as c:
        first = c.scalar(select(Article.first_seen_at))
    assert first == T0 and first.tzinfo is not None


def test_mask_url_hides_password() -> None:
    assert "secret" not in mask_url("postgresql://user:secret@db.example/archive")


def test_models_and_migrations_agree(db_url: str) -> None:
    """Everything the ORM models describe exists in the migrated schema, as described.

    Objects only the migrations create (full-text search tables, triggers' helpers, extra read indexes)
    show up as "remove_*" and are allowed: the models do not need to know them."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from worker.store.models import Base

    upgrade(db_url)
    with make_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    flat = [d for group in diff for d in (group if isinstance(group, list) else [group])]
    assert [d for d in flat if not str(d[0]).startswith("remove_")] == []


def test_duplicate_link_follows_capture_time_not_write_order(store: ArchiveStore) -> None:
    """A capture made earlier but written later (it waited for a confirming fetch) is the original."""
    ids = store.sync_sources([("a", "feed", None), ("b", "feed", None)], T0)
    cap(store, ids["b"], "http://b/reprint", T0 + timedelta(minutes=5), "Storm", "Same words.")
    cap(store, ids["a"], "http://a/story", T0, "Storm", "Same words.")
    rows = {r["url"]: r for r in iter_versions(store.engine)}
    assert rows["http://a/story"]["duplicate_of"] is None
    assert rows["http://b/reprint"]["duplicate_of"] == {"url": "http://a/story", "version": 1}


@pytest.mark.parametrize("purpose", ["article", "revisit"])
def test_a_new_article_row_stands_as_after_its_first_capture(store: ArchiveStore, purpose: str) -> None:
    """Made whole at once (no UPDATE after its version), whether the capture came from a listing
    (inserted first) or not (looked up first); a listing's page that exists is found all the same."""
    from worker.store.models import Article

    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    listed = T0 - timedelta(hours=5)
    c = Capture(sid, "http://site/a", None, fetched("http://site/a", T0, purpose=purpose),
                extracted("T", "Body one."), AGES, listed_updated_at=listed)
    assert store.record_capture(c).kind == "new"
    with store.session() as s:
        row = s.scalars(select(Article)).one()
        assert (row.version_count, row.first_seen_at, row.last_seen_at, row.last_checked_at, row.gone) == (
            1, T0, T0, T0, False)
        assert (row.next_revisit_at, row.listed_updated_at) == (T0 + timedelta(hours=1), listed)
    later = T0 + timedelta(hours=2)
    assert cap(store, sid, "http://site/a", later, "T", "Body two.") == "version"  # listed again: it exists
    with store.session() as s:
        row = s.scalars(select(Article)).one()
        assert (row.version_count, row.last_seen_at, row.next_revisit_at) == (2, later, T0 + timedelta(days=1))


def test_a_new_article_from_a_listing_costs_one_statement_on_its_row(store: ArchiveStore) -> None:
    """Its row is inserted as it will stand: no lookup before, no UPDATE after (each a round trip
    on PostgreSQL, for every article a pass finds). On PostgreSQL its version's bands go in one statement."""
    sid = store.sync_sources([("s", "feed", None)], T0)["s"]
    statements: list[str] = []
    many: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()).lower())
        if executemany:
            many.append(statements[-1])

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        assert cap(store, sid, "http://site/new", T0, "T", "Body.") == "new"
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    on_articles = [s for s in statements if s.startswith(("select articles.", "update articles", "insert into articles "))]
    assert len(on_articles) == 1 and on_articles[0].startswith("insert into articles "), on_articles
    bands = [s for s in statements if s.startswith("insert into version_bands")]
    assert len(bands) == 1
    if store.engine.dialect.name == "postgresql":  # where an executemany is one INSERT per row
        assert not any(s.startswith("insert into version_bands") for s in many)
