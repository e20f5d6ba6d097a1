"""The tasks module's tables: programmes and their tasks as the gate keeps them, and the work done
on a task (progress reports, evidence files, a leader's decisions, reminders sent).

``tasks_programmes`` and ``tasks_tasks`` are projections of the gate's ``programme`` and ``task``
records: their ids are the records' ids (``records.id``), so that a task and its record are one. A
task names its programme by code (``programme_code``), not by a key: a programme and its tasks may
arrive in any order, in one file or in two. What people do to a task after it was planned (the
deadline a leader extended, the completion the lead agency claimed and a leader confirmed) lives in
the task's own columns, which a newer version of the record never overwrites, and in
``tasks_events``, one row per step (the task's timeline).

The status of a task is computed from these columns and today (``status``), never stored.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    or_,
)

from ioc57.core.db import metadata
from ioc57.core.partitions import BY_PROVINCE
from ioc57.ingest.tables import BigId

programmes = Table(
    "tasks_programmes",
    metadata,
    Column("id", BigId, ForeignKey("records.id"), primary_key=True, autoincrement=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),  # the issuing province
    Column("code", String(40), nullable=False),  # e.g. 144/CTHĐ-TU
    Column("title", String(1000), nullable=False),
    Column("issued_by", String(200), nullable=False),
    Column("issued_date", Date, nullable=False),
    Column("legal_basis", String(1000)),
    # the programme it carries out (a province's plan carries out the central one), by code
    Column("parent_code", String(40)),
    Column("simulated", Boolean, nullable=False, default=False),  # dữ liệu mô phỏng
)
Index("ix_tasks_programmes_province_code", programmes.c.province_code, programmes.c.code)

tasks = Table(
    "tasks_tasks",
    metadata,
    Column("id", BigId, ForeignKey("records.id"), primary_key=True, autoincrement=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("programme_code", String(40), nullable=False),
    Column("code", String(40), nullable=False),
    Column("content", Text, nullable=False),
    Column("agency_id", Integer, ForeignKey("units.id"), nullable=False),  # the lead agency
    Column("cooperating", Text, nullable=False, default="[]"),  # JSON: agency codes
    Column("leader", String(200)),  # the leader in charge (a name and title, as assigned)
    Column("output", String(1000)),  # the expected product: a decision, a report, a system
    # a deadline (a date), or a recurrence: yearly, half-yearly, quarterly, monthly, ongoing
    Column("deadline", Date),
    Column("recurrence", String(12)),
    Column("indicators", Text, nullable=False, default="[]"),  # JSON: scorecard codes it moves
    Column("planned_at", DateTime(timezone=True), nullable=False),  # when it was first stored
    # -- what people did to it (never overwritten by a newer version of the record) --
    Column("extended_deadline", Date),  # set by a leader, with a reason (tasks_events)
    Column("completed_on", Date),  # claimed by the lead agency with evidence (a report's day)
    Column("completion_report_id", Integer),
    Column("confirmed_by", String(100)),  # a leader confirmed the completion
    Column("confirmed_at", DateTime(timezone=True)),
    Column("last_reported_on", Date),
    Column("last_period", String(8)),  # the period code of the latest report
    Column("percent", Integer, nullable=False, default=0),
    Column("simulated", Boolean, nullable=False, default=False),  # dữ liệu mô phỏng
    info=BY_PROVINCE,  # a fact: partitioned by province in a national deployment
)
Index("ix_tasks_tasks_province_programme", tasks.c.province_code, tasks.c.programme_code)
Index("ix_tasks_tasks_agency", tasks.c.agency_id)

reports = Table(
    "tasks_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task_id", BigId, ForeignKey("tasks_tasks.id"), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("agency_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("reported_on", Date, nullable=False),  # the local day it was submitted
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("period", String(8), nullable=False),  # the reporting period it is for
    Column("percent", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("difficulties", Text),  # khó khăn, vướng mắc
    Column("proposals", Text),  # kiến nghị, đề xuất
    Column("author", String(100), nullable=False),
    Column("completes", Boolean, nullable=False, default=False),  # claims the task done
    # a leader's answer to the difficulties and proposals
    Column("answer", Text),
    Column("answered_by", String(100)),
    Column("answered_at", DateTime(timezone=True)),
    Column("simulated", Boolean, nullable=False, default=False),
)
Index("ix_tasks_reports_task", reports.c.task_id, reports.c.submitted_at)
# a report raises something for a leader to answer: difficulties, proposals
RAISED = or_(reports.c.difficulties.is_not(None), reports.c.proposals.is_not(None))
# what waits for a leader's answer: a few of the reports (most raise nothing, and have no answer
# either). The index holds only those, a province's oldest first; a query uses it when its
# conditions hold ``UNANSWERED`` itself (SQLite matches a partial index's terms as written)
UNANSWERED = and_(reports.c.answered_at.is_(None), RAISED)
Index(
    "ix_tasks_reports_unanswered",
    reports.c.province_code,
    reports.c.reported_on,
    sqlite_where=UNANSWERED,
    postgresql_where=UNANSWERED,
)

evidence = Table(
    "tasks_evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", Integer, ForeignKey("tasks_reports.id"), nullable=False),
    Column("task_id", BigId, ForeignKey("tasks_tasks.id"), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),  # as sniffed, not as declared
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)
Index("ix_tasks_evidence_report", evidence.c.report_id)
Index("ix_tasks_evidence_task", evidence.c.task_id)

events = Table(
    "tasks_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task_id", BigId, ForeignKey("tasks_tasks.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    # planned, changed, reported, completion_claimed, confirmed, completion_refused, extended,
    # answered, reminded
    Column("kind", String(24), nullable=False),
    Column("detail", Text, nullable=False, default="{}"),  # JSON
)
Index("ix_tasks_events_task", events.c.task_id, events.c.at)

reminders = Table(
    "tasks_reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task_id", BigId, ForeignKey("tasks_tasks.id"), nullable=False),
    Column("agency_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("kind", String(12), nullable=False),  # due_soon, overdue
    Column("deadline", Date, nullable=False),  # the deadline it reminds of
    Column("sent_at", DateTime(timezone=True), nullable=False),
    # one reminder of each kind per deadline: two processes that both scan send it once
    UniqueConstraint("task_id", "kind", "deadline"),
)
Index("ix_tasks_reminders_agency", reminders.c.agency_id, reminders.c.sent_at)
