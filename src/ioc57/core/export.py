"""Any table as a file to download: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) or XLSX
(one table, or several sheets: ``xlsx_bytes``).

Every cell of every file the project writes goes through ``safe_cell``: a spreadsheet runs text
that begins like a formula, and such text can come from anyone who sends a record, a citation
or a unit's name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from ioc57.core.problems import Problem

# what a spreadsheet reads as the start of a formula (OWASP, "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# the control characters XML cannot hold: an XLSX or a DOCX cannot be written with them, and text
# pasted from elsewhere may carry one (a vertical tab, a form feed)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text: str) -> str:
    """``text`` without the control characters XML cannot hold."""
    return NOT_XML.sub("", text)


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that a spreadsheet shows and never runs: text that begins with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, and loses the control
    characters a file cannot hold; numbers (a negative one too), dates and empty cells stay as
    they are."""
    if isinstance(value, str):
        value = xml_text(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells through ``safe_cell``."""
    return [safe_cell(value) for value in values]


def unsafe_cell(value: Any) -> Any:
    """The text ``safe_cell`` was given back, from a file of ours filled in and sent back."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Problem(
            404,
            f"No export as {fmt!r}: choose csv or xlsx.",
            errors=[{"loc": ["path", "format"], "msg": "csv or xlsx"}],
        )
    return fmt


def attachment(filename: str) -> str:
    """The ``Content-Disposition`` of a file to download under ``filename`` (any script: RFC 6266
    and 5987, UTF-8 percent-encoded)."""
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}"


def table_file(
    filename: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[dict[str, Any]],
    fmt: str,
    title: str = "",
) -> Response:
    """``columns`` are (key in each row, heading); ``title`` (optional) is a first line of the file."""
    check_format(fmt)
    headings = [heading for _, heading in columns]
    lines = ([row.get(key) for key, _ in columns] for row in rows)
    body = _csv(title, headings, lines) if fmt == "csv" else _xlsx(title, headings, lines)
    disposition = attachment(f"{filename}.{fmt}")
    return Response(body, media_type=FORMATS[fmt], headers={"Content-Disposition": disposition})


def _csv(title: str, headings: list[str], lines: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if title:
        writer.writerow(safe_row([title]))
    writer.writerow(safe_row(headings))
    writer.writerows(map(safe_row, lines))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(title: str, headings: list[str], lines: Iterable[list[Any]]) -> bytes:
    return xlsx_bytes([Sheet("ioc57", headings, lines, title)])


@dataclass(frozen=True)
class Sheet:
    """A table as a sheet of a workbook: ``title`` (optional) is a first line above the headings;
    ``widths`` the columns' widths, in characters, from the first (the others keep Excel's)."""

    name: str
    headings: Sequence[str]
    lines: Iterable[Sequence[Any]]
    title: str = ""
    widths: Sequence[int] = ()


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of ``sheets``, each with its headings bold and frozen, every cell through
    ``safe_cell``; a date shows as dd/mm/yyyy."""
    # imported here: openpyxl (with numpy, which it loads when present) costs every ioc57 process
    # ~30 MB and a quarter of a second, and only an XLSX export needs it
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in sheets:
        sheet = book.create_sheet(table.name[:31])
        sheet.freeze_panes = "A3" if table.title else "A2"
        for number, width in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        if table.title:
            cell = WriteOnlyCell(sheet, value=safe_cell(table.title))
            cell.font = Font(bold=True, size=13)
            sheet.append([cell])
        heading_cells = []
        for heading in table.headings:
            cell = WriteOnlyCell(sheet, value=safe_cell(heading))
            cell.font = bold
            heading_cells.append(cell)
        sheet.append(heading_cells)
        for line in table.lines:
            sheet.append([_cell(sheet, value) for value in safe_row(line)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: Any, value: Any) -> Any:
    """A date as a cell that shows it as pages write it; anything else as it is."""
    if not isinstance(value, date):
        return value
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "dd/mm/yyyy hh:mm"
    else:  # a day is a moment at midnight to a spreadsheet
        cell = WriteOnlyCell(sheet, value=datetime.combine(value, time()))
        cell.number_format = "dd/mm/yyyy"
    return cell
