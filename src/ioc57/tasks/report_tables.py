"""What a status report of tasks says, whatever file it is written to: its subject, the sentence
of its totals, and its three tables as headings and rows (the DOCX and the XLSX write the same).

A status report is a Vietnamese administrative document, so its words are Vietnamese; only the
names of the statuses are those the pages show (translated into ``lang``), and figures are
written as a page in ``lang`` writes them.
"""

from __future__ import annotations

from typing import Any

from ioc57.core.i18n import day, gettext, number
from ioc57.core.officedoc import written_date as written_date  # the header's place and date
from ioc57.tasks.status import LABELS, STATUSES
from ioc57.tasks.summary import Summary, on_time_rate

SIMULATED = "Báo cáo lập từ dữ liệu mô phỏng, không dùng cho việc chỉ đạo, điều hành."
RATE = "Tỷ lệ hoàn thành đúng hạn (%)"
TOTAL = "Tổng cộng"


def subject(summary: Summary) -> str:
    return f"Tình hình thực hiện nhiệm vụ của {summary.title} đến ngày {day(summary.as_of)}"


def status_label(status: str, lang: str) -> str:
    return gettext(lang, LABELS[status])


def totals_sentence(summary: Summary, lang: str) -> str:
    """The totals and the on-time rate, in a sentence or three."""
    fmt = number(lang)
    n = summary.totals.get
    dated = sum(n(s, 0) for s in ("completed_on_time", "completed_late", "within_deadline"))
    dated += n("overdue", 0)
    recurring = n("reported", 0) + n("not_reported", 0)
    text = f"Tổng số nhiệm vụ: {summary.total}"
    if dated and recurring:
        text += (
            f", trong đó {dated} nhiệm vụ có thời hạn và {recurring} nhiệm vụ thường xuyên, định kỳ"
        )
    text += "."
    if dated:
        done = n("completed_on_time", 0) + n("completed_late", 0)
        rate = on_time_rate(summary.totals)
        text += (
            f" Nhiệm vụ có thời hạn: đã hoàn thành {done} ({n('completed_on_time', 0)} đúng hạn,"
            f" {n('completed_late', 0)} quá hạn); đang thực hiện trong hạn"
            f" {n('within_deadline', 0)}; quá hạn chưa hoàn thành {n('overdue', 0)}."
        )
        if rate is not None:
            text += f" Tỷ lệ hoàn thành đúng hạn trên số nhiệm vụ đến hạn: {fmt(rate, 1)}%."
    if recurring:
        text += (
            f" Nhiệm vụ thường xuyên, định kỳ: đã báo cáo kỳ này {n('reported', 0)},"
            f" chưa báo cáo {n('not_reported', 0)}."
        )
    return text


def agency_table(summary: Summary, lang: str) -> tuple[list[str], list[list[Any]]]:
    """Table 1: each lead agency's tasks by status and its on-time rate, then the totals."""
    headings = [
        "STT",
        "Cơ quan chủ trì",
        "Tổng số",
        *(status_label(s, lang) for s in STATUSES),
        RATE,
    ]

    def cells(counts: dict[str, int]) -> list[Any]:
        rate = on_time_rate(counts)
        return [
            sum(counts.values()),
            *(counts.get(s, 0) for s in STATUSES),
            None if rate is None else round(rate, 1),
        ]

    rows = [[i, line.label, *cells(line.counts)] for i, line in enumerate(summary.by_agency, 1)]
    rows.append([None, TOTAL, *cells(summary.totals)])
    return headings, rows


OVERDUE_HEADINGS = [
    "STT",
    "Mã nhiệm vụ",
    "Nội dung nhiệm vụ",
    "Chương trình",
    "Cơ quan chủ trì",
    "Lãnh đạo theo dõi",
    "Thời hạn",
    "Thời hạn đã gia hạn",
    "Số ngày làm việc quá hạn",
]


def overdue_rows(summary: Summary) -> list[list[Any]]:
    """Table 2 (``OVERDUE_HEADINGS``): the overdue tasks, most overdue first, with the deadline
    as first set and the extended one."""
    return [
        [
            i,
            t.code,
            t.content,
            t.programme,
            t.agency,
            t.leader,
            t.deadline,
            t.extended_deadline,
            t.days_overdue,
        ]
        for i, t in enumerate(summary.overdue, 1)
    ]


DIFFICULTY_HEADINGS = [
    "STT",
    "Mã nhiệm vụ",
    "Cơ quan chủ trì",
    "Ngày báo cáo",
    "Khó khăn, vướng mắc",
    "Kiến nghị, đề xuất",
]


def difficulty_rows(summary: Summary) -> list[list[Any]]:
    """Table 3 (``DIFFICULTY_HEADINGS``): difficulties and proposals not answered, oldest first."""
    return [
        [i, d.code, d.agency, d.reported_on, d.difficulties, d.proposals]
        for i, d in enumerate(summary.difficulties, 1)
    ]
