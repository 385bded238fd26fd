"""Applies the Alembic migrations in migrations/ (the only way the schema changes)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    if not (MIGRATIONS / "env.py").exists():
        raise RuntimeError(
            f"migrations folder not found at {MIGRATIONS}; install newsarchive from its source tree "
            "(pip install -e .)"
        )
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


def pending(url: str) -> bool:
    """True when the database is behind the newest migration."""
    from worker.store.engine import make_engine

    script = ScriptDirectory.from_config(alembic_config(url))
    engine = make_engine(url, writer=False)
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    return current != set(script.get_heads())
