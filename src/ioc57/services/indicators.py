"""The scorecard indicators this module computes from the gate's dossier rollups.

They answer live: a dossier that comes through the gate changes them in the same transaction that
stores it, and the scorecard reads them through the indicator provider registry like reported ones.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import case, extract, func, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.periods import parse_period
from ioc57.core.providers import Provider, yearly_ratio_row
from ioc57.ingest.tables import rollups
from ioc57.services.counts import gather
from ioc57.services.index import scopes_of
from ioc57.services.provenance import simulated_dossiers
from ioc57.services.scoring import Counts, index
from ioc57.units.queries import of_units
from ioc57.units.tables import units

BASIS = (
    "Nghị quyết 57-NQ/TW; Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ (Bộ chỉ số "
    "chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp)"
)

# what both live shares are: a monthly percentage of dossiers, computed, never reported
LIVE_SHARE = {
    "unit_of_measure": "%",
    "kind": "ratio",
    "aggregation": "ratio",
    "factor": 100,
    "period_type": "month",
    "direction": "positive",
    "legal_basis": BASIS,
    "source": "computed",
}

ONLINE_SHARE = dict(
    code="dossiers_online_share_live",
    group="digital_government",
    name="Tỷ lệ hồ sơ tiếp nhận trực tuyến (tính trực tiếp từ hồ sơ qua nền tảng tích hợp)",
    name_en="Share of dossiers received online (computed live from the dossiers through the gate)",
    description=(
        "Tử số: số hồ sơ thủ tục hành chính tiếp nhận qua kênh trực tuyến trong kỳ; mẫu số: tổng số "
        "hồ sơ tiếp nhận (trực tuyến, trực tiếp, bưu chính) trong kỳ, theo ngày tiếp nhận. ioc57 tự "
        "tính từ hồ sơ mà các hệ thống gửi qua cổng dữ liệu, không nhập tay."
    ),
    description_en=(
        "Numerator: administrative dossiers received online in the period; denominator: all "
        "dossiers received (online, in person, by post), by day received. Computed by ioc57 from the "
        "dossiers the provincial systems send through the gate; never entered by hand."
    ),
    **LIVE_SHARE,
    targets=[{"year": 2030, "value": 80.0, "basis": "Nghị quyết 57-NQ/TW: trên 80% trực tuyến"}],
)

ON_TIME_SHARE = dict(
    code="dossiers_on_time_share_live",
    group="digital_government",
    name="Tỷ lệ hồ sơ giải quyết đúng hạn (tính trực tiếp từ hồ sơ qua nền tảng tích hợp)",
    name_en="Share of dossiers settled on time (computed live from the dossiers through the gate)",
    description=(
        "Tử số: số hồ sơ đã giải quyết xong đúng hạn (tính theo ngày làm việc, cộng thời gian tạm "
        "dừng, yêu cầu bổ sung không quá một lần); mẫu số: tổng số hồ sơ đã giải quyết xong trong "
        "kỳ, theo ngày hoàn thành. ioc57 tự tính từ hồ sơ qua cổng dữ liệu."
    ),
    description_en=(
        "Numerator: dossiers settled on time (working days, plus the days suspended, at most one "
        "request for more papers); denominator: all dossiers settled in the period, by day "
        "finished. Computed by ioc57 from the dossiers through the gate."
    ),
    **LIVE_SHARE,
    targets=[],
)


def _ratio(metric: str, dims: str):
    """Yearly Σ(count with these dims) / Σ(count) of a dossier metric, per unit."""

    def compute(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
        year = extract("year", rollups.c.day)
        query = (
            select(
                rollups.c.unit_id,
                year.label("year"),
                func.sum(case((rollups.c.dims == dims, rollups.c.count), else_=0)).label("num"),
                func.sum(rollups.c.count).label("den"),
            )
            .where(rollups.c.metric == metric, of_units(conn, rollups, unit_ids))
            .where(year.between(*years))
            .group_by(rollups.c.unit_id, year)
        )
        return [
            yearly_ratio_row(r.unit_id, int(r.year), r.num, r.den)
            for r in conn.execute(query)
            if r.den
        ]

    return compute


END_TO_END_SHARE = dict(
    code="procedures_end_to_end_share_live",
    group="digital_government",
    name="Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình (tính trực tiếp)",
    name_en="Share of procedures offered online end to end (computed live)",
    description=(
        "Tử số: số thủ tục hành chính đang có hiệu lực được cung cấp trực tuyến toàn trình; mẫu "
        "số: số thủ tục hành chính đang có hiệu lực, tính đến cuối kỳ, từ danh mục thủ tục mà hệ "
        "thống của tỉnh gửi qua cổng dữ liệu."
    ),
    description_en=(
        "Numerator: procedures in force offered online end to end; denominator: procedures in "
        "force at the end of the period, from the catalogue the province's systems send through "
        "the gate."
    ),
    **(LIVE_SHARE | {"period_type": "year"}),
    targets=[],
)

ONLINE_PAYMENT_SHARE = dict(
    code="dossiers_paid_online_share_live",
    group="digital_government",
    name="Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến (tính trực tiếp)",
    name_en="Share of fee-bearing dossiers paid online (computed live)",
    description=(
        "Tử số: số hồ sơ của thủ tục có phí, lệ phí được thanh toán trực tuyến; mẫu số: số hồ sơ "
        "của thủ tục có phí, lệ phí tiếp nhận trong kỳ (chỉ tiêu 4.3 của Quyết định 766)."
    ),
    description_en=(
        "Numerator: dossiers of fee-bearing procedures paid online; denominator: dossiers of "
        "fee-bearing procedures received in the period (indicator 4.3 of Decision 766)."
    ),
    **(LIVE_SHARE | {"period_type": "year"}),
    targets=[],
)

INDEX_TOTAL = dict(
    code="index766_total_live",
    group="digital_government",
    name="Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766), tính trực tiếp",
    name_en="Decision 766 service index score (computed live)",
    description=(
        "Tổng điểm (thang 100) của sáu nhóm chỉ số theo Quyết định 766/QĐ-TTg, tính từ hồ sơ và "
        "thủ tục qua cổng dữ liệu; các điểm không đánh giá được không được tính là 0."
    ),
    description_en=(
        "The total (out of 100) of the six groups of Decision 766/QĐ-TTg, computed from the "
        "dossiers and procedures through the gate; points that cannot be assessed are not "
        "counted as 0."
    ),
    unit_of_measure="điểm",
    kind="value",
    aggregation="none",
    period_type="year",
    direction="positive",
    legal_basis=BASIS,
    source="computed",
    targets=[],
)


def _from_index(value: Callable[[Counts], tuple[float, float] | None]):
    """Yearly rows of a figure of the index's counts, for each unit and year with dossiers."""

    def compute(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
        year = extract("year", rollups.c.day)
        present = (
            select(year)
            .distinct()
            .where(rollups.c.metric == "dossier.received", of_units(conn, rollups, unit_ids))
        )
        rows = list(conn.execute(select(units).where(units.c.id.in_(unit_ids))))
        scopes = scopes_of(conn, rows, today())
        out = []
        for (y,) in conn.execute(present.where(year.between(*years))):
            period = parse_period(str(int(y)))
            for unit_id, counts in gather(conn, scopes, period, today()).items():
                if not (counts.received or counts.finished):
                    continue  # no dossier of the unit that year: no figure of it
                figure = value(counts)
                if figure is not None:
                    out.append(yearly_ratio_row(unit_id, int(y), *figure))
        return out

    return compute


def _total(counts: Counts) -> tuple[float, float] | None:
    total = index(counts)["total"]
    return None if total is None else (total, 1.0)


def _total_row(compute):
    """The 766 total as an own value of the unit (``aggregation: none``): its score, n = 1."""

    def rows(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
        return [
            r | {"sum_value": r["sum_num"], "sum_num": 0.0, "sum_den": 0.0}
            for r in compute(conn, unit_ids, years)
        ]

    return rows


def _share(numerator: str, denominator: str):
    def figure(counts: Counts) -> tuple[float, float] | None:
        den = getattr(counts, denominator)
        return (getattr(counts, numerator), den) if den else None

    return figure


PROVIDERS = (
    Provider(ONLINE_SHARE, _ratio("dossier.received", "channel=online"), simulated_dossiers),
    Provider(ON_TIME_SHARE, _ratio("dossier.finished", "on_time=yes"), simulated_dossiers),
    Provider(END_TO_END_SHARE, _from_index(_share("end_to_end", "procedures")), simulated_dossiers),
    Provider(
        ONLINE_PAYMENT_SHARE,
        _from_index(_share("fee_dossiers_paid_online", "fee_dossiers")),
        simulated_dossiers,
    ),
    Provider(INDEX_TOTAL, _total_row(_from_index(_total)), simulated_dossiers),
)
