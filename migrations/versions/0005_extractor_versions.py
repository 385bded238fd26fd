"""which extractor made each version's text; restatements of a version by a newer extractor

versions.extractor_version: worker.extract.EXTRACTOR_VERSION when the version's text was extracted
(NULL: made before versions recorded it). versions.extraction_method: which method produced the body
("rules", "scorer", "structured", "fallback"; NULL when not recorded).

version_restatements: when a capture is compared with a latest version made by another extractor, that
version's stored raw body is extracted again first, and the version's text brought up to date. Nothing
is lost: the row keeps what the version said before (title, text, hash) and which extractor said it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("extractor_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("extraction_method", sa.String(20), nullable=True))
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "version_restatements",
        sa.Column("id", big_id, primary_key=True, autoincrement=True),
        sa.Column("version_id", big_id, sa.ForeignKey("versions.id"), nullable=False, index=True),
        sa.Column("restated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fetch_id", big_id, sa.ForeignKey("fetches.id"), nullable=True),  # the capture that led to it
        sa.Column("old_extractor_version", sa.Integer(), nullable=True),
        sa.Column("new_extractor_version", sa.Integer(), nullable=False),
        sa.Column("old_content_hash", sa.String(64), nullable=False),
        sa.Column("new_content_hash", sa.String(64), nullable=False),
        sa.Column("old_title", sa.Text(), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("version_restatements")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("extraction_method")
        batch.drop_column("extractor_version")
