"""The status report of tasks as an XLSX workbook: the tables of the DOCX, one sheet each, with
the figures as numbers and the days as dates, written by ``core.export`` (every cell safe)."""

from __future__ import annotations

from ioc57.core import export
from ioc57.core.export import Sheet
from ioc57.tasks import report_tables as words
from ioc57.tasks.summary import Summary

AGENCY_WIDTHS = (6, 40, 10, *(13,) * 6, 14)
OVERDUE_WIDTHS = (6, 14, 60, 18, 32, 28, 12, 12, 14)
DIFFICULTY_WIDTHS = (6, 14, 32, 12, 60, 60)


def xlsx_bytes(summary: Summary, *, lang: str = "vi") -> bytes:
    """Sheets Tổng hợp (by lead agency, with the totals), Quá hạn, Khó khăn vướng mắc; each
    titled with the report's subject, and marked when the data are simulated."""
    title = words.subject(summary)
    if summary.simulated:
        title += f" ({words.SIMULATED})"
    headings, rows = words.agency_table(summary, lang)
    return export.xlsx_bytes(
        [
            Sheet("Tổng hợp", headings, rows, title, AGENCY_WIDTHS),
            Sheet(
                "Quá hạn",
                words.OVERDUE_HEADINGS,
                words.overdue_rows(summary),
                title,
                OVERDUE_WIDTHS,
            ),
            Sheet(
                "Khó khăn vướng mắc",
                words.DIFFICULTY_HEADINGS,
                words.difficulty_rows(summary),
                title,
                DIFFICULTY_WIDTHS,
            ),
        ]
    )
