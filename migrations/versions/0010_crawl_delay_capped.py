"""sources.crawl_delay_capped: the robots.txt Crawl-delay a source's last poll capped

A site whose robots.txt asks for a Crawl-delay above the source's `crawl_delay_max` is fetched at
the cap instead; the poll records {"robots": URL, "asked": seconds, "cap": seconds} here (NULL when
nothing was capped), and `status`, /api/sources and the Sources page name the source as slowed.
Nullable, no backfill: a source polled before this revision says nothing until its next poll.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("crawl_delay_capped", sa.JSON(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+), not batch mode: batch copies the table, and dropping the old
    # `sources` fails its foreign keys once articles and fetches point at it.
    op.drop_column("sources", "crawl_delay_capped")
