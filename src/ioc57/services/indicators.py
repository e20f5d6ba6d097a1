"""The scorecard indicators this module computes from the gate's dossier rollups.

They answer live: a dossier that comes through the gate changes them in the same transaction that
stores it, and the scorecard reads them through the indicator provider registry like reported ones.
"""

from __future__ import annotations

from sqlalchemy import case, extract, func, select
from sqlalchemy.engine import Connection

from ioc57.core.providers import Provider, yearly_ratio_row
from ioc57.ingest.tables import records, rollups, sources
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
            .where(rollups.c.metric == metric, rollups.c.unit_id.in_(unit_ids))
            .where(year.between(*years))
            .group_by(rollups.c.unit_id, year)
        )
        return [
            yearly_ratio_row(r.unit_id, int(r.year), r.num, r.den)
            for r in conn.execute(query)
            if r.den
        ]

    return compute


def simulated_dossiers(conn: Connection, unit_ids: list[int]) -> bool:
    """Whether a simulated source sent dossiers to these units' provinces (dữ liệu mô phỏng)."""
    codes = select(units.c.province_code).where(units.c.id.in_(unit_ids)).scalar_subquery()
    query = (
        select(records.c.id)
        .join(sources, sources.c.id == records.c.source_id)
        .where(sources.c.simulated.is_(True), records.c.type == "dossier")
        .where(records.c.province_code.in_(codes))
        .limit(1)
    )
    return conn.execute(query).first() is not None


PROVIDERS = (
    Provider(ONLINE_SHARE, _ratio("dossier.received", "channel=online"), simulated_dossiers),
    Provider(ON_TIME_SHARE, _ratio("dossier.finished", "on_time=yes"), simulated_dossiers),
)
