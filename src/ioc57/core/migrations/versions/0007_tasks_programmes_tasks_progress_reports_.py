"""tasks: programmes, tasks, progress reports, evidence, timeline, reminders

Programmes and tasks are projections of the gate's ``programme`` and ``task`` records; the rest
is the work people do on a task.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:52:41.566978
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tasks_programmes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("issued_date", sa.Date(), nullable=False),
        sa.Column("legal_basis", sa.String(length=1000), nullable=True),
        sa.Column("parent_code", sa.String(length=40), nullable=True),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["records.id"], name=op.f("fk_tasks_programmes_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_tasks_programmes_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_tasks_programmes_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks_programmes")),
    )
    with op.batch_alter_table("tasks_programmes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_programmes_province_code", ["province_code", "code"], unique=False
        )

    op.create_table(
        "tasks_tasks",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("programme_code", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("cooperating", sa.Text(), nullable=False),
        sa.Column("leader", sa.String(length=200), nullable=True),
        sa.Column("output", sa.String(length=1000), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("recurrence", sa.String(length=12), nullable=True),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extended_deadline", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completion_report_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_by", sa.String(length=100), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_reported_on", sa.Date(), nullable=True),
        sa.Column("last_period", sa.String(length=8), nullable=True),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["units.id"], name=op.f("fk_tasks_tasks_agency_id_units")
        ),
        sa.ForeignKeyConstraint(["id"], ["records.id"], name=op.f("fk_tasks_tasks_id_records")),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_tasks_tasks_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks_tasks")),
    )
    with op.batch_alter_table("tasks_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_tasks_agency", ["agency_id"], unique=False)
        batch_op.create_index(
            "ix_tasks_tasks_province_programme", ["province_code", "programme_code"], unique=False
        )

    op.create_table(
        "tasks_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks_tasks.id"], name=op.f("fk_tasks_events_task_id_tasks_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks_events")),
    )
    with op.batch_alter_table("tasks_events", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_events_task", ["task_id", "at"], unique=False)

    op.create_table(
        "tasks_reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["units.id"], name=op.f("fk_tasks_reminders_agency_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks_tasks.id"], name=op.f("fk_tasks_reminders_task_id_tasks_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks_reminders")),
        sa.UniqueConstraint("task_id", "kind", "deadline", name=op.f("uq_tasks_reminders_task_id")),
    )
    with op.batch_alter_table("tasks_reminders", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_reminders_agency", ["agency_id", "sent_at"], unique=False)

    op.create_table(
        "tasks_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("difficulties", sa.Text(), nullable=True),
        sa.Column("proposals", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("completes", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["units.id"], name=op.f("fk_tasks_reports_agency_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks_tasks.id"], name=op.f("fk_tasks_reports_task_id_tasks_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks_reports")),
    )
    with op.batch_alter_table("tasks_reports", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_reports_task", ["task_id", "submitted_at"], unique=False)
    # the reports whose difficulties or proposals wait for an answer (tasks.tables.UNANSWERED)
    unanswered = sa.text(
        "answered_at IS NULL AND (difficulties IS NOT NULL OR proposals IS NOT NULL)"
    )
    op.create_index(
        "ix_tasks_reports_unanswered",
        "tasks_reports",
        ["province_code", "reported_on"],
        unique=False,
        sqlite_where=unanswered,
        postgresql_where=unanswered,
    )

    op.create_table(
        "tasks_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["tasks_reports.id"],
            name=op.f("fk_tasks_evidence_report_id_tasks_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks_tasks.id"], name=op.f("fk_tasks_evidence_task_id_tasks_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks_evidence")),
    )
    with op.batch_alter_table("tasks_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_evidence_report", ["report_id"], unique=False)
        batch_op.create_index("ix_tasks_evidence_task", ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tasks_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_evidence_task")
        batch_op.drop_index("ix_tasks_evidence_report")

    op.drop_table("tasks_evidence")
    with op.batch_alter_table("tasks_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_reports_task")
        batch_op.drop_index("ix_tasks_reports_unanswered")

    op.drop_table("tasks_reports")
    with op.batch_alter_table("tasks_reminders", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_reminders_agency")

    op.drop_table("tasks_reminders")
    with op.batch_alter_table("tasks_events", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_events_task")

    op.drop_table("tasks_events")
    with op.batch_alter_table("tasks_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_tasks_province_programme")
        batch_op.drop_index("ix_tasks_tasks_agency")

    op.drop_table("tasks_tasks")
    with op.batch_alter_table("tasks_programmes", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_programmes_province_code")

    op.drop_table("tasks_programmes")
