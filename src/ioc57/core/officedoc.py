"""The administrative document layout (Decree 30/2020/NĐ-CP, Appendix I), drawn with python-docx:
one piece of code for every DOCX ioc57 writes to be signed or sent (the tasks' status report, the
operations centre's daily brief).

A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman (for Vietnamese and
East-Asian text alike) at the sizes the decree sets: 14 pt for the text, 12 to 13 pt in the
header block, 12 and 11 pt in the recipients' block; 12 pt in the tables. At the top a table
without borders: the issuing body on the left (its governing body above it, itself in bold, a
short rule under it, then the number and symbol), the national motto on the right (two bold
lines, a rule under the second, then the place and date in italics). At the bottom the
recipients on the left and the signer on the right. Pages are numbered from the second, at the
top.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from ioc57.core.export import xml_text

FONT = "Times New Roman"
BODY_PT = 14
NAME_PT = 12  # the issuing body and the first line of the motto (the decree: 12 to 13)
SMALL_PT = 13
TABLE_PT = 12  # the tables (the decree leaves them free: 12 pt keeps ten columns readable)
INDENT_CM = 1.0  # the first line of a paragraph of the body
HEADER_CM = (7.0, 9.5)  # the header block's two columns (cm; the text is 16.5 cm wide)
CELL_MARGIN_CM = 0.1  # left and right, in every cell
TWIPS_PER_CM = 567  # a twip is a twentieth of a point
CELL_STYLES = {"center": "Table Text", "left": "Table Text Left"}  # paragraph styles, by alignment
RULE_CM = {"issuer": 2.2, "motto": 6.0, "subject": 3.0}  # the short rules under lines of text
SIGNATURE_LINES = 4  # blank lines for the signature and the seal
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NO_SIGNER = ("QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", "(Chữ ký, dấu)", "Họ và tên")
RECIPIENTS = ("- ............;", "- Lưu: VT.")


def written_date(place: str, when: date) -> str:
    """``Quảng Trị, ngày 05 tháng 3 năm 2026``: a day below 10 and the months 1 and 2 are
    written with a leading zero (Decree 30/2020/NĐ-CP, Appendix I)."""
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return f"{place}, ngày {when.day:02d} tháng {month} năm {when.year}"


# -- the page and the fonts ------------------------------------------------------------------------


def page(doc: Any) -> None:
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
    paragraph.alignment = alignment("center")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    field.append(paragraph.add_run("2")._r)  # shown until the field is updated


def styles(doc: Any) -> None:
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
        style.paragraph_format.alignment = alignment(align)


# -- paragraphs --------------------------------------------------------------------------------------


def alignment(name: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[name]


def para(
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
    fill(paragraph, text, size=size, bold=bold, italic=italic)
    if align:
        paragraph.alignment = alignment(align)
    form = paragraph.paragraph_format
    if before:
        form.space_before = Pt(before)
    if after:
        form.space_after = Pt(after)
    return paragraph


def fill(
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


def heading(doc: Any, text: str) -> None:
    paragraph = para(doc, text, bold=True, align="justify", before=6, after=6)
    paragraph.paragraph_format.first_line_indent = cm(INDENT_CM)


def text(doc: Any, words: str) -> None:
    """A paragraph of the body: justified, its first line indented."""
    paragraph = para(doc, words, align="justify", after=6)
    paragraph.paragraph_format.first_line_indent = cm(INDENT_CM)


def cm(value: float) -> Any:
    from docx.shared import Cm

    return Cm(value)


def rule(where: Any, length_cm: float, width_cm: float) -> None:
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
    form.left_indent = form.right_indent = cm(side)
    form.line_spacing = Pt(5)  # room under the descenders of the line above
    form.space_after = Pt(3)


# -- tables ------------------------------------------------------------------------------------------


def frame(doc: Any, rows: int, widths: Sequence[float], *, borders: bool) -> Any:
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
        column.width = cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = cm(width)
    return table


def table(doc: Any, headings: Sequence[str], widths: Sequence[float]) -> Any:
    """A table with a bold heading row, repeated on each page it runs over."""

    table = frame(doc, 1, widths, borders=True)
    row = table.rows[0]
    for cell, heading in zip(row.cells, headings, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph._p.style = doc.styles[CELL_STYLES["center"]].style_id
        fill(paragraph, heading, bold=True)
    row_property(row, "w:tblHeader")
    return table


def row_property(row: Any, name: str) -> None:
    """``w:tblHeader`` (repeated on each page) or ``w:cantSplit`` (kept on one page)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement(name))


def row(
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


def columns(doc: Any, widths: Sequence[float], left: Sequence[int] = ()) -> list[tuple[str, int]]:
    """Each column's paragraph style (centred, but the columns ``left``) and width (twips)."""
    center, flush = (doc.styles[CELL_STYLES[a]].style_id for a in ("center", "left"))
    return [
        (flush if index in left else center, round(width * TWIPS_PER_CM))
        for index, width in enumerate(widths)
    ]


# -- the header and the closing blocks -------------------------------------------------------------


def header(
    doc: Any, issuer: str, dated: str, number: str | None = None, motto: Sequence[str] = MOTTO
) -> None:
    """The two-column block at the top: the issuing body on the left (``issuer``, one line each
    from the governing body down, the issuing body last, in bold, a short rule under it, then
    ``number``, the line of the number and symbol, when given), the national motto on the right
    (a rule under it, then ``dated``, the place and date, in italics)."""
    left, right = frame(doc, 1, HEADER_CM, borders=False).rows[0].cells
    *governing, body = [line.strip().upper() for line in issuer.strip().splitlines()] or [""]
    first = left.paragraphs[0]
    if governing:
        fill(first, "\n".join(governing), size=NAME_PT)
        first.alignment = alignment("center")
        first = left.add_paragraph()
    fill(first, body, size=NAME_PT, bold=True)
    first.alignment = alignment("center")
    rule(left, RULE_CM["issuer"], HEADER_CM[0])
    if number is not None:
        para(left, number, size=SMALL_PT, align="center", before=6)

    first_right = right.paragraphs[0]
    fill(first_right, motto[0], size=NAME_PT, bold=True)
    first_right.alignment = alignment("center")
    para(right, motto[1], size=SMALL_PT, bold=True, align="center")
    rule(right, RULE_CM["motto"], HEADER_CM[1])
    para(right, dated, size=BODY_PT, italic=True, align="center", before=6)


def title(doc: Any, kind: str, subject: str | None = None) -> None:
    """The kind of document (``BÁO CÁO``) in bold capitals, its subject under it, and a short
    rule."""
    para(doc, kind, bold=True, align="center", before=18)
    if subject:
        para(doc, subject, bold=True, align="center")
    rule(doc, RULE_CM["subject"], sum(HEADER_CM))


def saved(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def new() -> Any:
    """An empty document with the page and the styles of the layout."""
    from docx import Document

    doc = Document()
    page(doc)
    styles(doc)
    return doc


def closing(doc: Any, signer: str | None, recipients: Sequence[str] = RECIPIENTS) -> None:
    # the last paragraph goes to the next page with the signature, which is never alone there
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    para(doc, "", after=6).paragraph_format.keep_with_next = True
    (row,) = frame(doc, 1, (8.0, 8.5), borders=False).rows
    row_property(row, "w:cantSplit")  # the recipients and the signature on one page
    left, right = row.cells
    first = left.paragraphs[0]
    fill(first, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in recipients:
        para(left, line, size=11)

    lines = [line.strip() for line in (signer or "").strip().splitlines() if line.strip()]
    if not lines:
        title, note, name = NO_SIGNER[0], NO_SIGNER[1], NO_SIGNER[2]
    else:
        title = "\n".join(line.upper() for line in (lines[:-1] if len(lines) > 1 else lines))
        note, name = "", lines[-1] if len(lines) > 1 else ""
    top = right.paragraphs[0]
    fill(top, title, size=BODY_PT, bold=True)
    top.alignment = alignment("center")
    if note:
        para(right, note, size=SMALL_PT, italic=True, align="center")
    for _ in range(SIGNATURE_LINES):
        para(right, "")
    para(right, name, size=BODY_PT, bold=True, align="center")
