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


class BadDatabaseUrl(ValueError):
    """A --db / database: value that is no URL, or names a database this program does not speak."""


class ArchiveMissing(FileNotFoundError):
    """A reader asked for a SQLite archive file that does not exist (and must not be created)."""


def parse_database_url(url: str) -> URL:
    """The URL, checked: only sqlite:///PATH and postgresql://... are spoken here."""
    hint = "write sqlite:///PATH/archive.sqlite3 or postgresql://USER@HOST/DB"
    if "://" not in url:  # a bare path: say what it is written as
        raise BadDatabaseUrl(f"{url!r} is not a database URL: write sqlite:///{url} (or postgresql://USER@HOST/DB)")
    try:
        parsed = make_url(url)
    except Exception:
        raise BadDatabaseUrl(f"{mask_url(url)} is not a database URL: {hint}") from None
    backend = parsed.drivername.split("+", 1)[0]
    if backend not in ("sqlite", "postgresql", "postgres"):
        raise BadDatabaseUrl(f"{mask_url(url)}: {backend} databases are not supported: {hint}")
    if backend == "sqlite" and parsed.host:
        raise BadDatabaseUrl(f"{mask_url(url)}: a SQLite URL has no host (three slashes: sqlite:///relative/path, "
                             "four: sqlite:////absolute/path)")
    return parsed


def normalise_url(url: str, *, create: bool = True) -> URL:
    """postgresql:// works as written (psycopg 3); with `create`, sqlite paths get their folder created,
    without it a missing SQLite file is ArchiveMissing (a reader never leaves files behind)."""
    parsed = parse_database_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).expanduser()
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.exists():
            raise ArchiveMissing(f"no archive at {path} (the file does not exist)")
    return parsed


# SQLite says these when another process holds the file or the disk hiccups: worth waiting for.
_SQLITE_TRANSIENT = ("locked", "busy", "disk i/o error", "unable to open database file")
# PostgreSQL SQLSTATE classes and codes that mean "not now" rather than "wrong": connection exceptions,
# serialization failures and deadlocks, too many connections, shutdown and start-up.
_PG_TRANSIENT_CLASSES = ("08", "40")
_PG_TRANSIENT = ("53300", "57P01", "57P02", "57P03", "57014")


def is_unavailable(exc: BaseException) -> bool:
    """True when a database error means the database is down, lost, busy or locked (try again later),
    False for an error in the SQL or the data (trying again would only fail again)."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        text = str(orig).lower()
        return any(t in text for t in _SQLITE_TRANSIENT)
    state = getattr(orig, "sqlstate", None)
    if state is None:  # psycopg's own client-side failures (connection refused, lost, timed out)
        return True
    return state[:2] in _PG_TRANSIENT_CLASSES or state in _PG_TRANSIENT


def mask_url(url: str | URL) -> str:
    """The URL as it may be printed: never with its password."""
    try:
        parsed = make_url(str(url)) if not isinstance(url, URL) else url
        return parsed.render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown without anything after the scheme
        return str(url).split("://", 1)[0] + "://***"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, writer: bool = True, create: bool | None = None) -> Engine:
    """writer=False for long readers (export, serve): on SQLite they then never hold the write lock.
    create (default: writer): a SQLite file and its folder may be made; else a missing one is ArchiveMissing."""
    parsed = normalise_url(url, create=writer if create is None else create)
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
