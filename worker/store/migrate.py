"""Applies the Alembic migrations in migrations/ (the only way the schema changes).

The folder is the repository's top-level migrations/; an installed package (wheel, pip install ., pipx)
carries the same files as worker/migrations/ (setup.py maps one onto the other)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

_INSTALLED = Path(__file__).resolve().parents[1] / "migrations"  # worker/migrations in an installed package
_SOURCE = Path(__file__).resolve().parents[2] / "migrations"  # the source tree's (pip install -e ., a checkout)
MIGRATIONS = _INSTALLED if (_INSTALLED / "env.py").exists() else _SOURCE


def alembic_config(url: str) -> AlembicConfig:
    if not (MIGRATIONS / "env.py").exists():
        raise RuntimeError(
            f"the migrations are missing (looked in {_INSTALLED} and {_SOURCE}): this installation of "
            "newsarchive is incomplete; reinstall it (pip install newsarchive-*.whl, or pip install -e . "
            "from a checkout)"
        )
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Alembic says "Context impl SQLiteImpl." and "Will assume non-transactional DDL." on every look at
    the schema: worth reading only when a migration runs."""
    logger = logging.getLogger("alembic.runtime.migration")
    old = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(old)


def upgrade(url: str) -> bool:
    """Apply the pending migrations (True if there were any); silent when the schema is up to date."""
    if not pending(url, create=True):
        return False
    command.upgrade(alembic_config(url), "head")
    return True


def pending(url: str, *, create: bool = False) -> bool:
    """True when the database is behind the newest migration. Without `create`, a missing SQLite file
    is worker.store.engine.ArchiveMissing (nothing is made on disk)."""
    from worker.store.engine import make_engine

    script = ScriptDirectory.from_config(alembic_config(url))
    engine = make_engine(url, writer=False, create=create)
    try:
        with _quiet(), engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    return current != set(script.get_heads())
