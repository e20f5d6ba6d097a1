"""The scorecard indicators this module computes from the tasks: the share of tasks followed on
the system (a report in the month) and the share of tasks due that were done on time.

They are a province's (a task's ``province_code``, on the current province's unit) and answer
live: a report or a leader's confirmation changes them at once. A task counts as done the way its
status does: completed on the day the lead agency claimed it with evidence, once a leader
confirmed it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import extract, func, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ, stored_utc, today
from ioc57.core.periods import period_containing
from ioc57.core.providers import Provider, yearly_ratio_row
from ioc57.tasks.rollup import STATE
from ioc57.tasks.status import TaskState, deadline_in_force, effective_deadline, status_of
from ioc57.tasks.tables import reports, tasks
from ioc57.units.tables import units

BASIS = (
    "Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; Nghị quyết 03/NQ-CP ngày 09/01/2025 "
    "của Chính phủ, Phụ lục I (sửa đổi, bổ sung bởi Nghị quyết 71/NQ-CP ngày 01/04/2025)"
)

SHARE = {
    "group": "digital_government",
    "unit_of_measure": "%",
    "kind": "ratio",
    "aggregation": "ratio",
    "factor": 100,
    "direction": "positive",
    "source": "computed",
}

TRACKED = dict(
    code="tasks_tracked_electronically_rate",
    name="Tỷ lệ nhiệm vụ được giao được theo dõi, giám sát trên môi trường điện tử",
    name_en="Share of assigned tasks tracked electronically",
    description=(
        "Tử số: số nhiệm vụ do cấp có thẩm quyền giao (Chính phủ, Thủ tướng, UBND tỉnh) được cập "
        "nhật, theo dõi tiến độ trên hệ thống điện tử trong kỳ; mẫu số: tổng số nhiệm vụ được giao "
        "còn hiệu lực trong kỳ. ioc57 tự tính theo tháng từ các nhiệm vụ của chương trình hành "
        "động: nhiệm vụ còn hiệu lực trong tháng là nhiệm vụ đã được giao trên hệ thống đến cuối "
        "tháng và chưa hoàn thành (đã được xác nhận) trước đầu tháng; được theo dõi khi cơ quan "
        "chủ trì có báo cáo tiến độ trong tháng. Giá trị của năm là của tháng gần nhất đã kết "
        "thúc. Định nghĩa chính xác chưa thống nhất: chưa rõ có tính nhiệm vụ mật hay nhiệm vụ "
        "giao bằng lời."
    ),
    description_en=(
        "Numerator: tasks assigned by a competent authority (Government, Prime Minister, "
        "provincial People's Committee) whose progress was recorded and followed on an electronic "
        "system in the period; denominator: all assigned tasks open in the period. Computed by "
        "ioc57 month by month from the action programmes' tasks: a task is open in a month when it "
        "was assigned on the system by the month's end and not completed (and confirmed) before "
        "its start; it is followed when its lead agency reported progress in the month. A year's "
        "value is its latest month ended. The exact definition is not settled: whether classified "
        "or orally assigned tasks count is not stated."
    ),
    **SHARE,
    period_type="month",
    stock=True,
    legal_basis=BASIS,
    targets=[
        {
            "year": 2030,
            "value": 100.0,
            "basis": (
                "Giá trị theo danh mục chỉ tiêu quốc gia nêu trong issue #4 (Nghị quyết 57-NQ/TW "
                "và Phụ lục I Nghị quyết 03/NQ-CP, sửa đổi bởi Nghị quyết 71/NQ-CP); chưa đối "
                "chiếu được nguyên văn: năm mục tiêu (2025 hay 2030) và cách tính cần kiểm tra lại "
                "với văn bản gốc."
            ),
        }
    ],
)

ON_TIME = dict(
    code="tasks_on_time_rate",
    name="Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn",
    name_en="Share of assigned tasks completed on time",
    description=(
        "Tử số: số nhiệm vụ có thời hạn trong kỳ đã hoàn thành đúng hạn (cơ quan chủ trì báo cáo "
        "hoàn thành kèm sản phẩm, minh chứng vào hoặc trước hạn đang có hiệu lực, đã được lãnh đạo "
        "xác nhận; hạn rơi vào ngày nghỉ thì tính đến ngày làm việc tiếp theo); mẫu số: số nhiệm "
        "vụ có thời hạn trong kỳ đã có kết quả — đã hoàn thành hoặc đã quá hạn. Hạn đã được gia "
        "hạn thì tính theo hạn mới; nhiệm vụ thường xuyên, định kỳ không tính. ioc57 tự tính từ "
        "các nhiệm vụ của chương trình hành động, không nhập tay."
    ),
    description_en=(
        "Numerator: tasks due in the period completed on time (the lead agency reported the "
        "completion with its output and evidence on or before the deadline in force, and a leader "
        "confirmed it; a deadline on a day off ends on the next working day); denominator: tasks "
        "due in the period whose outcome is known — completed, or past their deadline. An "
        "extended deadline counts as the new one; ongoing and recurring tasks are not counted. "
        "Computed by ioc57 from the action programmes' tasks; never entered by hand."
    ),
    **SHARE,
    period_type="year",
    stock=False,
    legal_basis=BASIS,
    targets=[],
)


def _provinces(conn: Connection, unit_ids: list[int]) -> dict[str, int]:
    """The province code of each current province among ``unit_ids``, to its unit id: a task is
    its province's (a legacy province of the same code holds none)."""
    query = select(units.c.code, units.c.id).where(
        units.c.id.in_(unit_ids), units.c.level == "province", units.c.valid_to.is_(None)
    )
    return {r.code: r.id for r in conn.execute(query)}


def _month(day: date) -> int:
    """A month as a count of months (consecutive months differ by 1)."""
    return day.year * 12 + day.month - 1


def _months(column):
    """The month of a date column, counted as ``_month`` counts it, in SQL; and its year and
    month alone (for a GROUP BY: the count has parameters)."""
    year, month = extract("year", column), extract("month", column)
    return year * 12 + month - 1, year, month


def _planned_month(planned_at: datetime) -> int:
    """The month a task was planned in, in Việt Nam (the tasks of one batch share the time)."""
    return _month(stored_utc(planned_at).astimezone(LOCAL_TZ).date())


def tracked(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
    """Per province and year: the task-months followed on the system of the task-months open,
    over the months up to today, and the latest month ended as the year's value (a level).

    A task is open from the month it was planned to the month of a confirmed completion."""
    provinces = _provinces(conn, unit_ids)
    if not provinces:
        return []
    _, done_year, done_month = _months(tasks.c.completed_on)
    confirmed = tasks.c.confirmed_at.is_not(None)
    keys = (tasks.c.province_code, tasks.c.planned_at, done_year, done_month, confirmed)
    query = select(*keys, func.count()).where(tasks.c.province_code.in_(provinces)).group_by(*keys)
    # how many tasks open, and close, each month
    changes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for code, planned_at, dy, dm, done, count in conn.execute(query):
        opened = _planned_month(planned_at)
        closed = int(dy) * 12 + int(dm) if done and dy is not None else None
        if closed is not None and closed <= opened:
            continue  # completed before it was planned: never open
        changes[code][opened] += count
        if closed is not None:
            changes[code][closed] -= count
    followed = _followed(conn, list(provinces), years)
    now = _month(today())
    out = []
    for code, change in changes.items():
        months = _open_months(change, years[0] * 12, min(years[1] * 12 + 11, now))
        out.extend(_years(provinces[code], months, followed[code], now))
    return out


def _followed(
    conn: Connection, codes: list[str], years: tuple[int, int]
) -> dict[str, dict[int, int]]:
    """Per province and month: the tasks with a report in the month while open (planned by the
    month, not completed before it)."""
    month, year, month_alone = _months(reports.c.reported_on)
    not_done = or_(
        tasks.c.confirmed_at.is_(None),
        tasks.c.completed_on.is_(None),
        _months(tasks.c.completed_on)[0] >= month,
    )
    keys = (tasks.c.province_code, year, month_alone, tasks.c.planned_at)
    query = (
        select(*keys, func.count(reports.c.task_id.distinct()))
        .join(tasks, tasks.c.id == reports.c.task_id)
        .where(tasks.c.province_code.in_(codes), not_done)
        .where(reports.c.reported_on.between(date(years[0], 1, 1), date(years[1], 12, 31)))
        .group_by(*keys)
    )
    # a task has one planning time: its reports of a month are counted in one row
    out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for code, y, m, planned_at, count in conn.execute(query):
        month_of = int(y) * 12 + int(m) - 1
        if _planned_month(planned_at) <= month_of:
            out[code][month_of] += count
    return out


def _open_months(change: dict[int, int], first: int, last: int) -> dict[int, int]:
    """The tasks open in each month from ``first`` to ``last`` (months with none left out)."""
    count = sum(n for m, n in change.items() if m < first)
    out = {}
    for m in range(first, last + 1):
        count += change.get(m, 0)
        if count:
            out[m] = count
    return out


def _years(
    unit_id: int, months: dict[int, int], followed: dict[int, int], now: int
) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for m, count in months.items():
        row = rows.setdefault(m // 12, yearly_ratio_row(unit_id, m // 12, 0, 0))
        row["sum_num"] += followed.get(m, 0)
        row["sum_den"] += count
        # the year's level: its latest month ended (this month only while none of the year is)
        if m < now or row["latest_end"] is None:
            row["latest_end"] = period_containing(date(m // 12, m % 12 + 1, 1), "month").end
            row["latest_num"], row["latest_den"] = float(followed.get(m, 0)), float(count)
    return list(rows.values())


def on_time(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
    """Per province and year: the tasks due that year (their deadline in force, moved off a day
    off) completed on time, of those due whose outcome is known (done, or overdue) by today."""
    provinces = _provinces(conn, unit_ids)
    if not provinces:
        return []
    due = func.coalesce(tasks.c.extended_deadline, tasks.c.deadline)
    query = select(tasks.c.province_code, *STATE).where(
        tasks.c.province_code.in_(provinces),
        tasks.c.deadline.is_not(None),
        # a deadline late in December may end on the next year's first working day
        due.between(date(years[0] - 1, 12, 1), date(years[1], 12, 31)),
    )
    day = today()
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in conn.execute(query):
        state = TaskState(*row[1:])  # the values of STATE
        deadline = deadline_in_force(state)
        assert deadline is not None  # a task with a deadline
        year = effective_deadline(deadline).year
        status = status_of(state, day)
        if years[0] <= year <= years[1] and status != "within_deadline":
            counts[(row.province_code, year)][1] += 1
            counts[(row.province_code, year)][0] += status == "completed_on_time"
    return [
        yearly_ratio_row(provinces[code], year, num, den)
        for (code, year), (num, den) in sorted(counts.items())
    ]


def simulated(conn: Connection, unit_ids: list[int]) -> bool:
    """Whether a task of these units' provinces is simulated (dữ liệu mô phỏng)."""
    provinces = _provinces(conn, unit_ids)
    query = select(tasks.c.id).where(
        tasks.c.province_code.in_(list(provinces)), tasks.c.simulated.is_(True)
    )
    return bool(provinces) and conn.execute(query.limit(1)).first() is not None


PROVIDERS = (Provider(TRACKED, tracked, simulated), Provider(ON_TIME, on_time, simulated))
