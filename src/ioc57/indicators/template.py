"""The template for reporting values: one row per reported indicator, for a unit and a period.

``template_rows`` lists the rows (with the values already stored, so a download shows the current
figures); ``xlsx_bytes`` and ``csv_bytes`` write them; ``read_upload`` reads a filled template back
with the gate's file readers (``ingest.spreadsheet``), as observation records numbered by their
row in the file.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.export import safe_cell, safe_row, unsafe_cell
from ioc57.core.i18n import N_
from ioc57.core.periods import Period, spoken
from ioc57.indicators.catalogue import Indicator, catalogue
from ioc57.indicators.headings import column as named_column
from ioc57.indicators.headings import csv_named, heading
from ioc57.indicators.records import Observation
from ioc57.indicators.tables import indicator_values
from ioc57.ingest.spreadsheet import TemplateError, filled_rows
from ioc57.ingest.validation import RowError

COLUMNS = (
    "indicator",
    "name",
    "unit_of_measure",
    "value",
    "numerator",
    "denominator",
    "source",
    "unit",
    "period",
)
VALUES = ("value", "numerator", "denominator")
GUIDANCE = ("name", "unit_of_measure")  # for people only: not sent to the gate
EDITABLE = (*VALUES, "source")
WIDTHS = {"indicator": 34, "name": 60, "unit_of_measure": 16, "source": 40, "unit": 9}
MAX_ROWS = 10_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INSTRUCTIONS = N_("Instructions")
GUIDE = (
    N_("How to fill in this template"),
    N_("Unit %(code)s · %(name)s, period %(period)s"),
    N_(
        "Fill in the value column; for a ratio, fill in the numerator and the denominator "
        "instead (a percentage is then numerator / denominator × 100)."
    ),
    N_(
        "Write where each figure comes from in the source column: the report or document, "
        "its number and date."
    ),
    N_(
        "Leave the grey columns as they are: the indicator code, the unit code and the period "
        "identify the value; the indicator's name and unit of measure are there to guide you."
    ),
    N_(
        "Rows without a value, numerator or denominator are skipped. Do not rename or delete "
        "the columns."
    ),
    N_(
        "Upload the filled file on the page Report figures (/indicators/entry). Values entered by an officer "
        "wait for a leader's approval; a leader's or an administrator's are approved at once."
    ),
    N_("If you save the file as CSV, choose 'CSV UTF-8 (comma delimited)'."),
)

NO_INDICATOR = N_(
    "The file has no 'indicator' column: fill in the template downloaded from this page."
)
NO_VALUES = N_(
    "The file holds no values: fill in the value, or the numerator and the denominator, of "
    "at least one row."
)


def indicators_for(period: str) -> list[Indicator]:
    """The reported indicators a value may be given for in ``period``."""
    return [
        i for i in catalogue().indicators if i.source == "reported" and i.accepts_period(period)
    ]


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value


def template_rows(conn: Connection, unit: Any, period: Period) -> list[dict[str, Any]]:
    """One row per indicator, with the value stored for the unit and period, if any."""
    query = select(indicator_values).where(
        indicator_values.c.unit_id == unit.id, indicator_values.c.period == period.code
    )
    stored = {r.indicator: r for r in conn.execute(query)}
    rows = []
    for ind in indicators_for(period.code):
        old = stored.get(ind.code)
        rows.append(
            {
                "indicator": ind.code,
                "name": ind.name,
                "unit_of_measure": ind.unit_of_measure,
                "value": _number(old.value) if old else None,
                "numerator": _number(old.numerator) if old else None,
                "denominator": _number(old.denominator) if old else None,
                "source": old.citation if old else None,
                "unit": unit.code,
                "period": period.code,
            }
        )
    return rows


def _said(row: dict[str, Any], gettext: Callable[[str], str]) -> dict[str, Any]:
    """A row as a person reads it: its unit of measure in their language (not read back)."""
    uom = row.get("unit_of_measure")
    return row | {"unit_of_measure": gettext(uom) if isinstance(uom, str) and uom else uom}


def csv_bytes(rows: list[dict[str, Any]], gettext: Callable[[str], str] = str) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads the Vietnamese names right; the headings
    in the language of ``gettext``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writerow({c: heading(c, gettext) for c in COLUMNS})
    writer.writerows(
        {key: safe_cell(value) for key, value in _said(row, gettext).items()} for row in rows
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(
    rows: list[dict[str, Any]],
    unit: Any,
    period: Period,
    gettext: Callable[[str], str],
    lang: str = "en",
) -> bytes:
    """The values sheet (bold frozen header; grey for the cells not to change) and a guide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = f"{unit.code} {period.code}"[:31]
    sheet.append([heading(c, gettext) for c in COLUMNS])
    for row in rows:  # text stays text: a citation may begin with '='
        sheet.append(safe_row(_said(row, gettext)[c] for c in COLUMNS))
    grey, header_fill = (
        PatternFill("solid", fgColor="EDEDED"),
        PatternFill("solid", fgColor="D9E1F2"),
    )
    for number, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 13)
        head = sheet.cell(row=1, column=number)
        head.font, head.fill = Font(bold=True), header_fill
        if column in EDITABLE:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            cell.fill = grey
            cell.font = Font(color="595959")
            if column == "name":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    guide = book.create_sheet(gettext(INSTRUCTIONS)[:31])
    guide.column_dimensions["A"].width = 110
    params = {"code": unit.code, "name": unit.name, "period": spoken(period.code, lang)}
    for number, msg in enumerate(GUIDE, start=1):
        text = gettext(msg) % params if "%(" in msg else gettext(msg)
        cell = guide.cell(row=number, column=1, value=safe_cell(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number == 1:
            cell.font = Font(bold=True, size=13)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- reading a filled template ---------------------------------------------------------------------


@dataclass
class Upload:
    """The rows of a filled template: ``(row number in the file, record or RowError)``."""

    format: str
    rows: list[tuple[int, Any]] = field(default_factory=list)
    skipped: int = 0  # rows without any value


def _named_copy(path: Path, filename: str) -> Path | None:
    """A CSV file's copy with its headings in machine names (the reader checks them against the
    record's fields); None for a workbook, whose rows are renamed once read."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK") or path.stat().st_size > 50 * 1024 * 1024:
        return None
    with tempfile.NamedTemporaryFile(prefix="ioc57-named-", suffix=".csv", delete=False) as out:
        out.write(csv_named(path.read_bytes()))
    return Path(out.name)


def read_upload(path: Path, filename: str) -> Upload:
    """Read a filled template; ``TemplateError`` when it is none (nothing is stored then)."""
    named = _named_copy(path, filename)
    try:
        kind, items = filled_rows(
            named or path, filename, model=Observation, no_header=NO_INDICATOR, max_rows=MAX_ROWS
        )
    finally:
        if named is not None:
            named.unlink(missing_ok=True)
    # the headings as people read them (any language), or the machine names, name the columns
    items = [
        (i, {named_column(k): v for k, v in r.items()} if isinstance(r, dict) else r)
        for i, r in items
    ]
    keys = set().union(*(row for _, row in items if isinstance(row, dict)))
    if items and "indicator" not in keys:
        raise TemplateError(NO_INDICATOR)
    upload = Upload(kind)
    for index, row in items:
        number = index + 2  # the header is row 1
        if isinstance(row, dict):
            if all(row.get(k) is None for k in VALUES):
                upload.skipped += 1
                continue
            # a citation written out as '=... (safe_cell) comes back as it was stored
            row = {k: unsafe_cell(v) for k, v in row.items() if k not in GUIDANCE}
        elif not isinstance(row, RowError):
            continue
        upload.rows.append((number, row))
    if not upload.rows:
        raise TemplateError(NO_VALUES)
    return upload
