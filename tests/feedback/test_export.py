"""The staff export of reports as XLSX: the list's filters, Vietnamese headings, the contact and the
text as written for ``feedback.contact`` only (a leader reads them redacted), and the fixed path
matched before ``/reports/{report_id}``."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from ..support.http import auth

TEXT = "Bà Lê Thị Hoa ở nhà 45 hẻm 3 báo nước ngập, gọi 0987.654.321."


def sheet(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows[1], rows[2:]  # the title line, the headings, the reports


def test_the_export_has_the_lists_filters_and_the_contact_only_for_those_who_call_back(
    feedback, api
):
    mine = feedback.new(1, category="giao-thong", text=TEXT)
    feedback.new(2)
    r = feedback.client.get(
        "/api/v1/feedback/reports.xlsx",
        params={"category": "giao-thong", "unit": feedback.communes[1]},
        headers=feedback.admin,
    )
    headings, lines = sheet(r)
    assert headings[0] == "Mã phản ánh" and "Số điện thoại" in headings
    assert [line[0] for line in lines] == [mine.record_id]
    line = dict(zip(headings, lines[0], strict=True))
    assert line["Số điện thoại"] == "0912345678" and line["Nội dung phản ánh"] == TEXT
    assert line["Trạng thái"] and line["Xã, phường"]

    leader = api.user("lanhdao-export", "leader")
    headings, lines = sheet(
        feedback.client.get(
            "/api/v1/feedback/reports.xlsx",
            params={"category": "giao-thong"},
            headers=auth(leader),
        )
    )
    assert "Số điện thoại" not in headings
    body = repr(lines)
    assert "0912345678" not in body and "Nguyễn Văn An" not in body and "an@example.vn" not in body
    assert "Hoa" not in body and "0987" not in body and "nhà 45" not in body
    assert "hẻm 3" in body  # the place stays

    assert feedback.client.get("/api/v1/feedback/reports.xlsx").status_code == 401
    bad = feedback.client.get(
        "/api/v1/feedback/reports.xlsx", params={"unit": "99999"}, headers=feedback.admin
    )
    assert bad.status_code == 422
