"""services: the open dossiers behind the operator's work list, kept current by the gate

A database that holds dossiers already fills the table with ``ioc57 worklist rebuild``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 03:45:22.376324
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "services_open_dossiers",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("procedure", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effective_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suspended_days", sa.Integer(), nullable=False),
        sa.Column("supplement_requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["units.id"], name=op.f("fk_services_open_dossiers_agency_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["id"], ["records.id"], name=op.f("fk_services_open_dossiers_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_services_open_dossiers_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_services_open_dossiers_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services_open_dossiers")),
    )
    with op.batch_alter_table("services_open_dossiers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_services_open_dossiers_agency_due",
            ["agency_id", "effective_due_at", "status"],
            unique=False,
        )
        batch_op.create_index(
            "ix_services_open_dossiers_province_due",
            ["province_code", "effective_due_at", "status"],
            unique=False,
        )
        batch_op.create_index(
            "ix_services_open_dossiers_unit_due",
            ["unit_id", "effective_due_at", "status"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("services_open_dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_services_open_dossiers_unit_due")
        batch_op.drop_index("ix_services_open_dossiers_province_due")
        batch_op.drop_index("ix_services_open_dossiers_agency_due")

    op.drop_table("services_open_dossiers")
