"""retention: fetch tallies for /metrics and status, and the indexes `prune` walks by

fetch_tallies: every request ever made, counted by (source, purpose, HTTP status, error kind) with its
latency histogram, kept up to date by the writer in the transaction that logs the fetch. /metrics
and `status` read these few rows instead of counting the fetch log, and the counts survive
`newsarchive prune` (a Prometheus counter never goes down). `shard` spreads the upserts of a fleet's
workers over a few rows, so two workers never queue behind one hot row. Filled here from the fetch
log as it stands (one pass over it).

Indexes: (requested_url, id) replaces (requested_url), so the poll before a poll of the same URL is
one index step (prune keeps a listing poll whose body differs from the previous one's); the failed
fetches by time (a partial index: status reads the day's failures, prune the old ones); the fetch a
version or a restatement names (prune never deletes those).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BUCKETS_MS = (50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)  # worker/store/tallies.py, as of this revision


def upgrade() -> None:
    op.create_table(
        "fetch_tallies",
        sa.Column("source_id", sa.Integer, nullable=False),  # 0: a fetch of no source (robots.txt, ...)
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),  # 0: no HTTP answer
        sa.Column("error", sa.String(40), nullable=False),  # "": no error
        sa.Column("shard", sa.SmallInteger, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.Column("duration_ms", sa.BigInteger, nullable=False),
        *(sa.Column(f"le_{b}", sa.BigInteger, nullable=False) for b in BUCKETS_MS),
        sa.PrimaryKeyConstraint("source_id", "purpose", "status", "error", "shard"),
    )
    buckets = ", ".join(f"sum(CASE WHEN duration_ms <= {b} THEN 1 ELSE 0 END)" for b in BUCKETS_MS)
    op.execute(
        f"INSERT INTO fetch_tallies (source_id, purpose, status, error, shard, n, duration_ms, "
        f"{', '.join(f'le_{b}' for b in BUCKETS_MS)}) "
        f"SELECT coalesce(source_id, 0), purpose, coalesce(status, 0), coalesce(error, ''), 0, count(*), "
        f"coalesce(sum(duration_ms), 0), {buckets} FROM fetches "
        f"GROUP BY coalesce(source_id, 0), purpose, coalesce(status, 0), coalesce(error, '')")
    op.create_index("ix_fetches_requested_url_id", "fetches", ["requested_url", "id"])
    op.drop_index("ix_fetches_requested_url", table_name="fetches")
    op.create_index("ix_fetches_failed_at", "fetches", ["fetched_at"],
                    postgresql_where=sa.text("error IS NOT NULL"), sqlite_where=sa.text("error IS NOT NULL"))
    op.create_index("ix_versions_fetch_id", "versions", ["fetch_id"])
    op.create_index("ix_version_restatements_fetch_id", "version_restatements", ["fetch_id"])


def downgrade() -> None:
    op.drop_index("ix_version_restatements_fetch_id", table_name="version_restatements")
    op.drop_index("ix_versions_fetch_id", table_name="versions")
    op.drop_index("ix_fetches_failed_at", table_name="fetches")
    op.create_index("ix_fetches_requested_url", "fetches", ["requested_url"])
    op.drop_index("ix_fetches_requested_url_id", table_name="fetches")
    op.drop_table("fetch_tallies")
