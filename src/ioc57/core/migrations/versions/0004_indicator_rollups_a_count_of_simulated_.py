"""indicator rollups: a count of simulated values, an index by unit and year, a version number;
indicator values: an index by status

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 14:38:12.675072
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The count of approved simulated values of each unit's year ("own"), then of the units under each
# unit ("below": communes under a province, or under a district under a province, before 2025).
BACKFILL_OWN = """
UPDATE indicator_rollups SET simulated = (
    SELECT count(*) FROM indicator_values v
    WHERE v.indicator = indicator_rollups.indicator AND v.unit_id = indicator_rollups.unit_id
      AND v.year = indicator_rollups.year AND v.status = 'approved' AND v.simulated
) WHERE scope = 'own'
"""
BACKFILL_BELOW = """
UPDATE indicator_rollups SET simulated = (
    SELECT coalesce(sum(o.simulated), 0) FROM indicator_rollups o
    JOIN units c ON c.id = o.unit_id
    LEFT JOIN units d ON d.id = c.parent_id
    LEFT JOIN units e ON e.id = d.parent_id
    WHERE o.scope = 'own' AND o.indicator = indicator_rollups.indicator
      AND o.year = indicator_rollups.year
      AND indicator_rollups.unit_id IN (c.parent_id, d.parent_id, e.parent_id)
) WHERE scope = 'below'
"""


def upgrade() -> None:
    with op.batch_alter_table("indicator_rollups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("simulated", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index("ix_indicator_rollups_unit_year", ["unit_id", "year"], unique=False)
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index("ix_indicator_values_status", ["status"], unique=False)
    op.execute(BACKFILL_OWN)
    op.execute(BACKFILL_BELOW)
    version = op.create_table(
        "indicator_rollups_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(version, [{"id": 1, "token": secrets.token_hex(16), "version": 1}])


def downgrade() -> None:
    op.drop_table("indicator_rollups_version")
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_values_status")
    with op.batch_alter_table("indicator_rollups", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_rollups_unit_year")
        batch_op.drop_column("simulated")
