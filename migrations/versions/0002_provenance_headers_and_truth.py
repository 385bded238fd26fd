"""response headers in the fetch log; sitemap index children; version truth (change summaries, near-duplicate index, health)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fetches") as batch:
        batch.add_column(sa.Column("headers", sa.JSON(), nullable=True))
    with op.batch_alter_table("listing_state") as batch:
        batch.add_column(sa.Column("children", sa.JSON(), nullable=True))
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("degraded", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("degraded_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("change", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("minhash", sa.LargeBinary(), nullable=True))
    op.create_table(
        "version_bands",
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"]),
        sa.PrimaryKeyConstraint("band", "key", "version_id"),
    )
    op.create_index("ix_version_bands_version_id", "version_bands", ["version_id"])
    op.create_table(
        "near_duplicates",
        sa.Column("version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("other_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"]),
        sa.ForeignKeyConstraint(["other_id"], ["versions.id"]),
        sa.PrimaryKeyConstraint("version_id", "other_id"),
    )


def downgrade() -> None:
    op.drop_table("near_duplicates")
    op.drop_index("ix_version_bands_version_id", table_name="version_bands")
    op.drop_table("version_bands")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("minhash")
        batch.drop_column("change")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("degraded_reason")
        batch.drop_column("degraded")
    with op.batch_alter_table("listing_state") as batch:
        batch.drop_column("children")
    with op.batch_alter_table("fetches") as batch:
        batch.drop_column("headers")
