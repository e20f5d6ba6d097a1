"""The status report of tasks as a DOCX ready to sign, in the layout of Vietnamese administrative
documents (Decree 30/2020/NĐ-CP, Appendix I).

A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman (for Vietnamese and
East-Asian text alike) at the sizes the decree sets: 14 pt for the text, 12 to 13 pt in the
header block, 12 and 11 pt in the recipients' block; 12 pt in the tables. At the top a table without borders: the issuing body on the left (its governing body above
it, itself in bold, a short rule under it, then the number and symbol), the national motto on the
right (two bold lines, a rule under the second, then the place and date in italics). Then the kind
of document and its subject, the totals, the table by lead agency, the overdue tasks, the
difficulties and proposals not answered; at the bottom the recipients on the left and the signer
on the right. Pages are numbered from the second, at the top.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from ioc57.core.export import xml_text
from ioc57.core.i18n import day, number
from ioc57.tasks import report_tables as words
from ioc57.tasks.summary import Summary

FONT = "Times New Roman"
BODY_PT = 14
NAME_PT = 12  # the issuing body and the first line of the motto (the decree: 12 to 13)
SMALL_PT = 13
TABLE_PT = 12  # the tables (the decree leaves them free: 12 pt keeps ten columns readable)
INDENT_CM = 1.0  # the first line of a paragraph of the body
# the header block's two columns, and the columns of the tables (cm; the text is 16.5 cm wide)
HEADER_CM = (7.0, 9.5)
AGENCY_CM = (1.1, 3.6, 1.4, *(1.45,) * 6, 1.7)
OVERDUE_CM = (1.1, 1.8, 4.6, 2.6, 2.3, 2.4, 1.7)
CELL_MARGIN_CM = 0.1  # left and right, in every cell
TWIPS_PER_CM = 567  # a twip is a twentieth of a point
CELL_STYLES = {"center": "Table Text", "left": "Table Text Left"}  # paragraph styles, by alignment
RULE_CM = {"issuer": 2.2, "motto": 6.0, "subject": 3.0}  # the short rules under lines of text
SIGNATURE_LINES = 4  # blank lines for the signature and the seal
NO_NUMBER = "Số:        /BC-"
NO_SIGNER = ("QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", "(Chữ ký, dấu)", "Họ và tên")
RECIPIENTS = ("- ............;", "- Lưu: VT.")


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
    from docx import Document

    doc = Document()
    _page(doc)
    _styles(doc)
    _header(doc, issuer, place, number, summary)
    _para(doc, "BÁO CÁO", bold=True, align="center", before=18)
    _para(doc, words.subject(summary), bold=True, align="center")
    _rule(doc, RULE_CM["subject"], sum(HEADER_CM))
    if summary.simulated:
        _para(doc, f"({words.SIMULATED})", italic=True, align="center", after=6)
    _body(doc, summary, lang)
    _closing(doc, signer)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _body(doc: Any, summary: Summary, lang: str) -> None:
    fmt = number(lang)
    _heading(doc, "1. Kết quả thực hiện")
    _text(doc, words.totals_sentence(summary, lang))
    _text(doc, "Kết quả theo cơ quan chủ trì:")
    headings, rows = words.agency_table(summary, lang)
    table = _table(doc, headings, AGENCY_CM)
    columns = _columns(doc, AGENCY_CM, left=(1,))
    for row in rows:
        rate = row[-1]
        cells = [*row[:-1], "—" if rate is None else fmt(rate, 1)]
        _row(table, cells, columns, bold=row[0] is None)

    _heading(doc, "2. Nhiệm vụ quá hạn")
    if summary.overdue:
        # without the programme; the extended deadline under the first one, in its cell
        headings = [words.OVERDUE_HEADINGS[i] for i in (0, 1, 2, 4, 5, 6, 8)]
        table = _table(doc, headings, OVERDUE_CM)
        columns = _columns(doc, OVERDUE_CM, left=(2, 3, 4))
        for row in words.overdue_rows(summary):
            i, code, content, _programme, agency, leader, first, extended, late = row
            deadline = day(first)
            if extended is not None:
                deadline += f"\n(gia hạn đến {day(extended)})"
            _row(table, [i, code, content, agency, leader, deadline, late], columns)
    else:
        _text(doc, "Không có nhiệm vụ quá hạn.")

    _heading(doc, "3. Khó khăn, vướng mắc và kiến nghị, đề xuất chưa được trả lời")
    if not summary.difficulties:
        _text(doc, "Không có.")
    for _i, code, agency, reported_on, difficulties, proposals in words.difficulty_rows(summary):
        text = f"- {agency}, nhiệm vụ {code} (báo cáo ngày {day(reported_on)})"
        if difficulties:
            text += f": khó khăn, vướng mắc: {difficulties.rstrip('.; ')}"
        if proposals:
            text += f"{';' if difficulties else ':'} kiến nghị, đề xuất: {proposals.rstrip('.; ')}"
        _text(doc, text + ".")


# -- the page and the fonts ------------------------------------------------------------------------


def _page(doc: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    # the page number, centred at the top, from the second page on
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = _align("center")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    field.append(paragraph.add_run("2")._r)  # shown until the field is updated


def _styles(doc: Any) -> None:
    """Times New Roman for every script (the document's defaults and the Normal style), in
    Vietnamese, single-spaced; the styles of the tables' cells."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt

    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run = defaults.find(qn("w:rPr"))
    fonts = run.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):  # the theme's fonts would win over the ones named here
        del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    run.find(qn("w:lang")).set(qn("w:val"), "vi-VN")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    for attr in ("eastAsia", "cs"):
        normal.element.rPr.rFonts.set(qn(f"w:{attr}"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for align, name in CELL_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(TABLE_PT)
        style.paragraph_format.alignment = _align(align)


# -- paragraphs --------------------------------------------------------------------------------------


def _align(name: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[name]


def _para(
    where: Any,
    text: str,
    *,
    size: int | None = None,
    bold: bool = False,
    italic: bool = False,
    align: str | None = None,
    before: int = 0,
    after: int = 0,
) -> Any:
    """A paragraph of ``text`` in ``where`` (the document or a cell); lines broken at ``\\n``."""
    from docx.shared import Pt

    paragraph = where.add_paragraph()
    _fill(paragraph, text, size=size, bold=bold, italic=italic)
    if align:
        paragraph.alignment = _align(align)
    form = paragraph.paragraph_format
    if before:
        form.space_before = Pt(before)
    if after:
        form.space_after = Pt(after)
    return paragraph


def _fill(
    paragraph: Any, text: str, *, size: int | None = None, bold: bool = False, italic: bool = False
) -> None:
    from docx.shared import Pt

    for n, line in enumerate(xml_text(text).split("\n")):
        run = paragraph.add_run()
        if n:
            run.add_break()
        run.add_text(line)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if size:
            run.font.size = Pt(size)


def _heading(doc: Any, text: str) -> None:
    paragraph = _para(doc, text, bold=True, align="justify", before=6, after=6)
    paragraph.paragraph_format.first_line_indent = _cm(INDENT_CM)


def _text(doc: Any, text: str) -> None:
    """A paragraph of the body: justified, its first line indented."""
    paragraph = _para(doc, text, align="justify", after=6)
    paragraph.paragraph_format.first_line_indent = _cm(INDENT_CM)


def _cm(value: float) -> Any:
    from docx.shared import Cm

    return Cm(value)


def _rule(where: Any, length_cm: float, width_cm: float) -> None:
    """A centred horizontal rule ``length_cm`` long, in a block ``width_cm`` wide: the bottom
    border of an empty paragraph, indented from both sides."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = where.add_paragraph()
    borders = OxmlElement("w:pBdr")  # first: the spacing and the indents come after it
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    form = paragraph.paragraph_format
    side = max((width_cm - length_cm) / 2, 0)
    form.left_indent = form.right_indent = _cm(side)
    form.line_spacing = Pt(5)  # room under the descenders of the line above
    form.space_after = Pt(3)


# -- tables ------------------------------------------------------------------------------------------


def _frame(doc: Any, rows: int, widths: Sequence[float], *, borders: bool) -> Any:
    """A table of ``rows`` rows and columns ``widths`` cm wide, with or without its grid."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"] if borders else None
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_CM * TWIPS_PER_CM)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = _cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = _cm(width)
    return table


def _table(doc: Any, headings: Sequence[str], widths: Sequence[float]) -> Any:
    """A table with a bold heading row, repeated on each page it runs over."""

    table = _frame(doc, 1, widths, borders=True)
    row = table.rows[0]
    for cell, heading in zip(row.cells, headings, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph._p.style = doc.styles[CELL_STYLES["center"]].style_id
        _fill(paragraph, heading, bold=True)
    _row_property(row, "w:tblHeader")
    return table


def _row_property(row: Any, name: str) -> None:
    """``w:tblHeader`` (repeated on each page) or ``w:cantSplit`` (kept on one page)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement(name))


def _row(
    table: Any, values: Sequence[Any], columns: Sequence[tuple[str, int]], *, bold: bool = False
) -> None:
    """A row of ``values`` (None is an empty cell) in ``columns`` (each one's paragraph style
    and width), kept on one page. Written as XML: python-docx's cells, paragraphs and runs take
    a hundred times longer, and an overdue list may be hundreds of rows long."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    cells = []
    for value, (style, width) in zip(values, columns, strict=True):
        lines = [] if value is None else xml_text(str(value)).split("\n")
        runs = "<w:r><w:br/></w:r>".join(
            f'<w:r>{props}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' for line in lines
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p></w:tc>'
        )
    row = f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>"
    table._tbl.append(parse_xml(row))


def _columns(doc: Any, widths: Sequence[float], left: Sequence[int] = ()) -> list[tuple[str, int]]:
    """Each column's paragraph style (centred, but the columns ``left``) and width (twips)."""
    center, flush = (doc.styles[CELL_STYLES[a]].style_id for a in ("center", "left"))
    return [
        (flush if index in left else center, round(width * TWIPS_PER_CM))
        for index, width in enumerate(widths)
    ]


# -- the header and the closing blocks -------------------------------------------------------------


def _header(doc: Any, issuer: str, place: str, number: str | None, summary: Summary) -> None:
    left, right = _frame(doc, 1, HEADER_CM, borders=False).rows[0].cells
    *governing, body = [line.strip().upper() for line in issuer.strip().splitlines()] or [""]
    first = left.paragraphs[0]
    if governing:
        _fill(first, "\n".join(governing), size=NAME_PT)
        first.alignment = _align("center")
        first = left.add_paragraph()
    _fill(first, body, size=NAME_PT, bold=True)
    first.alignment = _align("center")
    _rule(left, RULE_CM["issuer"], HEADER_CM[0])
    _para(left, f"Số: {number}" if number else NO_NUMBER, size=SMALL_PT, align="center", before=6)

    motto = right.paragraphs[0]
    _fill(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=NAME_PT, bold=True)
    motto.alignment = _align("center")
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=SMALL_PT, bold=True, align="center")
    _rule(right, RULE_CM["motto"], HEADER_CM[1])
    dated = words.written_date(place, summary.as_of)
    _para(right, dated, size=BODY_PT, italic=True, align="center", before=6)


def _closing(doc: Any, signer: str | None) -> None:
    # the last paragraph goes to the next page with the signature, which is never alone there
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _para(doc, "", after=6).paragraph_format.keep_with_next = True
    (row,) = _frame(doc, 1, (8.0, 8.5), borders=False).rows
    _row_property(row, "w:cantSplit")  # the recipients and the signature on one page
    left, right = row.cells
    first = left.paragraphs[0]
    _fill(first, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in RECIPIENTS:
        _para(left, line, size=11)

    lines = [line.strip() for line in (signer or "").strip().splitlines() if line.strip()]
    if not lines:
        title, note, name = NO_SIGNER[0], NO_SIGNER[1], NO_SIGNER[2]
    else:
        title = "\n".join(line.upper() for line in (lines[:-1] if len(lines) > 1 else lines))
        note, name = "", lines[-1] if len(lines) > 1 else ""
    top = right.paragraphs[0]
    _fill(top, title, size=BODY_PT, bold=True)
    top.alignment = _align("center")
    if note:
        _para(right, note, size=SMALL_PT, italic=True, align="center")
    for _ in range(SIGNATURE_LINES):
        _para(right, "")
    _para(right, name, size=BODY_PT, bold=True, align="center")
