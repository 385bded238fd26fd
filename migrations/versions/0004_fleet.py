"""the fleet: procrastinate's job queue schema, fleet-wide per-host politeness, fleet members (PostgreSQL only)

Several workers share one PostgreSQL archive through procrastinate (worker/runners/distributed.py).
Its schema (tables procrastinate_*, their types, functions and triggers) is applied here, from the
installed procrastinate package, so that migrations stay the only way the schema changes. A later
procrastinate release that changes its schema needs a new revision applying its migration files
(procrastinate/sql/migrations/) in order; pyproject pins procrastinate below 4 for that reason.

fleet_hosts / fleet_leases: the fleet-wide politeness gate (worker/fetch/fleet.py). A lease is one
request in flight to a host; it expires unless its holder renews it, so a dead worker never blocks a
host for longer than one lease. fleet_acquire() takes a slot in one round trip.

fleet_members: which procrastinate worker is which process on which machine, for `status`; a row
goes away with its procrastinate worker (pruned when its heartbeat stops).

SQLite keeps the in-process runner: nothing here applies to it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FLEET_TABLES = """
CREATE TABLE fleet_hosts (
    host text PRIMARY KEY,
    next_at timestamptz NOT NULL              -- earliest start of the next request to this host
);
CREATE TABLE fleet_leases (
    id bigserial PRIMARY KEY,
    host text NOT NULL,
    holder text NOT NULL,                     -- hostname:pid of the worker, for inspection
    expires_at timestamptz NOT NULL
);
CREATE INDEX ix_fleet_leases_host ON fleet_leases (host, expires_at);
CREATE TABLE fleet_members (
    worker_id bigint PRIMARY KEY REFERENCES procrastinate_workers(id) ON DELETE CASCADE,
    hostname text NOT NULL,
    pid integer NOT NULL,
    concurrency integer NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now()
);
"""

# One round trip per request: the host row serialises contenders, expired leases are swept, and a
# free slot is taken with its start time reserved `delay` after the previous one. NULL lease: full.
FLEET_ACQUIRE = """
CREATE FUNCTION fleet_acquire(_host text, _concurrency integer, _delay double precision,
                              _lease double precision, _holder text,
                              OUT lease_id bigint, OUT wait_seconds double precision)
LANGUAGE plpgsql AS $$
DECLARE
    _now timestamptz := clock_timestamp();
    _next timestamptz;
    _start timestamptz;
BEGIN
    INSERT INTO fleet_hosts (host, next_at) VALUES (_host, '-infinity') ON CONFLICT DO NOTHING;
    SELECT next_at INTO _next FROM fleet_hosts WHERE host = _host FOR UPDATE;
    DELETE FROM fleet_leases WHERE host = _host AND expires_at < _now;
    IF (SELECT count(*) FROM fleet_leases WHERE host = _host) >= greatest(_concurrency, 1) THEN
        lease_id := NULL;
        wait_seconds := NULL;
        RETURN;
    END IF;
    _start := greatest(_now, _next);
    UPDATE fleet_hosts SET next_at = _start + make_interval(secs => _delay) WHERE host = _host;
    INSERT INTO fleet_leases (host, holder, expires_at)
        VALUES (_host, _holder, _start + make_interval(secs => _lease))
        RETURNING id INTO lease_id;
    wait_seconds := extract(epoch FROM _start - _now);
END;
$$;
"""

DROP_PROCRASTINATE = r"""
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.relname FROM pg_class c
             WHERE c.relkind = 'r' AND c.relname LIKE 'procrastinate\_%'
               AND c.relnamespace = current_schema()::regnamespace LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.relname);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
             WHERE p.proname LIKE 'procrastinate\_%' AND p.pronamespace = current_schema()::regnamespace LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.sig);
    END LOOP;
    FOR r IN SELECT t.typname FROM pg_type t
             WHERE t.typname LIKE 'procrastinate\_%' AND t.typtype IN ('e', 'c')
               AND t.typnamespace = current_schema()::regnamespace LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', r.typname);
    END LOOP;
END $$;
"""


def _raw(sql: str) -> None:
    # Straight to psycopg without parameters: the SQL holds '%' and ':' that SQLAlchemy's text()
    # or a parameter-style driver call would try to interpret.
    op.get_bind().connection.driver_connection.execute(sql)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    _raw(SchemaManager.get_schema())
    _raw(FLEET_TABLES)
    _raw(FLEET_ACQUIRE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _raw("DROP FUNCTION IF EXISTS fleet_acquire(text, integer, double precision, double precision, text)")
    _raw("DROP TABLE IF EXISTS fleet_members, fleet_leases, fleet_hosts")
    _raw(DROP_PROCRASTINATE)
