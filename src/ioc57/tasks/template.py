"""The template for importing a programme's tasks: one row per task, in the columns of a task
record, and a sheet of instructions.

``template_bytes`` writes it; ``read_template`` reads a filled one back with the gate's file
readers (``ingest.spreadsheet``) as task records numbered by their row in the file: it only maps
the cells (a comma-separated list to a list, a date to ISO) and refuses a file whose header is
not the template's. ``import_template`` sends them through the gate as the people-entry source,
which reports each row's own errors by its row number and stores the others.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from ioc57.core.access import Principal
from ioc57.core.export import FORMATS, safe_cell, unsafe_cell
from ioc57.core.i18n import N_, gettext
from ioc57.ingest.batches import BatchResult
from ioc57.ingest.entry import entry_source
from ioc57.ingest.gate import Gate
from ioc57.ingest.spreadsheet import TemplateError, file_kind, filled_rows
from ioc57.tasks.records import TASK
from ioc57.tasks.status import RECURRENCES

COLUMNS = (
    "programme",
    "code",
    "content",
    "lead_agency",
    "cooperating_agencies",
    "leader",
    "output",
    "deadline",
    "recurrence",
    "indicators",
)
REQUIRED = ("programme", "code", "content", "lead_agency")
ALSO = ("id", "agency", "unit")  # fields of a task record a file may hold too
LISTS = ("cooperating_agencies", "indicators")
DATES = ("deadline",)
WIDTHS = {"programme": 16, "content": 60, "lead_agency": 14, "cooperating_agencies": 24}
WIDTHS |= {"leader": 24, "output": 30, "deadline": 12, "recurrence": 13, "indicators": 30}
MAX_ROWS = 5_000
SEPARATORS = re.compile(r"[,;\n]")

INSTRUCTIONS = N_("Instructions")
GUIDE = (
    N_("How to fill in the programme template"),
    N_(
        "One row per task of the programme. Do not rename, move or delete the columns of the "
        "first row; the columns in bold must be filled in."
    ),
    N_(
        "A task has either a deadline or a recurrence, not both. Importing the file again "
        "updates the tasks with the same programme and code rather than adding them twice."
    ),
    N_(
        "After the upload, the rows with errors are listed with their row number and the "
        "reason; the other rows are stored. Correct the rows listed and upload the file again."
    ),
    N_("If you save the file as CSV, choose 'CSV UTF-8 (comma delimited)'."),
)
COLUMN_HEADING = (N_("Column"), N_("What to write"), N_("Example"))
COLUMN_GUIDE = {
    "programme": (
        N_("The code of the programme the task belongs to, as issued."),
        "144/CTHĐ-TU",
    ),
    "code": (N_("The task's code in the programme (its number in the list)."), "1.2"),
    "content": (
        N_("What is to be done."),
        "Xây dựng Trung tâm giám sát, điều hành thông minh cấp tỉnh",
    ),
    "lead_agency": (N_("The code of the lead agency (an agency's unit code)."), "SKHCN-44"),
    "cooperating_agencies": (
        N_("The codes of the cooperating agencies, separated by commas."),
        "STC-44, SNV-44",
    ),
    "leader": (N_("The leader in charge of following the task."), "Phó Chủ tịch UBND tỉnh"),
    "output": (N_("The expected product: a decision, a report, a system..."), "Quyết định"),
    "deadline": (N_("The deadline: dd/mm/yyyy or yyyy-mm-dd."), "30/06/2026"),
    "recurrence": (
        N_("For a task without a deadline: yearly, half-yearly, quarterly, monthly or ongoing."),
        "quarterly",
    ),
    "indicators": (
        N_("The codes of the scorecard indicators the task moves, separated by commas."),
        "tasks_tracked_electronically_rate",
    ),
}

MISSING_COLUMNS = N_(
    "The file has no column %(columns)s: fill in the template downloaded from this page."
)
UNKNOWN_COLUMNS = N_(
    "The file has columns the template does not have: %(columns)s. The columns are: %(known)s."
)
NO_TASKS = N_("The file holds no tasks: fill in one row per task under the first row.")


def template_bytes(lang: str = "vi") -> bytes:
    """The template: the tasks sheet (its header bold and frozen, a list to choose the
    recurrence from, the deadline shown as dd/mm/yyyy) and the instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "tasks"
    sheet.append(COLUMNS)
    fill = PatternFill("solid", fgColor="D9E1F2")
    for number, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 10)
        head = sheet.cell(row=1, column=number)
        head.font, head.fill = Font(bold=column in REQUIRED), fill
        if column in DATES:
            sheet.column_dimensions[letter].number_format = "dd/mm/yyyy"
        if column == "recurrence":
            choice = DataValidation(type="list", formula1=f'"{",".join(RECURRENCES)}"')
            choice.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(choice)
    sheet.freeze_panes = "A2"

    guide = book.create_sheet(gettext(lang, INSTRUCTIONS)[:31])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 80
    guide.column_dimensions["C"].width = 40
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, msg in enumerate(GUIDE, start=1):
        cell = guide.cell(row=number, column=1, value=safe_cell(gettext(lang, msg)))
        if number == 1:
            cell.font = Font(bold=True, size=13)
    guide.append([])
    guide.append([gettext(lang, heading) for heading in COLUMN_HEADING])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        meaning, example = COLUMN_GUIDE[column]
        guide.append([column, gettext(lang, meaning), safe_cell(example)])
        for cell in guide[guide.max_row]:
            cell.alignment = wrap
        guide.cell(row=guide.max_row, column=1).font = Font(bold=column in REQUIRED)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_template(path: Path, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """The tasks of a filled template, ``(row number in the file, task record)``; empty rows
    are skipped. ``TemplateError`` for a file that is no filled template (nothing is stored)."""
    _kind, items = filled_rows(
        path,
        filename,
        model=None,
        no_header=MISSING_COLUMNS,
        max_rows=MAX_ROWS,
    )
    rows = [(index + 2, row) for index, row in items if isinstance(row, dict) and row]
    if not rows:
        raise TemplateError(NO_TASKS)
    keys: set[str] = set().union(*(row for _, row in rows))
    unknown = sorted(keys - {*COLUMNS, *ALSO})
    if unknown:
        raise TemplateError(UNKNOWN_COLUMNS, columns=", ".join(unknown), known=", ".join(COLUMNS))
    missing = [
        c for c in REQUIRED if c not in keys and not (c == "lead_agency" and "agency" in keys)
    ]
    if missing:
        raise TemplateError(MISSING_COLUMNS, columns=", ".join(missing))
    return [(number, task_record(row)) for number, row in rows]


def import_template(gate: Gate, path: Path, filename: str, principal: Principal) -> BatchResult:
    """Send the tasks of a filled template through the gate, written by ``principal`` (who must
    be allowed ``tasks.plan``: ``core.access.Refused`` otherwise, before anything is read); the
    batch's counts, its rejected rows numbered by their row in the file. ``TemplateError`` for a
    file that is no filled template: nothing is stored then."""
    with gate.engine.connect() as conn:
        source = entry_source(conn)
    gate.authorize(principal, source, TASK.name)
    rows = read_template(path, filename)
    with path.open("rb") as handle:
        kind = file_kind(filename, handle.read(4096))
    return gate.ingest(
        source,
        TASK.name,
        rows,
        principal=principal,
        via="file",
        filename=filename[:300],
        raw=[(path.read_bytes(), FORMATS[kind])],  # the file as sent, kept with the batch
    )


def task_record(row: dict[str, Any]) -> dict[str, Any]:
    """A task record from a row of the template: lists split at commas (or semicolons, or line
    breaks), a date as dd/mm/yyyy or a date cell written as ISO; a cell the gate cannot read is
    left as it is, for the gate to say so."""
    record = {key: unsafe_cell(value) for key, value in row.items()}
    for key in LISTS:
        if isinstance(record.get(key), str):
            record[key] = [item.strip() for item in SEPARATORS.split(record[key]) if item.strip()]
    for key in DATES:
        if isinstance(record.get(key), str):
            record[key] = iso_day(record[key])
    return record


def iso_day(text: str) -> str:
    """``30/06/2026``, ``2026-06-30`` or ``2026-06-30T00:00:00`` (a date cell) as ``2026-06-30``;
    anything else as it is."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.date().isoformat() if moment.time() == datetime.min.time() else text
