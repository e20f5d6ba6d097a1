"""Demo agencies for the province of Đồng Tháp (82): loaded only by ``ioc57 demo``."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Connection

from ioc57.modules import Demo
from ioc57.units.agencies import create_agency
from ioc57.units.queries import unit_at

DEMO_AGENCIES = [
    ("82", "SKHCN-82", "Sở Khoa học và Công nghệ tỉnh Đồng Tháp", "sở"),
    ("82", "VPUBND-82", "Văn phòng Ủy ban nhân dân tỉnh Đồng Tháp", "cơ quan"),
    ("82", "SNV-82", "Sở Nội vụ tỉnh Đồng Tháp", "sở"),
    ("82", "TTPVHCC-82", "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp", "trung tâm"),
    ("28261", "UBND-28261", "Ủy ban nhân dân phường Mỹ Tho", "ủy ban nhân dân"),
]


def load_demo_agencies(conn: Connection, today: date) -> int:
    added = 0
    for parent_code, code, name, kind in DEMO_AGENCIES:
        if unit_at(conn, code, today) is not None:
            continue
        parent = unit_at(conn, parent_code, today)
        create_agency(
            conn, actor="ioc57-demo", parent=parent, code=code, name=name, type=kind, today=today
        )
        added += 1
    return added


def load_demo(demo: Demo) -> None:
    with demo.engine.begin() as conn:
        added = load_demo_agencies(conn, demo.today)
    demo.echo(f"demo agencies added: {added}")
