"""citizen reports: reports, their steps, photos, routes, Open311 keys

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 16:22:16.286890
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_photos",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_photos")),
    )
    with op.batch_alter_table("feedback_photos", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_photos_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "open311_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_open311_keys_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_open311_keys_name")),
    )
    op.create_table(
        "feedback_routes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["units.id"], name=op.f("fk_feedback_routes_agency_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_routes")),
        sa.UniqueConstraint("province_code", "category", name="uq_feedback_routes_category"),
    )
    op.create_table(
        "feedback_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("tracking", sa.String(length=40), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_step", sa.String(length=16), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("satisfaction", sa.String(length=16), nullable=True),
        sa.Column("repeated", sa.Boolean(), nullable=False),
        sa.Column("about_procedure", sa.Boolean(), nullable=False),
        sa.Column("duplicate_of", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_public", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answer_public", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("photos", sa.Text(), nullable=False),
        sa.Column("suggested_category", sa.String(length=40), nullable=True),
        sa.Column("suggested_agency", sa.String(length=40), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("flag", sa.String(length=8), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["units.id"], name=op.f("fk_feedback_reports_agency_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_feedback_reports_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_feedback_reports_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_reports")),
        sa.UniqueConstraint("record_id", name=op.f("uq_feedback_reports_record_id")),
        sa.UniqueConstraint("tracking", name=op.f("uq_feedback_reports_tracking")),
    )
    with op.batch_alter_table("feedback_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_feedback_reports_agency_status", ["agency_id", "status"], unique=False
        )
        batch_op.create_index("ix_feedback_reports_due", ["due_on"], unique=False)
        batch_op.create_index(
            "ix_feedback_reports_province_received", ["province_code", "received_at"], unique=False
        )
        batch_op.create_index(
            "ix_feedback_reports_province_status",
            ["province_code", "status", "due_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_feedback_reports_published", ["province_code", "published_at"], unique=False
        )
        batch_op.create_index("ix_feedback_reports_published_at", ["published_at"], unique=False)
        batch_op.create_index(
            "ix_feedback_reports_unit_status", ["unit_id", "status"], unique=False
        )

    op.create_table(
        "feedback_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["units.id"], name=op.f("fk_feedback_steps_agency_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["feedback_reports.id"],
            name=op.f("fk_feedback_steps_report_id_feedback_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_steps")),
    )
    with op.batch_alter_table("feedback_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_steps_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_steps_report_id"))

    op.drop_table("feedback_steps")
    with op.batch_alter_table("feedback_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_reports_unit_status")
        batch_op.drop_index("ix_feedback_reports_published_at")
        batch_op.drop_index("ix_feedback_reports_published")
        batch_op.drop_index("ix_feedback_reports_province_status")
        batch_op.drop_index("ix_feedback_reports_province_received")
        batch_op.drop_index("ix_feedback_reports_due")
        batch_op.drop_index("ix_feedback_reports_agency_status")

    op.drop_table("feedback_reports")
    op.drop_table("feedback_routes")
    op.drop_table("open311_keys")
    with op.batch_alter_table("feedback_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_photos_record_id"))

    op.drop_table("feedback_photos")
