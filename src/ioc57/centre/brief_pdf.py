"""The daily brief as a PDF (fpdf2), with the same content and layout as its DOCX: A4, the
margins of Decree 30/2020/NĐ-CP (20 mm top and bottom, 30 mm left, 15 mm right), the two-column
header with the national motto, the title, the three sections with their tables.

The text is set in DejaVu Serif (every Vietnamese glyph; Debian's fonts-dejavu-core), embedded as
a subset: ``IOC57_BRIEF_FONT_DIR`` names its folder. Times New Roman, which the DOCX names, is not
free to embed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ioc57.centre import brief_words as w
from ioc57.centre.brief import Brief
from ioc57.centre.brief_docx import ATTENTION_CM, FIGURES_CM, marks
from ioc57.core import officedoc as od

FAMILY = "DejaVuSerif"
FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}
# DejaVu is wider than Times: a size or two smaller than the DOCX (the motto fits on one line)
BODY_PT, SMALL_PT, HEAD_PT, TABLE_PT = 12.5, 11.5, 10.5, 10
LINE_MM = 6.0
TEXT_MM = 165.0
HEADER_MM = tuple(10 * c for c in od.HEADER_CM)


class FontMissing(RuntimeError):
    """The brief's PDF font is not where ``IOC57_BRIEF_FONT_DIR`` says."""


def _fonts(pdf: Any, folder: Path) -> None:
    regular = folder / FILES[""]
    if not regular.is_file():
        raise FontMissing(f"{regular} not found (IOC57_BRIEF_FONT_DIR; fonts-dejavu-core)")
    for style, name in FILES.items():
        path = folder / name
        pdf.add_font(FAMILY, style, str(path if path.is_file() else regular))


def _rule(pdf: Any, x: float, width: float, length: float) -> None:
    y = pdf.get_y() + 1.2
    start = x + (width - length) / 2
    pdf.line(start, y, start + length, y)
    pdf.set_y(y + 2)


def _column(pdf: Any, x: float, width: float, lines: list[tuple[str, str, float]]) -> float:
    """Centred lines (text, style, size) in a column of the header; the y it ends at."""
    for text, style, size in lines:
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(x)
        pdf.multi_cell(width, LINE_MM * size / BODY_PT, text, align="C", new_x="LEFT")
    return float(pdf.get_y())


def _header(pdf: Any, brief: Brief) -> None:
    left, right = HEADER_MM
    x0, top = pdf.l_margin, pdf.get_y()
    *governing, body = [line.strip().upper() for line in brief.issuer.splitlines()] or [""]
    lines = [(g, "", HEAD_PT) for g in governing] + [(body, "B", HEAD_PT)]
    _column(pdf, x0, left, lines)
    _rule(pdf, x0, left, 10 * od.RULE_CM["issuer"])
    end_left = pdf.get_y()
    pdf.set_y(top)
    motto = w.MOTTO[brief.lang]
    _column(pdf, x0 + left, right, [(motto[0], "B", HEAD_PT), (motto[1], "B", SMALL_PT)])
    _rule(pdf, x0 + left, right, 10 * od.RULE_CM["motto"])
    pdf.set_y(pdf.get_y() + 1.5)
    end_right = _column(pdf, x0 + left, right, [(brief.dated, "I", BODY_PT)])
    pdf.set_y(max(end_left, end_right) + 6)


def _para(pdf: Any, text: str, style: str = "", size: float = BODY_PT, align: str = "J") -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(TEXT_MM, LINE_MM * size / BODY_PT, text, align=align, new_x="LMARGIN")


def _table(pdf: Any, headings: list[str], widths: tuple[float, ...], rows: list[list[str]]) -> None:
    pdf.set_font(FAMILY, "", TABLE_PT)
    with pdf.table(
        col_widths=[10 * c for c in widths],
        width=TEXT_MM,
        text_align="LEFT",
        line_height=LINE_MM * TABLE_PT / BODY_PT,
        padding=1,
    ) as table:
        table.row(headings)
        for values in rows:
            table.row([str(v) for v in values])
    pdf.ln(2)


def pdf_bytes(brief: Brief, font_dir: Path) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    _fonts(pdf, font_dir)
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(f"{brief.title} {brief.subject}")
    pdf.set_lang("vi-VN" if brief.lang == "vi" else "en")
    pdf.add_page()
    _header(pdf, brief)
    _para(pdf, brief.title, "B", align="C")
    _para(pdf, brief.subject, "B", align="C")
    _rule(pdf, pdf.l_margin, TEXT_MM, 10 * od.RULE_CM["subject"])
    pdf.ln(2)
    if brief.simulated:
        _para(pdf, f"({brief.say('simulated_note')})", "I", SMALL_PT, "C")
    for note in brief.notes:
        _para(pdf, note, "I", SMALL_PT)
    _sections(pdf, brief)
    pdf.ln(4)
    _para(pdf, brief.say("made").format(made=brief.made), "I", SMALL_PT, "L")
    return bytes(pdf.output())


def _sections(pdf: Any, brief: Brief) -> None:
    say = brief.say
    pdf.ln(2)
    _para(pdf, say("attention"), "B")
    if not brief.attention:
        _para(pdf, say("nothing"))
    else:
        rows = [
            [str(n), f"{x.kind}{marks(brief, x)}\n{x.title}", x.why, x.since, x.owner]
            for n, x in enumerate(brief.attention, 1)
        ]
        _table(pdf, [say(k) for k in ("no", "what", "why", "since", "whose")], ATTENTION_CM, rows)
        if brief.more:
            _para(pdf, say("more").format(count=brief.more))
    _para(pdf, say("figures"), "B")
    if not brief.figures:
        _para(pdf, say("no_figures"))
    else:
        rows = [
            [
                f"{f.title}\n({f.caption})" if f.caption else f.title,
                f.value,
                f.change or "—",
                f"{f.source} ({say('simulated')})" if f.simulated else f.source,
                f.updated,
            ]
            for f in brief.figures
        ]
        headings = [say(k) for k in ("figure", "value", "change", "source", "updated")]
        _table(pdf, headings, FIGURES_CM, rows)
    _para(pdf, say("changes"), "B")
    if not brief.changes:
        _para(pdf, say("no_changes"))
    for kind, lines in brief.changes:
        _para(pdf, f"- {kind} ({len(lines)}):")
        for line in lines:
            simulated = f" ({say('simulated')})" if line.simulated else ""
            _para(pdf, f"+ {line.title}: {line.why} ({line.since}){simulated}")
