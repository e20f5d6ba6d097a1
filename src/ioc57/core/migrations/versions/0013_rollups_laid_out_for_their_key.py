"""rollups laid out for their key: no second index; on SQLite, the rows in the key's B-tree

Every read of the rollups names a metric, its units and a span of days, which the primary key
(metric, unit_id, day, dims) serves: the index on (unit_id, metric, day) only cost each upsert a
third B-tree to write. On SQLite the table is made again ``WITHOUT ROWID``, its rows kept.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 23:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEX = "ix_rollups_unit_metric_day"
COLUMNS = "metric, unit_id, day, dims, province_code, count, sum"


def _sqlite_again(with_rowid: bool) -> None:
    """The rollups table made again with or without its rowid, its rows copied."""
    op.rename_table("rollups", "rollups_before_0013")
    op.create_table(
        "rollups",
        sa.Column("metric", sa.String(length=80), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dims", sa.String(length=300), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("metric", "unit_id", "day", "dims", name=op.f("pk_rollups")),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(f"INSERT INTO rollups ({COLUMNS}) SELECT {COLUMNS} FROM rollups_before_0013")
    op.drop_table("rollups_before_0013")


def upgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_again(with_rowid=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_again(with_rowid=True)
    op.create_index(INDEX, "rollups", ["unit_id", "metric", "day"], unique=False)
