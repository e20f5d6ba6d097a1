"""The reporting template: download it for a unit and a period, fill it in, upload it back."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from ioc57.core.i18n import translations
from ioc57.indicators.headings import column, heading
from ioc57.indicators.template import COLUMNS

from ..support.http import auth, login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CITED = "Báo cáo số 12/BC-UBND ngày 05/10/2025"


def person(api, username, role, unit=None):
    """A logged-in browser and a bearer token for a new user."""
    token = api.user(username, role, unit=unit)
    browser = api.client()
    return browser, login(browser, username, "password-57"), token


def download(browser, kind, unit, period):
    r = browser.get(f"/indicators/template.{kind}", params={"unit": unit, "period": period})
    assert r.status_code == 200, r.text
    return r


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def fill(book, values: dict[str, dict]) -> tuple[bytes, dict[str, int]]:
    """Write ``{indicator: {column: value}}`` into the values sheet; the bytes and the rows used."""
    sheet, rows = book.worksheets[0], {}
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        if cell.value in values:
            rows[cell.value] = cell.row
            for column, value in values[cell.value].items():
                sheet.cell(row=cell.row, column=COLUMNS.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), rows


def upload(browser, csrf, name, body: bytes, mime=XLSX):
    return browser.post(
        "/indicators/entry",
        data={"csrf_token": csrf},
        files={"file": (name, body, mime)},
        headers={"Accept": "text/html"},
    )


def figure(page: str, name: str) -> int:
    return int(page.split(f'id="count-{name}">', 1)[1].split("<", 1)[0])


def stored(client, token) -> dict[str, dict]:
    r = client.get("/api/v1/observations", headers=auth(token))
    return {i["indicator"]: i for i in r.json()["items"]}


TWO_VALUES = {
    "hotline_1022_reports": {"value": 120, "source": CITED},
    "online_dossier_rate": {"numerator": 80, "denominator": 100, "source": CITED},
}


@pytest.mark.parametrize(
    ("role", "unit", "status"),
    [("officer", "82", "submitted"), ("leader", None, "approved"), ("admin", None, "approved")],
)
def test_a_filled_xlsx_template_is_stored_submitted_or_approved_by_role(
    client, api, role, unit, status
):
    browser, csrf, token = person(api, "nguoi.nhap", role, unit)
    page = browser.get("/indicators/entry", params={"unit": "82", "period": "202509"})
    assert page.status_code == 200 and 'id="download-xlsx"' in page.text
    assert 'name="csrf_token"' in page.text and 'enctype="multipart/form-data"' in page.text
    r = download(browser, "xlsx", "82", "202509")
    assert r.headers["content-type"] == XLSX
    assert 'filename="ioc57-82-202509.xlsx"' in r.headers["content-disposition"]
    book = workbook(r.content)
    sheet = book.worksheets[0]
    # the headings in the page's language (Vietnamese), not the columns' machine names
    vi = translations("vi").gettext
    assert [c.value for c in sheet[1]] == [heading(c, vi) for c in COLUMNS] and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2" and len(book.worksheets) == 2
    assert sheet["B2"].fill.fgColor.rgb.endswith("EDEDED")  # guidance: grey
    assert sheet["D2"].fill.fill_type is None  # the value: to fill in
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["hotline_1022_reports"][-2:] == ("82", "202509")
    assert rows["hotline_1022_reports"][1].startswith("Số phản ánh")
    assert "rd_spending" not in rows  # a yearly indicator is not reported for a month
    body, _ = fill(book, TWO_VALUES)
    r = upload(browser, csrf, "mau-82-202509.xlsx", body)
    assert r.status_code == 200, r.text
    assert (figure(r.text, "accepted"), figure(r.text, "rejected")) == (2, 0)
    assert figure(r.text, "skipped") == len(rows) - 2
    values = stored(client, token)
    assert set(values) == set(TWO_VALUES)
    assert {v["status"] for v in values.values()} == {status}
    assert values["hotline_1022_reports"]["value"] == 120
    assert values["online_dossier_rate"]["numerator"] == 80
    assert values["online_dossier_rate"]["citation"] == CITED
    again = workbook(download(browser, "xlsx", "82", "202509").content).worksheets[0]
    current = {row[0]: row for row in again.iter_rows(min_row=2, values_only=True)}
    assert current["hotline_1022_reports"][3] == 120
    assert current["hotline_1022_reports"][6] == CITED


def test_a_csv_template_makes_the_round_trip(client, api):
    browser, csrf, token = person(api, "lanhdao", "leader")
    r = download(browser, "csv", "82", "2025")
    assert r.content.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    read = csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))
    vi = translations("vi").gettext
    assert read.fieldnames == [heading(c, vi) for c in COLUMNS]
    rows = [{column(k): v for k, v in row.items()} for row in read]
    by_code = {row["indicator"]: row for row in rows}
    assert by_code["rd_spending"]["name"].startswith("Tổng chi cho nghiên cứu")
    by_code["rd_spending"] |= {"value": "1234.5", "source": CITED}
    by_code["patent_applications"] |= {"value": "12", "source": CITED}
    out = io.StringIO()
    writer = csv.DictWriter(out, list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    r = upload(browser, csrf, "mau.csv", out.getvalue().encode(), "text/csv")
    assert r.status_code == 200, r.text
    assert figure(r.text, "accepted") == 2
    values = stored(client, token)
    assert values["rd_spending"]["value"] == 1234.5 and values["rd_spending"]["period"] == "2025"
    assert {v["status"] for v in values.values()} == {"approved"}
    again = download(browser, "csv", "82", "2025").content.decode("utf-8-sig")
    assert "rd_spending,Tổng chi" in again and f",1234.5,,,{CITED},82,2025" in again


def test_a_bad_row_is_listed_with_its_row_and_field_and_the_good_row_is_kept(client, api):
    browser, csrf, token = person(api, "canbo.tinh", "officer", "82")
    book = workbook(download(browser, "xlsx", "82", "202509").content)
    body, rows = fill(
        book,
        {
            "hotline_1022_reports": {"value": 5, "source": CITED},
            "online_dossier_rate": {"numerator": 120, "denominator": 100, "source": CITED},
        },
    )
    r = upload(browser, csrf, "mau.xlsx", body)
    assert r.status_code == 200, r.text
    assert (figure(r.text, "accepted"), figure(r.text, "rejected")) == (1, 1)
    row = rows["online_dossier_rate"]
    assert f"<tr><td>{row}</td><td>online_dossier_rate</td><td>numerator</td>" in r.text
    assert set(stored(client, token)) == {"hotline_1022_reports"}


def test_an_officer_may_not_download_or_upload_for_a_unit_outside_their_scope(client, api):
    browser, csrf, _ = person(api, "canbo.mytho", "officer", "28261")
    r = browser.get("/indicators/template.xlsx", params={"unit": "82", "period": "202509"})
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"] == ["unit"]
    page = browser.get("/indicators/entry", params={"unit": "82", "period": "202509"})
    assert page.status_code == 403 and 'id="choice-error"' in page.text
    assert 'id="download-xlsx"' not in page.text
    download(browser, "csv", "28261", "202509")  # their own commune
    province, _, _ = person(api, "canbo.tinh", "officer", "82")
    download(province, "csv", "28261", "202509")  # a commune under the province
    admin = api.token("admin")
    r = client.get(
        "/indicators/template.xlsx",
        params={"unit": "01", "period": "202509"},
        headers=auth(admin),
    )
    body, _ = fill(workbook(r.content), {"hotline_1022_reports": {"value": 7, "source": CITED}})
    r = upload(browser, csrf, "ha-noi.xlsx", body)
    assert r.status_code == 403 and 'id="upload-error"' in r.text and "01" in r.text
    assert stored(client, admin) == {}


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("anh.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)),
        ("bao-cao.xlsx", b"PK\x03\x04 not really a workbook"),
        ("ghi-chu.txt", "Ghi chú\nkhông phải bảng số liệu\n".encode()),
        ("trong.csv", b""),
        ("chi-tieu-de.csv", ",".join(COLUMNS).encode() + b"\n"),
    ],
)
def test_a_file_that_is_not_a_filled_template_gets_400_and_stores_nothing(client, api, name, body):
    browser, csrf, token = person(api, "canbo.tinh", "officer", "82")
    r = upload(browser, csrf, name, body, "application/octet-stream")
    assert r.status_code == 400 and 'id="upload-error"' in r.text
    assert 'id="result"' not in r.text
    assert stored(client, api.token("admin")) == {}


def test_an_unfilled_template_gets_400(client, api):
    browser, csrf, _ = person(api, "canbo.tinh", "officer", "82")
    r = upload(browser, csrf, "mau.xlsx", download(browser, "xlsx", "82", "202509").content)
    assert r.status_code == 400 and 'id="upload-error"' in r.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": "99999", "period": "202509"}, "unit"),
        ({"unit": "82", "period": "2025Q5"}, "period"),
        ({"unit": "82", "period": "209901"}, "period"),  # has not begun
        ({"unit": "82", "period": "2025W37"}, "period"),  # no indicator is reported weekly
        ({"period": "202509"}, "unit"),
    ],
)
def test_bad_query_parameters_are_a_problem(client, api, params, field):
    token = api.user("canbo.tinh", "officer", unit="82")
    r = client.get("/indicators/template.csv", params=params, headers=auth(token))
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert field in r.json()["errors"][0]["loc"]
    html = client.get(
        "/indicators/template.csv", params=params, headers=auth(token) | {"Accept": "text/html"}
    )
    assert html.status_code == 422 and html.headers["content-type"].startswith("text/html")


def test_the_page_asks_for_a_login_and_a_role_that_may_report(client, api):
    r = client.get("/indicators/entry", params={"period": "2025"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/indicators/entry%3Fperiod%3D2025"
    assert client.get("/indicators/template.csv?unit=82&period=2025").status_code == 401
    viewer, _, _ = person(api, "xem", "viewer")
    assert viewer.get("/indicators/entry").status_code == 403


def test_the_scorecard_links_the_entry_page_for_those_who_may_report(client, api):
    link = 'href="/indicators/entry"'
    officer, _, _ = person(api, "canbo.tinh", "officer", "82")
    viewer, _, _ = person(api, "xem", "viewer")
    assert link in officer.get("/scorecard", params={"unit": "82"}).text
    assert link not in viewer.get("/scorecard", params={"unit": "82"}).text
    assert link not in client.get("/scorecard", params={"unit": "82"}).text


def test_a_form_without_the_right_csrf_token_is_refused(client, api):
    browser, csrf, token = person(api, "canbo.tinh", "officer", "82")
    body, _ = fill(workbook(download(browser, "xlsx", "82", "202509").content), TWO_VALUES)
    assert upload(browser, "forged", "mau.xlsx", body).status_code == 403
    assert stored(client, token) == {}
