"""The demo's task histories written through the module's workflow (``progress``, ``decisions``),
as the lead agencies' officers and the leader would have written them, on the days the history
gives (dữ liệu mô phỏng).

A report that completes a task carries an evidence file: a one-page PDF made here that says it is
simulated, checked as an uploaded file is. Each task's steps are one transaction, their events
published on the bus once it commits. The tasks were planned when the programme was issued: their
``planned_at`` and the ``planned`` step of their timeline are moved back to that day, so that the
timeline reads in order and the month a task was open in counts it.
"""

from __future__ import annotations

import random
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ioc57.accounts.service import get_user, principal_for
from ioc57.core.access import Principal
from ioc57.core.clock import LOCAL_TZ, now, to_utc
from ioc57.core.events import Event
from ioc57.core.uploads import Kept
from ioc57.tasks import decisions, evidence, progress
from ioc57.tasks.assignment import authorized
from ioc57.tasks.demo_history import Step
from ioc57.tasks.tables import events, tasks

READ, REPORT, DECIDE = "tasks.read", "tasks.report", "tasks.decide"


def person(conn: Connection, username: str) -> Principal:
    """A demo user as the workflow meets them (acting from ``ioc57 demo``)."""
    row = get_user(conn, username)
    if row is None:
        raise LookupError(f"the demo user {username} is missing: load the accounts' demo first")
    return principal_for(row, "cli")


def reporter(officers: list[Principal], chain: frozenset[int], agency_id: int) -> Principal:
    """The officer who reports for a task's lead agency: the agency's own, or one of a unit
    above it (a commune's officer for its committee)."""
    own = [p for p in officers if p.unit_id == agency_id]
    above = [p for p in officers if p.unit_id in chain]
    if not (own or above):
        raise LookupError(f"no demo officer reports for agency {agency_id}")
    return (own or above)[0]


class Moments:
    """The times steps were taken (in UTC, as stored): in office hours, each after the one
    before, none after now."""

    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)
        self.last: datetime | None = None

    def at(self, day: date) -> datetime:
        clock = time(self.rng.randint(8, 15), self.rng.randint(0, 59))
        moment = to_utc(datetime.combine(day, clock, LOCAL_TZ))
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=self.rng.randint(5, 40))
        self.last = min(moment, now())
        return self.last


def ascii_text(text: str) -> str:
    """``text`` without its Vietnamese marks, for a PDF's built-in font."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if ord(c) < 128)


def pdf_string(text: str) -> bytes:
    """``text`` as a PDF literal string (parentheses and backslashes escaped)."""
    escaped = ascii_text(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})".encode("ascii")


def evidence_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF that says it is simulated: ``lines`` on the page (without their marks:
    the built-in font has none), ``title`` in full as the document's title."""
    text = [b"BT /F1 14 Tf 56 780 Td (DU LIEU MO PHONG - simulated data) Tj /F1 10 Tf"]
    for line in lines:
        text.append(b"0 -18 Td " + pdf_string(line[:95]) + b" Tj")
    content = b"\n".join(text) + b"\nET"
    info_title = b"<" + ("\ufeff" + title).encode("utf-16-be").hex().upper().encode() + b">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + info_title + b" /Producer (ioc57 demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@contextmanager
def evidence_of(item: dict[str, Any], agency: str) -> Iterator[list[evidence.File]]:
    """The evidence file of a task's completion, checked as an upload is, on disk while the
    report stores it."""
    title = f"Minh chứng hoàn thành nhiệm vụ {item['code']} (dữ liệu mô phỏng)"
    lines = [
        f"Nhiem vu {item['code']} - {agency}",
        f"San pham: {item['output']}",
        "Tai lieu mo phong cho ban demo ioc57, khong phai van ban that.",
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"minh-chung-{item['code']}.pdf"
        path.write_bytes(evidence_pdf(title, lines))
        yield evidence.check([Kept(path.name, path, path.stat().st_size)])


def report(
    conn: Connection, item: dict[str, Any], step: Step, officer: Principal, at: datetime
) -> tuple[int, Event]:
    """The officer's report of ``step`` (with its evidence when it completes the task); its id,
    and the bus event."""
    work = authorized(conn, officer, REPORT, item["id"], for_update=True)
    body = progress.ReportIn(
        period=step.period,
        percent=None if step.completes else step.percent,
        text=step.text,
        difficulties=step.difficulties,
        proposals=step.proposals,
        completes=step.completes,
    )
    files: AbstractContextManager[list[evidence.File]] = (
        evidence_of(item, work.agency_code) if step.completes else nullcontext([])
    )
    with files as sent:
        stored, event = progress.submit(
            conn, work, body, sent, actor=officer.username, today=step.day, at=at, simulated=True
        )
    return stored["id"], event


def decide(
    conn: Connection,
    task_id: int,
    step: Step,
    report_id: int | None,
    leader: Principal,
    at: datetime,
) -> Event:
    """The leader's decision of ``step``: an answer to the report ``report_id``, a confirmation,
    a refusal or an extension; the bus event."""
    work = authorized(conn, leader, DECIDE, task_id, for_update=True)
    actor, day = leader.username, step.day
    if step.kind == "answer" and report_id is not None:
        answer = decisions.AnswerIn(answer=step.text)
        return decisions.answer(conn, work, report_id, answer, actor=actor, at=at)[1]
    if step.kind == "confirm":
        return decisions.confirm(conn, work, actor=actor, today=day, at=at)[1]
    if step.kind == "refuse":
        refusal = decisions.RefusalIn(reason=step.text)
        return decisions.refuse(conn, work, refusal, actor=actor, today=day, at=at)[1]
    if step.kind == "extend" and step.deadline is not None:
        extension = decisions.ExtensionIn(deadline=step.deadline, reason=step.text)
        return decisions.extend(conn, work, extension, actor=actor, today=day, at=at)[1]
    raise ValueError(f"a step the demo cannot take: {step}")


def take(
    conn: Connection,
    item: dict[str, Any],
    steps: list[Step],
    officers: list[Principal],
    leader: Principal,
) -> list[Event]:
    """Take ``steps`` on the task ``item`` (its ``id`` the stored task's), in order; the events
    to publish."""
    found = authorized(conn, leader, READ, item["id"])
    officer = reporter(officers, found.chain, found.row.agency_id)
    moments = Moments(f"{item['id']}:{item['code']}")
    out = []
    report_id = None
    for step in steps:
        at = moments.at(step.day)
        if step.kind == "report":
            report_id, event = report(conn, item, step, officer, at)
        else:
            event = decide(conn, item["id"], step, report_id, leader, at)
        out.append(event)
    return out


def planned_on(conn: Connection, task_ids: list[int], day: date) -> None:
    """The tasks planned on ``day`` (the programme's issue day), their timeline's first step too."""
    at = to_utc(datetime.combine(day, time(8), LOCAL_TZ))
    conn.execute(update(tasks).where(tasks.c.id.in_(task_ids)).values(planned_at=at))
    conn.execute(
        update(events)
        .where(events.c.task_id.in_(task_ids), events.c.kind == "planned")
        .values(at=at)
    )


def worked_on(conn: Connection, task_ids: list[int]) -> set[int]:
    """The tasks among ``task_ids`` that someone worked on already (a step beyond planning)."""
    query = select(events.c.task_id).where(
        events.c.task_id.in_(task_ids), events.c.kind.not_in(("planned", "changed"))
    )
    return {r.task_id for r in conn.execute(query.distinct())}
