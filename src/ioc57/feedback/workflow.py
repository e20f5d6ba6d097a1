"""The life of a report: the steps people take on it, each a new version of its record through the
gate (so the rollups, the 766 index and the event stream follow), and a row in its timeline.

    received ─┬─ refused                               (triage: operator, with a reason)
              ├─ merged                                (a duplicate of another report)
              └─ forwarded ─ in_progress ─ answered ─ published ─ closed
                     └─ info_requested ─┘          └──────────┴── reopened (not satisfied)
                        (answered, or the citizen replies: in progress again)

``STEPS`` says, for each step, the statuses it may start from, the status it leads to, the action
a person needs and the fields it requires. The record is written back as the source that sent it
(one report is one record, whoever moves it), by the module's service principal once the person's
right and scope were checked, with the person named as the batch's actor; the step is audited.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ioc57.core import audit
from ioc57.core.clock import now, today
from ioc57.core.problems import Problem
from ioc57.feedback.access import ANSWER, SERVICE, TRIAGE, not_found
from ioc57.feedback.categories import categories
from ioc57.feedback.tables import photos, reports
from ioc57.ingest.batches import BatchResult
from ioc57.ingest.entry_api import refused
from ioc57.ingest.gate import Gate
from ioc57.ingest.sources import as_source
from ioc57.ingest.tables import records, sources

OPEN = ("received", "forwarded", "in_progress", "info_requested", "reopened")
CITIZEN = "citizen"  # the action of the holder of the tracking code


@dataclass(frozen=True)
class Step:
    status: str  # the status it leads to
    sources: tuple[str, ...]  # the statuses it may start from
    action: str  # who may take it
    requires: tuple[str, ...] = ()  # fields of ``StepIn`` it needs


STEPS: dict[str, Step] = {
    "forward": Step("forwarded", ("received", "info_requested"), TRIAGE, ("agency",)),
    "refuse": Step("refused", ("received",), TRIAGE, ("note",)),
    "merge": Step("merged", OPEN, TRIAGE, ("duplicate_of",)),
    "start": Step("in_progress", ("forwarded", "reopened"), ANSWER),
    "request_info": Step(
        "info_requested", ("forwarded", "in_progress", "reopened"), ANSWER, ("note",)
    ),
    "answer": Step(
        "answered", ("forwarded", "in_progress", "info_requested", "reopened"), ANSWER, ("answer",)
    ),
    "publish": Step("published", ("answered",), TRIAGE),
    "close": Step("closed", ("answered", "published"), TRIAGE),
    "reopen": Step("reopened", ("answered", "published", "closed"), TRIAGE, ("note",)),
    # the citizen's rating: satisfied closes the report, not satisfied reopens it
    "rate": Step("closed", ("answered", "published"), CITIZEN, ("satisfaction",)),
    # the citizen's answer to a request for information: back to the agency's work
    "reply": Step("in_progress", ("info_requested",), CITIZEN, ("note",)),
}


class StepIn(BaseModel):
    """A step on a report, as a person asks for it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    step: Literal[
        "forward",
        "refuse",
        "merge",
        "start",
        "request_info",
        "answer",
        "publish",
        "close",
        "reopen",
        "rate",
        "reply",
    ]
    agency: str | None = Field(default=None, min_length=1, max_length=40)
    category: str | None = Field(default=None, min_length=1, max_length=40)
    note: str | None = Field(default=None, min_length=1, max_length=2_000)
    answer: str | None = Field(default=None, min_length=1, max_length=20_000)
    duplicate_of: str | None = Field(default=None, min_length=1, max_length=200)
    satisfaction: Literal["satisfied", "unsatisfied"] | None = None
    # at ``publish``: the report's photos shown on the public page with the answer (the others
    # stay for staff: a face, a house number, a plate the operator saw)
    public_photos: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = Field(
        default=None, max_length=5
    )


def _missing(step: Step, asked: StepIn) -> list[dict[str, Any]]:
    return [
        {"loc": ["body", name], "msg": "required for this step"}
        for name in step.requires
        if getattr(asked, name) is None
    ]


def _photo_errors(conn: Connection, row: Any, asked: StepIn) -> list[dict[str, Any]]:
    if asked.step != "publish":
        return [{"loc": ["body", "public_photos"], "msg": "only at the publish step"}]
    own = set(orjson.loads(row.photos))
    return [
        {"loc": ["body", "public_photos", i], "msg": "not a photo of this report"}
        for i, photo_id in enumerate(asked.public_photos or [])
        if photo_id not in own
    ]


def next_version(conn: Connection, row: Any, asked: StepIn) -> dict[str, Any]:
    """The report's record after ``asked`` (checked against the report as it stands)."""
    step = STEPS[asked.step]
    if row.status not in step.sources:
        raise Problem(
            409,
            f"A report that is {row.status} cannot take the step {asked.step}.",
            errors=[{"loc": ["body", "step"], "msg": f"not allowed from {row.status}"}],
        )
    errors = _missing(step, asked)
    if asked.category is not None and asked.category not in categories():
        errors.append({"loc": ["body", "category"], "msg": "unknown category"})
    if asked.duplicate_of is not None:
        if asked.duplicate_of == row.record_id:
            errors.append({"loc": ["body", "duplicate_of"], "msg": "the report itself"})
        elif (
            conn.execute(
                select(reports.c.id).where(reports.c.record_id == asked.duplicate_of)
            ).first()
            is None
        ):
            errors.append({"loc": ["body", "duplicate_of"], "msg": "no such report"})
    if asked.public_photos is not None:
        errors.extend(_photo_errors(conn, row, asked))
    if errors:
        raise Problem(422, "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors), errors=errors)
    stored = conn.execute(
        select(records.c.data).where(
            records.c.source_id == row.source_id,
            records.c.type == "feedback",
            records.c.record_id == row.record_id,
        )
    ).scalar_one()
    data: dict[str, Any] = orjson.loads(stored)
    at = now().isoformat()
    data.update(status=step.status, updated_at=at, note=asked.note)
    if asked.category is not None:
        data["category"] = asked.category
        data["about_procedure"] = categories()[asked.category].about_procedure
    if asked.agency is not None:
        data["agency"] = asked.agency
    if asked.step == "answer":
        data.update(answer=asked.answer, answered_at=at, satisfaction=None)
    elif asked.step == "publish":
        data["published_at"] = at
    elif asked.step == "merge":
        data["duplicate_of"] = asked.duplicate_of
    elif asked.step == "rate":
        data["satisfaction"] = asked.satisfaction
        if asked.satisfaction == "unsatisfied":
            data["status"] = "reopened"
    return data


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock(record_id: str) -> threading.Lock:
    with _locks_guard:
        if len(_locks) > 10_000:  # forget the idle ones
            for key in [k for k, v in _locks.items() if not v.locked()]:
                del _locks[key]
        return _locks.setdefault(record_id, threading.Lock())


def take_step(
    gate: Gate, row: Any, asked: StepIn, actor: str, address: str | None = None
) -> BatchResult:
    """Take ``asked`` on the report ``row`` (the caller checked the person's right and scope):
    its record goes through the gate as its own source's, and the step is audited.

    Two steps on one report take turns in a process, and the second is checked against the
    status the first left (an answer and a refusal at the same moment: one of them is 409). Across
    ``ioc57 serve`` processes the later version wins in the gate, as any two updates of a record."""
    with _lock(row.record_id):
        with gate.engine.connect() as conn:
            row = find(conn, row.record_id)  # as it stands now
            data = next_version(conn, row, asked)
            source_row = conn.execute(select(sources).where(sources.c.id == row.source_id)).one()
            source = as_source(conn, source_row, today())
        result = gate.ingest(
            source, "feedback", [(0, data)], principal=SERVICE, via="push", actor=actor
        )
    if result.rejected:
        raise refused(result.rejected[0])
    with gate.engine.begin() as conn:
        if asked.public_photos is not None:
            shown = set(asked.public_photos)
            for photo_id in orjson.loads(row.photos):
                conn.execute(
                    update(photos)
                    .where(photos.c.id == photo_id, photos.c.record_id == row.record_id)
                    .values(public=photo_id in shown)
                )
        audit.record(
            conn,
            actor=actor,
            action=f"feedback.{asked.step}",
            object_type="feedback",
            object_id=row.record_id,
            before={"status": row.status},
            after={"status": data["status"], **asked.model_dump(exclude_none=True)},
            address=address,
        )
    return result


def find(conn: Connection, record_id: str) -> Any:
    row = conn.execute(select(reports).where(reports.c.record_id == record_id)).first()
    if row is None:
        raise not_found(record_id)
    return row
