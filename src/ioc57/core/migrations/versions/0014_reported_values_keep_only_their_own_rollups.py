"""reported values keep only their own rollups: the gate's cells of observations are removed

An ``observation`` used to add a cell per value to the gate's ``rollups`` (``observation.value``,
``.numerator``, ``.denominator`` by indicator and period). Nothing read them: the scorecard reads
``indicator_rollups``, kept by the indicators module from its values. Since the record type adds
no contributions now, the cells written before are removed, so that a rebuild of the rollups
(``ioc57 rollups rebuild``) and the rollups kept by the gate agree.

Downgrade leaves them removed: ``ioc57 rollups rebuild`` at the earlier version writes them again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 10:00:00.000000
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM rollups WHERE metric LIKE 'observation.%'")


def downgrade() -> None:
    pass
