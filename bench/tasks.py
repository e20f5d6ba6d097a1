"""Action programmes at scale: the leader's page figures of a province, the national roll-up and a
province's DOCX status report, against raw SQL reading the same rows.

Goal (issue 13): with 34 provinces × 300 tasks × 5 years of monthly progress reports, the leader's
page figures for a province (``rollup.summary``) in ≤ 100 ms and the national roll-up of all 34 in
≤ 300 ms, against a raw SQL baseline measured in the same run; the DOCX report of a province in
≤ 2 s.

What it does, in one run:

1. The data, built once and kept for the next run (a SQLite file in ``--cache``, a database of the
   PostgreSQL server given by ``--database-url``; ``--rebuild`` builds it again; a new day, scale
   or schema builds a new one). A fresh database (``ioc57 init``: the schema, the real units),
   ten agencies (sở) in each of the 34 provinces, a national leader. Per province three
   programmes and 300 tasks (``--scale`` shrinks it), two thirds with a deadline, the others
   recurring or ongoing, sent through the gate (``Gate.ingest``) by a simulated source. Then the
   progress reports of the ``--months`` months up to today, one a month by each task's lead agency
   from the month it began until its completion is claimed (a few months skipped), straight into
   ``tasks_reports`` in bulk (``executemany`` on SQLite, ``COPY`` on PostgreSQL), for they are the
   module's workflow rows, not the gate's records: some raise difficulties or proposals, most of
   those answered by a leader weeks later. A completing report carries its evidence file. The
   tasks' workflow columns are set to match (percent, last period and report day, completions
   claimed — on time or late — and most confirmed by a leader, a few deadlines extended), with a
   timeline row for each step; then ANALYZE.
2. Checks: the summary's counts equal the statuses ``status.status_of`` gives the tasks read with
   plain SQL; its unanswered difficulties are those SQL counts; the national lines sum to the same,
   and are the country summary's; the page's oldest difficulties are the first of the full list.
3. Timings, warm, over ``--runs`` calls each (p50, p95, max; goals judged on p95), each on a
   connection taken from the pool: ``rollup.summary`` of a province (the 34 in turn, or
   ``--province``) against its baseline, the raw SELECTs (DB-API cursor) of the same columns of
   the province's tasks and of its unanswered difficulties; ``rollup.national`` (a line per
   province, the tasks counted by province and state in the database) against that count's SELECT;
   ``rollup.summary`` of the whole country against the same two SELECTs without the province;
   the country's summary as the page of a person who sees every province reads it (the oldest
   difficulties listed, all counted) against the SELECTs of every task, of those oldest and of
   the count; the DOCX of a province
   (``report_docx.docx_bytes``), alone and with its summary; and through a real ``ioc57 serve``,
   as the national leader, the page of the country (``GET /tasks``), of that province and its
   DOCX (``--no-http`` skips them; a page that answers other than 200 is skipped).

Prints one JSON object on stdout; progress on stderr. At full size the build takes a few minutes
(the reports dominate); a run on a kept database takes well under one.

Usage: .venv/bin/python bench/tasks.py [--scale 1] [--months 60] [--runs 30] [--province CODE]
       [--backend sqlite|postgresql] [--database-url URL] [--cache DIR] [--rebuild] [--no-http]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import httpx
from common import (
    Databases,
    add_kept_data_options,
    analyze,
    backend_of,
    goal,
    insert_rows,
    kept_data_name,
    log,
    start_server,
    stop_server,
    timed,
)
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.engine import Connection, Engine

from ioc57.accounts.service import create_token, create_user
from ioc57.core.access import LOCAL_ADMIN
from ioc57.core.clock import LOCAL_TZ, now, today
from ioc57.core.db import make_engine
from ioc57.core.events import EventBus
from ioc57.core.periods import period_containing
from ioc57.core.workdays import is_working_day
from ioc57.ingest.gate import Gate
from ioc57.ingest.sources import as_source, change_source, get_row
from ioc57.tasks import report_docx, rollup
from ioc57.tasks.pages import SHOWN_ROWS
from ioc57.tasks.status import PERIOD_OF, state_of, status_of
from ioc57.tasks.tables import events, evidence, reports, tasks
from ioc57.units.agencies import create_agency
from ioc57.units.queries import unit_at, valid_at
from ioc57.units.tables import units

SEED = 57
DATA = 3  # the version of the data this script builds: a change to it builds the data again
SOURCE = "benchtasks"
LEADER = "bench.lanhdao"  # a national leader: reads every province, answers, confirms, extends
PASSWORD = "bench-password-57"
TASKS = 300  # per province, at scale 1
PROGRAMMES = 3  # per province
AGENCIES = [
    ("KHCN", "Sở Khoa học và Công nghệ"),
    ("NV", "Sở Nội vụ"),
    ("TC", "Sở Tài chính"),
    ("TP", "Sở Tư pháp"),
    ("GDDT", "Sở Giáo dục và Đào tạo"),
    ("YT", "Sở Y tế"),
    ("CT", "Sở Công Thương"),
    ("NNMT", "Sở Nông nghiệp và Môi trường"),
    ("XD", "Sở Xây dựng"),
    ("VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
]
LEADERS = [
    "Chủ tịch UBND tỉnh",
    "Phó Chủ tịch UBND tỉnh Nguyễn Văn An",
    "Phó Chủ tịch UBND tỉnh Trần Thị Bình",
    "Phó Chủ tịch UBND tỉnh Lê Văn Cường",
    "Phó Chủ tịch UBND tỉnh Phạm Thị Dung",
]
MEASURES = [
    "Số hóa hồ sơ, tài liệu lưu trữ của ngành",
    "Xây dựng cơ sở dữ liệu chuyên ngành, kết nối với cơ sở dữ liệu quốc gia",
    "Triển khai dịch vụ công trực tuyến toàn trình",
    "Đào tạo kỹ năng số cho cán bộ, công chức",
    "Hỗ trợ doanh nghiệp đổi mới sáng tạo, chuyển đổi số",
    "Phát triển hạ tầng số, mạng 5G đến các xã",
    "Ban hành cơ chế thí điểm khoa học, công nghệ",
    "Ứng dụng trí tuệ nhân tạo trong xử lý hồ sơ",
    "Bảo đảm an toàn thông tin cho hệ thống thông tin của tỉnh",
    "Rà soát, đơn giản hóa thủ tục hành chính",
    "Thanh toán không dùng tiền mặt trong dịch vụ công",
    "Xây dựng kho dữ liệu dùng chung của tỉnh",
]
OUTPUTS = ["Quyết định của UBND tỉnh", "Báo cáo", "Hệ thống thông tin", "Kế hoạch", "Đề án"]
PROGRESS = [
    "Đã hoàn thành khảo sát hiện trạng, đang xây dựng dự thảo.",
    "Đang triển khai theo kế hoạch, đã tổ chức họp với các đơn vị phối hợp.",
    "Đã trình dự thảo, đang tiếp thu ý kiến góp ý.",
    "Tiếp tục thực hiện, đã hoàn thành phần lớn khối lượng công việc.",
    "Đã tổ chức tập huấn, đang tổng hợp kết quả.",
]
DIFFICULTIES = [
    "Thiếu kinh phí để triển khai.",
    "Chưa có hướng dẫn của bộ, ngành trung ương.",
    "Thiếu nhân lực có chuyên môn về công nghệ thông tin.",
    "Hạ tầng kỹ thuật chưa đồng bộ.",
]
PROPOSALS = [
    "Đề nghị UBND tỉnh bố trí bổ sung kinh phí.",
    "Kiến nghị gia hạn thời gian thực hiện.",
    "Đề nghị Sở Tài chính hướng dẫn thủ tục thanh toán.",
]
# the share of each kind of task: a deadline, or a recurrence
KINDS = [
    (None, 0.66),
    ("monthly", 0.07),
    ("quarterly", 0.10),
    ("half-yearly", 0.04),
    ("yearly", 0.08),
    ("ongoing", 0.05),
]
RAISED = 0.10  # of reports raise difficulties or proposals
ANSWER = "Giao Sở Tài chính chủ trì, phối hợp các đơn vị liên quan xử lý."
EVIDENCE = b"%PDF-1.4\n% du lieu mo phong (bench/tasks.py)\n%%EOF\n"
REPORT_COLUMNS = (
    "id",
    "task_id",
    "province_code",
    "agency_id",
    "reported_on",
    "submitted_at",
    "period",
    "percent",
    "text",
    "difficulties",
    "proposals",
    "author",
    "completes",
    "answer",
    "answered_by",
    "answered_at",
    "simulated",
)
EVENT_COLUMNS = ("task_id", "at", "actor", "kind", "detail")
EVIDENCE_COLUMNS = (
    "report_id",
    "task_id",
    "filename",
    "content_type",
    "size",
    "sha256",
    "content",
    "uploaded_by",
    "uploaded_at",
)


# -- the template: agencies, a leader, the source for the whole country ------------------------


def current_provinces(conn: Connection, day: date) -> list[tuple[str, str]]:
    query = select(units.c.code, units.c.name).where(units.c.level == "province", valid_at(day))
    return [tuple(r) for r in conn.execute(query.order_by(units.c.code))]


def prepare(conn: Connection) -> None:
    """Ten agencies in each current province, the national leader, and the bench's source made
    the whole country's, simulated (dữ liệu mô phỏng)."""
    day = today()
    codes = []
    for code, _name in current_provinces(conn, day):
        province = unit_at(conn, code, day)
        for suffix, name in AGENCIES:
            create_agency(
                conn,
                actor="bench",
                parent=province,
                code=f"{code}.{suffix}",
                name=name,
                type="sở",
                today=day,
            )
        codes.append(code)
    create_user(conn, actor="bench", username=LEADER, role="leader", password=PASSWORD)
    change_source(conn, actor="bench", name=SOURCE, today=day, units=codes, simulated=True)


# -- what each task goes through ---------------------------------------------------------------


@dataclass
class Plan:
    """What happens to a task over the months: when it begins, its deadline or recurrence, when
    its lead agency claims it done, when a leader confirms that or extends its deadline."""

    key: str  # its record's id
    province: str
    agency: str
    start: int  # the month (index) of its first report
    recurrence: str | None
    deadline: date | None
    claimed: date | None = None  # the day its completing report is sent
    confirmed: datetime | None = None
    extended: date | None = None
    extended_at: datetime | None = None
    skip: float = 0.05  # the chance it misses a month's report


class Months:
    """The months of the data (the last holds today) and their working days."""

    def __init__(self, months: int, day: date, at: datetime) -> None:
        self.today, self.now = day, at
        first = date(day.year, day.month, 1)
        for _ in range(months - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        self.starts = []
        self.working: list[list[date]] = []
        start = first
        while start <= day:
            end = (start + timedelta(days=32)).replace(day=1)
            days = [start + timedelta(d) for d in range((end - start).days)]
            self.starts.append(start)
            self.working.append([d for d in days if is_working_day(d)])
            start = end

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, day: date) -> int:
        return (day.year - self.starts[0].year) * 12 + day.month - self.starts[0].month

    def working_day(self, day: date) -> date:
        """``day``, or the next working day after it."""
        while not is_working_day(day):
            day += timedelta(days=1)
        return day


def at(day: date, hour: float) -> datetime:
    """``day`` at ``hour`` in Việt Nam, in UTC."""
    moment = datetime.combine(day, clock_time(int(hour), int(hour % 1 * 60)), LOCAL_TZ)
    return moment.astimezone(UTC)


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def due_date(rng: random.Random, month: date) -> date:
    """A deadline in ``month`` as programmes set them: most at the end of a quarter ("quý
    IV/2026") or of a month, a few on a day of their own."""
    x = rng.random()
    if x < 0.5:
        return month_end(month.replace(month=(month.month - 1) // 3 * 3 + 3))
    if x < 0.8:
        return month_end(month)
    return month.replace(day=rng.randint(1, 28))


def plan_task(rng: random.Random, cal: Months, key: str, province: str, agency: str) -> Plan:
    months = len(cal)
    x, recurrence = rng.random(), None
    for kind, share in KINDS:
        x -= share
        if x < 0:
            recurrence = kind
            break
    # most tasks begin with their programme, the others within its first year; most are due
    # two to eight years after they begin (the resolution looks to 2030): some due, some not yet
    start = 0 if months < 2 or rng.random() < 0.85 else rng.randrange(1, min(13, months))
    skip = rng.uniform(0.01, 0.06)
    if recurrence is not None:
        return Plan(key, province, agency, start, recurrence, None, skip=skip)
    due = cal.starts[0] + timedelta(days=30.44 * (start + rng.randint(24, 96) * months // 60))
    deadline = due_date(rng, due)
    plan = Plan(key, province, agency, start, None, deadline, skip=skip)
    begun = cal.starts[start]
    if rng.random() < 0.72:  # its lead agency reports it done, on time or late
        offset = -rng.randint(0, 60) if rng.random() < 0.7 else rng.randint(1, 120)
        claimed = cal.working_day(max(begun + timedelta(days=20), deadline + timedelta(offset)))
        if claimed <= cal.today:
            plan.claimed = claimed
            confirmed = at(claimed + timedelta(days=rng.randint(1, 20)), 15.5)
            if confirmed <= cal.now and rng.random() < 0.92:
                plan.confirmed = confirmed
    if rng.random() < 0.06:  # a leader extends it, a little before it falls due
        decided = at(deadline - timedelta(days=rng.randint(1, 20)), 10)
        in_time = plan.claimed is None or plan.claimed > decided.date()
        if begun < decided.date() and decided <= cal.now and in_time:
            plan.extended = deadline + timedelta(days=rng.randint(60, 240))
            plan.extended_at = decided
    return plan


# -- the records sent through the gate ---------------------------------------------------------


def records_of(
    rng: random.Random, cal: Months, provinces: list[tuple[str, str]], per_province: int
) -> tuple[list[dict], list[dict], list[Plan]]:
    """The programmes and tasks of every province as a provincial system sends them, and what
    will happen to each task."""
    programmes, tasks_sent, plans = [], [], []
    issued = cal.starts[0]
    for code, name in provinces:
        agencies = [f"{code}.{suffix}" for suffix, _ in AGENCIES]
        codes = [f"{k + 1}{code}/KH-UBND" for k in range(PROGRAMMES)]
        for k, programme in enumerate(codes):
            programmes.append(
                {
                    "id": f"{code}:{programme}",
                    "code": programme,
                    "title": f"Kế hoạch {k + 1} thực hiện Nghị quyết 57-NQ/TW của {name}",
                    "issued_by": f"UBND {name}",
                    "issued_date": issued.isoformat(),
                    "unit": code,
                    "parent": "57-NQ/TW",
                }
            )
        for j in range(per_province):
            programme = codes[j % PROGRAMMES]
            agency = rng.choice(agencies)
            key = f"{code}:{programme}:{j + 1}"
            plan = plan_task(rng, cal, key, code, agency)
            task = {
                "id": key,
                "programme": programme,
                "code": f"{j % PROGRAMMES + 1}.{j // PROGRAMMES + 1}",
                "content": f"{rng.choice(MEASURES)} (nhiệm vụ {j + 1})",
                "lead_agency": agency,
                "cooperating_agencies": rng.sample([a for a in agencies if a != agency], 2),
                "leader": rng.choice(LEADERS),
                "output": rng.choice(OUTPUTS),
            }
            if plan.recurrence:
                task["recurrence"] = plan.recurrence
            else:
                task["deadline"] = plan.deadline.isoformat()
            tasks_sent.append(task)
            plans.append(plan)
    return programmes, tasks_sent, plans


def push(engine: Engine, type_name: str, rows: list[dict]) -> None:
    with engine.connect() as conn:
        source = as_source(conn, get_row(conn, SOURCE), today())
    result = Gate(engine, EventBus()).ingest(
        source, type_name, list(enumerate(rows)), principal=LOCAL_ADMIN, via="push", actor="bench"
    )
    if result.rejected_count:
        raise SystemExit(f"the gate rejected {type_name} records: {result.rejected[:3]}")


# -- the work on the tasks, in bulk -------------------------------------------------------------


@dataclass
class Done:
    """What the reports left on a task: its workflow columns."""

    percent: int = 0
    last_reported_on: date | None = None
    last_period: str | None = None
    completion_report_id: int | None = None


class History:
    """The reports of every task, month by month (ids in the order they were sent), with the
    timeline's steps and the evidence files they bring."""

    def __init__(self, rng: random.Random, cal: Months, plans: list[Plan], ids: dict) -> None:
        self.rng, self.cal, self.plans, self.ids = rng, cal, plans, ids
        self.done = {p.key: Done() for p in plans}
        self.steps: list[tuple] = []  # the timeline's steps other than the reports
        self.files: list[tuple] = []
        self.count = 0
        self.keys = {task_id: key for key, (task_id, _agency) in ids.items()}

    def rows(self) -> Iterator[tuple]:
        for month in range(len(self.cal)):
            sent = [row for plan in self.plans if (row := self.report(plan, month))]
            sent.sort(key=lambda row: row[5])
            for row in sent:
                self.count += 1
                yield (self.count, *row[1:])
                self.after(row, self.count)

    def report(self, plan: Plan, month: int) -> tuple | None:
        """The report ``plan``'s agency sends in ``month`` (id left 0), or None."""
        rng, cal = self.rng, self.cal
        if month < plan.start:
            return None
        completes = plan.claimed is not None and cal.index(plan.claimed) == month
        if plan.claimed is not None and cal.index(plan.claimed) < month:
            return None
        if not completes and rng.random() < plan.skip:
            return None
        day = plan.claimed if completes else rng.choice(cal.working[month])
        if day > cal.today:  # this month's report is not in yet
            return None
        if plan.recurrence:
            period = period_containing(day, PERIOD_OF[plan.recurrence]).code
            percent = rng.choice((50, 70, 90, 100))
        else:
            period = period_containing(day, "month").code
            span = max(1, cal.index(plan.extended or plan.deadline) - plan.start)
            percent = 100 if completes else min(95, 5 + 90 * (month - plan.start) // span)
        submitted = at(day, rng.uniform(7.5, 17))
        difficulty = proposal = None
        answer = answered_by = answered_at = None
        if rng.random() < RAISED:
            if rng.random() < 0.75:
                difficulty = rng.choice(DIFFICULTIES)
            if difficulty is None or rng.random() < 0.4:
                proposal = rng.choice(PROPOSALS)
            old = cal.now - submitted > timedelta(days=60)
            answered = submitted + timedelta(days=rng.uniform(2, 30))
            if rng.random() < (0.97 if old else 0.5) and answered <= cal.now:
                answer, answered_by, answered_at = ANSWER, LEADER, answered
        agency_id = self.ids[plan.key][1]
        text = f"Tháng {day.month:02d}/{day.year}: {rng.choice(PROGRESS)}"
        if completes:
            text = "Đã hoàn thành nhiệm vụ, gửi kèm sản phẩm."
        author = f"canbo.{plan.agency.lower()}"
        return (
            0,
            self.ids[plan.key][0],
            plan.province,
            agency_id,
            day,
            submitted,
            period,
            percent,
            text,
            difficulty,
            proposal,
            author,
            completes,
            answer,
            answered_by,
            answered_at,
            True,
        )

    def after(self, row: tuple, report_id: int) -> None:
        """What a stored report changes: the task's columns, a file, an answer's step."""
        task_id, day, period, percent, completes = row[1], row[4], row[6], row[7], row[12]
        done = self.done[self.keys[task_id]]
        done.percent, done.last_reported_on, done.last_period = percent, day, period
        if completes:
            done.completion_report_id = report_id
            self.files.append(
                (
                    report_id,
                    task_id,
                    "san-pham.pdf",
                    "application/pdf",
                    len(EVIDENCE),
                    hashlib.sha256(EVIDENCE).hexdigest(),
                    EVIDENCE,
                    row[11],
                    row[5],
                )
            )
        if row[15] is not None:
            detail = json.dumps({"report_id": report_id})
            self.steps.append((task_id, row[15], LEADER, "answered", detail))

    def task_changes(self) -> list[dict]:
        """The workflow columns of every task, as the reports and the leaders' decisions left
        them; the decisions' steps join the timeline's."""
        out = []
        for plan in self.plans:
            task_id = self.ids[plan.key][0]
            done = self.done[plan.key]
            claimed = done.completion_report_id is not None
            change = {
                "_id": task_id,
                "planned_at": at(self.cal.starts[plan.start], 8),
                "percent": done.percent,
                "last_reported_on": done.last_reported_on,
                "last_period": done.last_period,
                "completed_on": plan.claimed if claimed else None,
                "completion_report_id": done.completion_report_id,
                "confirmed_by": LEADER if claimed and plan.confirmed else None,
                "confirmed_at": plan.confirmed if claimed else None,
                "extended_deadline": plan.extended,
            }
            if change["confirmed_at"] is not None:
                detail = json.dumps({"report_id": done.completion_report_id})
                self.steps.append((task_id, plan.confirmed, LEADER, "confirmed", detail))
            if plan.extended is not None:
                detail = json.dumps(
                    {
                        "from": plan.deadline.isoformat(),
                        "to": plan.extended.isoformat(),
                        "reason": "Nhiệm vụ phức tạp, cần thêm thời gian.",
                    }
                )
                self.steps.append((task_id, plan.extended_at, LEADER, "extended", detail))
            out.append(change)
        return out


REPORT_STEPS = """
INSERT INTO tasks_events (task_id, at, actor, kind, detail)
SELECT task_id, submitted_at, author,
    CASE WHEN completes THEN 'completion_claimed' ELSE 'reported' END,
    '{"report_id": ' || id || ', "period": "' || period || '", "percent": ' || percent || '}'
FROM tasks_reports
"""
PLANNED_AT = """
UPDATE tasks_events SET at = (SELECT t.planned_at FROM tasks_tasks t WHERE t.id = task_id)
WHERE kind = 'planned'
"""


def build(url: str, scale: float, months: int) -> dict:
    """The data into the fresh database at ``url``; how long each part took."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    engine = make_engine(url)
    cal = Months(months, today(), now())
    with engine.connect() as conn:
        provinces = current_provinces(conn, cal.today)
    per_province = max(1, round(TASKS * scale))
    programmes, sent, plans = records_of(rng, cal, provinces, per_province)
    push(engine, "programme", programmes)
    push(engine, "task", sent)
    gate_s = time.perf_counter() - started
    log(f"{len(programmes)} programmes, {len(sent)} tasks through the gate in {gate_s:.1f} s")
    ids = {}
    with engine.connect() as conn:
        query = select(
            tasks.c.id,
            tasks.c.agency_id,
            tasks.c.province_code,
            tasks.c.programme_code,
            tasks.c.code,
        )
        by_place = {r[2:]: (r.id, r.agency_id) for r in conn.execute(query)}
    for task, plan in zip(sent, plans, strict=True):
        ids[plan.key] = by_place[(plan.province, task["programme"], task["code"])]
    history = History(rng, cal, plans, ids)
    t0 = time.perf_counter()
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size=-1000000")
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        insert_rows(conn, reports, history.rows(), REPORT_COLUMNS, typed=True, chunk_size=50_000)
        changes = history.task_changes()
        insert_rows(conn, evidence, history.files, EVIDENCE_COLUMNS, typed=True)
        conn.commit()
    with engine.begin() as conn:
        values = {k: bindparam(k) for k in changes[0] if k != "_id"}
        conn.execute(update(tasks).where(tasks.c.id == bindparam("_id")).values(values), changes)
        conn.exec_driver_sql(REPORT_STEPS)
        conn.exec_driver_sql(PLANNED_AT)
        if conn.dialect.name == "postgresql":  # ids were given: the next report's follows them
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('tasks_reports', 'id'), "
                "(SELECT max(id) FROM tasks_reports))"
            )
    with engine.connect() as conn:
        insert_rows(conn, events, history.steps, EVENT_COLUMNS, typed=True)
    t1 = time.perf_counter()
    log(f"{history.count} reports and the tasks' work in {t1 - t0:.1f} s")
    analyze(engine)
    engine.dispose()
    return {
        "gate_s": round(gate_s, 1),
        "reports_s": round(t1 - t0, 1),
        "analyze_s": round(time.perf_counter() - t1, 1),
    }


# -- checks: the roll-ups against the statuses of the tasks read with plain SQL ------------------


def statuses(conn: Connection, day: date) -> dict[str, Counter]:
    """Each province's tasks by status, each task's status from ``status.status_of``."""
    out: dict[str, Counter] = {}
    for row in conn.execute(select(tasks)):
        out.setdefault(row.province_code, Counter())[status_of(state_of(row), day)] += 1
    return out


def unanswered(conn: Connection) -> Counter:
    """Each province's reports whose difficulties or proposals are not answered."""
    query = (
        select(reports.c.province_code, func.count())
        .where(
            reports.c.answered_at.is_(None),
            or_(reports.c.difficulties.is_not(None), reports.c.proposals.is_not(None)),
        )
        .group_by(reports.c.province_code)
    )
    return Counter(dict(conn.execute(query).all()))


def nonzero(counts) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def check(engine: Engine, codes: list[str], day: date) -> dict:
    """The summaries and the national lines equal what plain SQL and ``status_of`` give; the
    size of each province's summary (for the DOCX, the largest)."""
    with engine.connect() as conn:
        expected, open_ = statuses(conn, day), unanswered(conn)
        sizes = {}
        for code in codes:
            got = rollup.summary(conn, province_code=code, today=day)
            if nonzero(got.totals) != dict(expected.get(code, {})):
                raise SystemExit(f"{code}: the summary counts {got.totals}, SQL {expected[code]}")
            if len(got.difficulties) != open_[code]:
                raise SystemExit(f"{code}: {len(got.difficulties)} difficulties, SQL {open_[code]}")
            sizes[code] = len(got.overdue) + len(got.difficulties)
        for line in rollup.national(conn, day):
            if nonzero(line.counts) != dict(expected.get(line.key, {})):
                raise SystemExit(f"{line.key}: the national line counts {line.counts}")
        country = rollup.summary(conn, today=day)
        if nonzero(country.totals) != dict(sum(expected.values(), Counter())):
            raise SystemExit(f"the country's summary counts {country.totals}")
        if len(country.difficulties) != sum(open_.values()):
            raise SystemExit(
                f"the country's summary lists {len(country.difficulties)} difficulties"
            )
        if country.by_province != rollup.national(conn, day):
            raise SystemExit("the country's lines differ from the national roll-up's")
        page = rollup.summary(conn, today=day, difficulties_listed=SHOWN_ROWS)
        if (page.difficulties, page.difficulties_total) != (
            country.difficulties[:SHOWN_ROWS],
            len(country.difficulties),
        ):
            raise SystemExit("the page's difficulties are not the oldest of the country's")
    return {
        "result": "equal",
        "statuses": dict(sum(expected.values(), Counter())),
        "unanswered_difficulties": sum(open_.values()),
        "overdue_and_difficulties_per_province": {
            "min": min(sizes.values()),
            "max": max(sizes.values()),
        },
        "largest": max(sizes, key=sizes.__getitem__),
    }


# -- the baselines: the same rows, read with the driver's own cursor ----------------------------

TASK_ROWS = """
SELECT t.id, t.code, t.content, t.programme_code, t.leader, t.simulated, a.code, a.name,
    t.province_code, t.deadline, t.recurrence, t.extended_deadline, t.completed_on, t.confirmed_at, t.last_period
FROM tasks_tasks t JOIN units a ON a.id = t.agency_id
"""
UNANSWERED_ROWS = """
SELECT r.id, r.task_id, r.reported_on, r.difficulties, r.proposals, r.province_code, t.code,
    a.name
FROM tasks_reports r JOIN tasks_tasks t ON t.id = r.task_id JOIN units a ON a.id = t.agency_id
WHERE r.answered_at IS NULL AND (r.difficulties IS NOT NULL OR r.proposals IS NOT NULL)
"""
UNANSWERED_COUNT = """
SELECT count(*) FROM tasks_reports r
WHERE r.answered_at IS NULL AND (r.difficulties IS NOT NULL OR r.proposals IS NOT NULL)
"""
OLDEST_FIRST = " ORDER BY r.reported_on, r.id"


def province_reads(code: str) -> list[tuple[str, tuple]]:
    """The columns the summary of a province reads: its tasks, its unanswered difficulties."""
    return [
        (TASK_ROWS + " WHERE t.province_code = %s", (code,)),
        (UNANSWERED_ROWS + " AND r.province_code = %s" + OLDEST_FIRST, (code,)),
    ]


COUNTRY_READS = [(TASK_ROWS, ()), (UNANSWERED_ROWS + OLDEST_FIRST, ())]
# the national lines' read: the tasks counted by province and by what their status is computed from
STATE_COUNTS = """
SELECT province_code, deadline, recurrence, extended_deadline, completed_on,
    confirmed_at IS NOT NULL, last_period, count(*)
FROM tasks_tasks
GROUP BY province_code, deadline, recurrence, extended_deadline, completed_on,
    confirmed_at IS NOT NULL, last_period
"""
NATIONAL_READS = [(STATE_COUNTS, ())]
PAGE_READS = [
    (TASK_ROWS, ()),
    (UNANSWERED_ROWS + OLDEST_FIRST + f" LIMIT {SHOWN_ROWS}", ()),
    (UNANSWERED_COUNT, ()),
]


def fetch(engine: Engine, statements: list[tuple[str, tuple]]) -> int:
    """``statements`` run with the driver's cursor on a pooled connection, every row fetched;
    how many rows."""
    sqlite = engine.dialect.name == "sqlite"
    count = 0
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        for sql, params in statements:
            cur.execute(sql.replace("%s", "?") if sqlite else sql, params)
            count += len(cur.fetchall())
        cur.close()
    return count


def in_turn(codes: list[str], call: Callable[[str], object]) -> Callable[[], object]:
    """A call that takes the next of ``codes`` each time."""
    cycle = itertools.cycle(codes)
    return lambda: call(next(cycle))


def summary_of(engine: Engine, code: str | None, day: date):
    with engine.connect() as conn:
        return rollup.summary(conn, province_code=code, today=day)


def docx(summary) -> bytes:
    """The status report of a province as its people's committee issues it."""
    place = summary.title.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    return report_docx.docx_bytes(
        summary,
        issuer=f"UBND {summary.title.upper()}",
        place=place,
        signer=f"KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n{LEADERS[1].rsplit(' tỉnh ', 1)[1]}",
    )


def ratio(measured: dict, baseline: dict) -> float:
    return round(measured["p50_ms"] / baseline["p50_ms"], 1)


# -- the page, through a real server ------------------------------------------------------------


def pages(url: str, paths: list[str], runs: int, docx_runs: int, tmp: Path) -> dict:
    """Each of ``paths`` fetched as the national leader through ``ioc57 serve`` on ``url``'s
    database (a DOCX ``docx_runs`` times): its timings, or why it was skipped."""
    engine = make_engine(url)
    with engine.begin() as conn:
        token = create_token(conn, actor="bench", username=LEADER, name="bench")
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env |= {"IOC57_DATABASE_URL": url, "IOC57_SECRET_KEY": "bench-secret-key-57"}
    env |= {"IOC57_PULL_SCHEDULER": "0"}
    base, server = start_server(env, tmp / "serve.log")
    out: dict = {"as": "leader (national), bearer token, loopback"}
    try:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            for path in paths:
                first = client.get(path)
                if first.status_code != 200:
                    out[path] = {"skipped": f"answers {first.status_code}"}
                    continue

                def call(path=path):
                    answer = client.get(path)
                    answer.raise_for_status()
                    return len(answer.content)

                n = docx_runs if ".docx" in path else runs
                figures, size = timed(call, n, warm=1)
                out[path] = figures | {"bytes": size}
    finally:
        stop_server(server)
    return out


# -- the run ------------------------------------------------------------------------------------


def data_name(args) -> str:
    """The kept data's name: its version, size, day and the schema's migrations."""
    return kept_data_name("tasks", DATA, SEED, args.scale, args.months, today())


def sizes(engine: Engine, url: str) -> dict:
    with engine.connect() as conn:
        out = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (tasks, reports, events, evidence)
        }
        if conn.dialect.name == "sqlite":
            out["db_mb"] = round(Path(url.removeprefix("sqlite:///")).stat().st_size / 1e6)
        else:
            size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
            out["db_mb"] = round(size / 1e6)
    return out


def run(args, dbs: Databases, tmp: Path) -> dict:
    started = time.perf_counter()
    day = today()
    load: dict = {}

    def fill(url: str) -> None:
        load.update(build(url, args.scale, args.months))

    name = data_name(args)
    url = dbs.kept(name, args.cache, fill, args.rebuild)
    engine = make_engine(url)
    with engine.connect() as conn:
        codes = [code for code, _name in current_provinces(conn, day)]
    log("checking the roll-ups against plain SQL")
    checked = check(engine, codes, day)
    turn = [args.province] if args.province else codes
    log("timing a province's summary, the national roll-up, the country's summary, both")
    province_t, _ = timed(in_turn(turn, lambda c: summary_of(engine, c, day)), args.runs)
    province_raw, _ = timed(in_turn(turn, lambda c: fetch(engine, province_reads(c))), args.runs)

    def national():
        with engine.connect() as conn:
            return rollup.national(conn, day)

    national_t, lines = timed(national, args.runs)
    national_raw, _ = timed(lambda: fetch(engine, NATIONAL_READS), args.runs)
    country_t, country = timed(lambda: summary_of(engine, None, day), args.runs)
    country_raw, _ = timed(lambda: fetch(engine, COUNTRY_READS), args.runs)

    def national_page():  # what ``GET /tasks`` reads for a person who sees every province
        with engine.connect() as conn:
            return rollup.summary(conn, today=day, difficulties_listed=SHOWN_ROWS)

    page_t, _ = timed(national_page, args.runs)
    page_raw, _ = timed(lambda: fetch(engine, PAGE_READS), args.runs)

    log("timing the DOCX")
    largest = args.province or checked["largest"]
    summary = summary_of(engine, largest, day)
    render_t, document = timed(lambda: docx(summary), args.docx_runs, warm=1)
    full_t, _ = timed(lambda: docx(summary_of(engine, largest, day)), args.docx_runs, warm=1)
    counted = sizes(engine, url)
    engine.dispose()
    http = {"skipped": "--no-http"}
    if not args.no_http:
        log("timing the pages through ioc57 serve")
        paths = ["/tasks", f"/tasks?province={largest}", f"/tasks/report.docx?province={largest}"]
        http = pages(url, paths, args.runs, args.docx_runs, tmp)
    return {
        "bench": "tasks: the leader's page figures, the national roll-up, the DOCX (bench/tasks.py)",
        "backend": dbs.backend,
        "cpus": os.cpu_count(),
        "scale": args.scale,
        "provinces": len(codes),
        "months": args.months,
        "today": day.isoformat(),
        "rows": counted,
        "data": {"name": name, "built_in_this_run": dbs.built} | load,
        "check": checked,
        "province_summary": province_t
        | {
            "provinces": "the 34 in turn" if not args.province else args.province,
            "tasks_per_province": round(counted["tasks_tasks"] / len(codes)),
        },
        "province_baseline": province_raw
        | {
            "what": "the SELECTs of the province's tasks (the columns the summary reads, with "
            "their agency) and of its unanswered difficulties, by the driver's cursor",
        },
        "ratio_province_summary_to_baseline": ratio(province_t, province_raw),
        "national": national_t | {"lines": len(lines)},
        "national_baseline": national_raw
        | {
            "what": "the SELECT that counts the tasks by province and state (what a status is computed from)"
        },
        "ratio_national_to_baseline": ratio(national_t, national_raw),
        "country_summary": country_t
        | {"overdue": len(country.overdue), "difficulties": len(country.difficulties)},
        "country_baseline": country_raw
        | {"what": "the province baseline's two SELECTs over the whole country"},
        "ratio_country_summary_to_baseline": ratio(country_t, country_raw),
        "national_page_reads": page_t
        | {
            "what": "the country's rollup.summary, its lines per province and the oldest "
            f"{SHOWN_ROWS} difficulties not answered (all counted)",
        },
        "national_page_baseline": page_raw
        | {"what": f"the SELECTs of every task, the oldest {SHOWN_ROWS} difficulties, their count"},
        "ratio_national_page_to_baseline": ratio(page_t, page_raw),
        "docx": {
            "province": largest,
            "overdue": len(summary.overdue),
            "difficulties": len(summary.difficulties),
            "bytes": len(document),
            "render": render_t,
            "summary_and_render": full_t,
        },
        "http": http,
        "goals": {
            "province_summary_p95_le_100ms": goal(province_t["p95_ms"], 100),
            "national_p95_le_300ms": goal(national_t["p95_ms"], 300),
            "national_page_reads_p95_le_300ms": goal(page_t["p95_ms"], 300),
            "docx_p95_le_2000ms": goal(full_t["p95_ms"], 2000),
        },
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    from ioc57 import modules

    modules.load()  # the record types, as ``ioc57 serve`` loads them
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the 300 tasks a province")
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--docx-runs", type=int, default=5)
    parser.add_argument("--province", default=None, help="time this one, not the 34 in turn")
    add_kept_data_options(parser, "tasks")
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args()
    if not 0 < args.scale <= 10 or not 1 <= args.months <= 240:
        parser.error("--scale is in (0, 10], --months in [1, 240]")
    backend = backend_of(args)

    tmp = Path(tempfile.mkdtemp(prefix="ioc57-bench-tasks-"))
    dbs = Databases(backend, tmp, args.database_url, SOURCE, ["programme", "task"], prepare)
    try:
        print(json.dumps(run(args, dbs, tmp), ensure_ascii=False), flush=True)
    finally:
        dbs.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
