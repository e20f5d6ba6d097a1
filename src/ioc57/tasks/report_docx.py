"""The status report of tasks as a DOCX ready to sign, in the layout of Vietnamese administrative
documents (Decree 30/2020/NĐ-CP, Appendix I), drawn by ``core.officedoc``.

The header block (the issuing body and its number, the national motto, the place and date), the
kind of document and its subject; then the totals, the table by lead agency, the overdue tasks,
the difficulties and proposals not answered; at the bottom the recipients and the signer.
"""

from __future__ import annotations

from typing import Any

from ioc57.core import officedoc as od
from ioc57.core.i18n import day, number
from ioc57.tasks import report_tables as words
from ioc57.tasks.summary import Summary

# the columns of the tables (cm; the text is 16.5 cm wide)
AGENCY_CM = (1.1, 3.6, 1.4, *(1.45,) * 6, 1.7)
OVERDUE_CM = (1.1, 1.8, 4.6, 2.6, 2.3, 2.4, 1.7)
NO_NUMBER = "Số:        /BC-"


def docx_bytes(
    summary: Summary,
    *,
    issuer: str,
    place: str,
    number: str | None = None,
    signer: str | None = None,
    lang: str = "vi",
) -> bytes:
    """The report of ``summary``, dated its ``as_of`` day.

    ``issuer``: the issuing body, one line each from the governing body down, the issuing body
    last ("UBND TỈNH QUẢNG TRỊ\\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"); ``place``: where it is issued
    ("Quảng Trị"); ``number``: its number and symbol ("12/BC-UBND"; None leaves it for the
    clerk); ``signer``: the signer's authority and title, a line each, and the name last
    ("KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH\\nNguyễn Văn A"; a single line is a title; None leaves the
    block for the clerk); ``lang``: how the names of the statuses and the figures are written.
    """
    doc = od.new()
    dated = od.written_date(place, summary.as_of)
    od.header(doc, issuer, dated, f"Số: {number}" if number else NO_NUMBER)
    od.title(doc, "BÁO CÁO", words.subject(summary))
    if summary.simulated:
        od.para(doc, f"({words.SIMULATED})", italic=True, align="center", after=6)
    _body(doc, summary, lang)
    od.closing(doc, signer)
    return od.saved(doc)


def _body(doc: Any, summary: Summary, lang: str) -> None:
    fmt = number(lang)
    od.heading(doc, "1. Kết quả thực hiện")
    od.text(doc, words.totals_sentence(summary, lang))
    od.text(doc, "Kết quả theo cơ quan chủ trì:")
    headings, rows = words.agency_table(summary, lang)
    table = od.table(doc, headings, AGENCY_CM)
    columns = od.columns(doc, AGENCY_CM, left=(1,))
    for row in rows:
        rate = row[-1]
        cells = [*row[:-1], "—" if rate is None else fmt(rate, 1)]
        od.row(table, cells, columns, bold=row[0] is None)

    od.heading(doc, "2. Nhiệm vụ quá hạn")
    if summary.overdue:
        # without the programme; the extended deadline under the first one, in its cell
        headings = [words.OVERDUE_HEADINGS[i] for i in (0, 1, 2, 4, 5, 6, 8)]
        table = od.table(doc, headings, OVERDUE_CM)
        columns = od.columns(doc, OVERDUE_CM, left=(2, 3, 4))
        for row in words.overdue_rows(summary):
            i, code, content, _programme, agency, leader, first, extended, late = row
            deadline = day(first)
            if extended is not None:
                deadline += f"\n(gia hạn đến {day(extended)})"
            od.row(table, [i, code, content, agency, leader, deadline, late], columns)
    else:
        od.text(doc, "Không có nhiệm vụ quá hạn.")

    od.heading(doc, "3. Khó khăn, vướng mắc và kiến nghị, đề xuất chưa được trả lời")
    if not summary.difficulties:
        od.text(doc, "Không có.")
    for _i, code, agency, reported_on, difficulties, proposals in words.difficulty_rows(summary):
        text = f"- {agency}, nhiệm vụ {code} (báo cáo ngày {day(reported_on)})"
        if difficulties:
            text += f": khó khăn, vướng mắc: {difficulties.rstrip('.; ')}"
        if proposals:
            text += f"{';' if difficulties else ':'} kiến nghị, đề xuất: {proposals.rstrip('.; ')}"
        od.text(doc, text + ".")
