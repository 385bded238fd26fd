"""One plain runner per archive: no silent duplicate work (issue 16, item 5).

A plain `newsarchive run` (the service or `run --once`) does all the work of its archive itself, so a
second one beside it would fetch every article again. Each takes this lock for its lifetime and refuses
to start (exit 1, naming `--fleet`) when it is held:

- PostgreSQL: a session-level advisory lock on a connection of its own. A plain runner holds it
  exclusively; fleet workers (`run --fleet`) hold it shared, so they run beside each other but never
  beside a plain runner (and a plain runner never beside them). The lock goes when its connection does,
  however the process ends (kill -9 too). A keeper thread pings the connection; when the database comes
  back after an outage it takes the lock again, and if another runner took it meanwhile, this one stops.
- SQLite: an exclusive flock() on a file beside the archive (ARCHIVE-run.lock), released by the kernel
  when the process ends. Fleets need PostgreSQL, so only plain runners take it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

from worker.store.engine import mask_url

log = logging.getLogger(__name__)

# Any constant (not the migration lock's 7_305_112_004): pg_locks shows it as classid 1, objid 3_010_144_720.
SERVICE_LOCK = 7_305_112_016
PING_ENV = "NEWSARCHIVE_LOCK_PING"  # seconds between two pings of the lock's connection (default 15)


def ping_interval() -> float:
    configured = os.environ.get(PING_ENV, "").strip()
    try:
        seconds = float(configured) if configured else 15.0
    except ValueError:
        seconds = -1.0
    if not 0.1 <= seconds <= 3600:
        raise ValueError(f"{PING_ENV}={configured!r}: give a number of seconds between 0.1 and 3600")
    return seconds


class AlreadyRunning(Exception):
    """Another runner works on this archive; the message says which and what to do."""


def _me(fleet: bool) -> str:
    return f"newsarchive {'fleet worker' if fleet else 'run'} {socket.gethostname()} pid {os.getpid()}"[:63]


@contextlib.contextmanager
def single_runner(db_url: str, *, fleet: bool, refuse: type[Exception] = AlreadyRunning) -> Iterator[None]:
    """Hold the archive's runner lock while the block runs; `refuse(why)` is raised if it cannot be had."""
    url = make_url(db_url)
    if url.drivername.startswith("sqlite"):
        if fleet or not url.database or url.database == ":memory:":
            yield
            return
        with _file_lock(Path(url.database), refuse):
            yield
        return
    keeper = _PgLock(url.set(drivername="postgresql").render_as_string(hide_password=False), fleet)
    keeper.take(refuse)
    try:
        yield
    finally:
        keeper.release()


@contextlib.contextmanager
def _file_lock(archive: Path, refuse: type[Exception]) -> Iterator[None]:
    import fcntl

    path = archive.with_name(archive.name + "-run.lock")
    with open(path, "a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            who = f.read().strip() or "another process"
            raise refuse(f"another `newsarchive run` already works on the archive {archive} ({who}): a "
                                 "second would fetch every article again. Wait for it or stop it (with several "
                                 "workers, use PostgreSQL and `run --fleet`)") from None
        f.seek(0)
        f.truncate()
        f.write(_me(False) + "\n")
        f.flush()
        yield  # the kernel lets go of the flock when the file closes or the process dies


class _PgLock:
    def __init__(self, conninfo: str, fleet: bool) -> None:
        self.conninfo, self.fleet = conninfo, fleet
        self.conn = None
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.sql = "SELECT pg_try_advisory_lock_shared(%s)" if fleet else "SELECT pg_try_advisory_lock(%s)"
        self.every = ping_interval()

    def _connect(self) -> bool:
        """Connect and try the lock: True when held, False when another runner holds it."""
        import psycopg

        self.conn = psycopg.connect(self.conninfo, autocommit=True, application_name=_me(self.fleet),
                                    connect_timeout=10)
        return bool(self.conn.execute(self.sql, (SERVICE_LOCK,)).fetchone()[0])

    def take(self, refuse: type[Exception]) -> None:
        if not self._connect():
            holders = self._holders()
            self._close()
            raise refuse(self._refusal(holders))
        self.thread = threading.Thread(target=self._keep, name="runner-lock", daemon=True)
        self.thread.start()

    def _holders(self) -> list[tuple[str, bool]]:
        """(application name, holds it exclusively) of each session holding the lock."""
        rows = self.conn.execute(  # type: ignore[union-attr]
            "SELECT coalesce(a.application_name, ''), l.mode = 'ExclusiveLock' FROM pg_locks l "
            "LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
            "AND l.classid = %s AND l.objid = %s AND l.objsubid = 1 AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())",
            (SERVICE_LOCK >> 32, SERVICE_LOCK & 0xFFFFFFFF)).fetchall()
        return [(name or "a session", exclusive) for name, exclusive in rows]

    def _refusal(self, holders: list[tuple[str, bool]]) -> str:
        plain = [n for n, exclusive in holders if exclusive]
        fleet = [n for n, exclusive in holders if not exclusive]
        where = mask_url(self.conninfo)
        if plain and self.fleet:
            return (f"a plain `newsarchive run` (without --fleet) already works on the archive {where} "
                    f"({', '.join(plain)}): fleet workers beside it would fetch every article again. Stop it and "
                    "start it again with `--fleet`; then this worker joins it")
        if plain:
            return (f"another `newsarchive run` already works on the archive {where} ({', '.join(plain)}): a "
                    "second would fetch every article again. Stop it, or run every worker with `--fleet` "
                    "(README \"Running N workers\") to share the work")
        return (f"fleet workers (`run --fleet`) work on the archive {where} ({', '.join(fleet) or 'one or more'}): "
                "a plain `run` beside them would fetch every article again. Start this one with `--fleet` too "
                "(`run --once` is for an archive no service works on)")

    def _keep(self) -> None:
        """Ping the lock's connection; after an outage take the lock again, or stop if another took it."""
        while not self.stopping.wait(self.every):
            try:
                self.conn.execute("SELECT 1")  # type: ignore[union-attr]
                continue
            except Exception:
                self._close()
            while not self.stopping.is_set():
                try:
                    held = self._connect()
                except Exception:
                    self.stopping.wait(self.every)  # the database is down: the service waits for it too
                    continue
                if held:
                    log.info("runner lock taken again after the database came back")
                    break
                log.error("another runner took this archive while the database was away: %s; stopping this one",
                          self._refusal(self._holders()))
                self._close()
                os.kill(os.getpid(), signal.SIGTERM)
                return

    def _close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None

    def release(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=2)  # a daemon: a connect stuck on a dead network does not hold the exit
        self._close()  # closing the session lets go of its advisory lock
