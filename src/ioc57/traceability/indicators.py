"""The scorecard indicator this module computes: the products (GTINs) with a traceability record,
a count that grows as the province's producers record their lots (``views.traced_counts``).

A product counts for a year when, by the year's end, an event named one of its lots; a province's
products are those of its ``province_code`` (on the current province's unit), any other unit's
those registered to it. It answers live: a lot's first event changes it at once.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.providers import Provider, yearly_ratio_row
from ioc57.traceability.tables import products
from ioc57.traceability.views import traced_counts
from ioc57.units.tables import units

TRACED = dict(
    code="products_with_traceability",
    group="digital_economy",
    name="Số sản phẩm được xây dựng hệ thống quản lý truy xuất nguồn gốc",
    name_en="Products with a traceability system",
    description=(
        "Số sản phẩm (mã GTIN) của địa phương có ít nhất một lô hàng được ghi nhận sự kiện truy "
        "xuất nguồn gốc (sự kiện EPCIS 2.0 theo GS1, TCVN 12850:2019) trên hệ thống, lũy kế đến "
        "cuối kỳ; sự kiện đã được khai báo là sai không tính. ioc57 tự tính từ dữ liệu truy xuất "
        'nguồn gốc gửi qua cổng tiếp nhận, không nhập tay. Bối cảnh: Tiền Giang cho biết "có 20 '
        'sản phẩm được xây dựng hệ thống quản lý truy xuất nguồn gốc" '
        "(../shared/seeds/000_4708605e53e133ba.txt). Định nghĩa chính xác chưa thống nhất: bài "
        "báo không nói một sản phẩm được tính khi nào (có hệ thống hay có lô hàng được truy xuất); "
        "ioc57 tính sản phẩm có lô hàng đã được ghi nhận."
    ),
    description_en=(
        "Products (GTINs) of the unit with at least one lot for which a traceability event (a GS1 "
        "EPCIS 2.0 event, TCVN 12850:2019) was recorded on the system, cumulative to the end of "
        "the period; events declared erroneous do not count. Computed by ioc57 from the "
        "traceability data sent through the gate, never entered by hand. Context: Tiền Giang "
        'reported that "20 products have a traceability management system" '
        "(../shared/seeds/000_4708605e53e133ba.txt). The exact definition is not settled: the "
        "article does not say when a product counts (a system built, or lots actually traced); "
        "ioc57 counts products with a recorded lot."
    ),
    unit_of_measure="sản phẩm",
    kind="count",
    aggregation="sum",
    period_type="year",
    direction="positive",
    stock=True,
    legal_basis=(
        "TCVN 12850:2019 Truy xuất nguồn gốc — Yêu cầu chung đối với hệ thống truy xuất nguồn "
        "gốc; Quyết định 100/QĐ-TTg ngày 19/01/2019 phê duyệt Đề án triển khai, áp dụng và quản "
        "lý hệ thống truy xuất nguồn gốc"
    ),
    source="computed",
    targets=[],
)


def traced_products(conn: Connection, unit_ids: list[int], years: tuple[int, int]) -> list[dict]:
    """Per unit and year up to this one: the products traced by the year's end (a level: its
    value is the year's ``latest_value``), for the years from the first one traced."""
    out = []
    this_year = today().year
    for unit_id, firsts in traced_counts(conn, unit_ids).items():
        first_year = min(d.year for d in firsts.values())
        for year in range(max(years[0], first_year), min(years[1], this_year) + 1):
            count = sum(1 for d in firsts.values() if d <= date(year, 12, 31))
            row = yearly_ratio_row(unit_id, year, 0, 0)
            end = min(date(year, 12, 31), today())
            row |= {"sum_value": float(count), "latest_value": float(count), "latest_end": end}
            out.append(row)
    return out


def simulated(conn: Connection, unit_ids: list[int]) -> bool:
    """Whether a product of these units (or their provinces) is simulated (dữ liệu mô phỏng)."""
    rows = conn.execute(
        select(units.c.id, units.c.code, units.c.level).where(units.c.id.in_(unit_ids))
    ).all()
    codes = [r.code for r in rows if r.level == "province"]
    ids = [r.id for r in rows if r.level != "province"]
    query = select(products.c.id).where(
        products.c.simulated.is_(True),
        products.c.province_code.in_(codes) | products.c.unit_id.in_(ids),
    )
    return bool(rows) and conn.execute(query.limit(1)).first() is not None


PROVIDERS = (Provider(TRACED, traced_products, simulated),)
