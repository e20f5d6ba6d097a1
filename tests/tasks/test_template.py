"""The programme template: its columns and instructions, a filled one read back as task records
numbered by their row, or refused with the header it does not recognise named; and uploaded
through the gate, its good rows stored and its bad row reported by its row number."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from ioc57.core.access import LOCAL_ADMIN
from ioc57.ingest.spreadsheet import TemplateError
from ioc57.tasks.template import (
    COLUMNS,
    MISSING_COLUMNS,
    UNKNOWN_COLUMNS,
    import_template,
    read_template,
    template_bytes,
)

from ..support.tasks import AGENCY_A, AGENCY_B, programme

PROGRAMME = "144/CTHĐ-TU"


def filled(tmp_path, rows, header=COLUMNS):
    """The template with ``header`` for its first row and ``rows`` under it, as a file."""
    book = load_workbook(io.BytesIO(template_bytes()))
    sheet = book.worksheets[0]
    sheet.delete_rows(1)
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    path = tmp_path / "chuong-trinh.xlsx"
    book.save(path)
    return path


def test_the_template_has_the_columns_of_a_task_and_instructions_in_vietnamese():
    book = load_workbook(io.BytesIO(template_bytes()))
    tasks, guide = book.worksheets
    assert [cell.value for cell in tasks[1]] == list(COLUMNS)
    assert tasks.max_row == 1  # nothing to delete before filling it in
    assert guide.title == "Hướng dẫn"
    text = [row[0] for row in guide.iter_rows(values_only=True)]
    assert text[0] == "Cách điền biểu mẫu chương trình"
    assert set(COLUMNS) <= set(text)  # each column explained


def test_a_filled_template_reads_back_as_task_records_numbered_by_their_row(tmp_path):
    path = filled(
        tmp_path,
        [
            [PROGRAMME, "1.1", "Ban hành kế hoạch", "SKHCN-44", "STC-44, SNV-44", "PCT UBND"]
            + ["Kế hoạch", datetime(2026, 6, 30), None, "a_rate; b_rate"],
            [],  # an empty row is skipped, and counted
            [PROGRAMME, 2, "'=Vận hành IOC", "SKHCN-44", None, None, None, "30/9/2026"],
            [PROGRAMME, "3", "Báo cáo quý", "SNV-44", None, None, None, None, "quarterly"],
            [PROGRAMME, "4", "Sai ngày", "SNV-44", None, None, None, "31/02/2026"],
        ],
    )
    assert read_template(path, path.name) == [
        (
            2,
            {
                "programme": PROGRAMME,
                "code": "1.1",
                "content": "Ban hành kế hoạch",
                "lead_agency": "SKHCN-44",
                "cooperating_agencies": ["STC-44", "SNV-44"],
                "leader": "PCT UBND",
                "output": "Kế hoạch",
                "deadline": "2026-06-30",
                "indicators": ["a_rate", "b_rate"],
            },
        ),
        (
            4,
            {
                "programme": PROGRAMME,
                "code": "2",
                "content": "=Vận hành IOC",  # as written in a file of ours (safe_cell)
                "lead_agency": "SKHCN-44",
                "deadline": "2026-09-30",
            },
        ),
        (
            5,
            {
                "programme": PROGRAMME,
                "code": "3",
                "content": "Báo cáo quý",
                "lead_agency": "SNV-44",
                "recurrence": "quarterly",
            },
        ),
        # a day that does not exist is left for the gate to reject, on its row
        (
            6,
            {
                "programme": PROGRAMME,
                "code": "4",
                "content": "Sai ngày",
                "lead_agency": "SNV-44",
                "deadline": "31/02/2026",
            },
        ),
    ]


@pytest.mark.parametrize(
    ("header", "msg", "named"),
    [
        (
            ("programme", "code", "content", "lead agency"),
            UNKNOWN_COLUMNS,
            {"columns": "lead agency"},
        ),
        (("programme", "code", "lead_agency"), MISSING_COLUMNS, {"columns": "content"}),
        (("programme", "code", "content"), MISSING_COLUMNS, {"columns": "lead_agency"}),
    ],
)
def test_a_wrong_header_is_named(tmp_path, header, msg, named):
    path = filled(tmp_path, [[PROGRAMME, "1", "Nội dung", "SKHCN-44"][: len(header)]], header)
    with pytest.raises(TemplateError) as refused:
        read_template(path, path.name)
    assert refused.value.msg == msg
    assert refused.value.params.items() >= named.items()


def test_a_filled_template_goes_through_the_gate_and_its_bad_row_is_reported(planner, tmp_path):
    code = "P-XLSX"
    planner.post("programmes", programme(code), expect=201)
    path = filled(
        tmp_path,
        [
            [code, "1", "Ban hành kế hoạch", AGENCY_A, AGENCY_B, None, None, "30/06/2026"],
            [code, "2", "Vừa có hạn vừa định kỳ", AGENCY_A, None, None, None, "30/06/2026"]
            + ["monthly"],
            [code, "3", "Báo cáo hằng quý", AGENCY_B, None, None, None, None, "quarterly"],
        ],
    )
    result = import_template(planner.client.app.state.gate, path, path.name, LOCAL_ADMIN)
    assert (result.accepted, result.rejected_count) == (2, 1)
    (bad,) = result.rejected
    assert bad["index"] == 3 and bad["errors"][0]["loc"] == ["deadline"]
    stored = planner.get("tasks", programme=code).json()["items"]
    assert [(t["code"], t["lead_agency"], t["deadline"], t["recurrence"]) for t in stored] == [
        ("1", AGENCY_A, "2026-06-30", None),
        ("3", AGENCY_B, None, "quarterly"),
    ]
    assert stored[0]["cooperating_agencies"] == [AGENCY_B]
