"""record versions: the earlier versions of a gate record, to read it back with its history

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 06:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "record_versions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("record", BigId, nullable=False),
        sa.Column("batch_id", BigId, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hash", sa.String(length=32), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("replaced_by", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["record"], ["records.id"], name=op.f("fk_record_versions_record_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_versions")),
    )
    with op.batch_alter_table("record_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_versions_record"), ["record"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_versions_record"))
    op.drop_table("record_versions")
