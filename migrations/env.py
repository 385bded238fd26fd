"""Alembic environment: the database URL comes from the caller (newsarchive db upgrade / run)."""

from alembic import context

from worker.store.engine import make_engine
from worker.store.models import Base

config = context.config
target_metadata = Base.metadata


# Any constant: the advisory lock that makes concurrent upgrades of one PostgreSQL database take turns.
_PG_MIGRATION_LOCK = 7_305_112_004


def _migrate(conn) -> None:  # type: ignore[no-untyped-def]
    # One transaction for the whole upgrade, on SQLite too (alembic's default there is none):
    # two processes upgrading the same archive at once then take turns (SQLite's BEGIN IMMEDIATE,
    # PostgreSQL's advisory lock) and the second finds the schema at head instead of half-made.
    context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True,
                      transactional_ddl=True)
    with context.begin_transaction():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
