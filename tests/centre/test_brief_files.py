"""The daily brief as files: a DOCX in the administrative layout that python-docx opens, a PDF
with the Vietnamese text embedded, both from a ``Brief`` made by hand (a concern and a key
figure) and in English when asked."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from ioc57.centre.brief import Brief, Figure, Line
from ioc57.centre.brief_docx import docx_bytes
from ioc57.centre.brief_pdf import FontMissing, pdf_bytes
from ioc57.core.settings import read_settings

from ..support.pdftext import pdf_text

FONTS = read_settings().brief_font_dir
LATE = Line(
    kind="Nhiệm vụ quá hạn",
    title="Nhiệm vụ 2.3: xây dựng nền tảng LGSP",
    why="Quá hạn 3 ngày",
    since="01/12/2026 08:00",
    owner="Sở Nội vụ",
    severity=2,
    new=True,
    simulated=True,
    href="/tasks/7",
)
OVERDUE = Figure(
    title="Nhiệm vụ quá hạn",
    value="17",
    caption="hiện nay",
    change="+2",
    source="Chương trình hành động",
    updated="02/12/2026 06:55",
    simulated=False,
)


def brief(lang: str = "vi", attention=(LATE,), figures=(OVERDUE,)) -> Brief:
    return Brief(
        day=date(2026, 12, 1),
        lang=lang,
        issuer="UBND Tỉnh Đồng Tháp\nTrung tâm Giám sát, điều hành thông minh",
        dated="Đồng Tháp, ngày 02 tháng 12 năm 2026",
        title="BẢN TIN ĐIỀU HÀNH HẰNG NGÀY",
        subject="Ngày 01/12/2026",
        notes=(),
        attention=tuple(attention),
        more=0,
        figures=tuple(figures),
        changes=(("Nhiệm vụ quá hạn", (LATE,)),),
        made="02/12/2026 07:00",
        simulated=True,
    )


def text_of(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_docx_opens_in_the_administrative_layout_with_a_concern_and_a_figure():
    doc = Document(io.BytesIO(docx_bytes(brief())))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    issuer, motto = doc.tables[0].rows[0].cells
    assert "UBND TỈNH ĐỒNG THÁP" in issuer.text
    assert "TRUNG TÂM GIÁM SÁT, ĐIỀU HÀNH THÔNG MINH" in issuer.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto.text
    assert "Độc lập - Tự do - Hạnh phúc" in motto.text
    assert "Đồng Tháp, ngày 02 tháng 12 năm 2026" in motto.text
    text = text_of(doc)
    assert "BẢN TIN ĐIỀU HÀNH HẰNG NGÀY" in text
    assert LATE.title in text and LATE.owner in text
    assert "17" in [c.text for row in doc.tables[2].rows for c in row.cells]
    assert "dữ liệu mô phỏng" in text or "simulated data" in text
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_the_pdf_embeds_the_vietnamese_text():
    pdf = pdf_bytes(brief(), FONTS)
    assert pdf.startswith(b"%PDF-")
    assert pdf.count(b"/Type /Page\n") >= 1
    assert b"+DejaVuSerif" in pdf  # a subset of the font, embedded
    text = pdf_text(pdf)
    for words in (
        "UBND TỈNH ĐỒNG THÁP",
        "Độc lập - Tự do - Hạnh phúc",
        "BẢN TIN ĐIỀU HÀNH HẰNG NGÀY",
    ):
        assert words in text
    assert LATE.title in text and "17" in text


def test_a_long_brief_runs_over_pages():
    pdf = pdf_bytes(brief(attention=(LATE,) * 60), FONTS)
    assert pdf.count(b"/Type /Page\n") >= 3


def test_in_english_the_heading_is_english():
    doc = Document(io.BytesIO(docx_bytes(brief("en"))))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in doc.tables[0].rows[0].cells[1].text
    assert "1. What needs attention" in text_of(doc)


def test_a_missing_font_folder_is_named(tmp_path: Path):
    with pytest.raises(FontMissing, match=str(tmp_path)):
        pdf_bytes(brief(), tmp_path)
