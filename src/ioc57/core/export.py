"""Any table as a file to download: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) or XLSX.

Every cell of every file the project writes goes through ``safe_cell``: a spreadsheet runs text
that begins like a formula, and such text can come from anyone who sends a record, a citation
or a unit's name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from ioc57.core.problems import Problem

# what a spreadsheet reads as the start of a formula (OWASP, "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that a spreadsheet shows and never runs: text that begins with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``; numbers (a negative
    one too), dates and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
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
    # imported here: openpyxl (with numpy, which it loads when present) costs every ioc57 process
    # ~30 MB and a quarter of a second, and only an XLSX export needs it
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ioc57")
    sheet.freeze_panes = "A3" if title else "A2"
    bold = Font(bold=True)
    if title:
        cell = WriteOnlyCell(sheet, value=safe_cell(title))
        cell.font = Font(bold=True, size=13)
        sheet.append([cell])
    heading_cells = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=safe_cell(heading))
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for line in lines:
        sheet.append(safe_row(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
