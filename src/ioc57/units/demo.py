"""Demo agencies for the province of Đồng Tháp (82): loaded only by ``ioc57 demo``.

They are all made here, before any module's demo, so that every demo sees the same agencies on
each run (the simulated dossiers are spread over the province's agencies; the demo programme's
tasks are assigned to them)."""

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
    ("82", "STC-82", "Sở Tài chính tỉnh Đồng Tháp", "sở"),
    ("82", "STP-82", "Sở Tư pháp tỉnh Đồng Tháp", "sở"),
    ("82", "SGDDT-82", "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp", "sở"),
    ("82", "SYT-82", "Sở Y tế tỉnh Đồng Tháp", "sở"),
    ("82", "SCT-82", "Sở Công Thương tỉnh Đồng Tháp", "sở"),
    ("82", "SNNMT-82", "Sở Nông nghiệp và Môi trường tỉnh Đồng Tháp", "sở"),
    ("82", "CA-82", "Công an tỉnh Đồng Tháp", "cơ quan"),
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
