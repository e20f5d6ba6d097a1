"""The scorecard indicators this module computes from the citizen reports: how many were received
(``hotline_1022_reports_live``), the share answered within their category's deadline
(``feedback_on_time_rate``) and the share of rated answers the citizen was satisfied with
(``feedback_satisfaction_rate``).

They answer live: a report or a step on it changes the gate's rollups in the same transaction,
and the scorecard reads them through the indicator provider registry like reported ones, per unit
(a commune, or a province with every commune under it) and year, from ``stats`` (the figures the
IOC panel shows). The catalogue's ``hotline_1022_reports`` stays a reported indicator: the figures
a province publishes (the 3,345 reports Tiền Giang took in 2024) predate the module and keep their
source; the computed one counts what came through ioc57.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import extract, select
from sqlalchemy.engine import Connection

from ioc57.core.providers import Provider, yearly_ratio_row
from ioc57.feedback import stats
from ioc57.ingest.provenance import simulated_records
from ioc57.ingest.tables import rollups
from ioc57.units.queries import of_units

BASIS = (
    "Nghị quyết 57-NQ/TW; Nghị định 20/2008/NĐ-CP về tiếp nhận, xử lý phản ánh, kiến nghị của cá "
    "nhân, tổ chức về quy định hành chính; Quyết định 766/QĐ-TTg ngày 23/6/2022 (nhóm chỉ số "
    "mức độ hài lòng)"
)

SHARE = {
    "group": "digital_government",
    "unit_of_measure": "%",
    "kind": "ratio",
    "aggregation": "ratio",
    "factor": 100,
    "period_type": "month",
    "direction": "positive",
    "legal_basis": BASIS,
    "source": "computed",
    "targets": [],
}

RECEIVED = dict(
    code="hotline_1022_reports_live",
    group="digital_government",
    name="Số phản ánh, kiến nghị tiếp nhận qua Tổng đài 1022 (tính trực tiếp)",
    name_en="Citizen reports received through hotline 1022 (computed live)",
    description=(
        "Số phản ánh, kiến nghị của người dân, doanh nghiệp tiếp nhận trong kỳ qua mọi kênh của "
        "Tổng đài 1022 (điện thoại, cổng thông tin, ứng dụng, Zalo, thư điện tử, Open311 và hệ "
        "thống khác gửi qua cổng dữ liệu), theo ngày tiếp nhận; phản ánh trùng được gộp vẫn được "
        "tính. ioc57 tự tính, không nhập tay. Chỉ tiêu lưu lượng: nên đọc cùng tỷ lệ trả lời đúng "
        "hạn."
    ),
    description_en=(
        "Reports from citizens and businesses received in the period through every channel of "
        "hotline 1022 (phone, web, app, Zalo, email, Open311 and other systems through the "
        "gate), by day received; duplicates merged into another report count too. Computed by "
        "ioc57, never entered by hand. A flow: read it with the on-time answer rate."
    ),
    unit_of_measure="count",
    kind="count",
    aggregation="sum",
    period_type="month",
    direction="positive",
    legal_basis=BASIS,
    source="computed",
    targets=[],
)

ON_TIME = dict(
    code="feedback_on_time_rate",
    name="Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn (tính trực tiếp)",
    name_en="Share of citizen reports answered on time (computed live)",
    description=(
        "Tử số: số phản ánh, kiến nghị được trả lời trong kỳ trong thời hạn của lĩnh vực (tính "
        "theo ngày làm việc từ ngày tiếp nhận); mẫu số: số phản ánh, kiến nghị được trả lời "
        "trong kỳ, theo ngày trả lời. ioc57 tự tính từ các phản ánh qua Tổng đài 1022."
    ),
    description_en=(
        "Numerator: reports answered in the period within their category's deadline (working "
        "days from receipt); denominator: reports answered in the period, by day answered. "
        "Computed by ioc57 from the reports through hotline 1022."
    ),
    **SHARE,
)

SATISFACTION = dict(
    code="feedback_satisfaction_rate",
    name="Tỷ lệ người phản ánh hài lòng với kết quả trả lời (tính trực tiếp)",
    name_en="Share of citizens satisfied with the answer to their report (computed live)",
    description=(
        "Tử số: số phản ánh, kiến nghị tiếp nhận trong kỳ mà người phản ánh đánh giá hài lòng "
        "với câu trả lời; mẫu số: số phản ánh tiếp nhận trong kỳ đã được người phản ánh đánh "
        "giá (hài lòng hoặc không hài lòng), theo ngày tiếp nhận. Phản ánh chưa được đánh giá "
        "không tính."
    ),
    description_en=(
        "Numerator: reports received in the period whose citizen rated the answer satisfying; "
        "denominator: reports received in the period that their citizen rated (satisfied or "
        "not), by day received. Reports not rated do not count."
    ),
    **SHARE,
)


def yearly(
    conn: Connection, unit_ids: list[int], years: tuple[int, int]
) -> dict[tuple[int, int], stats.Totals]:
    """Each unit's figures (its subtree's) for each year with reports, within ``years``."""
    year = extract("year", rollups.c.day)
    present = (
        select(year)
        .distinct()
        .where(rollups.c.metric.in_(stats.METRICS), of_units(conn, rollups, unit_ids))
        .where(year.between(*years))
    )
    out = {}
    for (y,) in conn.execute(present):
        y = int(y)
        for unit_id, totals in stats.by_unit(
            conn, unit_ids, date(y, 1, 1), date(y, 12, 31)
        ).items():
            out[(unit_id, y)] = totals
    return out


def received(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
    """Per unit and year: the reports received (a flow: the year's sum)."""
    out = []
    for (unit_id, y), t in yearly(conn, unit_ids, years).items():
        if t.received:
            out.append(yearly_ratio_row(unit_id, y, 0, 0) | {"sum_value": float(t.received)})
    return out


def on_time(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
    """Per unit and year: the answers given within the deadline, of the answers given."""
    return [
        yearly_ratio_row(unit_id, y, t.answered_on_time, t.answered)
        for (unit_id, y), t in yearly(conn, unit_ids, years).items()
        if t.answered
    ]


def satisfaction(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
    """Per unit and year: the reports rated satisfied, of those rated."""
    return [
        yearly_ratio_row(unit_id, y, t.satisfied, t.satisfied + t.unsatisfied)
        for (unit_id, y), t in yearly(conn, unit_ids, years).items()
        if t.satisfied + t.unsatisfied
    ]


def simulated_reports(conn: Connection, unit_ids: list[int]) -> bool:
    """Whether a simulated source sent reports to these units' provinces (dữ liệu mô phỏng)."""
    return simulated_records(conn, "feedback", unit_ids)


PROVIDERS = (
    Provider(RECEIVED, received, simulated_reports),
    Provider(ON_TIME, on_time, simulated_reports),
    Provider(SATISFACTION, satisfaction, simulated_reports),
)
