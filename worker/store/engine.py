"""Engine setup: one place that knows SQLite pragmas, PostgreSQL drivers and how to mask passwords."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.url import URL

from worker.store import search_index

DEFAULT_DATABASE = "sqlite:///data/archive.sqlite3"


def normalise_url(url: str) -> URL:
    """postgresql:// works as written (psycopg 3); sqlite paths get their folder created."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return parsed


def mask_url(url: str | URL) -> str:
    """The URL as it may be printed: never with its password."""
    try:
        parsed = make_url(str(url)) if not isinstance(url, URL) else url
        return parsed.render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown without anything after the scheme
        return str(url).split("://", 1)[0] + "://***"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, writer: bool = True) -> Engine:
    """writer=False for long readers (export, serve): on SQLite they then never hold the write lock."""
    parsed = normalise_url(url)
    if parsed.drivername.startswith("sqlite"):
        engine = create_engine(parsed, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite defers BEGIN on its own; writers take the lock up front so two processes
        # never both read, then both try to upgrade to writing (which deadlocks into "database is locked").
        begin = "BEGIN IMMEDIATE" if writer else "BEGIN"
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
        return engine
    return create_engine(parsed, pool_pre_ping=True, pool_size=int(os.environ.get("NEWSARCHIVE_POOL", "5")))


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see make_engine)
    cur = dbapi_conn.cursor()
    _set_wal(cur)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
    # the trigger dropping a deleted version's search rows unpacks its terms with this
    dbapi_conn.create_function("search_unpack", 1, search_index.unpack, deterministic=True)


def _set_wal(cur: sqlite3.Cursor, patience: float = 60.0) -> None:
    """WAL is stored in the file, so this only changes a fresh one. Switching needs an exclusive
    lock and SQLite answers "locked" at once, without the busy timeout, when another process opens
    the same fresh file at that moment: wait for it here, as the busy timeout would."""
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    deadline = time.monotonic() + patience
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
