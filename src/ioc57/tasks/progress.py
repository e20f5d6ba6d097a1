"""Progress reports on a task, by its lead agency: how far it is (percent), what was done, the
difficulties met and the proposals made, with evidence files; a report may claim the task done.

A report is for a period: a recurring or ongoing task's reporting period (the current one unless
the report names another it has begun), a task with a deadline's month. It moves the task's
percent, the day it was last reported on, and its last period (the latest by its end: a late
report for an earlier period does not move it back). A report that claims the task done
(``completes``) carries at least one evidence file; the day it is sent is the day the task counts
as completed, once a leader confirms it (``decisions``). Nothing is reported on a task whose
completion a leader has confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, field_validator
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core.clock import local_iso
from ioc57.core.events import Event
from ioc57.core.periods import Period, parse_period, period_containing
from ioc57.core.problems import Problem, field_error
from ioc57.tasks import evidence, timeline
from ioc57.tasks.assignment import Assignment
from ioc57.tasks.status import PERIOD_OF, current_period
from ioc57.tasks.tables import reports, tasks

MAX_TEXT = 10_000
MAX_NOTE = 5_000


def not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


Words = Annotated[str, AfterValidator(not_blank)]  # what a person wrote, trimmed, never blank


class ReportIn(BaseModel):
    """A progress report as it is sent (a JSON body, or the fields of a form with its files)."""

    period: str | None = Field(default=None, max_length=8)
    percent: int | None = Field(default=None, ge=0, le=100)
    text: Words = Field(max_length=MAX_TEXT)
    difficulties: Words | None = Field(default=None, max_length=MAX_NOTE)
    proposals: Words | None = Field(default=None, max_length=MAX_NOTE)
    completes: bool = False

    @field_validator("period", "percent", "difficulties", "proposals", mode="before")
    @classmethod
    def blank_is_none(cls, value: Any) -> Any:
        """A form's empty field is a field not given."""
        return None if isinstance(value, str) and not value.strip() else value


def period_type(row: Any) -> str:
    """The type of period a task reports for: its recurrence's, or months for a deadline."""
    return PERIOD_OF[row.recurrence] if row.recurrence else "month"


def period_of(row: Any, code: str | None, today: date) -> Period:
    """The period a report is for: ``code`` (of the task's period type, begun by ``today``), or
    by default the task's current period (a deadline task: the month of ``today``)."""
    if code is None:
        if row.recurrence:
            return current_period(row.recurrence, today)
        return period_containing(today, "month")
    try:
        period = parse_period(code)
    except ValueError as exc:
        raise field_error("period", str(exc)) from None
    kind = period_type(row)
    if period.type != kind:
        example = period_containing(today, kind).code
        raise field_error("period", f"this task reports by {kind} (e.g. {example}), not {code!r}")
    if period.start > today:
        raise field_error("period", f"{code} has not begun")
    return period


def latest_period(old: str | None, new: Period) -> str:
    """The task's last period once a report for ``new`` is in: the later of the two by end."""
    if old is None:
        return new.code
    try:
        return new.code if new.end >= parse_period(old).end else old
    except ValueError:
        return new.code


def refuse_confirmed(row: Any) -> None:
    if row.confirmed_at is not None:
        raise Problem(
            409,
            "A leader confirmed this task completed: nothing more is reported on it.",
            errors=[{"loc": ["path", "task_id"], "msg": "confirmed completed"}],
        )


def claimed_percent(row: Any, body: ReportIn, files: Sequence[evidence.File]) -> int:
    """The percent a report sets; for one that claims the task done, after its checks."""
    if not body.completes:
        if body.percent is None:
            raise field_error("percent", "how far the task is, 0 to 100")
        return body.percent
    if row.recurrence:
        raise field_error("completes", "a recurring or ongoing task is reported, never completed")
    if row.completed_on is not None:
        raise Problem(
            409,
            "A completion of this task waits for a leader's decision already.",
            errors=[{"loc": ["completes"], "msg": "a completion is claimed already"}],
        )
    if not files:
        raise field_error("evidence", "a report that completes the task carries an evidence file")
    if body.percent not in (None, 100):
        raise field_error("percent", "a report that completes the task is at 100")
    return 100


def submit(
    conn: Connection,
    work: Assignment,
    body: ReportIn,
    files: Sequence[evidence.File],
    *,
    actor: str,
    today: date,
    at: datetime,
    simulated: bool = False,
) -> tuple[dict[str, Any], Event]:
    """Store a report (and its checked evidence) on the task; the report, and the bus event."""
    row = work.row
    refuse_confirmed(row)
    period = period_of(row, body.period, today)
    percent = claimed_percent(row, body, files)
    values = {
        "task_id": row.id,
        "province_code": row.province_code,
        "agency_id": row.agency_id,
        "reported_on": today,
        "submitted_at": at,
        "period": period.code,
        "percent": percent,
        "text": body.text,
        "difficulties": body.difficulties,
        "proposals": body.proposals,
        "author": actor,
        "completes": body.completes,
        "simulated": simulated,
    }
    report_id = conn.execute(insert(reports).values(**values).returning(reports.c.id)).scalar_one()
    stored = evidence.store(conn, files, report_id=report_id, task_id=row.id, actor=actor, at=at)
    changes: dict[str, Any] = {
        "percent": percent,
        "last_reported_on": today,
        "last_period": latest_period(row.last_period, period),
    }
    if body.completes:
        changes |= {"completed_on": today, "completion_report_id": report_id}
    conn.execute(update(tasks).where(tasks.c.id == row.id).values(**changes))
    kind = "completion_claimed" if body.completes else "reported"
    detail = {"report_id": report_id, "period": period.code, "percent": percent}
    event = timeline.record(
        conn,
        work,
        kind,
        actor=actor,
        at=at,
        detail=detail | {"evidence": [e["id"] for e in stored]},
        object_type="task_report",
        object_id=report_id,
        before={name: getattr(row, name) for name in changes},
        after=values | changes | {"evidence": [e["sha256"] for e in stored]},
    )
    return item({"id": report_id, **values}, work.agency_code, stored), event


def add_evidence(
    conn: Connection,
    work: Assignment,
    report_id: int,
    files: Sequence[evidence.File],
    *,
    actor: str,
    at: datetime,
) -> tuple[dict[str, Any], Event]:
    """Add checked files to one's own report on the task; the report, and the bus event."""
    refuse_confirmed(work.row)
    row = report_row(conn, work.id, report_id)
    if row.author != actor:
        raise Problem(
            403,
            "Evidence is added to a report by the person who sent it.",
            errors=[{"loc": ["path", "report_id"], "msg": "not your report"}],
        )
    if not files:
        raise field_error("evidence", "send at least one file")
    evidence.room(evidence.count(conn, report_id), len(files))
    stored = evidence.store(conn, files, report_id=report_id, task_id=work.id, actor=actor, at=at)
    event = timeline.record(
        conn,
        work,
        "evidence_added",
        actor=actor,
        at=at,
        detail={"report_id": report_id, "evidence": [e["id"] for e in stored]},
        object_type="task_report",
        object_id=report_id,
        after={"evidence": [{"id": e["id"], "sha256": e["sha256"]} for e in stored]},
    )
    listed = evidence.listed(conn, [report_id])[report_id]
    return item(row, work.agency_code, listed), event


def report_row(conn: Connection, task_id: int, report_id: int) -> Any:
    """A report on the task; 404 when the task has no such report."""
    query = select(reports).where(reports.c.id == report_id, reports.c.task_id == task_id)
    row = conn.execute(query).first()
    if row is None:
        raise Problem(
            404,
            f"No report {report_id} on task {task_id}.",
            errors=[{"loc": ["path", "report_id"], "msg": "no such report"}],
        )
    return row


def reports_of(conn: Connection, work: Assignment, limit: int, offset: int) -> dict[str, Any]:
    """The reports on a task, the latest first, each with its evidence (not the bytes)."""
    where = reports.c.task_id == work.id
    total = conn.execute(select(func.count()).select_from(reports).where(where)).scalar_one()
    query = (
        select(reports)
        .where(where)
        .order_by(reports.c.submitted_at.desc(), reports.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = list(conn.execute(query))
    files = evidence.listed(conn, [r.id for r in rows])
    items = [item(r, work.agency_code, files[r.id]) for r in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def item(row: Any, agency_code: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    """What the API shows of a report."""
    r = row if isinstance(row, dict) else row._mapping
    return {
        "id": r["id"],
        "task_id": r["task_id"],
        "agency": agency_code,
        "reported_on": r["reported_on"].isoformat(),
        "submitted_at": local_iso(r["submitted_at"]),
        "period": r["period"],
        "percent": r["percent"],
        "text": r["text"],
        "difficulties": r["difficulties"],
        "proposals": r["proposals"],
        "author": r["author"],
        "completes": bool(r["completes"]),
        "answer": r.get("answer"),
        "answered_by": r.get("answered_by"),
        "answered_at": local_iso(r.get("answered_at")),
        "evidence": files,
        "simulated": bool(r["simulated"]),  # dữ liệu mô phỏng
    }
