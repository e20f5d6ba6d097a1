"""``GET /api/v1/feedback/reports.xlsx``: the reports of the staff list as a workbook, with the
list's filters (status, category, agency, unit, deadline flag), newest first, Vietnamese headings.

Mounted before ``api.py``'s router, so that the fixed path is matched before
``/reports/{report_id}``. Reading is ``feedback.read`` within the person's scope. The reporter's
contact and address, and the text, answer and note as written, are for ``feedback.contact`` only
(they call citizens back); anyone else (a leader, a viewer) gets them redacted, as the public page
shows them, and no contact column.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from ioc57.core import export
from ioc57.core.access import Principal, authorize, may, optional_principal
from ioc57.core.clock import LOCAL_TZ, stored_utc, today
from ioc57.core.http import read_conn
from ioc57.core.i18n import translations
from ioc57.feedback import labels
from ioc57.feedback.access import CONTACT, READ
from ioc57.feedback.api import Code, Flag, filtered
from ioc57.feedback.categories import category as category_of
from ioc57.feedback.deadlines import flag as flag_on
from ioc57.feedback.records import STATUSES
from ioc57.feedback.redact import redact
from ioc57.feedback.tables import reports

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])

EXPORT_ROWS = 50_000  # the newest; a wider export is a narrower filter or the database's
SIMULATED = "dữ liệu mô phỏng"
HEADINGS = (
    "Mã phản ánh",
    "Kênh tiếp nhận",
    "Lĩnh vực",
    "Trạng thái",
    "Thời điểm tiếp nhận",
    "Thời điểm trả lời",
    "Thời điểm công khai",
    "Xã, phường",
    "Cơ quan giải quyết",
    "Hạn xử lý",
    "Cảnh báo hạn",
    "Trả lời đúng hạn",
    "Đánh giá của người dân",
    "Nội dung phản ánh",
    "Nội dung trả lời",
    "Ghi chú",
    "Dữ liệu",
)
CONTACT_HEADINGS = ("Họ tên người phản ánh", "Số điện thoại", "Thư điện tử", "Địa chỉ")
WIDTHS = (22, 14, 24, 16, 17, 17, 17, 24, 30, 12, 14, 10, 14, 60, 60, 30, 16, 24, 14, 24, 40)


def _local(value: datetime | None) -> datetime | None:
    """A stored time as a spreadsheet holds it: Việt Nam's time, without an offset."""
    return stored_utc(value).astimezone(LOCAL_TZ).replace(tzinfo=None) if value else None


def _word(table: dict[str, str], key: str | None) -> str:
    return translations("vi").gettext(table[key]) if key in table else (key or "")


def line(row: Any, with_contact: bool) -> list[Any]:
    """One report as a line of the workbook."""
    contact = orjson.loads(row.contact) if row.contact else {}
    due_flag = flag_on(row.due_on, today()) if row.due_on else None
    on_time = {True: "Có", False: "Không"}.get(row.on_time, "")
    cells = [
        row.record_id,
        _word(labels.CHANNEL, row.channel),
        category_of(row.category).label("vi"),
        _word(labels.STATUS, row.status),
        _local(row.received_at),
        _local(row.answered_at),
        _local(row.published_at),
        row.unit_name or "",
        row.agency_name or "",
        row.due_on,
        _word(labels.FLAG, due_flag),
        on_time,
        _word(labels.SATISFACTION, row.satisfaction),
        row.text if with_contact else row.text_public,
        (row.answer if with_contact else row.answer_public) or "",
        row.note if with_contact else redact(row.note, contact.values()),
        SIMULATED if row.simulated else "",
    ]
    if with_contact:
        cells += [contact.get("name"), contact.get("phone"), contact.get("email"), row.address]
    return cells


def workbook(rows: list[Any], with_contact: bool) -> bytes:
    headings = HEADINGS + (CONTACT_HEADINGS if with_contact else ())
    title = f"Phản ánh, kiến nghị của người dân — trích xuất ngày {today():%d/%m/%Y}"
    if any(r.simulated for r in rows):
        title += f" (có {SIMULATED})"
    lines = [line(r, with_contact) for r in rows]
    sheet = export.Sheet("Phản ánh", headings, lines, title, WIDTHS[: len(headings)])
    return export.xlsx_bytes([sheet])


@router.get(
    "/reports.xlsx",
    response_class=Response,
    responses={200: {"content": {export.FORMATS["xlsx"]: {}}}},
)
def reports_xlsx(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    status: Annotated[list[Literal[STATUSES]] | None, Query()] = None,  # type: ignore[valid-type]
    category: Code = None,
    agency: Code = None,
    unit: Code = None,
    flag: Flag | None = None,
) -> Response:
    """The reports of the list (same filters) as XLSX, newest first, at most 50,000; the contact
    columns and the text as written for ``feedback.contact`` only."""
    principal = authorize(principal, READ)
    query = filtered(conn, principal, status, category, agency, unit, flag)
    query = query.order_by(reports.c.received_at.desc(), reports.c.id.desc()).limit(EXPORT_ROWS)
    rows = list(conn.execute(query))
    body = workbook(rows, may(principal, CONTACT))
    name = f"phan-anh-{today():%Y%m%d}.xlsx"
    return Response(
        body,
        media_type=export.FORMATS["xlsx"],
        headers={"Content-Disposition": export.attachment(name), "Cache-Control": "no-store"},
    )
