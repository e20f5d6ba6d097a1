"""CSV as Excel saves it on a Vietnamese system: separated by semicolons or tabs, with decimal
commas, is read like a comma-separated file; a header that names none of the record's fields is
one error for the file, saying what the header should hold."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import func, select

from ioc57.core.access import LOCAL_ADMIN
from ioc57.core.clock import today
from ioc57.indicators.template import NO_INDICATOR, TemplateError, read_upload
from ioc57.ingest.fileimport import ImportFailed, import_file
from ioc57.ingest.sources import create_source
from ioc57.ingest.tables import batches, records

HEADER = ["id", "channel", "received_at", "category", "text", "lat", "lon", "status"]
ROWS = [
    [
        "PA-1",
        "phone",
        "2025-09-02T09:30:00+07:00",
        "moi-truong",
        "Rác thải; ùn ứ",
        "10,3501",
        "106,375",
        "received",
    ],
    [
        "PA-2",
        "web",
        "2025-09-03T10:00:00+07:00",
        "giao-thong",
        "Đèn tín hiệu hỏng",
        "10,36",
        "106,36",
        "received",
    ],
]


def _write(path, delimiter: str) -> None:
    lines = [delimiter.join(HEADER)]
    for row in ROWS:
        if delimiter == ",":  # decimal points in a comma-separated file
            row = [c.replace(",", ".") if c[:1].isdigit() else c for c in row]
        cells = [f'"{c}"' if delimiter in c else c for c in row]
        lines.append(delimiter.join(cells))
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


@pytest.fixture
def source(engine):
    with engine.begin() as conn:
        create_source(
            conn, actor="test", name="hotline-82", types=["feedback"], units=["82"], today=today()
        )
    return "hotline-82"


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), (",", "comma")])
def test_a_csv_file_is_read_whatever_its_delimiter(engine, source, tmp_path, delimiter, name):
    path = tmp_path / f"phan-anh-{name}.csv"
    _write(path, delimiter)
    report = import_file(engine, path, source=source, type_name="feedback", principal=LOCAL_ADMIN)
    assert report.counts["accepted"] == 2 and report.counts["rejected"] == 0, report.result
    with engine.connect() as conn:
        stored = {
            r.record_id: orjson.loads(r.data)
            for r in conn.execute(select(records.c.record_id, records.c.data))
        }
    assert stored["PA-1"]["lat"] == 10.3501 and stored["PA-1"]["lon"] == 106.375
    assert stored["PA-1"]["text"] == "Rác thải; ùn ứ"


def test_a_header_that_names_no_field_is_one_error_for_the_file(engine, source, tmp_path):
    path = tmp_path / "sai.csv"
    path.write_text("Mã;Kênh;Thời gian\nPA-1;phone;2025-09-02\nPA-2;web;2025-09-03\n", "utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_file(engine, path, source=source, type_name="feedback", principal=LOCAL_ADMIN)
    message = str(failed.value)
    assert "header" in message and "received_at" in message and "semicolons" in message
    with engine.connect() as conn:  # nothing was stored, not even a batch
        assert conn.execute(select(func.count()).select_from(batches)).scalar_one() == 0


def test_the_delimiter_is_read_from_the_header_line():
    from ioc57.ingest.parsing import csv_delimiter

    assert csv_delimiter("id;unit;value\r\n") == ";"
    assert csv_delimiter("id\tunit\tvalue\n") == "\t"
    assert csv_delimiter('"a;b",unit,value\n') == ","
    assert csv_delimiter("id\n") == ","


def test_the_values_template_saved_by_a_vietnamese_excel_is_read(tmp_path):
    path = tmp_path / "bieu-mau.csv"
    path.write_bytes(
        "\ufeffindicator;name;unit_of_measure;value;numerator;denominator;source;unit;period\r\n"
        "online_dossier_rate;Tỷ lệ hồ sơ trực tuyến;%;;388880;722154;Báo cáo số 12;82;2024\r\n"
        "digital_economy_share;Tỷ trọng kinh tế số;%;12,5;;;Báo cáo số 12;82;2024\r\n".encode()
    )
    upload = read_upload(path, "bieu-mau.csv")
    assert [row.get("value") for _, row in upload.rows] == [None, "12.5"]
    wrong = tmp_path / "sai.csv"
    wrong.write_text("chỉ tiêu;giá trị\nabc;1\n", "utf-8")
    with pytest.raises(TemplateError) as failed:
        read_upload(wrong, "sai.csv")
    assert failed.value.msg == NO_INDICATOR
